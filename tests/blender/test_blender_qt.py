"""'Open the Full Panel' inside bpy: the shared SubmitPanel under QT_QPA_PLATFORM=offscreen,
driven by the add-on's event timer; a PySide6 that does not load gives a message."""
import os
import subprocess
import sys

import pytest

bpy = pytest.importorskip("bpy")

pytestmark = [pytest.mark.bpy, pytest.mark.py311]

#: A Blender session whose PySide6 is broken the way two add-ons' copies break it: a
#: shiboken6 of another version found first on sys.path.
BROKEN = r"""
import os, sys
shadow = sys.argv[1]
os.makedirs(os.path.join(shadow, "shiboken6"))
with open(os.path.join(shadow, "shiboken6", "__init__.py"), "w") as handle:
    handle.write("__version__ = '6.0.0'\n")
sys.path.insert(0, shadow)
import bpy, addon_utils
sys.path.insert(0, sys.argv[2])
addon_utils.enable("rayvision_blender", default_set=True, handle_error=None)
from rayvision_blender import qtpanel
print("@@RESULT@@" + str(sorted(bpy.ops.rayvision.open_panel())))
print("@@NATIVE@@" + str(hasattr(bpy.types, "RAYVISION_OT_submit")))
print("@@QT_LOADED@@" + str("PySide6.QtWidgets" in sys.modules))
"""


def test_a_broken_pyside6_gives_a_message_and_the_tool_stays(tmp_path):
    pytest.importorskip("PySide6")
    env = dict(os.environ, BLENDER_USER_RESOURCES=str(tmp_path / "user"))
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    done = subprocess.run([sys.executable, "-c", BROKEN, str(tmp_path / "shadow"),
                           os.path.join(root, "blender")], stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, universal_newlines=True, env=env,
                          timeout=300)
    out = done.stdout
    assert done.returncode == 0, out[-3000:]
    assert "@@RESULT@@['CANCELLED']" in out, out[-3000:]
    warning = [line for line in out.splitlines() if line.startswith("Warning: The full panel")]
    assert warning and "does not load here" in warning[0] and "Render Farm tab" in warning[0]
    assert "@@NATIVE@@True" in out and "@@QT_LOADED@@False" in out


def test_the_full_panel_opens_and_submits_inside_bpy(addon, farm, tmp_path, monkeypatch):
    pytest.importorskip("PySide6")
    from blendscenes import blender_env, render_scene
    from bpyguard import install
    from farmsupport import store_sign_in, wait_until
    from rayvision_blender import qtpanel
    violations = install([module for name, module in sorted(sys.modules.items())
                          if name.startswith("rayvision_blender")], bpy, monkeypatch)
    blender_env(farm, default=True)
    store_sign_in(farm)
    blend = render_scene(tmp_path / "proj")
    assert qtpanel.open_panel(client_factory=farm.client_factory()) == ""
    try:
        panel = qtpanel.open_panels()[0]
        assert panel.isVisible() and bpy.app.timers.is_registered(qtpanel.process)

        def pumped(predicate):
            def check():
                assert qtpanel.process() is not None  # the add-on's timer keeps running
                return predicate()
            return check
        wait_until(pumped(lambda: panel.signed_in and panel.validation is not None
                          and not panel.checking()), timeout=120, message="the panel's check")
        assert panel.scene.scene_path == blend
        assert [dep.kind for dep in panel.scene.dependencies] == ["image"]
        assert not panel.validation.has_errors, panel.validation.issues
        done = []
        panel.submitted.connect(done.append)
        panel.submit_failed.connect(done.append)
        assert panel.submit() is not None
        wait_until(pumped(lambda: done), timeout=120, message="the submission")
        assert hasattr(done[0], "task_id"), done[0]
        items = farm.client().task_info([done[0].task_id])
        assert items, "the farm does not know the task"
        bpy.ops.wm.read_homefile(use_empty=True)  # another file: the panel goes
        assert qtpanel.open_panels() == []
        assert not bpy.app.timers.is_registered(qtpanel.process)
    finally:
        qtpanel.close()
    assert violations == []


def test_disabling_the_add_on_closes_the_full_panel(addon, tmp_path):
    pytest.importorskip("PySide6")
    import addon_utils
    from blendscenes import render_scene
    from rayvision_blender import qtpanel
    render_scene(tmp_path / "proj")
    assert qtpanel.open_panel(client_factory=lambda **kw: None) == ""
    assert len(qtpanel.open_panels()) == 1
    addon_utils.disable("rayvision_blender", default_set=True, handle_error=None)
    try:
        assert qtpanel.open_panels() == []
        assert not bpy.app.timers.is_registered(qtpanel.process)
    finally:
        addon_utils.enable("rayvision_blender", default_set=True, handle_error=None)
