"""A second run changes nothing, an upgrade replaces our files in place, uninstall leaves
the host folders as they were, and what fails leaves nothing half-installed."""
import os
import shutil
import zipfile

import pytest

import installer_kit as kit
from rayvision_installer.files import MANIFEST, FileOps


def linux_machine(machine):
    m = machine("linux").lay_out(maya=("2022", "2024"), blender=("4.2", "4.5"))
    # The user's own things in the host folders, which nothing may touch.
    others = [os.path.join(m.maya_modules(), "studio.mod"),
              os.path.join(m.blender_addons("4.5"), "other_addon", "__init__.py"),
              os.path.join(m.home, "maya", "2024", "prefs", "userPrefs.mel")]
    for path in others:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as handle:
            handle.write("# the user's\n")
    return m


def test_second_run_changes_nothing(machine):
    m = linux_machine(machine)
    code, out = m.run()
    assert code == 0, out
    before = kit.snapshot(m.home)
    mtimes = {p: os.stat(os.path.join(m.home, p)).st_mtime_ns for p in before if p[-1] != "/"}
    code, out = m.run()
    assert code == 0, out
    assert "Maya 2022, 2024: unchanged" in out and "Blender 4.5: unchanged" in out
    assert kit.snapshot(m.home) == before
    assert {p: os.stat(os.path.join(m.home, p)).st_mtime_ns for p in mtimes} == mtimes


def test_uninstall_leaves_the_host_folders_as_they_were(machine):
    m = linux_machine(machine)
    before = kit.snapshot(m.home)
    code, out = m.run()
    assert code == 0, out
    # The host ran our code: Python left caches in our folders.
    cache = os.path.join(m.blender_addons("4.5"), "rayvision_blender", "__pycache__")
    os.makedirs(cache)
    open(os.path.join(cache, "__init__.cpython-311.pyc"), "wb").close()
    code, out = kit.run_main(["uninstall"], m.system(), m.payload)
    assert code == 0, out
    assert "Maya 2022, 2024: removed" in out and "Blender 4.2: removed" in out
    assert kit.snapshot(m.home) == before
    code, out = kit.run_main(["uninstall"], m.system(), m.payload)
    assert code == 0 and "removed" not in out


def test_uninstall_removes_the_caches_a_wheel_shipped(machine):
    # PySide6's wheel ships support/__pycache__/*.pyc: the manifest lists files inside a cache
    # folder that uninstall also removes whole. Python may rewrite such a file when it runs.
    m = machine("linux").lay_out(blender=("4.5",))
    before = kit.snapshot(m.home)
    code, out = m.run()
    assert code == 0, out
    site = os.path.join(m.blender_addons("4.5"), "rayvision_blender", "site-packages")
    shipped = os.path.join(site, *kit.STANDIN_PYC.split("/"))
    assert os.path.isfile(shipped)
    with open(shipped, "wb") as handle:
        handle.write(b"rewritten by the interpreter")
    with open(os.path.join(os.path.dirname(shipped), "other.cpython-311.pyc"), "wb") as handle:
        handle.write(b"made by the interpreter")
    code, out = m.run()
    assert code == 0 and "Blender 4.5: unchanged" in out, out
    code, out = kit.run_main(["uninstall"], m.system(), m.payload)
    assert code == 0, out
    assert "Blender 4.5: removed" in out and "left" not in out
    assert kit.snapshot(m.home) == before


def test_uninstall_of_a_home_without_maya_modules_removes_the_folder_it_made(machine):
    m = machine("macos").lay_out(maya=("2025",))
    before = kit.snapshot(m.home)
    assert m.run()[0] == 0
    assert os.path.isdir(m.maya_modules())
    assert kit.run_main(["uninstall"], m.system(), m.payload)[0] == 0
    assert not os.path.exists(m.maya_modules())
    assert kit.snapshot(m.home) == before


def test_uninstall_keeps_what_the_installer_did_not_write(machine):
    m = linux_machine(machine)
    assert m.run()[0] == 0
    addon = os.path.join(m.blender_addons("4.5"), "rayvision_blender")
    mine = os.path.join(addon, "my_notes.txt")
    with open(mine, "w") as handle:
        handle.write("keep me")
    changed = os.path.join(addon, "__init__.py")
    with open(changed, "a") as handle:
        handle.write("# my change\n")
    code, out = kit.run_main(["uninstall", "--host", "blender"], m.system(), m.payload)
    assert code == 0, out
    assert "Blender 4.5: removed" in out and "left 2 file(s)" in out
    assert sorted(os.listdir(addon)) == ["__init__.py", "my_notes.txt"]
    assert not os.path.exists(os.path.join(m.blender_addons("4.2"), "rayvision_blender"))
    # Maya was not asked.
    assert os.path.isfile(os.path.join(m.maya_modules(), "rayvision_dcc.mod"))


def upgraded_wheelhouse(tmp_path, m, version="0.2.0"):
    """The same sets with a newer rayvision_dcc (one module more, one less)."""
    new = str(tmp_path / "wheels-new")
    shutil.copytree(m.wheels, new)
    for folder, _dirs, names in os.walk(new):
        for name in names:
            if name.startswith("rayvision_dcc-"):
                old = os.path.join(folder, name)
                with zipfile.ZipFile(old) as archive:
                    files = {n.replace("-0.1.0.dist-info", "-" + version + ".dist-info"):
                             archive.read(n) for n in archive.namelist()
                             if not n.endswith("hosts/reading.py")}
                os.remove(old)
                files["rayvision_dcc/added_in_020.py"] = b"NEW = True\n"
                files["rayvision_dcc/__init__.py"] += b"\n# 0.2.0\n"
                kit.write_wheel(os.path.join(folder, name.replace("0.1.0", version)), files)
    return new


def test_upgrade_replaces_our_files_in_place(machine, tmp_path):
    m = linux_machine(machine)
    assert m.run()[0] == 0
    site = os.path.join(m.blender_addons("4.5"), "rayvision_blender", "site-packages")
    mine = os.path.join(m.blender_addons("4.5"), "rayvision_blender", "presets", "mine.json")
    os.makedirs(os.path.dirname(mine))
    with open(mine, "w") as handle:
        handle.write("{}")
    os.makedirs(os.path.join(site, "rayvision_dcc", "__pycache__"))
    new = upgraded_wheelhouse(tmp_path, m)
    code, out = m.run(wheels=new)
    assert code == 0, out
    assert "Blender 4.5: upgraded" in out and "Maya 2022, 2024: upgraded" in out
    assert os.path.isfile(os.path.join(site, "rayvision_dcc", "added_in_020.py"))
    assert not os.path.exists(os.path.join(site, "rayvision_dcc", "hosts", "reading.py"))
    assert not os.path.exists(os.path.join(site, "rayvision_dcc-0.1.0.dist-info"))
    assert open(mine).read() == "{}"     # the user's file came along
    assert not [n for n in os.listdir(m.blender_addons("4.5")) if n.startswith(".rayvision")]
    code, out = m.run(wheels=new)
    assert "Blender 4.5: unchanged" in out


def test_dry_run_changes_nothing(machine):
    m = linux_machine(machine)
    before = kit.snapshot(m.home)
    code, out = m.run("--dry-run")
    assert code == 0, out
    assert "Maya 2022, 2024: would install" in out
    assert kit.snapshot(m.home) == before
    m.run()
    before = kit.snapshot(m.home)
    code, out = kit.run_main(["uninstall", "--dry-run"], m.system(), m.payload)
    assert "would remove" in out
    assert kit.snapshot(m.home) == before


# -- failures ------------------------------------------------------------------------------
def test_a_running_host_is_named_and_left_alone(machine):
    m = linux_machine(machine)
    m.running = [(4242, "maya.bin"), (1, "systemd")]
    code, out = m.run()
    assert code == 1
    assert "Maya 2022, 2024: failed" in out
    assert "Maya is running: maya.bin (pid 4242)" in out and "close Maya" in out
    assert not os.path.exists(os.path.join(m.maya_modules(), "rayvision_dcc.mod"))
    assert "Blender 4.5: installed" in out      # the others go on
    m.running = []
    assert m.run()[0] == 0
    m.running = [(77, "blender")]
    code, out = kit.run_main(["uninstall"], m.system(), m.payload)
    assert code == 1 and "Blender is running" in out
    assert os.path.isdir(os.path.join(m.blender_addons("4.5"), "rayvision_blender"))
    assert "Maya 2022, 2024: removed" in out


def test_a_folder_without_write_permission(machine):
    m = linux_machine(machine)
    m.read_only = [os.path.dirname(os.path.dirname(m.blender_addons("4.2")))]
    code, out = m.run()
    assert code == 1
    assert "Blender 4.2: failed" in out
    assert "cannot write to {}: permission denied".format(m.blender_addons("4.2")) in out
    assert "--blender-addons" in out
    assert not os.path.exists(os.path.join(m.blender_addons("4.2"), "rayvision_blender"))
    assert "Blender 4.5: installed" in out


def test_a_missing_python_set_fails_that_host_only(machine, tmp_path):
    m = machine("linux").lay_out(maya=("2024", "2027"), blender=("4.5",))
    code, out = m.run()
    assert code == 1
    assert "Maya 2024, 2027: failed" in out
    assert "Maya 2027 runs Python 3.13: no py313 packages" in out
    assert "--version" in out
    assert not os.path.exists(m.maya_modules())
    assert "Blender 4.5: installed" in out
    code, out = m.run("--host", "maya", "--version", "2024")
    assert code == 0 and "Maya 2024: installed" in out


class FailingOps(FileOps):
    """Real file operations that fail at the n-th rename, as a full disk or a locked file
    would."""

    def __init__(self, fail_at):
        self.fail_at = fail_at
        self.count = 0

    def rename(self, source, target):
        self.count += 1
        if self.count == self.fail_at:
            raise PermissionError(13, "Permission denied", target)
        FileOps.rename(self, source, target)


@pytest.mark.parametrize("fail_at", [1, 2, 3])
def test_a_failure_while_moving_into_place_puts_everything_back(machine, tmp_path, fail_at):
    m = machine("linux").lay_out(maya=("2024",))
    assert m.run()[0] == 0
    before = kit.snapshot(m.home)
    new = upgraded_wheelhouse(tmp_path, m)
    code, out = m.run(wheels=new, ops=FailingOps(fail_at))
    assert code == 1
    assert "Maya 2024: failed" in out and "nothing was changed" in out
    assert kit.snapshot(m.home) == before


def test_a_failure_on_first_install_leaves_nothing(machine):
    m = machine("linux").lay_out(maya=("2024",))
    before = kit.snapshot(m.home)
    code, out = m.run(ops=FailingOps(2))
    assert code == 1
    assert kit.snapshot(m.home) == before


def test_a_failure_while_removing_puts_everything_back(machine):
    m = machine("linux").lay_out(maya=("2024",))
    assert m.run()[0] == 0
    before = kit.snapshot(m.home)
    code, out = kit.run_main(["uninstall"], m.system(), m.payload, ops=FailingOps(5))
    assert code == 1 and "Maya 2024: failed" in out
    assert kit.snapshot(m.home) == before


def test_a_folder_that_is_not_ours_is_never_touched(machine):
    m = machine("linux").lay_out(blender=("4.5",))
    theirs = os.path.join(m.blender_addons("4.5"), "rayvision_blender")
    os.makedirs(theirs)
    with open(os.path.join(theirs, "__init__.py"), "w") as handle:
        handle.write("# an old copy installed by hand\n")
    before = kit.snapshot(m.home)
    code, out = m.run()
    assert code == 1
    assert "{} exists and was not installed by this installer".format(theirs) in out
    assert kit.snapshot(m.home) == before
    code, out = kit.run_main(["uninstall"], m.system(), m.payload)
    assert kit.snapshot(m.home) == before


def test_changed_files_block_an_upgrade_until_forced(machine, tmp_path):
    m = machine("linux").lay_out(maya=("2024",))
    assert m.run()[0] == 0
    setup = os.path.join(m.maya_modules(), "rayvision_dcc", "scripts", "userSetup.py")
    with open(setup, "a") as handle:
        handle.write("# the TD's change\n")
    new = upgraded_wheelhouse(tmp_path, m)
    code, out = m.run(wheels=new)
    assert code == 1 and "were changed since: {}".format(setup) in out and "--force" in out
    assert "the TD's change" in open(setup).read()
    code, out = m.run("--force", wheels=new)
    assert code == 0 and "Maya 2024: upgraded" in out
    assert "the TD's change" not in open(setup).read()


def test_packages_for_another_platform_are_refused(machine):
    m = machine("linux").lay_out(maya=("2024",))
    code, out = m.run(wheels=machine("windows").wheels)
    assert code == 1
    assert "are for windows; this computer runs linux" in out


def test_no_packages_at_all(machine, tmp_path):
    m = machine("linux").lay_out(maya=("2024",))
    code, out = m.run(wheels=str(tmp_path / "nowhere"))
    assert code == 1 and "no packages for the hosts' Pythons" in out and "make bundle" in out
    assert not os.path.exists(m.maya_modules())


def test_one_version_more_keeps_the_versions_already_served(machine):
    m = machine("linux").lay_out(maya=("2022", "2024", "2025"), blender=("4.2", "4.5"))
    assert m.run("--version", "2022")[0] == 0
    code, out = m.run("--version", "2025")
    assert code == 0, out
    assert "Maya 2022, 2025: upgraded" in out
    site = os.path.join(m.maya_modules(), "rayvision_dcc", "site-packages")
    assert sorted(os.listdir(site)) == ["py311", "py37"]
    assert m.run("--host", "blender")[0] == 0
    code, out = kit.run_main(["uninstall", "--version", "4.5"], m.system(), m.payload)
    assert code == 0, out
    assert "Blender 4.5: removed" in out and "Blender 4.2" not in out
    assert "serves Maya 2022, 2025, not 4.5 alone" not in out   # 4.5 is not Maya's
    code, out = kit.run_main(["uninstall", "--version", "2025"], m.system(), m.payload)
    assert code == 1 and "serves Maya 2022, 2025, not 2025 alone" in out
    assert os.path.isdir(site)


def test_leftovers_of_an_interrupted_run_are_named_not_deleted(machine):
    m = machine("linux").lay_out(blender=("4.5",))
    stale = os.path.join(m.blender_addons("4.5"), ".rayvision-old-1234abcd", "rayvision_blender")
    os.makedirs(stale)
    with open(os.path.join(stale, "my_notes.txt"), "w") as handle:
        handle.write("keep")
    code, out = m.run()
    assert code == 0, out
    assert "{} was left by an interrupted run".format(os.path.dirname(stale)) in out
    assert os.path.isfile(os.path.join(stale, "my_notes.txt"))
