"""The task monitor: tasks and frames from the farm, actions, downloads, polling."""
from __future__ import annotations

import os

from Qt import QtCore

WAIT = 20000


def submit_directly(farm, scene, frames="1-3[1]", **spec_options):
    """A task on the farm without the UI (the monitor is what these tests look at)."""
    from rayvision_dcc.job.jobfiles import choose_render_env
    from rayvision_dcc.job.spec import JobSpec
    from rayvision_dcc.job.workflow import submit
    client = farm.client()
    env = choose_render_env(client.render_envs(2000), 2000, scene.host_version)
    spec = JobSpec(scene=scene, frames=frames, render_env=env, **spec_options)
    return submit(spec, client).task_id


def open_monitor(qtbot, open_panel, scene):
    panel = open_panel(scene)
    qtbot.waitUntil(lambda: panel.signed_in, timeout=WAIT)
    panel.tabs.setCurrentWidget(panel.monitor)
    return panel, panel.monitor


def select_task(qtbot, monitor, task_id):
    monitor.show_task(task_id)
    qtbot.waitUntil(lambda: monitor.selected_ids() == [task_id], timeout=WAIT)


def status_of(monitor, task_id):
    row = monitor.rows.get(task_id)
    return row.status if row is not None else None


def test_tasks_and_frames_with_status_and_render_time(qtbot, signed_in, open_panel,
                                                      scene_factory):
    scene = scene_factory()
    task_id = submit_directly(signed_in, scene, frames="1-3[1]")
    panel, monitor = open_monitor(qtbot, open_panel, scene)
    select_task(qtbot, monitor, task_id)
    qtbot.waitUntil(lambda: status_of(monitor, task_id) == 25, timeout=WAIT)
    item = monitor.tasks.selectedItems()[0]
    assert item.text(2) == "Done" and item.text(3) == "3/3"
    assert item.foreground(2).color().name() == "#2f9e5b"
    qtbot.waitUntil(lambda: monitor.frames_view.topLevelItemCount() == 3
                    and all(monitor.frames_view.topLevelItem(i).text(1) == "Done"
                            for i in range(3)), timeout=WAIT)
    assert monitor.frames_view.topLevelItem(0).text(2).endswith("s")  # render time
    assert monitor.page_label.text() == "Page 1 of 1"
    first = monitor.frames_view.topLevelItem(0)
    monitor.frames_view.setCurrentItem(first)
    qtbot.waitUntil(lambda: monitor.preview_frame == first.data(0, QtCore.Qt.UserRole),
                    timeout=WAIT)


def test_stop_start_and_abandon_from_the_buttons(qtbot, signed_in, open_panel, scene_factory):
    scene = scene_factory()
    task_id = submit_directly(signed_in, scene, frames="1-400[1]")
    panel, monitor = open_monitor(qtbot, open_panel, scene)
    select_task(qtbot, monitor, task_id)
    stop = monitor.action_buttons["stop"]
    qtbot.waitUntil(stop.isEnabled, timeout=WAIT)
    assert not monitor.action_buttons["start"].isEnabled()
    qtbot.mouseClick(stop, QtCore.Qt.LeftButton)
    qtbot.waitUntil(lambda: status_of(monitor, task_id) == 10, timeout=WAIT)
    start = monitor.action_buttons["start"]
    qtbot.waitUntil(start.isEnabled, timeout=WAIT)
    assert monitor.tasks.selectedItems()[0].text(2) == "Stopped"
    qtbot.mouseClick(start, QtCore.Qt.LeftButton)
    qtbot.waitUntil(lambda: status_of(monitor, task_id) in (0, 5), timeout=WAIT)
    abandon = monitor.action_buttons["abandon"]
    qtbot.waitUntil(abandon.isEnabled, timeout=WAIT)
    qtbot.mouseClick(abandon, QtCore.Qt.LeftButton)
    qtbot.waitUntil(lambda: status_of(monitor, task_id) == 35, timeout=WAIT)
    qtbot.waitUntil(lambda: not any(b.isEnabled() for b in monitor.action_buttons.values()),
                    timeout=WAIT)


def test_test_frames_then_full_speed_then_download(qtbot, signed_in, open_panel, scene_factory,
                                                   tmp_path):
    scene = scene_factory()
    task_id = submit_directly(signed_in, scene, frames="1-4[1]", pre_frames="100",
                              stop_after_test="1")
    panel, monitor = open_monitor(qtbot, open_panel, scene)
    select_task(qtbot, monitor, task_id)
    qtbot.waitUntil(lambda: status_of(monitor, task_id) == 40, timeout=WAIT)
    full_speed = monitor.action_buttons["full_speed"]
    qtbot.waitUntil(full_speed.isEnabled, timeout=WAIT)
    qtbot.mouseClick(full_speed, QtCore.Qt.LeftButton)
    qtbot.waitUntil(lambda: status_of(monitor, task_id) == 25, timeout=WAIT)

    folder = tmp_path / "renders"
    with qtbot.waitSignal(monitor.downloaded, timeout=WAIT):
        monitor.download(str(folder), task_id)
    files = [name for _root, _dirs, names in os.walk(str(folder)) for name in names]
    assert len(files) >= 4
    assert "Downloaded" in monitor.download_label.text()
    assert monitor.download_progress.value() == 1000


def test_polling_runs_while_shown_and_pauses_when_hidden(qtbot, signed_in, open_panel,
                                                         scene_factory):
    scene = scene_factory()
    panel, monitor = open_monitor(qtbot, open_panel, scene)
    first = monitor.polls
    qtbot.waitUntil(lambda: monitor.polls >= first + 2, timeout=WAIT)  # every 0.3 s here
    panel.tabs.setCurrentIndex(0)  # the monitor is hidden behind the Submit tab
    assert not monitor.timer.isActive() and monitor.policy.delay is None
    panel.tabs.setCurrentWidget(monitor)
    assert monitor.policy.delay is not None
    panel.hide()
    assert not monitor.timer.isActive()
    polls = monitor.polls
    panel.workers.wait(5000)
    qtbot.waitUntil(lambda: not panel.workers.is_busy(), timeout=WAIT)
    assert monitor.polls == polls and not monitor.timer.isActive()


def test_a_preview_url_is_fetched_through_the_client_s_session(qtbot):
    """Previews the API answers with a URL go through the client's configured session
    (proxy, CA bundle), not a bare requests.get."""
    from Qt import QtCore, QtGui

    from rayvision_dcc.api import RenderClient
    from rayvision_dcc.api.transport import Transport
    from rayvision_dcc.ui.monitor import fetch_thumbnail

    image = QtGui.QImage(4, 3, QtGui.QImage.Format_RGB32)
    image.fill(0x336699)
    data = QtCore.QByteArray()
    buffer = QtCore.QBuffer(data)
    buffer.open(QtCore.QIODevice.WriteOnly)
    image.save(buffer, "PNG")

    class Session(object):
        """Stands for requests.Session: records what it was asked."""

        def __init__(self):
            self.asked, self.proxies, self.verify = [], {}, True

        def get(self, url, timeout=None):
            self.asked.append(url)
            answer = type("Answer", (), {})()
            answer.status_code, answer.content, answer.headers = 200, bytes(data), {}
            return answer

    session = Session()
    client = RenderClient(access_id="id", access_key="key", domain="127.0.0.1:9",
                          proxy="http://proxy.example:3128",
                          transport=Transport("http://proxy.example:3128", session=session))
    client.frame_thumbnail = lambda frame_id: ["https://cdn.example/f/1.png"]
    frame_id, got = fetch_thumbnail(None, client, 7)
    assert frame_id == 7 and got is not None and (got.width(), got.height()) == (4, 3)
    assert session.asked == ["https://cdn.example/f/1.png"]
    assert session.proxies == {"http": "http://proxy.example:3128",
                               "https": "http://proxy.example:3128"}
