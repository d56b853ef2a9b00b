"""No API call, upload, download, disk scan or file read runs on the UI thread during a
whole submit and a monitor session, and no host call runs anywhere else."""
from __future__ import annotations

import sys
import threading

from Qt import QtCore

WAIT = 30000


class _AuditWatch(object):
    """Python 3.8+: every file open and socket connect, with its thread (a hook cannot be
    removed, so it records only while ``active``)."""

    installed = None

    def __init__(self):
        self.active = False
        self.events = []

    def __call__(self, event, args):
        if self.active and event in ("open", "socket.connect"):
            self.events.append((event, str(args[0])[:120], threading.current_thread()))

    @classmethod
    def get(cls):
        if cls.installed is None and hasattr(sys, "addaudithook"):
            cls.installed = cls()
            sys.addaudithook(cls.installed)  # novermin (guarded by hasattr)
        return cls.installed


def test_no_network_or_disk_work_on_the_ui_thread(qtbot, signed_in, open_panel, scene_factory,
                                                  recorder, monkeypatch, tmp_path):
    from hosts.fake_host import FakeHost
    from rayvision_dcc.job import deps, references, transfer, validation
    from rayvision_dcc.ui import logic

    def recording(owner, name, label):
        original = getattr(owner, name)

        def wrapper(*args, **kwargs):
            recorder.record(label)
            return original(*args, **kwargs)
        monkeypatch.setattr(owner, name, wrapper)

    recording(transfer.HttpTransfer, "upload", "upload")
    recording(transfer.HttpTransfer, "download", "download")
    recording(validation, "validate", "validate")
    recording(references, "resolve_references", "scan")
    recording(deps.IgnoreList, "load", "ignore list read")
    recording(deps.IgnoreList, "save", "ignore list write")
    recording(logic.SceneMemory, "load", "memory read")
    recording(logic.SceneMemory, "save", "memory write")

    ui_thread = threading.current_thread()
    audit = _AuditWatch.get()
    scene = scene_factory(textures=30, size=16 * 1024)
    if audit is not None:
        audit.events = []
        audit.active = True
    try:
        host = FakeHost.from_scene(scene, dirty=True)
        panel = open_panel(scene, adapter=host)
        qtbot.waitUntil(lambda: panel.signed_in and panel.validation is not None
                        and not panel.checking(), timeout=WAIT)
        panel.form.frames_edit.setText("1-2")
        qtbot.waitUntil(lambda: panel.actions.submit_button.isEnabled(), timeout=WAIT)
        with qtbot.waitSignal(panel.submitted, timeout=60000) as done:
            qtbot.mouseClick(panel.actions.submit_button, QtCore.Qt.LeftButton)
        task_id = done.args[0].task_id
        monitor = panel.monitor
        qtbot.waitUntil(lambda: monitor.selected_ids() == [task_id], timeout=WAIT)
        qtbot.waitUntil(lambda: task_id in monitor.rows and monitor.rows[task_id].status == 25,
                        timeout=WAIT)
        qtbot.waitUntil(lambda: monitor.frames_view.topLevelItemCount() == 2, timeout=WAIT)
        monitor.frames_view.setCurrentItem(monitor.frames_view.topLevelItem(0))
        with qtbot.waitSignal(monitor.downloaded, timeout=WAIT):
            monitor.download(str(tmp_path / "renders"), task_id)
        monitor.refresh()
        qtbot.waitUntil(lambda: not panel.workers.is_busy(), timeout=WAIT)
    finally:
        if audit is not None:
            audit.active = False

    seen = set(what for what, _thread in recorder.calls)
    for expected in ("api:queryUserProfile", "api:getRenderEnv", "api:createTask",
                     "api:submitTask", "api:getTaskList", "api:queryTaskFrames", "upload",
                     "download", "validate", "scan", "memory read", "memory write",
                     "ignore list read"):
        assert expected in seen, expected
    assert recorder.on_thread(ui_thread) == []
    # the host was read (every reference), saved before the submit, on the UI thread only
    assert [what for what, _t in host.calls].count("reference") == 30
    assert ("save_scene", ui_thread) in host.calls
    assert host.calls_off(ui_thread) == []
    if audit is not None:
        # Importing a module the first time it is used is code loading, not the app's I/O.
        on_ui = [(event, what) for event, what, thread in audit.events if thread is ui_thread
                 and not what.endswith((".py", ".pyc", "__pycache__"))]
        assert on_ui == []
        assert any(event == "socket.connect" for event, _w, _t in audit.events)
