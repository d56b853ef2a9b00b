"""The panel never makes a second task silently: it asks about an unfinished submission
and about an unusual frame list."""
from __future__ import annotations

from Qt import QtCore

from test_panel import WAIT, type_into, wait_signed_in


def test_an_unfinished_submission_is_resumed_when_the_user_says_so(qtbot, signed_in, open_panel,
                                                                   scene_factory, recorder):
    panel = open_panel(scene_factory(textures=200, size=16 * 1024))
    wait_signed_in(qtbot, panel)
    stopped = []

    def stop_at_submit(text):
        if text.phase == "Uploading files" and not stopped:
            stopped.append(True)
            qtbot.mouseClick(panel.actions.cancel_button, QtCore.Qt.LeftButton)
    panel.progressed.connect(stop_at_submit)
    with qtbot.waitSignal(panel.submit_failed, timeout=60000):
        qtbot.mouseClick(panel.actions.submit_button, QtCore.Qt.LeftButton)
    panel.progressed.disconnect(stop_at_submit)
    assert "submitTask" not in recorder.operations()
    qtbot.waitUntil(lambda: panel.actions.submit_button.isEnabled(), timeout=WAIT)

    questions = []

    def answer(title, text, choices):
        questions.append((title, text, [key for key, _label in choices]))
        return "resume"
    panel.ask = answer
    with qtbot.waitSignal(panel.submitted, timeout=60000) as done:
        qtbot.mouseClick(panel.actions.submit_button, QtCore.Qt.LeftButton)
    assert questions and questions[0][2] == ["resume", "new"]
    assert "unfinished submission" in questions[0][1]
    assert recorder.operations().count("createTask") == 1
    assert done.args[0].task_id


def test_a_frame_list_far_from_the_scene_is_confirmed_first(qtbot, signed_in, open_panel,
                                                            scene_factory, recorder):
    panel = open_panel(scene_factory(textures=1))
    wait_signed_in(qtbot, panel)
    type_into(qtbot, panel.form.frames_edit, "90000-90001")
    qtbot.waitUntil(lambda: panel.actions.submit_button.isEnabled(), timeout=WAIT)
    asked = []
    panel.ask = lambda title, text, choices: asked.append(text) or None  # Cancel
    qtbot.mouseClick(panel.actions.submit_button, QtCore.Qt.LeftButton)
    assert asked and "far outside" in asked[0]
    assert not panel.workers.is_busy("submit") and "createTask" not in recorder.operations()
    panel.ask = lambda title, text, choices: "submit"
    with qtbot.waitSignal(panel.submitted, timeout=60000):
        qtbot.mouseClick(panel.actions.submit_button, QtCore.Qt.LeftButton)
