"""Make the PNG screenshots of the panel and the monitor in docs/screenshots/ (offscreen).

    .venv/bin/python docs/screenshots.py

A local farm runs in this process (Python 3.11) with a throw-away home folder; a small
Maya-like scene description (its files are real, one texture is missing) feeds the panel.
"""
from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
OUT = os.path.join(HERE, "screenshots")
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.join(ROOT, "tests"))  # farmsupport: the throw-away user

from farmsupport import isolate_environment  # noqa: E402


def make_scene(folder, textures=40, missing=True):
    from rayvision_dcc.job.scene import Camera, Dependency, RenderLayer, SceneInfo
    os.makedirs(os.path.join(folder, "sourceimages"), exist_ok=True)
    scene_path = os.path.join(folder, "scenes", "sh010_lighting.ma")
    os.makedirs(os.path.dirname(scene_path), exist_ok=True)
    with open(scene_path, "w") as handle:
        handle.write("//Maya ASCII 2022 scene\n")
    deps = []
    for index in range(textures):
        path = os.path.join(folder, "sourceimages", "wood_{:03d}.png".format(index))
        with open(path, "wb") as handle:
            handle.write(os.urandom(48 * 1024))
        deps.append(Dependency(path=path, kind="image", exists=True, owner="file{}".format(index)))
    if missing:
        deps.append(Dependency(path=os.path.join(folder, "sourceimages", "hdri_sky.exr"),
                               kind="image", exists=False, owner="skydomeLight1"))
    return SceneInfo(
        host="Maya", host_version="2022", scene_path=scene_path, scene_name="sh010_lighting",
        renderer="arnold",
        cameras=[Camera("shotCamShape", True), Camera("closeUpCamShape", False),
                 Camera("perspShape", False), Camera("topShape", False)],
        frame_start=1001, frame_end=1048, frame_step=1, width=1920, height=1080,
        output_path=os.path.join(folder, "images"), output_format="exr",
        render_layers=[RenderLayer("masterLayer", True)], dependencies=deps,
        project_path=folder)


def pump(app, until=lambda: False, seconds=30.0):
    from Qt import QtCore
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        app.processEvents(QtCore.QEventLoop.AllEvents, 20)
        if until():
            return True
        time.sleep(0.002)
    return False


def save(widget, name):
    path = os.path.join(OUT, name)
    widget.grab().save(path)
    print("wrote", os.path.relpath(path, ROOT))


def main():
    home = tempfile.mkdtemp(prefix="rayvision-shots-")
    isolate_environment(home)
    from Qt import QtCore, QtWidgets
    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication([])
    from rayvision_dcc.api import RenderClient
    from rayvision_dcc.api.config import CredentialStore, update_config
    from hosts.fake_host import FakeHost
    from rayvision_dcc.job.jobfiles import choose_render_env
    from rayvision_dcc.job.spec import JobSpec
    from rayvision_dcc.job.workflow import submit
    from rayvision_dcc.localfarm import LocalFarm
    from rayvision_dcc.ui.panel import SubmitPanel

    os.makedirs(OUT, exist_ok=True)
    farm = LocalFarm(os.path.join(home, "farm"), faults="slow:PUT:*:0.05")
    farm.start()
    try:
        access_id, access_key = farm.users[0]

        def factory(access_id=None, access_key=None, domain=None, platform=None):
            return RenderClient(access_id=access_id, access_key=access_key, domain=farm.domain,
                                protocol="http", platform=platform)

        scene = make_scene(os.path.join(home, "project"))

        # the sign-in dialog, before any key is stored
        panel = SubmitPanel(FakeHost.from_scene(scene), client_factory=factory)
        panel.show()
        pump(app, lambda: getattr(panel, "sign_in_dialog", None) is not None)
        dialog = panel.sign_in_dialog
        dialog.access_id.setText(access_id)
        dialog.access_key.setText("x" * len(access_key))
        pump(app, seconds=0.3)
        save(dialog, "signin.png")
        dialog.reject()
        panel.shutdown()
        panel.deleteLater()

        CredentialStore().set(access_id, access_key)
        update_config(access_id=access_id)

        # a few tasks for the monitor, one of them long enough to still be rendering
        client = factory()
        env = choose_render_env(client.render_envs(2000), 2000, "2022")
        done_scene = make_scene(os.path.join(home, "done"), textures=2, missing=False)
        for frames in ("1-6[1]", "1-12[1]"):
            submit(JobSpec(scene=done_scene, frames=frames, render_env=env), client)

        # the Submit tab, checked, with the missing texture listed
        panel = SubmitPanel(FakeHost.from_scene(scene), client_factory=factory)
        panel.show()
        pump(app, lambda: panel.signed_in and panel.validation is not None
             and not panel.checking())
        panel.form.labels_edit.setText("lighting, sh010")
        panel.form.output_edit.setText(os.path.join("D:/", "renders", "sh010"))
        pump(app, seconds=0.5)
        save(panel, "panel.png")
        scroll = panel.tabs.widget(0)
        scroll.verticalScrollBar().setValue(scroll.verticalScrollBar().maximum())
        item = panel.checks.issue_list.topLevelItem(0)
        panel.checks.issue_list.setCurrentItem(item)
        pump(app, seconds=0.3)
        save(panel, "panel-check.png")

        # ignore the missing file, submit, and catch the upload in progress
        panel.checks.ignore_button.click()
        pump(app, lambda: panel.actions.submit_button.isEnabled() and not panel.checking())
        shot = {}

        def on_progress(text):
            if text.phase == "Uploading files" and text.per_mille > 300 and "done" not in shot:
                shot["done"] = True
                save(panel, "progress.png")

        panel.progressed.connect(on_progress)
        results = []
        panel.submitted.connect(results.append)
        panel.submit_failed.connect(results.append)
        panel.submit()
        pump(app, lambda: bool(results), seconds=120)
        task_id = results[0].task_id
        monitor = panel.monitor
        pump(app, lambda: monitor.selected_ids() == [task_id]
             and monitor.frames_view.topLevelItemCount() > 0, seconds=30)
        pump(app, lambda: monitor.rows.get(task_id) is not None
             and monitor.rows[task_id].done >= 6, seconds=60)
        monitor.refresh()
        pump(app, seconds=1.0)
        frame = monitor.frames_view.topLevelItem(2)
        monitor.frames_view.setCurrentItem(frame)
        pump(app, lambda: monitor.preview_frame == frame.data(0, QtCore.Qt.UserRole), seconds=30)
        save(panel, "monitor.png")
        panel.shutdown()
    finally:
        farm.stop()
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
