"""The macroscript's action in a (fake) 3ds Max: the shared panel on the Max adapter, over
Max's main window, one per session, submitting to the local farm (Qt offscreen)."""
from __future__ import annotations

import os

import pytest
from Qt import QtCore, QtCompat

from farmsupport import read_job_file, store_sign_in
from test_max_scene_query import make_scene

WAIT = 20000


@pytest.fixture
def signed_in(farm):
    return store_sign_in(farm)


@pytest.fixture
def open_in_max(qtbot):
    """``open_in_max(fake, client_factory)``: what the macroscript runs; closes the panels."""
    import rayvision_max
    from rayvision_dcc.ui import close_panels
    opened = []

    def open_(fake, client_factory):
        panel = rayvision_max.open_panel(client_factory=client_factory, poll_interval=0.3)
        qtbot.addWidget(fake.main_window)
        opened.append(panel)
        return panel

    yield open_
    for panel in opened:
        try:
            panel.shutdown(10000)
        except RuntimeError:  # already closed and deleted by a newer panel
            pass
    close_panels()


def max_scene(tmp_path, **changes):
    """A small Max 2022 scene (the farm's seeded environment is 3ds Max 2022)."""
    scene = make_scene(tmp_path, version=2022, **changes)
    scene["time"] = {"type": 3, "range": [0, 10], "start": 1, "end": 3, "nth": 1}
    return scene


def test_the_macro_opens_one_modeless_panel_over_max(qtbot, max_session, tmp_path, farm,
                                                     open_in_max):
    fake = max_session(max_scene(tmp_path, dirty=True))
    panel = open_in_max(fake, farm.client_factory())
    assert QtCompat.getCppPointer(panel.parentWidget()) == QtCompat.getCppPointer(
        fake.main_window)
    assert panel.isVisible() and not panel.isModal() and panel.isWindow()
    assert fake.accelerators == [(panel, True)]  # Max's shortcuts off while typing in it
    assert panel.adapter.cg_id == "2001"
    import rayvision_max
    assert rayvision_max.open_panel() is panel  # a second click raises the same panel
    assert fake.accelerators == [(panel, True)]  # and guards it once
    assert panel.form.save_first.isVisible()  # unsaved changes: saved before submit
    qtbot.waitUntil(lambda: panel._scanned, timeout=WAIT)
    assert panel.scene.renderer == "vray"
    names = sorted(os.path.basename(dep.path) for dep in panel.scene.dependencies)
    assert names == ["env.max", "lamp.ies", "props.max", "smoke.abc", "tree.vrmesh",
                     "wood.png"]


def test_a_scene_max_cannot_fully_read_still_opens_the_panel(qtbot, max_session, tmp_path,
                                                            farm, open_in_max):
    scene = max_scene(tmp_path, renderer="Quicksilver_Hardware_Renderer",
                      broken=["elements", "xref_objects:1"])
    scene["assets"].append(str(tmp_path / "proj" / "tex" / "gone.png"))
    fake = max_session(scene)
    panel = open_in_max(fake, farm.client_factory())
    qtbot.waitUntil(lambda: panel._scanned and panel.validation is not None, timeout=WAIT)
    texts = " | ".join(issue.text for issue in panel.validation.issues)
    assert "Quicksilver_Hardware_Renderer" in texts
    assert "render elements" in texts and "XRef object record 1" in texts
    assert "gone.png" in texts


def test_submit_from_max_to_the_farm(qtbot, max_session, tmp_path, signed_in, open_in_max):
    scene = max_scene(tmp_path, dirty=True)
    fake = max_session(scene)
    panel = open_in_max(fake, signed_in.client_factory())
    qtbot.waitUntil(lambda: panel.signed_in and panel.validation is not None
                    and not panel.checking(), timeout=WAIT)
    env = panel.form.env_choice.env(panel.form.env_combo.currentIndex())
    assert (env["cgName"], env["cgVersion"]) == ("3ds Max", "2022")
    qtbot.waitUntil(lambda: panel.actions.submit_button.isEnabled(), timeout=WAIT)
    with qtbot.waitSignal(panel.submitted, timeout=60000) as done:
        qtbot.mouseClick(panel.actions.submit_button, QtCore.Qt.LeftButton)
    assert fake.saved == [scene["file"]]  # saved first, by Max, on the main thread
    ref = done.args[0]
    task = read_job_file(ref)
    assert task["task_info"]["cg_id"] == "2001"
    assert task["software_config"]["cg_name"] == "3ds Max"
    assert task["software_config"]["cg_version"] == "2022"
    common = task["scene_info_render"]["common"]
    assert (common["frames"], common["renderable_camera"]) == ("1-3[1]", ["CamB"])
    assert task["scene_info_render"]["renderer"]["renderer_orign"] == "V_Ray_6"
    uploaded = [os.path.basename(item["local"]) for item in read_job_file(ref, "upload.json")["asset"]]
    assert uploaded[0] == "shot.max"
    assert sorted(uploaded[1:]) == ["env.max", "lamp.ies", "props.max", "smoke.abc",
                                    "tree.vrmesh", "wood.png"]


def test_the_panel_proposes_max_s_pickup_frames(qtbot, max_session, tmp_path, farm,
                                                open_in_max):
    scene = max_scene(tmp_path)
    scene["time"] = {"type": 4, "range": [0, 100], "pickup": "1,3,5-12"}
    panel = open_in_max(max_session(scene), farm.client_factory())
    assert panel.form.frames_edit.text() == "1,3,5-12[1]"


def test_max_shortcuts_are_off_in_the_sign_in_dialog_too(qtbot, max_session, tmp_path, farm,
                                                         open_in_max):
    fake = max_session(max_scene(tmp_path))
    panel = open_in_max(fake, farm.client_factory())
    dialog = panel.open_sign_in()
    qtbot.waitUntil(dialog.isVisible, timeout=WAIT)
    assert [widget for widget, disable in fake.accelerators if disable] == [panel, dialog]
    dialog.close()
    again = panel.open_sign_in()
    qtbot.waitUntil(again.isVisible, timeout=WAIT)
    assert len(fake.accelerators) == 3 and fake.accelerators[-1] == (again, True)


def test_the_macro_after_file_open_shows_the_new_scene(qtbot, max_session, tmp_path, farm,
                                                       open_in_max):
    fake = max_session(max_scene(tmp_path))
    first = open_in_max(fake, farm.client_factory())
    other = tmp_path / "proj" / "other.max"
    other.write_bytes(b"max")
    fake.scene["file"] = str(other)  # File > Open in 3ds Max
    second = open_in_max(fake, farm.client_factory())
    assert second is not first and second.scene.scene_path == str(other)
    assert second.form.project_edit.text() == "other"
    assert [widget for widget, _disable in fake.accelerators] == [first, second]
    qtbot.waitUntil(lambda: not first.isVisible(), timeout=WAIT)
