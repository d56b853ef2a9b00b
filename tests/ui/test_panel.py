"""The panel driven as a user would, against a local farm (Qt offscreen)."""
from __future__ import annotations

import os
import threading

from Qt import QtCore, QtWidgets

WAIT = 15000


def wait_signed_in(qtbot, panel):
    """Until the account is read and a check made with its render environment finished."""
    def ready():
        return panel.signed_in and panel.validation is not None and not panel.checking()
    qtbot.waitUntil(ready, timeout=WAIT)


def type_into(qtbot, line_edit, text):
    line_edit.selectAll()
    qtbot.keyClick(line_edit, QtCore.Qt.Key_Delete)
    qtbot.keyClicks(line_edit, text)


def set_camera(panel, name, checked):
    for row in range(panel.form.camera_list.count()):
        item = panel.form.camera_list.item(row)
        if item.text() == name:
            item.setCheckState(QtCore.Qt.Checked if checked else QtCore.Qt.Unchecked)
            return
    raise AssertionError("no camera " + name)


def test_frames_are_checked_as_typed_and_errors_disable_submit(qtbot, signed_in, open_panel,
                                                              scene_factory):
    panel = open_panel(scene_factory())
    wait_signed_in(qtbot, panel)
    form = panel.form
    assert form.frames_edit.text() == "1-3[1]" and form.frames_status.text() == "3 frames"
    qtbot.waitUntil(lambda: panel.actions.submit_button.isEnabled(), timeout=WAIT)

    type_into(qtbot, panel.form.frames_edit, "1-10[2],20-")
    assert "bad frame item" in panel.form.frames_status.text()
    assert panel.form.frames_status.property("state") == "error"
    assert not panel.actions.submit_button.isEnabled()
    assert "fix the frame list" in panel.actions.blockers_label.text()

    type_into(qtbot, panel.form.frames_edit, "1-10[2],20")
    assert panel.form.frames_status.text() == "6 frames"
    qtbot.waitUntil(lambda: panel.actions.submit_button.isEnabled(), timeout=WAIT)


def test_account_envs_and_hardware_come_from_the_farm(qtbot, signed_in, open_panel,
                                                      scene_factory):
    panel = open_panel(scene_factory())
    wait_signed_in(qtbot, panel)
    assert "balance" in panel.account.account_label.text()
    assert panel.form.env_combo.count() >= 1 and panel.form.env_combo.isEnabled()
    env = panel.form.env_choice.env(panel.form.env_combo.currentIndex())
    assert env == panel.form.env_choice.envs[panel.form.env_choice.default_index]
    assert panel.form.hardware_combo.count() == 3
    assert "64GB" in panel.form.hardware_combo.currentText()
    assert panel.account.platform_combo.isVisible() and panel.account.platform_combo.count() >= 1
    assert panel.form.renderer_label.text() == "arnold"
    assert panel.form.resolution_label.text() == "64 x 48"


def test_missing_files_are_listed_block_submit_and_can_be_ignored(qtbot, signed_in, open_panel,
                                                                  scene_factory):
    panel = open_panel(scene_factory(missing=("gone.png",)))
    wait_signed_in(qtbot, panel)
    assert panel.validation.has_errors and not panel.actions.submit_button.isEnabled()
    item = panel.checks.issue_list.topLevelItem(0)
    assert "gone.png" in item.text(0) and item.childCount() == 1  # what to do, underneath
    panel.checks.issue_list.setCurrentItem(item)
    assert panel.checks.ignore_button.isEnabled()
    with qtbot.waitSignal(panel.checked, timeout=WAIT):
        qtbot.mouseClick(panel.checks.ignore_button, QtCore.Qt.LeftButton)
    qtbot.waitUntil(lambda: not panel.validation.has_errors, timeout=WAIT)
    assert panel.actions.submit_button.isEnabled()
    assert "gone.png" in panel.checks.issue_list.topLevelItem(0).text(0)  # now a warning


def test_sign_in_checks_the_keys_and_never_shows_the_key(qtbot, farm, open_panel, scene_factory):
    panel = open_panel(scene_factory())
    qtbot.waitUntil(lambda: getattr(panel, "sign_in_dialog", None) is not None
                    and panel.sign_in_dialog.isVisible(), timeout=WAIT)
    assert panel.account.account_label.text() == "Not signed in"
    assert not panel.actions.submit_button.isEnabled()
    dialog = panel.sign_in_dialog
    access_id, access_key = farm.users[0]
    qtbot.keyClicks(dialog.access_id, access_id)
    qtbot.keyClicks(dialog.access_key, "wrong-" + access_key)
    qtbot.mouseClick(dialog.sign_in_button, QtCore.Qt.LeftButton)
    qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=WAIT)
    shown = " ".join([dialog.error.message.text(), dialog.error.hint.text(),
                      dialog.error.details.toPlainText()])
    assert "611" in shown or "signature" in shown.lower()
    assert access_key not in shown and not dialog.error.details.isVisible()

    dialog.access_key.clear()
    qtbot.keyClicks(dialog.access_key, access_key)
    with qtbot.waitSignal(panel.session_opened, timeout=WAIT) as opened:
        qtbot.mouseClick(dialog.sign_in_button, QtCore.Qt.LeftButton)
    assert opened.args == [True]
    assert "balance" in panel.account.account_label.text()
    assert panel.account.sign_in_button.text() == "Switch account..."
    from rayvision_dcc.api.config import CredentialStore, read_config
    assert read_config()["access_id"] == access_id and "access_key" not in read_config()
    assert CredentialStore().get(access_id) == access_key


def test_submit_shows_progress_and_the_task_then_the_monitor(qtbot, signed_in, open_panel,
                                                             scene_factory, recorder):
    scene = scene_factory(textures=20, size=64 * 1024)
    panel = open_panel(scene)
    wait_signed_in(qtbot, panel)
    set_camera(panel, "shotCamShape", False)
    set_camera(panel, "perspShape", True)
    type_into(qtbot, panel.form.frames_edit, "1-2")
    type_into(qtbot, panel.form.labels_edit, "lookdev, shot01")
    qtbot.waitUntil(lambda: panel.actions.submit_button.isEnabled(), timeout=WAIT)
    phases = []
    panel.progressed.connect(lambda text: phases.append(text.phase))
    with qtbot.waitSignal(panel.submitted, timeout=60000) as done:
        qtbot.mouseClick(panel.actions.submit_button, QtCore.Qt.LeftButton)
        assert not panel.actions.submit_button.isEnabled()
        assert panel.actions.cancel_button.isEnabled()
    task_id = done.args[0].task_id
    assert "Uploading files" in phases and phases[-1] == "Submitted"
    assert panel.actions.task_id_field.text() == str(task_id) and panel.actions.task_row.isVisible()
    panel.actions.copy_task_id()
    assert QtWidgets.QApplication.clipboard().text() == str(task_id)
    assert panel.tabs.currentWidget() is panel.monitor
    assert not panel.actions.cancel_button.isEnabled()
    assert recorder.operations().count("submitTask") == 1

    monitor = panel.monitor
    qtbot.waitUntil(lambda: task_id in monitor.rows and monitor.selected_ids() == [task_id],
                    timeout=WAIT)
    qtbot.waitUntil(lambda: monitor.frames_view.topLevelItemCount() >= 2, timeout=WAIT)
    assert monitor.rows[task_id].total == 2

    # what was chosen is remembered for this scene
    again = open_panel(scene)
    wait_signed_in(qtbot, again)
    qtbot.waitUntil(lambda: again.form.frames_edit.text() == "1-2", timeout=WAIT)
    assert again.form.checked_cameras() == ["perspShape"]
    assert again.form.labels_edit.text() == "lookdev, shot01"


def test_cancel_really_stops_the_upload(qtbot, signed_in, open_panel, scene_factory, recorder,
                                        tmp_path):
    scene = scene_factory(textures=400, size=32 * 1024)
    panel = open_panel(scene)
    wait_signed_in(qtbot, panel)
    seen = []

    def on_progress(text):
        seen.append(text)
        if text.phase == "Uploading files" and panel.actions.cancel_button.isEnabled():
            qtbot.mouseClick(panel.actions.cancel_button, QtCore.Qt.LeftButton)

    panel.progressed.connect(on_progress)
    with qtbot.waitSignal(panel.submit_failed, timeout=60000) as failed:
        qtbot.mouseClick(panel.actions.submit_button, QtCore.Qt.LeftButton)
    from rayvision_dcc.errors import Cancelled
    assert isinstance(failed.args[0], Cancelled)
    assert "cancelled" in panel.actions.status_label.text().lower()
    assert not panel.error.isVisible()
    assert not panel.workers.is_busy("submit")
    assert "submitTask" not in recorder.operations()
    stored = sum(len(files) for _root, _dirs, files in os.walk(str(tmp_path / "farm")))
    assert stored < 400  # the upload stopped part way
    assert panel.actions.submit_button.isEnabled()


def test_connection_errors_show_a_message_and_details_not_a_traceback(qtbot, signed_in,
                                                                      open_panel, scene_factory,
                                                                      farm):
    farm.stop()
    farm.stop = lambda: None
    panel = open_panel(scene_factory())
    qtbot.waitUntil(lambda: panel.error.isVisible(), timeout=30000)
    assert panel.account.account_label.text() == "Not connected"
    assert "could not connect" in panel.error.message.text() or \
        "connection" in panel.error.message.text()
    assert panel.error.hint.text() and not panel.error.details.isVisible()
    qtbot.mouseClick(panel.error.toggle, QtCore.Qt.LeftButton)
    assert panel.error.details.isVisible()
    assert "TransportError" in panel.error.details.toPlainText()
    assert "Traceback" not in panel.error.details.toPlainText()
    assert farm.users[0][1] not in panel.error.details.toPlainText()


def test_show_panel_keeps_one_panel_per_host_session(qtbot, signed_in, scene_factory):
    from hosts.fake_host import FakeHost
    from rayvision_dcc.ui import close_panels, show_panel
    adapter = FakeHost.from_scene(scene_factory())
    factory = signed_in.client_factory()
    try:
        first = show_panel(adapter, client_factory=factory, poll_interval=0.3)
        first.close()
        assert not first.isVisible()
        second = show_panel(adapter, client_factory=factory)
        assert second is first and second.isVisible()
        assert ("main_window", threading.main_thread()) in adapter.calls
    finally:
        close_panels()


def test_show_panel_reads_the_scene_the_host_has_opened_since(qtbot, signed_in,
                                                              scene_factory):
    from hosts.fake_host import FakeHost
    from rayvision_dcc.ui import close_panels, show_panel
    adapter = FakeHost.from_scene(scene_factory())
    factory = signed_in.client_factory()
    try:
        first = show_panel(adapter, client_factory=factory, poll_interval=0.3)
        first_path = first.scene.scene_path
        adapter._scene.scene_path = first_path.replace("shot.ma", "other.ma")  # File > Open
        second = show_panel(adapter, client_factory=factory, poll_interval=0.3)
        assert second is not first and second.scene.scene_path.endswith("other.ma")
        qtbot.waitUntil(lambda: not first.isVisible(), timeout=WAIT)
        assert show_panel(adapter, client_factory=factory) is second  # same scene: raised
    finally:
        close_panels()


def test_panel_fits_a_small_screen(qtbot, signed_in, open_panel, scene_factory):
    panel = open_panel(scene_factory())
    hint = panel.sizeHint()
    assert panel.width() <= 1366 and panel.height() <= 700
    assert hint.height() <= 768 and panel.minimumSizeHint().height() <= 700


def test_switching_the_service_is_stored_and_reconnects(qtbot, signed_in, open_panel,
                                                        scene_factory):
    from rayvision_dcc.api.config import read_config
    panel = open_panel(scene_factory())
    wait_signed_in(qtbot, panel)
    fox = panel.account.zone_combo.findData("foxrenderfarm")
    with qtbot.waitSignal(panel.session_opened, timeout=WAIT) as opened:
        panel.account.zone_combo.setCurrentIndex(fox)
        panel.account.zone_combo.activated.emit(fox)
    assert opened.args == [True]
    qtbot.waitUntil(lambda: read_config().get("domain") == "task.foxrenderfarm.com",
                    timeout=WAIT)
    assert panel.overrides["domain"] == "task.foxrenderfarm.com"


def test_the_transfer_setting_is_stored_and_used_by_submit(qtbot, signed_in, open_panel,
                                                           scene_factory):
    from rayvision_dcc.api.config import read_config
    panel = open_panel(scene_factory(textures=1, size=1024))
    wait_signed_in(qtbot, panel)
    choice = panel.form.transfer_choice
    assert choice.engine() == "auto"
    choice.setCurrentIndex(choice.findData("aspera"))
    type_into(qtbot, panel.form.frames_edit, "1")
    qtbot.waitUntil(lambda: panel.actions.submit_button.isEnabled(), timeout=WAIT)
    qtbot.mouseClick(panel.actions.submit_button, QtCore.Qt.LeftButton)
    # the local farm announces only its http line: the error says what it offers
    qtbot.waitUntil(lambda: panel.error.isVisible(), timeout=WAIT)
    assert "offers no aspera line" in panel.error.message.text()
    assert "http local" in panel.error.message.text()
    assert read_config()["transfer_engine"] == "aspera"   # kept for the CLI and next time
    again = open_panel(scene_factory(textures=1, size=1024))
    wait_signed_in(qtbot, again)
    assert again.form.transfer_choice.engine() == "aspera"


def test_the_host_is_read_in_slices_on_the_ui_thread(qtbot, signed_in, open_panel,
                                                     scene_factory):
    """A host whose reads take time is read in several slices (the host answers its own
    events in between), never off the UI thread; the files are then resolved in a worker."""
    from hosts.fake_host import FakeHost
    host = FakeHost.from_scene(scene_factory(textures=40, size=64), call_cost=0.002)
    panel = open_panel(None, adapter=host, read_budget=0.01)
    wait_signed_in(qtbot, panel)
    assert panel.reader.done and panel.reader.slices >= 3
    assert len(panel.scene.dependencies) == 40 and all(d.exists for d in panel.scene.dependencies)
    assert host.calls_off(threading.main_thread()) == []


def test_a_host_that_fails_while_read_shows_why(qtbot, signed_in, open_panel, scene_factory):
    from hosts.fake_host import FakeHost

    class ClosedMidway(FakeHost):
        def iter_references(self):
            yield next(iter(super(ClosedMidway, self).iter_references()))
            raise RuntimeError("the scene was closed while it was read")
    panel = open_panel(None, adapter=ClosedMidway.from_scene(scene_factory(textures=3)))
    qtbot.waitUntil(lambda: panel.checks.check_summary.text() == "The scene could not be read",
                    timeout=WAIT)
    assert "scene was closed" in panel.error.details.toPlainText()
    assert not panel.actions.submit_button.isEnabled()
