"""The Submit button in a (fake) Maya: the shared panel on the Maya adapter, parented to
Maya's main window, one per session, submitting to the local farm (Qt offscreen)."""
from __future__ import annotations

import os

import pytest
from Qt import QtCore, QtCompat, QtWidgets

from farmsupport import read_job_file, store_sign_in
from maya_fake import touch

WAIT = 20000


@pytest.fixture
def maya_window(qtbot):
    window = QtWidgets.QMainWindow()
    window.setObjectName("MayaWindow")
    qtbot.addWidget(window)
    return window


@pytest.fixture
def signed_in_farm(farm):
    return store_sign_in(farm)


def small_scene(make_scene, project, **changes):
    for frame in (1, 2, 3):
        touch(os.path.join(project, "tex", "fire.{:04d}.png".format(frame)), os.urandom(512))
    scene = make_scene(
        render_setup={"layers": [{"name": "fxLayer", "renderable": True, "collections": [
            {"name": "rs", "type": "renderSettingsCollection", "overrides": [
                {"attribute": "startFrame", "value": 2.0},
                {"attribute": "endFrame", "value": 3.0}]}]}]},
        nodes={"file1": {"type": "file", "attrs": {
            "fileTextureName": "tex/fire.0001.png", "useFrameExtension": True}}},
        **changes)
    scene["nodes"]["defaultRenderGlobals"]["attrs"]["endFrame"] = 3.0
    return scene


def open_in_maya(fake, maya_window, client_factory):
    fake.main_window_pointer = QtCompat.getCppPointer(maya_window)
    fake.run_idle()
    import rayvision_maya
    return rayvision_maya.open_panel(client_factory=client_factory)


def wait_ready(qtbot, panel):
    qtbot.waitUntil(lambda: panel.signed_in and panel.validation is not None
                    and not panel.checking(), timeout=WAIT)


def test_the_button_opens_one_panel_on_maya_s_main_window(qtbot, maya_session, make_scene,
                                                          project, maya_window, farm):
    fake = maya_session(small_scene(make_scene, project, modified=True))
    panel = open_in_maya(fake, maya_window, farm.client_factory())
    qtbot.addWidget(panel)
    assert QtCompat.getCppPointer(panel.parentWidget()) == QtCompat.getCppPointer(maya_window)
    assert panel.isVisible() and not panel.isModal()
    assert panel.adapter.cg_id == "2000"
    import rayvision_maya
    assert rayvision_maya.open_panel() is panel  # a second press raises the same panel
    assert panel.form.save_first.isVisible()  # unsaved changes: saved before submit
    qtbot.waitUntil(lambda: panel._scanned, timeout=WAIT)
    assert panel.scene.renderer == "arnold"
    names = sorted(os.path.basename(dep.path) for dep in panel.scene.dependencies)
    assert names == ["fire.0001.png", "fire.0002.png", "fire.0003.png"]
    # unload closes it
    rayvision_maya.unload()
    qtbot.waitUntil(lambda: not panel.isVisible(), timeout=WAIT)


def test_a_scene_maya_cannot_fully_read_still_opens_the_panel(qtbot, maya_session, make_scene,
                                                             project, maya_window, farm):
    scene = small_scene(make_scene, project, unknown_plugins=["redshift4maya"], plugins={},
                        in_use=[])
    del scene["nodes"]["defaultArnoldDriver"]
    scene["nodes"]["rsProxy"] = {"type": "unknown", "plugin": "redshift4maya",
                                 "real_type": "RedshiftProxyMesh"}
    scene["nodes"]["lostRN"] = {"type": "reference", "file": "", "broken": True}
    fake = maya_session(scene)
    panel = open_in_maya(fake, maya_window, farm.client_factory())
    qtbot.addWidget(panel)
    qtbot.waitUntil(lambda: panel._scanned and panel.validation is not None, timeout=WAIT)
    texts = " | ".join(issue.text for issue in panel.validation.issues)
    assert "redshift4maya" in texts and "lostRN is broken" in texts
    assert "mtoa is not loaded" in texts


def test_submit_from_maya_to_the_farm(qtbot, maya_session, make_scene, project, maya_window,
                                      signed_in_farm):
    fake = maya_session(small_scene(make_scene, project, modified=True))
    panel = open_in_maya(fake, maya_window, signed_in_farm.client_factory())
    qtbot.addWidget(panel)
    wait_ready(qtbot, panel)
    env = panel.form.env_choice.env(panel.form.env_combo.currentIndex())
    assert env["cgVersion"] == "2022"  # the scene's Maya version
    # the farm's default Maya env has no plug-ins: what the scene's renderer misses is said
    missing = [issue for issue in panel.validation.issues if "has no mtoa" in issue.text]
    assert len(missing) == 1 and missing[0].severity == "warning"
    qtbot.waitUntil(lambda: panel.actions.submit_button.isEnabled(), timeout=WAIT)
    with qtbot.waitSignal(panel.submitted, timeout=60000) as done:
        qtbot.mouseClick(panel.actions.submit_button, QtCore.Qt.LeftButton)
    assert fake.saved == [project + "/scenes/shot.ma"]  # saved first, on the main thread
    ref = done.args[0]
    task = read_job_file(ref)
    assert task["task_info"]["cg_id"] == "2000"
    assert task["software_config"]["cg_name"] == "Maya"
    assert task["software_config"]["cg_version"] == "2022"
    render = task["scene_info_render"]
    assert render["fxLayer"]["common"]["frames"] == "2-3[1]"
    assert render["defaultRenderLayer"]["common"]["frames"] == "1-3[1]"
    uploaded = [item["local"] for item in read_job_file(ref, "upload.json")["asset"]]
    assert uploaded[0] == project + "/scenes/shot.ma"
    assert sorted(os.path.basename(path) for path in uploaded[1:]) == [
        "fire.0001.png", "fire.0002.png", "fire.0003.png"]
