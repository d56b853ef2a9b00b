"""Fixtures of the Maya plugin tests: the fake Maya (maya_fake.py) in sys.modules, the
plugin's ``scripts`` folder on sys.path, and scene descriptions with files on disk."""
from __future__ import annotations

import os
import sys

import pytest

from maya_fake import SCRIPTS, FakeMaya
from maya_scenes import scene


def pytest_configure(config):
    # pytest-qt's QApplication is made before tests/conftest.py's per-test isolation runs
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _forget_plugin():
    for name in list(sys.modules):
        if name == "rayvision_maya" or name.startswith("rayvision_maya.") or name == "userSetup":
            del sys.modules[name]


@pytest.fixture
def maya_session(monkeypatch):
    """``maya_session(scene=None, **options)`` -> a FakeMaya installed as ``maya.*``; the
    plugin is imported afresh in each test (its modules bind ``maya.cmds`` at import)."""
    monkeypatch.syspath_prepend(SCRIPTS)
    made = []

    def make(scene=None, **options):
        fake = FakeMaya(scene or {}, **options)
        fake.install()
        _forget_plugin()
        made.append(fake)
        return fake

    yield make
    if "rayvision_dcc.ui.panel" in sys.modules:
        sys.modules["rayvision_dcc.ui.panel"].close_panels()
    adapter = sys.modules.get("rayvision_maya.adapter")
    if adapter is not None:
        from rayvision_dcc.hosts import deregister_host
        deregister_host(adapter.MayaAdapter)
    for fake in made:
        fake.uninstall()
    _forget_plugin()


@pytest.fixture
def make_scene(tmp_path):
    def make(**changes):
        return scene(tmp_path / "proj", **changes)
    return make


@pytest.fixture
def project(tmp_path):
    return str(tmp_path / "proj").replace("\\", "/")
