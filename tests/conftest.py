"""Fixtures for the whole suite.

Every test runs as a new user on a clean machine: HOME, the XDG folders, APPDATA and
LOCALAPPDATA point into the test's tmp folder, no RAYVISION_* setting leaks in from the
developer's shell, the OS keyring is the "no backend" one (as on CI), Qt is offscreen and
bpy writes its user files into tmp. All through monkeypatch, so nothing is set at import
and everything is undone after each test.
"""
import os

import pytest

#: Test-harness variables (not user settings) that must survive the isolation:
#: the Makefile's 3.7 run points the local farm at .venv's Python 3.11 with it.
KEEP_ENV = ("RAYVISION_FARM_PYTHON",)


@pytest.fixture(autouse=True)
def isolated_user(tmp_path, monkeypatch):
    """A fresh user: returns the fake home folder."""
    home = tmp_path / "home"
    paths = {
        "HOME": home,
        "USERPROFILE": home,
        "XDG_CONFIG_HOME": home / ".config",
        "XDG_DATA_HOME": home / ".local" / "share",
        "XDG_CACHE_HOME": home / ".cache",
        "APPDATA": home / "AppData" / "Roaming",
        "LOCALAPPDATA": home / "AppData" / "Local",
        "BLENDER_USER_RESOURCES": tmp_path / "blender-user",
    }
    for name, path in paths.items():
        path.mkdir(parents=True, exist_ok=True)
        monkeypatch.setenv(name, str(path))
    for name in list(os.environ):
        if name.startswith("RAYVISION_") and name not in KEEP_ENV:
            monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    # Never touch the developer's real keyring; CI has no backend either.
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    return home


@pytest.fixture
def farm(tmp_path):
    """A local farm on port 0 for one test (tests/farmsupport.py says how it runs)."""
    from farmsupport import start_farm
    handle = start_farm(tmp_path / "farm")
    try:
        yield handle
    finally:
        handle.stop()
