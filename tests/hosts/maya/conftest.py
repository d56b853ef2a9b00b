"""Fixtures of the Maya plugin tests: the fake Maya (maya_fake.py) in sys.modules, the
plugin's ``scripts`` folder on sys.path, and scene descriptions with files on disk."""
from __future__ import annotations

import os
import sys

import pytest

from maya_fake import SCRIPTS, FakeMaya, touch


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


def scene(folder, **changes):
    """A Maya scene description: an Arnold scene in ``folder`` (a project with
    ``scenes/shot.ma``), two cameras, frames 1-10; ``changes`` replace top-level keys,
    ``nodes`` are added to the defaults."""
    folder = str(folder)
    path = touch(os.path.join(folder, "scenes", "shot.ma"), b"//Maya ASCII 2022 scene\n")
    description = {
        "path": path.replace("\\", "/"), "modified": False, "version": "2022",
        "workspace": folder.replace("\\", "/"), "file_rules": {"images": "images"},
        "plugins": {"mtoa": "5.1.0"}, "in_use": ["mtoa"], "unknown_plugins": [],
        "render_setup": {"layers": []},
        "nodes": {
            "defaultRenderGlobals": {"attrs": {"currentRenderer": "arnold",
                                               "imageFilePrefix": "<RenderLayer>/<Scene>"}},
            "defaultResolution": {"attrs": {"width": 1280, "height": 720}},
            "defaultArnoldDriver": {"type": "aiAOVDriver", "attrs": {"aiTranslator": "exr"}},
            "shotCamShape": {"type": "camera", "attrs": {"renderable": True}},
        },
    }
    nodes = changes.pop("nodes", {})
    description.update(changes)
    description["nodes"].update(nodes)
    return description


@pytest.fixture
def make_scene(tmp_path):
    def make(**changes):
        return scene(tmp_path / "proj", **changes)
    return make


@pytest.fixture
def project(tmp_path):
    return str(tmp_path / "proj").replace("\\", "/")
