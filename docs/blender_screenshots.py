"""Screenshots of the Blender Render Farm tool in a real Blender window (docs/screenshots/).

    .venv/bin/python docs/blender_screenshots.py

Needs a ``blender`` binary whose Python is this one's version (Debian's Blender 3.4:
``apt-get install blender``) and ``xvfb-run`` (``apt-get install xvfb``). Starts a local
farm, installs the legacy add-on into a throw-away scripts folder (its site-packages
linked to this Python's packages, as tests/blender/test_blender_legacy.py does), runs
Blender with a window on Xvfb with INSIDE below as its script (the timers fire there:
sign-in, check, submit, the farm renders, tasks) and crops the 3D View's sidebar.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
OUT = os.path.join(HERE, "screenshots")
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.join(ROOT, "tests"))
sys.path.insert(0, os.path.join(ROOT, "tests", "blender"))

INSIDE = r'''
"""Screenshots of the Render Farm tool in a real Blender window (Xvfb)."""
import json, os, sys, time
import bpy, addon_utils

CFG = json.load(open(os.environ["SHOT_CFG"]))
bpy.context.preferences.view.show_splash = False
OUT = CFG["out"]
state = {"step": "start", "t": time.monotonic()}
mod = addon_utils.enable("rayvision_blender", default_set=True)
prefs = bpy.context.preferences.addons["rayvision_blender"].preferences
prefs.zone = "custom"; prefs.domain = CFG["url"]; prefs.platform = "2"
prefs.download_dir = CFG["frames"]
log = open(os.path.join(OUT, "shot.log"), "w")


def say(*a):
    log.write(" ".join(str(x) for x in a) + "\n"); log.flush()


def window_area(kind):
    win = bpy.context.window_manager.windows[0]
    for area in win.screen.areas:
        if area.type == kind:
            return win, area
    return win, None


def click_tab(label_y_from_top):
    """Click the sidebar's Render Farm tab (Blender 3.4 has no API to pick a tab)."""
    win, area = window_area("VIEW_3D")
    for region in area.regions:
        if region.type == "UI":
            x = region.x + region.width - 8
            y = region.y + region.height - label_y_from_top
            say("click", x, y, region.x, region.y, region.width, region.height)
            win.event_simulate(type="MOUSEMOVE", value="NOTHING", x=x, y=y)
            win.event_simulate(type="LEFTMOUSE", value="PRESS", x=x, y=y)
            win.event_simulate(type="LEFTMOUSE", value="RELEASE", x=x, y=y)


def shoot(name):
    win, area = window_area("VIEW_3D")
    with bpy.context.temp_override(window=win):
        bpy.ops.wm.redraw_timer(type="DRAW_WIN_SWAP", iterations=1)
    with bpy.context.temp_override(window=win, area=area):
        bpy.ops.screen.screenshot(filepath=os.path.join(OUT, name))
    say("shot", name)


def step():
    session = mod.runtime.session()
    s = state["step"]
    say(s, session.signed_in, session.check_state, session.submit_state, mod.runtime.preferences() is not None)
    if s == "start":
        scene = bpy.context.scene
        scene.render.engine = "CYCLES"
        scene.cycles.samples = 4
        scene.cycles.use_denoising = False
        scene.render.resolution_x, scene.render.resolution_y = 64, 48
        scene.frame_start, scene.frame_end = 1, 3
        img = bpy.data.images.new("wood", 8, 8)
        img.pack()
        missing = bpy.data.images.new("rust", 4, 4)
        missing.source = "FILE"
        missing.filepath = "//textures/rust_diffuse.png"
        missing.use_fake_user = True
        bpy.ops.wm.save_as_mainfile(filepath=CFG["blend"])
        state["step"] = "signin"
        return 1.0
    if s == "signin":
        mod.runtime.configure()
        session.sign_in(CFG["access_id"], CFG["access_key"])
        state["step"] = "wait_signin"
        return 0.5
    if s == "wait_signin":
        if session.signed_in:
            win, area = window_area("VIEW_3D")
            area.spaces[0].show_region_ui = True
            state["click"] = True
            with bpy.context.temp_override(window=win, area=area):
                bpy.ops.rayvision.check()
            state["step"] = "wait_check"
        return 0.5
    if s == "wait_check":
        if state.pop("click", False):
            click_tab(int(os.environ.get("TAB_Y", "180")))
        if session.check_state == "done":
            state["step"] = "shot1"
            return 1.5
        return 0.5
    if s == "shot1":
        shoot("blender-sidebar.png")
        bpy.data.images["rust"].filepath = ""
        bpy.data.images.remove(bpy.data.images["rust"])
        bpy.ops.wm.save_mainfile()
        bpy.ops.rayvision.submit("EXEC_DEFAULT")
        state["step"] = "wait_submit"
        return 0.2
    if s == "wait_submit":
        if session.submit_state == "running" and session.progress is not None and not state.get("mid"):
            shoot("blender-progress.png"); state["mid"] = True
        if session.submit_state in ("done", "failed"):
            state["step"] = "wait_render"; state["t"] = time.monotonic()
        return 0.1
    if s == "wait_render":
        rows = [r for r in session.tasks if session.task_ref and r.id == session.task_ref.task_id]
        if rows and rows[0].terminal or time.monotonic() - state["t"] > 60:
            state["step"] = "shot2"
            return 1.0
        session.refresh_tasks()
        return 1.0
    if s == "shot2":
        shoot("blender-tasks.png")
        # Render Properties panel
        win, area = window_area("PROPERTIES")
        if area is not None:
            area.spaces[0].context = "RENDER"
        state["step"] = "shot3"
        return 1.0
    if s == "shot3":
        shoot("blender-window.png")
        bpy.ops.wm.quit_blender()
        return None
    return None


bpy.app.timers.register(step, first_interval=2.0)
'''


def main():
    from farmsupport import isolate_environment, start_farm
    from test_blender_legacy import site_packages
    work = tempfile.mkdtemp(prefix="rv-blender-shots-")
    saved = isolate_environment(os.path.join(work, "home"))
    farm = start_farm(os.path.join(work, "farm"))
    try:
        client = farm.client()
        client.add_render_env(2007, "Blender", "3.4", "Blender 3.4 studio")
        client.set_default_render_env("Blender 3.4 studio")
        addon = os.path.join(work, "scripts", "addons", "rayvision_blender")
        shutil.copytree(os.path.join(ROOT, "blender", "rayvision_blender"), addon,
                        ignore=shutil.ignore_patterns("__pycache__", "site-packages"))
        site_packages(os.path.join(addon, "site-packages"))
        shots = os.path.join(work, "out")
        os.makedirs(shots)
        access_id, access_key = farm.users[0]
        config = os.path.join(work, "cfg.json")
        with open(config, "w") as handle:
            json.dump({"url": farm.url, "access_id": access_id, "access_key": access_key,
                       "out": shots, "frames": os.path.join(work, "frames"),
                       "blend": os.path.join(shots, "shot.blend")}, handle)
        script = os.path.join(work, "inside.py")
        with open(script, "w") as handle:
            handle.write(INSIDE)
        env = dict(os.environ, SHOT_CFG=config, BLENDER_USER_SCRIPTS=os.path.join(
            work, "scripts"))
        subprocess.run(["xvfb-run", "-a", "-s", "-screen 0 1500x900x24", "blender",
                        "--factory-startup", "--enable-event-simulate", "--python", script],
                       env=env, check=True, timeout=300, stdout=subprocess.DEVNULL)
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        from PySide6 import QtCore, QtGui
        for name in ("blender-sidebar", "blender-tasks"):
            image = QtGui.QImage(os.path.join(shots, name + ".png"))
            image.copy(QtCore.QRect(700, 0, 540, 560)).save(os.path.join(OUT, name + ".png"))
            print("wrote", os.path.join(OUT, name + ".png"))
    finally:
        farm.stop()
        os.environ.clear()
        os.environ.update(saved)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
