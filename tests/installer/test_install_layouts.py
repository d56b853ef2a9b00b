"""Installs into homes laid out as Windows, macOS and Linux lay them out, several versions of
each host: where every file goes, and what the report says."""
import json
import os

import pytest

import installer_kit as kit
from rayvision_installer.files import MANIFEST, sha256_file

LAYOUTS = {
    "windows": dict(maya=("2022", "2024", "2025"), max_=("2022", "2025"),
                    blender=("3.6", "4.2", "4.5")),
    "macos": dict(maya=("2022", "2025"), blender=("4.2", "4.5")),
    "linux": dict(maya=("2022", "2024", "2025"), blender=("3.6", "4.5")),
}
MAYA_PLATFORM = {"windows": "win64", "macos": "mac", "linux": "linux"}


@pytest.mark.parametrize("platform", sorted(LAYOUTS))
def test_installs_every_version_of_every_host(machine, platform):
    m = machine(platform).lay_out(**LAYOUTS[platform])
    code, out = m.run("--host", "all")
    assert code == 0, out
    layout = LAYOUTS[platform]

    # Maya: one module for all versions, packages per Python.
    modules = m.maya_modules()
    with open(os.path.join(modules, "rayvision_dcc.mod")) as handle:
        mod = handle.read()
    assert mod.startswith("# Rayvision render submitter, written by its installer")
    plus = [line for line in mod.splitlines() if line.startswith("+")]
    assert sorted(line.split()[1] for line in plus) == sorted(
        "MAYAVERSION:" + v for v in layout["maya"])
    assert all("PLATFORM:" + MAYA_PLATFORM[platform] in line for line in plus)
    assert all(line.endswith(" ./rayvision_dcc") for line in plus)
    pys = sorted(set(kit.MAYA_PY[v] for v in layout["maya"]))
    site = os.path.join(modules, "rayvision_dcc", "site-packages")
    assert sorted(os.listdir(site)) == pys
    for py in pys:
        for module in ("rayvision_dcc/__init__.py", "requests/__init__.py", "keyring/__init__.py",
                       "certifi/cacert.pem", "Qt.py"):
            assert os.path.isfile(os.path.join(site, py, module)), (py, module)
        assert any(n.startswith("keyring-") and n.endswith(".dist-info")
                   for n in os.listdir(os.path.join(site, py)))  # entry points: backends
    assert os.path.isfile(os.path.join(modules, "rayvision_dcc", "scripts", "userSetup.py"))
    assert not os.path.exists(os.path.join(modules, "rayvision_dcc", "rayvision_dcc.mod"))

    # 3ds Max: one ApplicationPlugins bundle (Windows only).
    bundle = os.path.join(m.max_plugins(), "RayvisionDCC.bundle")
    if platform == "windows":
        assert os.path.isfile(os.path.join(bundle, "PackageContents.xml"))
        assert sorted(os.listdir(os.path.join(bundle, "Contents", "site-packages"))) == [
            "py311", "py37"]
        assert os.path.isfile(os.path.join(bundle, "Contents", "site-packages", "py37",
                                           "rayvision_dcc", "__init__.py"))
    else:
        assert not os.path.exists(bundle)
        assert "3ds Max runs on Windows only" in out

    # Blender: the add-on per version, with its own site-packages and Qt.
    for version in layout["blender"]:
        addon = os.path.join(m.blender_addons(version), "rayvision_blender")
        assert os.path.isfile(os.path.join(addon, "__init__.py"))
        for module in ("rayvision_dcc/__init__.py", "requests/__init__.py",
                       "pyside6_standin/__init__.py"):
            assert os.path.isfile(os.path.join(addon, "site-packages", module)), module

    # The transfer engine's binaries where rayvision_sync has them (not macOS), runnable,
    # where rayvision_dcc.job.transmitter looks: the package's transmission/<platform>.
    folder = {"windows": "windows", "linux": "linux"}.get(platform)
    sync = os.path.join(site, pys[0], "rayvision_sync")
    if folder:
        exe = "rayvision_transmitter.exe" if platform == "windows" else "rayvision_transmitter"
        binaries = os.path.join(sync, "transmission", folder)
        assert os.access(os.path.join(binaries, exe), os.X_OK)
        assert os.listdir(os.path.join(sync, "transmission")) == [folder]
        assert not os.path.exists(os.path.join(sync, "tests"))
    else:
        assert not os.path.exists(sync)

    # Host by host, what was done.
    assert out.index("Maya") < out.index("3ds Max") < out.index("Blender")
    assert "Maya {}: installed".format(", ".join(layout["maya"])) in out
    for version in layout["blender"]:
        assert "Blender {}: installed".format(version) in out


def test_manifest_lists_every_file_with_its_hash(machine):
    m = machine("linux").lay_out(maya=("2024",), blender=("4.5",))
    code, out = m.run()
    assert code == 0, out
    folder = os.path.join(m.maya_modules(), "rayvision_dcc")
    with open(os.path.join(folder, MANIFEST)) as handle:
        manifest = json.load(handle)
    assert manifest["versions"] == ["2024"] and manifest["pythons"] == ["3.10"]
    on_disk = set()
    for current, _dirs, names in os.walk(folder):
        for name in names:
            if name != MANIFEST:
                on_disk.add(os.path.relpath(os.path.join(current, name), m.maya_modules()))
    assert on_disk | {"rayvision_dcc.mod"} == set(manifest["files"])
    for rel, digest in manifest["files"].items():
        assert sha256_file(os.path.join(m.maya_modules(), rel)) == digest


def test_versions_found_outside_the_user_folders(machine):
    """MAYA_LOCATION, Maya's and 3ds Max's install folders, ADSK_3DSMAX_x64_<year>."""
    m = machine("windows")
    m.environ["MAYA_LOCATION"] = "C:\\Program Files\\Autodesk\\Maya2023"
    os.makedirs(os.path.join(m.root, "Program Files", "Autodesk", "Maya2025"))
    os.makedirs(os.path.join(m.root, "Program Files", "Autodesk", "3ds Max 2024"))
    m.environ["ADSK_3DSMAX_x64_2022"] = "C:\\Program Files\\Autodesk\\3ds Max 2022\\"
    code, out = m.run("--host", "maya", "--dry-run")
    assert code == 0, out
    assert "Maya 2023, 2025: would install" in out
    code, out = m.run("--host", "max", "--dry-run")
    assert "3ds Max 2022, 2024: would install" in out
    assert not os.path.exists(m.maya_modules())


def test_too_old_versions_are_named_not_installed(machine):
    m = machine("linux").lay_out(maya=("2020", "2024"), blender=("2.79", "4.5"))
    code, out = m.run()
    assert code == 0, out
    assert "Maya 2020" in out and "needs Maya 2022 or newer" in out
    assert "Blender 2.79 is not supported" in out
    assert "Maya 2024: installed" in out


def test_maya_and_max_versions_without_a_python_are_named(machine):
    """Too old (before 2022) or newer than the installer's tables: a note each, per host."""
    m = machine("windows")
    os.makedirs(os.path.join(m.root, "Program Files", "Autodesk", "Maya2030"))
    os.makedirs(os.path.join(m.root, "Program Files", "Autodesk", "3ds Max 2030"))
    m.environ["ADSK_3DSMAX_x64_2021"] = "C:\\Program Files\\Autodesk\\3ds Max 2021\\"
    _code, out = m.run("--host", "maya", "--dry-run")
    assert "Maya 2030 is newer than this installer knows" in out
    _code, out = m.run("--host", "max", "--dry-run")
    assert "3ds Max 2021 (" in out and "needs 3ds Max 2022 or newer" in out
    assert "3ds Max 2030 is newer than this installer knows" in out


def test_only_the_version_asked(machine):
    m = machine("linux").lay_out(maya=("2022", "2025"), blender=("4.2", "4.5"))
    code, out = m.run("--version", "4.5")
    assert code == 0, out
    assert "Blender 4.5: installed" in out
    assert not os.path.exists(os.path.join(m.blender_addons("4.2"), "rayvision_blender"))
    assert not os.path.exists(m.maya_modules())


def test_maya_module_path_elsewhere_and_another_copy(machine, tmp_path):
    m = machine("linux").lay_out(maya=("2024",))
    studio = tmp_path / "studio-modules"
    studio.mkdir()
    (studio / "rayvision_dcc.mod").write_text("+ rayvision_dcc 0.0.1 /old/copy\n")
    m.environ["MAYA_MODULE_PATH"] = str(studio)
    code, out = m.run("--host", "maya")
    assert code == 0, out
    assert "another rayvision_dcc.mod is in {}".format(studio) in out
    target = tmp_path / "mine"
    code, out = m.run("--host", "maya", "--maya-modules", str(target))
    assert code == 0, out
    assert (target / "rayvision_dcc.mod").is_file()


def test_nothing_found_says_so(machine):
    m = machine("linux")
    code, out = m.run()
    assert code == 0
    assert "nothing was installed: no host found" in out


def test_the_installer_never_writes_settings_or_keys(machine):
    m = machine("linux").lay_out(maya=("2024",), blender=("4.5",))
    code, out = m.run()
    assert code == 0, out
    assert not os.path.exists(os.path.join(m.home, ".config", "rayvision-dcc"))
    assert not os.path.exists(os.path.join(m.home, ".local", "share", "rayvision-dcc"))
    assert "one user config and one keyring entry" in out


def test_windows_path_lists_and_an_extension_beside_the_add_on(machine, tmp_path):
    m = machine("windows").lay_out(maya=("2024",), blender=("4.5",))
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    (second / "rayvision_dcc.mod").write_text("+ rayvision_dcc 0.0.1 C:\\old\n")
    m.environ["MAYA_MODULE_PATH"] = "{};{}".format(first, second)    # Windows' separator
    extension = os.path.join(os.path.dirname(os.path.dirname(m.blender_addons("4.5"))),
                             "extensions", "user_default", "rayvision_blender")
    os.makedirs(extension)
    code, out = m.run()
    assert code == 0, out
    assert "another rayvision_dcc.mod is in {}".format(second) in out
    assert "the Rayvision extension is also installed in {}".format(extension) in out
    assert os.path.isdir(extension)      # reported, not touched


def test_a_blender_add_ons_folder_given_by_hand(machine, tmp_path):
    """BLENDER_USER_SCRIPTS setups: --blender-addons FOLDER --version X.Y."""
    m = machine("linux")
    m.environ["BLENDER_USER_SCRIPTS"] = str(tmp_path / "studio-scripts")
    folder = str(tmp_path / "studio-scripts" / "addons")
    code, out = m.run("--host", "blender", "--blender-addons", folder)
    assert "--blender-addons needs --version" in out
    code, out = m.run("--host", "blender", "--blender-addons", folder, "--version", "4.5")
    assert code == 0, out
    assert "Blender 4.5: installed {}".format(os.path.join(folder, "rayvision_blender")) in out
    code, out = kit.run_main(["uninstall", "--host", "blender", "--blender-addons", folder],
                             m.system(), m.payload)
    assert "Blender 4.5: removed" in out
    assert not os.path.exists(tmp_path / "studio-scripts")


def test_a_maya_or_max_folder_given_by_hand_names_the_version(machine, tmp_path):
    """No Maya/Max on this computer: --maya-modules / --max-plugins FOLDER --version V."""
    m = machine("linux")
    folder = str(tmp_path / "studio-modules")
    code, out = m.run("--host", "maya", "--maya-modules", folder)
    assert code == 0 and "nothing was installed" in out
    assert "each with --version V" in out and not os.path.exists(folder)
    code, out = m.run("--host", "maya", "--maya-modules", folder, "--version", "4.5")
    assert "Maya 4.5 is not a version this installer knows" in out
    code, out = m.run("--host", "maya", "--maya-modules", folder, "--version", "2024")
    assert code == 0, out
    assert "Maya 2024: installed {}".format(os.path.join(folder, "rayvision_dcc")) in out
    assert os.path.isdir(os.path.join(folder, "rayvision_dcc", "site-packages", "py310",
                                      "rayvision_dcc"))
    # Naming another version keeps the one this folder already serves.
    code, out = m.run("--host", "maya", "--maya-modules", folder, "--version", "2025")
    assert code == 0 and "Maya 2024, 2025: upgraded" in out, out
    with open(os.path.join(folder, "rayvision_dcc.mod")) as handle:
        mod = handle.read()
    assert "MAYAVERSION:2024" in mod and "MAYAVERSION:2025" in mod
    code, out = kit.run_main(["uninstall", "--host", "maya", "--maya-modules", folder],
                             m.system(), m.payload)
    assert code == 0 and "Maya 2024, 2025: removed" in out, out
    assert not os.path.exists(folder)

    w = machine("windows")
    plugins = str(tmp_path / "plugins")
    code, out = w.run("--host", "max", "--max-plugins", plugins, "--version", "2025")
    assert code == 0, out
    assert "3ds Max 2025: installed {}".format(os.path.join(plugins, "RayvisionDCC.bundle")) in out
    assert os.path.isdir(os.path.join(plugins, "RayvisionDCC.bundle", "Contents",
                                      "site-packages", "py311", "rayvision_dcc"))
