"""Fixtures of the local farm tests: an isolated home, and a started in-process farm."""
from __future__ import annotations

import os

import pytest

from farm_kit import ALICE, BOB

HERE = os.path.dirname(os.path.abspath(__file__))


def pytest_collection_modifyitems(config, items):
    """Every local farm test needs Python 3.11 (the farm runs in the test process)."""
    for item in items:
        if str(item.path).startswith(HERE):
            item.add_marker(pytest.mark.py311)


@pytest.fixture(autouse=True)
def farm_isolation(tmp_path, monkeypatch):
    """Nothing of the farm or of bpy may write into the real home."""
    home = tmp_path / "home"
    for name, path in (("HOME", home), ("XDG_CONFIG_HOME", home / ".config"),
                       ("XDG_DATA_HOME", home / ".local" / "share"),
                       ("XDG_CACHE_HOME", home / ".cache"),
                       ("BLENDER_USER_RESOURCES", tmp_path / "blender-user")):
        path.mkdir(parents=True, exist_ok=True)
        monkeypatch.setenv(name, str(path))
    for name in list(os.environ):
        if name.startswith("RAYVISION_") and name != "RAYVISION_FARM_PYTHON":
            monkeypatch.delenv(name, raising=False)


@pytest.fixture
def make_farm(tmp_path):
    """``make_farm(**options)``: a started LocalFarm (users alice and bob), stopped after."""
    from rayvision_dcc.localfarm import LocalFarm

    farms = []

    def make(data_dir=None, **options):
        options.setdefault("users", [ALICE, BOB])
        options.setdefault("standin_seconds", 0.02)
        farm = LocalFarm(str(data_dir or tmp_path / "farm"), **options)
        farm.start()
        farms.append(farm)
        return farm

    yield make
    for farm in farms:
        farm.stop()


@pytest.fixture
def farm(make_farm):
    """A started local farm in this process with two users, alice (0) and bob (1)."""
    return make_farm()


@pytest.fixture(params=["v1", "v2"])
def api_version(request):
    return request.param


@pytest.fixture
def client(farm, api_version):
    """A RenderClient of alice for each API version."""
    with farm.client(api_version, retry_backoff=0.01) as c:
        yield c
