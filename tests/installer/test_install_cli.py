"""The installer as a user runs it: `python installer/install.py` from an unpacked bundle on
Python 3.7 (nothing of ours installed), and `rayvision-dcc install` / `uninstall`."""
import os
import shutil
import subprocess
import sys

import pytest

import installer_kit as kit


def test_the_installer_code_runs_on_python_37():
    vermin = pytest.importorskip("vermin")
    del vermin
    files = [os.path.join(folder, name) for folder, _d, names in os.walk(kit.INSTALLER)
             for name in names if name.endswith(".py")]
    assert any(f.endswith("install.py") for f in files)
    result = subprocess.run([sys.executable, "-c", "import sys; from vermin import main; "
                             "sys.exit(main())", "-t=3.7-", "--no-tips", "--violations"] + files,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            universal_newlines=True, timeout=240)
    assert result.returncode == 0, result.stdout


def test_the_installer_imports_nothing_but_the_standard_library():
    probe = ("import sys; sys.path.insert(0, {!r}); before = set(sys.modules); "
             "import rayvision_installer.cli, rayvision_installer.bundle; "
             "print(sorted(m for m in set(sys.modules) - before "
             "if m.split('.')[0] in ('rayvision_dcc', 'requests', 'keyring', 'Qt')))")
    result = subprocess.run([sys.executable, "-S", "-c", probe.format(kit.INSTALLER)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            universal_newlines=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


@pytest.fixture
def bundle(tmp_path, payload, wheelhouses):
    """An unpacked bundle: installer, host packages, wheels for Linux."""
    root = tmp_path / "rayvision-dcc-bundle"
    shutil.copytree(payload, str(root))
    shutil.copytree(wheelhouses["linux"], str(root / "wheels"))
    return root


def run_script(python, bundle, home, *argv):
    env = {"HOME": str(home), "PATH": os.environ.get("PATH", ""), "LANG": "C.UTF-8"}
    return subprocess.run([python, str(bundle / "installer" / "install.py")] + list(argv),
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env,
                          universal_newlines=True, timeout=240, cwd=str(bundle))


def test_install_py_from_a_bundle_on_python_37(bundle, tmp_path):
    if not os.path.isfile(kit.PYTHON37):
        pytest.skip("no .venv37 (Python 3.7) on this machine")
    home = kit.make_home(str(tmp_path / "home"), "linux", maya=("2022",), blender=("4.5",))
    result = run_script(kit.PYTHON37, bundle, home)
    assert result.returncode == 0, result.stdout
    assert "Maya 2022: installed" in result.stdout
    assert "Blender 4.5: installed" in result.stdout
    assert os.path.isfile(os.path.join(home, "maya", "modules", "rayvision_dcc", "site-packages",
                                       "py37", "rayvision_dcc", "__init__.py"))
    result = run_script(kit.PYTHON37, bundle, home)
    assert "Maya 2022: unchanged" in result.stdout
    result = run_script(kit.PYTHON37, bundle, home, "uninstall")
    assert result.returncode == 0, result.stdout
    assert "Maya 2022: removed" in result.stdout
    assert not os.path.exists(os.path.join(home, "maya", "modules"))


def test_rayvision_dcc_install_and_uninstall(bundle, tmp_path, monkeypatch, capsys):
    """The CLI subcommands run the same installer with the same options."""
    from rayvision_dcc.cli import main
    home = kit.make_home(str(tmp_path / "home2"), "linux", blender=("4.5",))
    monkeypatch.setenv("HOME", home)
    monkeypatch.delenv("XDG_CONFIG_HOME")
    monkeypatch.delenv("BLENDER_USER_RESOURCES")
    code = main(["install", "--host", "blender", "--wheels", str(bundle / "wheels")])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "Blender 4.5: installed" in out
    assert os.path.isdir(os.path.join(home, ".config", "blender", "4.5", "scripts", "addons",
                                      "rayvision_blender", "site-packages", "rayvision_dcc"))
    assert main(["uninstall", "--host", "blender"]) == 0
    assert "Blender 4.5: removed" in capsys.readouterr().out
    code = main(["install", "--wheels", str(tmp_path / "none")])
    err = capsys.readouterr().err
    assert code == 1 and "no packages for the hosts' Pythons" in err


def test_the_real_process_list_sees_a_running_program():
    """The list the running-host check reads (here Linux's /proc) names real programs."""
    if not sys.platform.startswith("linux"):
        pytest.skip("the Linux process list")
    from rayvision_installer.system import System, list_processes
    found = list_processes("linux")
    assert (os.getpid(), os.path.basename(sys.executable)) in found or \
        any(pid == os.getpid() for pid, _name in found)
    sleeper = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"],
                               stdin=subprocess.PIPE)
    try:
        name = os.path.basename(sys.executable)
        seen = System(platform="linux").running([name])
        assert sleeper.pid in [pid for pid, _name in seen]
    finally:
        sleeper.stdin.close()
        sleeper.wait(timeout=30)


def test_process_lists_of_windows_and_macos_are_read():
    from rayvision_installer.system import parse_ps, parse_tasklist
    tasklist = ('"System Idle Process","0","Services","0","8 K"\n'
                '"maya.exe","4312","Console","1","1,812,044 K"\n'
                '"3dsmax.exe","977","Console","1","912,000 K"\n')
    assert parse_tasklist(tasklist) == [(0, "System Idle Process"), (4312, "maya.exe"),
                                        (977, "3dsmax.exe")]
    ps = ("    1 /sbin/launchd\n"
          "  812 /Applications/Autodesk/maya2024/Maya.app/Contents/MacOS/Maya\n"
          "  913 /Applications/Blender.app/Contents/MacOS/Blender\n")
    assert parse_ps(ps) == [(1, "launchd"), (812, "Maya"), (913, "Blender")]
