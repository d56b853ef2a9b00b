"""`make bundle`'s layout, offline: the downloads are answered from wheels made from the
venvs; the real `pip download` runs only in `make bundle`."""
import os
import subprocess
import sys
import zipfile

import installer_kit as kit
from rayvision_installer import bundle


class Fetcher(object):
    """Stands for pip download: records what was asked, puts matching wheels in place."""

    def __init__(self, tmp):
        self.tmp = tmp
        self.calls = []
        self.made = {}

    def __call__(self, requirements, dest, python, tags, deps=True):
        self.calls.append((tuple(requirements), python, tuple(tags), deps))
        if requirements == bundle.QT:
            kit.standin_qt_wheel(dest)
        elif requirements == bundle.TRANSMITTER:
            kit.transmitter_wheel(dest)
        elif requirements == bundle.KEYRING:
            pass  # the core's wheels below include keyring
        else:
            source = "3.7" if python == "3.7" and os.path.isdir(kit.VENV_SITE["3.7"]) else "3.11"
            kit.installed_core_wheels(source, dest)


def test_one_zip_per_platform_that_installs_offline(tmp_path, our_wheel):
    fetch = Fetcher(tmp_path)
    out = str(tmp_path / "dist")
    archive = bundle.build_bundle(kit.ROOT, out, "linux", our_wheel, fetch=fetch)
    version = bundle.project_version(kit.ROOT)
    assert os.path.basename(archive) == "rayvision-dcc-{}-linux.zip".format(version)

    # What was asked of the index: every host Python, for this platform, binary only.
    core = [c for c in fetch.calls if c[0][:1] == ("requests>=2.22",)]
    assert sorted(c[1] for c in core) == sorted(bundle.PYTHONS)
    assert all("urllib3<2" in c[0] and "SecretStorage" in c[0] for c in core)
    # pip reads markers for the Python it runs on: keyring comes alone, its needs named.
    assert sorted(c[1] for c in fetch.calls if c[0] == bundle.KEYRING and not c[3]) == sorted(
        bundle.PYTHONS)
    assert [c for c in core if c[1] == "3.7" and "typing_extensions" in c[0]
            and "importlib_resources" in c[0] and "backports.tarfile" not in c[0]]
    assert all(c[2] == bundle.PLATFORM_TAGS["linux"] for c in fetch.calls)
    assert (bundle.TRANSMITTER, "3.9", bundle.PLATFORM_TAGS["linux"], False) in fetch.calls

    top = "rayvision-dcc-{}-linux/".format(version)
    with zipfile.ZipFile(archive) as opened:
        names = set(opened.namelist())
        opened.extractall(str(tmp_path / "unpacked"))
    for name in ("installer/install.py", "installer/rayvision_installer/files.py",
                 "maya/rayvision_dcc.mod", "blender/rayvision_blender/__init__.py",
                 "wheels/index.json", "wheels/py37/" + os.path.basename(our_wheel),
                 "wheels/py313/" + os.path.basename(our_wheel)):
        assert top + name in names, name
    assert not [n for n in names if "__pycache__" in n]

    # Unpacked, it installs with nothing but the Python running it.
    root = tmp_path / "unpacked" / top.rstrip("/")
    home = kit.make_home(str(tmp_path / "home"), "linux", maya=("2024",), blender=("4.5",))
    env = {"HOME": home, "PATH": os.environ.get("PATH", ""), "LANG": "C.UTF-8"}
    result = subprocess.run([sys.executable, "-S", str(root / "installer" / "install.py")],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env,
                            universal_newlines=True, timeout=240, cwd=str(tmp_path))
    assert result.returncode == 0, result.stdout
    assert "Maya 2024: installed" in result.stdout and "Blender 4.5: installed" in result.stdout
    addon = os.path.join(home, ".config", "blender", "4.5", "scripts", "addons",
                         "rayvision_blender", "site-packages")
    assert os.path.isfile(os.path.join(addon, "pyside6_standin", "__init__.py"))  # the qt set
    assert os.access(os.path.join(addon, "rayvision_sync", "transmission", "linux",
                                  "rayvision_transmitter"), os.X_OK)


def test_windows_bundle_asks_for_windows_wheels_and_backend(tmp_path, our_wheel):
    fetch = Fetcher(tmp_path)
    bundle.build_bundle(kit.ROOT, str(tmp_path / "dist"), "windows", our_wheel, fetch=fetch,
                        pythons=("3.7",))
    core = [c for c in fetch.calls if c[0][:1] == ("requests>=2.22",)]
    assert core and all("pywin32-ctypes" in c[0] and c[2] == ("win_amd64",) for c in core)
    assert not [c for c in core if "SecretStorage" in c[0]]


def test_macos_bundle_has_no_transfer_binaries_to_carry(tmp_path, our_wheel):
    fetch = Fetcher(tmp_path)
    archive = bundle.build_bundle(kit.ROOT, str(tmp_path / "dist"), "macos", our_wheel,
                                  fetch=fetch, pythons=("3.11",))
    assert not [c for c in fetch.calls if c[0] == bundle.TRANSMITTER]
    assert all(c[2] == bundle.PLATFORM_TAGS["macos"] for c in fetch.calls)
    assert not [c for c in fetch.calls if "SecretStorage" in c[0] or "pywin32-ctypes" in c[0]]
    with zipfile.ZipFile(archive) as opened:
        assert not [n for n in opened.namelist() if "/wheels/transmitter/" in n]
