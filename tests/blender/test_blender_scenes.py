"""The tool's check and submission on generated scenes: a packed image, a linked library,
an image sequence, UDIM tiles, a missing texture, two cameras (one task each), cameras
switched by markers; the farm renders the frames."""
import os

import pytest

bpy = pytest.importorskip("bpy")

from blendscenes import (add_camera, blender_env, empty_scene, file_image,  # noqa: E402
                         packed_image, png, render_scene, run_ticks, save, textured_quad,
                         tiny_render, udim_image)

pytestmark = [pytest.mark.bpy, pytest.mark.py311]


@pytest.fixture
def tool(addon, farm, tmp_path):
    """The tool signed in to the farm, with an environment of this Blender's version as
    the account's default."""
    from rayvision_blender import runtime
    blender_env(farm, default=True)
    prefs = bpy.context.preferences.addons["rayvision_blender"].preferences
    prefs.zone, prefs.domain, prefs.platform = "custom", farm.url, "2"
    prefs.download_dir = str(tmp_path / "frames")
    access_id, access_key = farm.users[0]
    bpy.ops.rayvision.sign_in(access_id=access_id, access_key=access_key)
    current = runtime.session()
    run_ticks(lambda: current.signed_in or current.account_error, message="sign-in")
    assert current.signed_in
    yield current
    runtime.shutdown()
    runtime.start_timer()


def check(current):
    assert bpy.ops.rayvision.check() == {"FINISHED"}
    run_ticks(lambda: current.check_state in ("done", "failed"), message="the check")
    assert current.check_state == "done", current.check_error and current.check_error.message
    return current.validation


def build_library(path):
    empty_scene()
    obj = bpy.data.objects.new("LibThing", bpy.data.meshes.new("LibMesh"))
    bpy.context.scene.collection.objects.link(obj)
    return save(path)


def test_the_check_sees_what_the_farm_must_get(tool, tmp_path):
    proj = str(tmp_path / "proj")
    build_library(os.path.join(proj, "libs", "lib.blend"))
    for number in (1, 2, 3):
        png(os.path.join(proj, "seq", "tex.{:04d}.png".format(number)))
    for tile in (1001, 1002):
        png(os.path.join(proj, "udim", "skin.{}.png".format(tile)))
    png(os.path.join(proj, "tex", "wood.png"))
    scene = empty_scene()
    save(os.path.join(proj, "shot.blend"))
    add_camera(scene, "Camera")
    tiny_render(scene)
    textured_quad(scene, bpy.data.images.load("//tex/wood.png"))
    packed_image("inside")
    file_image("tex.0001.png", "//seq/tex.0001.png", source="SEQUENCE")
    udim_image("udim", "//udim/skin.<UDIM>.png", (1002,))
    file_image("missing", "//tex/gone.png")
    with bpy.data.libraries.load("//libs/lib.blend", link=True) as (data_from, data_to):
        data_to.objects = list(data_from.objects)
    for obj in data_to.objects:
        scene.collection.objects.link(obj)
    save(os.path.join(proj, "shot.blend"))

    validation = check(tool)
    found = {os.path.relpath(dep.path, proj).replace(os.sep, "/"): (dep.kind, dep.exists)
             for dep in tool.scene.dependencies}
    assert found == {
        "tex/wood.png": ("image", True), "tex/gone.png": ("image", False),
        "seq/tex.0001.png": ("image_sequence", True), "seq/tex.0002.png": ("image_sequence", True),
        "seq/tex.0003.png": ("image_sequence", True),
        "udim/skin.1001.png": ("udim", True), "udim/skin.1002.png": ("udim", True),
        "libs/lib.blend": ("library", True)}, found  # the packed image is not uploaded
    errors = [issue for issue in validation.errors if issue.path]
    assert [os.path.basename(issue.path) for issue in errors] == ["gone.png"]
    assert errors[0].hint  # what to do
    # submitting is refused with the check's reason, and nothing reaches the farm
    assert bpy.ops.rayvision.submit() == {"FINISHED"}
    run_ticks(lambda: tool.submit_state in ("done", "failed"), message="the submission")
    assert tool.submit_state == "failed" and "the check found 1 error" in \
        tool.submit_error.message
    assert tool.task_ref is None


def test_two_cameras_are_two_tasks_and_the_farm_renders_both(tool, farm, tmp_path):
    blend = render_scene(tmp_path / "proj", packed=True)
    scene = bpy.context.scene
    add_camera(scene, "CamSide", location=(0.0, -6.0, 0.5))
    scene.frame_start = scene.frame_end = 1
    save(blend)
    scene.rayvision.camera_mode = "ALL"
    assert bpy.ops.rayvision.submit() == {"FINISHED"}
    run_ticks(lambda: tool.submit_state in ("done", "failed"), message="the submission")
    assert tool.submit_error is None, tool.submit_error.message
    assert len(tool.task_refs) == 2
    ids = [ref.task_id for ref in tool.task_refs]

    def rendered():
        if not tool.background.busy("tasks"):
            tool.refresh_tasks()
        rows = [row for row in tool.tasks if row.id in ids]
        return len(rows) == 2 and all(row.terminal for row in rows) and rows
    rows = run_ticks(rendered, timeout=240, message="the farm to render")
    assert sorted((row.status, row.done) for row in rows) == [(25, 1), (25, 1)]
    cameras = set()
    for task_id in ids:
        info = farm.client().task_info([task_id])
        items = info.get("items") if isinstance(info, dict) else info
        assert items
    task_jsons = []
    for root, _dirs, names in os.walk(farm.data_dir):
        task_jsons.extend(os.path.join(root, n) for n in names if n == "task.json")
    import json
    for path in task_jsons:
        with open(path) as handle:
            cameras.add(json.load(handle)["scene_info_render"]["common"]["camera_name"])
    assert {'<bpy_struct, Object("Camera")>', '<bpy_struct, Object("CamSide")>'} <= cameras


def test_marker_cameras_start_with_the_one_bound_first(tool, tmp_path):
    render_scene(tmp_path / "proj")
    scene = bpy.context.scene
    side = add_camera(scene, "CamSide")
    marker = scene.timeline_markers.new("switch", frame=1)
    marker.camera = side
    later = scene.timeline_markers.new("back", frame=2)
    later.camera = bpy.data.objects["Camera"]
    save(bpy.data.filepath)
    scene.rayvision.camera_mode = "MARKERS"
    validation = check(tool)
    assert not validation.has_errors, validation.issues
    assert tool.values["cameras"] == ["CamSide"]
    assert tool.scene.extra["marker_cameras"] == [[1, "CamSide"], [2, "Camera"]]
    scene.rayvision.camera_mode = "CAMERA"
    scene.rayvision.camera = bpy.data.objects["Camera"]
    check(tool)
    assert tool.values["cameras"] == ["Camera"]
