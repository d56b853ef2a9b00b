"""Helpers of the local farm tests (a unique module name: tests never import a conftest)."""
from __future__ import annotations

import json
from urllib.parse import quote

import requests

from farmsupport import wait_until

ALICE = ("alice-access-id", "alice-access-key-0123456789")
BOB = ("bob-access-id", "bob-access-key-9876543210")


def wait_for(predicate, timeout=30.0, message="condition", interval=0.02):
    """Return predicate()'s first true value; AssertionError naming ``message`` on timeout."""
    return wait_until(predicate, timeout, interval, message)


def transfer_url(farm, bid, server_path):
    segments = [quote(seg, safe="") for seg in server_path.strip("/").split("/")]
    return "{}/transfer/{}/{}".format(farm.url, bid, "/".join(segments))


def put(farm, bid, server_path, data, user=0, headers=None):
    all_headers = dict(farm.transfer_headers(user))
    all_headers.update(headers or {})
    return requests.put(transfer_url(farm, bid, server_path), data=data, headers=all_headers,
                        timeout=30)


def task_json(task_id, cg_id="2000", frames="1-3[1]", scene="D:/proj/shot.ma", pre_frames="000",
              stop_after_test="2", width="1920", height="1080"):
    info = {"task_id": str(task_id), "user_id": "", "project_id": "0", "project_name": "",
            "cg_id": cg_id, "input_cg_file": scene, "input_project_path": "", "platform": "2",
            "channel": "4", "os_name": "1", "ram": "64", "graphics_cards_num": "2",
            "hardwareConfigId": "301", "frames_per_task": "1", "pre_frames": pre_frames,
            "stop_after_test": stop_after_test, "is_picture": "0", "enable_layered": "0",
            "is_layer_rendering": "1", "render_layer_type": "0", "tiles_type": "block",
            "tiles": "1", "is_distribute_render": "0", "distribute_render_node": "3",
            "job_stop_time": "259200", "task_stop_time": "0", "time_out": "43200"}
    common = {"frames": frames, "width": width, "height": height}
    if cg_id == "2000":
        common.update(renderer="arnold", render_camera=["shotCamShape"], all_camera=["shotCamShape"])
        scene_info = {"defaultRenderLayer": {"renderable": "1", "is_default_camera": "1",
                                             "option": "", "env": {}, "common": common}}
        software = {"cg_name": "Maya", "cg_version": "2022", "plugins": {}}
    elif cg_id == "2001":
        common.update(renderable_camera=["CamA"], all_camera=["CamA"])
        scene_info = {"common": common, "renderer": {"name": "vray", "renderer": "vray"}}
        software = {"cg_name": "3ds Max", "cg_version": "2022", "plugins": {}}
    else:
        common.update(Render_Format="PNG", Output_path="//render/", scene_name=["Scene"],
                      camera_name='<bpy_struct, Object("Camera")>')
        scene_info = {"common": common}
        software = {"cg_name": "Blender", "cg_version": "4.5", "plugins": {}}
    return {"software_config": software, "task_info": info, "scene_info_render": scene_info,
            "additional_info": {}}


def server_path(local):
    text = local.replace("\\", "/")
    if len(text) > 1 and text[1] == ":":
        return "/" + text.replace(":", "")
    return text[1:]


def prepare_task(farm, client, user=0, upload_scene=True, assets=(), **job):
    """createTask, upload task.json (+ upload.json with ``assets``) and the scene; returns
    (task id, task.json dict). ``assets``: [(server path, bytes, upload it?)]."""
    task_id = client.create_task()["taskIdList"][0]
    doc = task_json(task_id, **job)
    row = farm.user_row(user)
    put(farm, row["config_bid"], "/{}/cfg/task.json".format(task_id), json.dumps(doc).encode(),
        user=user).raise_for_status()
    scene = doc["task_info"]["input_cg_file"]
    if assets:
        upload = {"asset": [{"local": path, "server": path} for path, _data, _up in assets]}
        put(farm, row["config_bid"], "/{}/cfg/upload.json".format(task_id),
            json.dumps(upload).encode(), user=user).raise_for_status()
        for path, data, really in assets:
            if really:
                put(farm, row["input_bid"], path, data, user=user).raise_for_status()
    if upload_scene:
        put(farm, row["input_bid"], server_path(scene), b"scene bytes", user=user).raise_for_status()
    return task_id, doc


def submit_standin(farm, client, user=0, **job):
    task_id, _doc = prepare_task(farm, client, user=user, **job)
    client.submit_task(task_id)
    return task_id


def info(client, task_id):
    items = client.task_info([task_id])["items"]
    return items[0] if items else None


def status(client, task_id):
    return info(client, task_id)["taskStatus"]


def frames(client, task_id):
    return client.task_frames(task_id, page_size=1000)["items"]
