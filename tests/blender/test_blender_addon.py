"""The Render Farm tool in real bpy: registration, sign-in, the scene check and a
submission to the local farm that renders the frames, with bpy guarded against any use
off the main thread."""
import json
import os
import stat
import sys

import pytest

bpy = pytest.importorskip("bpy")
from blendscenes import run_ticks

pytestmark = [pytest.mark.bpy, pytest.mark.py311]


def tool_classes():
    return sorted(name for name in dir(bpy.types)
                  if "rayvision" in name.lower() or name.startswith("RAYVISION"))


def test_register_and_unregister_leave_nothing_behind():
    import addon_utils
    from rayvision_dcc.hosts import registered_hosts, reset
    reset()
    before = tool_classes()
    assert before == []
    module = addon_utils.enable("rayvision_blender", default_set=True, handle_error=None)
    from rayvision_blender import qtpanel, runtime
    assert set(tool_classes()) >= {"RAYVISION_OT_submit", "VIEW3D_PT_rayvision_farm",
                                   "RENDER_PT_rayvision_farm", "RAYVISION_OT_sign_in"}
    assert bpy.types.VIEW3D_PT_rayvision_farm.bl_category == "Render Farm"
    assert hasattr(bpy.types.Scene, "rayvision")
    assert bpy.app.timers.is_registered(runtime.tick)
    assert [cls.host_name for cls in registered_hosts()] == ["Blender"]
    assert any(getattr(h, "__name__", "") == "_load_post" for h in bpy.app.handlers.load_pre)
    assert "rayvision.submit" in [getattr(f, "__name__", "") and "rayvision.submit"
                                  for f in bpy.types.TOPBAR_MT_render._dyn_ui_initialize()
                                  if getattr(f, "__module__", "").startswith(module.__name__)]
    addon_utils.disable("rayvision_blender", default_set=True, handle_error=None)
    assert tool_classes() == []
    assert not hasattr(bpy.types.Scene, "rayvision")
    assert not bpy.app.timers.is_registered(runtime.tick)
    assert not bpy.app.timers.is_registered(qtpanel.process)
    assert registered_hosts() == []
    assert not any(getattr(h, "__name__", "") == "_load_post" for h in bpy.app.handlers.load_pre)
    assert not [f for f in bpy.types.TOPBAR_MT_render._dyn_ui_initialize()
                if getattr(f, "__module__", "").startswith(module.__name__)]
    assert runtime._STATE["session"] is None


def test_unsaved_scene_is_refused_with_what_to_do(addon):
    from blendscenes import add_camera, empty_scene
    empty_scene()
    add_camera(bpy.context.scene, "Camera")
    with pytest.raises(RuntimeError, match="save the scene to a file first"):
        bpy.ops.rayvision.submit()  # an ERROR report raises in background mode
    from rayvision_blender import runtime
    assert runtime.session().submit_state == "idle"


@pytest.fixture
def guarded(addon, monkeypatch):
    """Every add-on module's bpy guarded: returns the list of off-main-thread uses."""
    from bpyguard import install
    names = [name for name in sys.modules if name == "rayvision_blender"
             or name.startswith("rayvision_blender.")]
    return install([sys.modules[name] for name in names], bpy, monkeypatch)


@pytest.fixture
def farm_prefs(addon, farm, tmp_path):
    prefs = bpy.context.preferences.addons["rayvision_blender"].preferences
    prefs.zone = "custom"
    prefs.domain = farm.url
    prefs.platform = "2"
    prefs.download_dir = str(tmp_path / "frames")
    prefs.transfer_engine = "http"
    yield prefs
    from rayvision_blender import runtime
    runtime.shutdown()
    runtime.start_timer()


def sign_in(farm):
    from rayvision_blender import runtime
    access_id, access_key = farm.users[0]
    assert bpy.ops.rayvision.sign_in(access_id=access_id, access_key=access_key) == \
        {"FINISHED"}
    current = runtime.session()
    run_ticks(lambda: current.signed_in or current.account_error, message="sign-in")
    assert current.account_error is None and current.signed_in
    return current


def test_sign_in_stores_the_key_as_the_cli_does(farm_prefs, farm):
    from rayvision_dcc.api.config import config_dir, read_config
    current = sign_in(farm)
    assert "balance" in current.account_text
    assert [env.get("cgVersion") for env in current.envs]
    access_id, access_key = farm.users[0]
    stored = os.path.join(config_dir(), "credentials.json")
    with open(stored) as handle:
        assert json.load(handle) == {access_id: access_key}
    assert stat.S_IMODE(os.stat(stored).st_mode) == 0o600
    assert read_config()["access_id"] == access_id
    # the operator keeps no key in its remembered properties
    assert access_key not in repr(bpy.context.window_manager.operator_properties_last(
        "rayvision.sign_in").items())
    bpy.ops.rayvision.sign_out()
    run_ticks(lambda: not current.background.busy(), message="sign-out")
    with open(stored) as handle:
        assert json.load(handle) == {}
    assert not current.signed_in


def test_submission_renders_on_the_farm_and_downloads(farm_prefs, farm, tmp_path, guarded):
    from blendscenes import blender_env, render_scene
    from rayvision_blender import runtime
    env_name = blender_env(farm)
    current = sign_in(farm)
    blend = render_scene(tmp_path / "proj")
    bpy.context.scene.rayvision.env_name = env_name
    bpy.context.scene.render.resolution_percentage = 50  # unsaved change: saved on submit
    bpy.ops.ed.undo_push(message="change")  # what marks the file changed in Blender 5.x
    assert bpy.data.is_dirty
    saved_before = os.stat(blend).st_mtime_ns
    assert bpy.ops.rayvision.submit() == {"FINISHED"}
    assert os.stat(blend).st_mtime_ns != saved_before  # saved before the check read it
    assert current.busy
    # a second submission while this one runs is refused, not queued
    with pytest.raises(RuntimeError, match="a submission is running"):
        bpy.ops.rayvision.submit()
    run_ticks(lambda: current.submit_state in ("done", "failed"), message="the submission")
    assert current.submit_error is None, current.submit_error.message
    assert (current.scene.width, current.scene.height) == (16, 16)
    task_id = current.task_ref.task_id
    kinds = sorted(dep.kind for dep in current.scene.dependencies)
    assert kinds == ["image"]
    assert current.scene.dependencies[0].exists
    assert current.validation is not None and not current.validation.has_errors

    def rendered():
        if not current.background.busy("tasks"):
            current.refresh_tasks()
        rows = [row for row in current.tasks if row.id == task_id]
        return rows and rows[0].terminal and rows[0]
    row = run_ticks(rendered, timeout=240, message="the farm to render")
    assert (row.status, row.done, row.total) == (25, 2, 2), row.raw
    assert bpy.ops.rayvision.download(task_id=task_id) == {"FINISHED"}
    run_ticks(lambda: not current.background.busy(), message="the download")
    folder = current.task_folder(task_id)
    images = sorted(name for _root, _dirs, names in os.walk(folder) for name in names)
    assert len(images) == 2 and all(name.endswith(".png") for name in images), images
    assert "2 file(s)" in current.download_state[task_id]
    assert guarded == [], guarded
    assert blend == bpy.data.filepath


def test_cancel_during_the_check_submits_nothing(farm_prefs, farm, tmp_path, guarded):
    from blendscenes import render_scene
    current = sign_in(farm)
    render_scene(tmp_path / "proj")
    assert bpy.ops.rayvision.submit() == {"FINISHED"}
    assert bpy.ops.rayvision.cancel() == {"FINISHED"}
    run_ticks(lambda: current.idle(), message="the cancel")
    assert current.submit_state == "cancelled" and current.task_ref is None
    assert farm.client().task_list()["items"] == []
    assert guarded == []


def test_the_guard_catches_bpy_off_the_main_thread(addon, guarded):
    from rayvision_blender import runtime
    from rayvision_blender.session import Background
    background = Background()
    errors = []
    background.start("peek", lambda job: runtime.bpy.data.filepath,
                     on_error=lambda error, text: errors.append(error))
    from farmsupport import wait_until
    wait_until(lambda: background.drain() or errors, message="the worker")
    assert guarded == [("rayvision-peek", "bpy.data")]
    assert "off the main thread" in str(errors[0])


def test_an_environment_of_another_version_is_named_in_the_check(farm_prefs, farm, tmp_path):
    from blendscenes import blender_env, render_scene
    blender_env(farm)
    farm.client().add_render_env(2007, "Blender", "3.6", "Old 3.6")
    current = sign_in(farm)
    render_scene(tmp_path / "proj")
    bpy.context.scene.rayvision.env_name = "Old 3.6"
    assert bpy.ops.rayvision.check() == {"FINISHED"}
    run_ticks(lambda: current.check_state in ("done", "failed"), message="the check")
    errors = [issue for issue in current.validation.errors if issue.code == "15013"]
    assert len(errors) == 1, current.validation.issues
    assert "Old 3.6" in errors[0].text and "{}.{}".format(*bpy.app.version[:2]) in \
        errors[0].text
    assert "render environment of the scene's version" in errors[0].hint
    # and before any check, the tool says which versions the account has
    versions = sorted(set(str(env.get("cgVersion")) for env in current.envs))
    assert "3.6" in versions
    assert current.env_problem("{}.{}".format(*bpy.app.version[:2])) == ""
    problem = current.env_problem("9.9")
    assert "no Blender 9.9 render environment" in problem
    assert "it has " + ", ".join(versions) in problem
