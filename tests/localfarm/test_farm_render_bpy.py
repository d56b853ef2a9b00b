"""Blender tasks render for real: a scene made here with bpy, uploaded, rendered with bpy."""
from __future__ import annotations

import importlib.util
import json
import os
import struct
import subprocess
import sys

import pytest

from farm_kit import frames, info, put, server_path, task_json

pytestmark = [pytest.mark.bpy, pytest.mark.skipif(importlib.util.find_spec("bpy") is None,
                                                  reason="bpy is not installed")]

#: The scene, made in a bpy subprocess with the add-on tests' scene builders
#: (tests/blender/blendscenes.py, which imports rayvision_dcc from this checkout).
MAKE_SCENE = r"""
import sys
blend, texture, builders = sys.argv[sys.argv.index("--") + 1:]
import os
sys.path[:0] = [builders, os.path.dirname(os.path.dirname(builders))]
import bpy
from blendscenes import add_camera, textured_quad
bpy.ops.wm.read_factory_settings(use_empty=True)
scene = bpy.context.scene
add_camera(scene, "Camera")
sun = bpy.data.objects.new("Sun", bpy.data.lights.new("Sun", "SUN"))
sun.rotation_euler = (0.8, 0.2, 0.0)
scene.collection.objects.link(sun)
textured_quad(scene, bpy.data.images.load(texture), material="Wood")
scene.render.engine = "CYCLES"
scene.cycles.samples = 64
scene.render.resolution_x = 64
scene.render.resolution_y = 64
scene.render.resolution_percentage = 100
scene.frame_start, scene.frame_end = 1, 2
bpy.ops.wm.save_as_mainfile(filepath=blend, relative_remap=False)
"""


@pytest.fixture(scope="module")
def scene_files(tmp_path_factory):
    """(blend path, texture path, texture bytes): a quad with an absolutely referenced texture."""
    from rayvision_dcc.localfarm.render_worker import png_bytes
    root = tmp_path_factory.mktemp("local") / "proj"
    (root / "tex").mkdir(parents=True)
    texture = root / "tex" / "wood.png"
    data = png_bytes(8, 8, lambda x, y: (200, 120 + 10 * x, 40))
    texture.write_bytes(data)
    blend = root / "shot.blend"
    script = root.parent / "make_scene.py"
    script.write_text(MAKE_SCENE)
    env = dict(os.environ, BLENDER_USER_RESOURCES=str(root.parent / "blender-user"))
    builders = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                            "blender")
    subprocess.run([sys.executable, str(script), "--", str(blend), str(texture), builders],
                   check=True, env=env, capture_output=True, timeout=120)
    texture.unlink()  # the farm must use the uploaded copy
    return str(blend), str(texture), data


def submit_blend(farm, client, blend, uploads, frames_text="1-2[1]"):
    row = farm.user_row()
    task_id = client.create_task()["taskIdList"][0]
    doc = task_json(task_id, cg_id="2007", frames=frames_text, scene=blend, width="64",
                    height="64")
    client.call("taskJsonFile", {"taskId": task_id, "fileName": "task.json",
                                 "content": json.dumps(doc)})
    with open(blend, "rb") as handle:
        put(farm, row["input_bid"], server_path(blend), handle.read()).raise_for_status()
    for local, data in uploads:
        put(farm, row["input_bid"], server_path(local), data).raise_for_status()
    client.submit_task(task_id)
    return task_id


def png_size(path):
    with open(path, "rb") as handle:
        head = handle.read(24)
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", head[16:24])


def test_blender_frames_render_with_bpy(make_farm, scene_files):
    blend, texture, data = scene_files
    farm = make_farm(render_workers=2)
    client = farm.client("v2")
    task_id = submit_blend(farm, client, blend, [(texture, data)])
    farm.wait_idle(120)
    item = info(client, task_id)
    logs = [client.call("showLog", {"id": f["id"]})["content"] for f in frames(client, task_id)]
    assert item["taskStatus"] == 25, "\n".join(logs)
    assert item["outputFileName"] == "{}_shot".format(task_id) and item["renderCamera"] == "Camera"
    row = farm.user_row()
    folder = farm.storage.resolve(row["user_id"], row["output_bid"], "/" + item["outputFileName"])
    assert sorted(os.listdir(folder)) == ["shot_0001.png", "shot_0002.png"]
    assert png_size(os.path.join(folder, "shot_0001.png")) == (64, 64)
    assert "remapped" in logs[0] and "cycles samples 4" in logs[0]


def test_missing_texture_fails_the_frame_with_a_readable_log(make_farm, scene_files):
    blend, texture, _data = scene_files
    farm = make_farm(max_resolution=32)
    client = farm.client("v1")
    task_id = submit_blend(farm, client, blend, [], frames_text="1")
    farm.wait_idle(120)
    assert info(client, task_id)["taskStatus"] == 45
    frame = frames(client, task_id)[0]
    assert frame["frameStatus"] == 5
    log = client.call("showLog", {"id": frame["id"]})["content"]
    assert "missing file" in log and "wood.png" in log
