"""What submitTask checks in the uploaded job files, and what it takes from them."""
from __future__ import annotations

import json
import os
import re

from rayvision_dcc.errors import JobError
from rayvision_dcc.job.frames import parse_frames
from rayvision_dcc.job.paths import server_path
from rayvision_dcc.localfarm.protocol import Refusal
from rayvision_dcc.localfarm.storage import PathRefused

SOFTWARE = {"2000": "Maya", "2001": "3ds Max", "2007": "Blender"}
JOB_FILES = ("task.json", "upload.json", "asset.json", "tips.json")
FAIL = 100


def _read_json(path, label):
    try:
        with open(path, "r", encoding="utf-8") as handle:
            return json.load(handle)
    except ValueError as exc:
        raise Refusal(FAIL, "{} is not valid JSON: {}".format(label, exc))


def _scene_name(local):
    return str(local).replace("\\", "/").rsplit("/", 1)[-1]


def _frames_text(cg_id, scene):
    """The frame list of the scene info: Blender and Max ``common.frames``, Maya the
    union of the renderable layers' ``common.frames``."""
    if cg_id == "2000":
        texts = []
        for name, layer in scene.items():
            if isinstance(layer, dict) and str(layer.get("renderable", "1")) == "1":
                frames = (layer.get("common") or {}).get("frames")
                if frames:
                    texts.append(str(frames))
        if not texts:
            raise Refusal(FAIL, "task.json: no renderable Maya layer in scene_info_render has "
                                "common.frames")
        return ",".join(texts), _first_common(scene)
    common = scene.get("common")
    if not isinstance(common, dict) or not common.get("frames"):
        raise Refusal(FAIL, "task.json: scene_info_render.common.frames is missing")
    return str(common["frames"]), common


def _first_common(scene):
    for layer in scene.values():
        if isinstance(layer, dict) and isinstance(layer.get("common"), dict):
            return layer["common"]
    return {}


def _camera(cg_id, common):
    if cg_id == "2007":
        match = re.search(r'Object\("(.*)"\)', str(common.get("camera_name", "")))
        return match.group(1) if match else None
    cams = common.get("render_camera" if cg_id == "2000" else "renderable_camera") or []
    return cams[0] if isinstance(cams, list) and cams else None


def _int(value, default=None):
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return default


def priority_frames(pre_frames, frames):
    """The priority frames of ``pre_frames`` (``"111"``, ``"000:1,3-4[1]"``) among ``frames``.

    Digit 1, 2, 3 flag the first, the middle (index (n-1)//2 of the sorted list) and the
    last frame; a list after ``:`` adds its frames."""
    text = str(pre_frames or "000").strip()
    flags, _, custom = text.partition(":")
    ordered = sorted(frames)
    chosen = set()
    if ordered:
        picks = (ordered[0], ordered[(len(ordered) - 1) // 2], ordered[-1])
        for flag, frame in zip(flags.ljust(3, "0")[:3], picks):
            if flag == "1":
                chosen.add(frame)
    if custom.strip():
        try:
            chosen.update(f for f in parse_frames(custom) if f in set(frames))
        except JobError as exc:
            raise Refusal(FAIL, "task.json: pre_frames {!r}: {}".format(text, exc.message))
    return chosen


def check_task(storage, user, task_id):
    """Validate the job files of ``task_id``; returns (task fields, [(frame, priority)])."""
    uid = user["user_id"]
    cfg = "/{}/cfg/".format(task_id)
    task_path = storage.resolve(uid, user["config_bid"], cfg + "task.json")
    if not os.path.isfile(task_path):
        raise Refusal(FAIL, "task.json of task {} is not in config storage at {}task.json: upload "
                            "it to config bid {} or post it with taskJsonFile".format(
                                task_id, cfg, user["config_bid"]))
    doc = _read_json(task_path, "task.json")
    if not isinstance(doc, dict):
        raise Refusal(FAIL, "task.json must hold a JSON object")
    info = doc.get("task_info")
    software = doc.get("software_config")
    for key, value in (("task_info", info), ("software_config", software)):
        if not isinstance(value, dict):
            raise Refusal(FAIL, "task.json has no {} object".format(key))
    cg_id = str(info.get("cg_id", "")).strip()
    if cg_id not in SOFTWARE:
        raise Refusal(FAIL, "task.json: cg_id {!r} is not one the local farm renders (2000 Maya, "
                            "2001 3ds Max, 2007 Blender)".format(info.get("cg_id")))
    if str(info.get("task_id", "")).strip() not in ("", str(task_id)):
        raise Refusal(FAIL, "task.json belongs to task {}, not to task {}".format(
            info.get("task_id"), task_id))
    scene = doc.get("scene_info_render") or doc.get("scene_info")
    if not isinstance(scene, dict) or not scene:
        raise Refusal(FAIL, "task.json has no scene_info_render (nor scene_info)")
    frames_text, common = _frames_text(cg_id, scene)
    try:
        frames = parse_frames(frames_text)
    except JobError as exc:
        raise Refusal(FAIL, "task.json: bad frames {!r}: {}".format(frames_text, exc.message))
    local_scene = str(info.get("input_cg_file") or "").strip()
    if not local_scene:
        raise Refusal(FAIL, "task.json: task_info.input_cg_file (the scene path) is empty")
    input_bid = user["input_bid"]
    scene_server = server_path(local_scene)
    candidates = [scene_server] + ([scene_server + ".7z"] if cg_id == "2001" else [])
    found = None
    for candidate in candidates:
        try:
            if os.path.isfile(storage.resolve(uid, input_bid, candidate)):
                found = candidate
                break
        except PathRefused as exc:
            raise Refusal(FAIL, "task.json: input_cg_file: {}".format(exc))
    if found is None:
        raise Refusal(FAIL, "the scene file {} is not in input storage at {}: upload it to input "
                            "bid {}".format(local_scene, scene_server, input_bid))
    _check_upload_json(storage, user, cfg)
    gate = str(info.get("stop_after_test", "2")).strip() == "1"
    chosen = priority_frames(info.get("pre_frames", "000"), frames)
    name = _scene_name(local_scene)
    fields = {
        "cg_id": int(cg_id), "scene_name": name, "scene_path": found,
        "output_file_name": "{}_{}".format(task_id, os.path.splitext(name)[0]),
        "frames_range": frames_text, "project_name": str(info.get("project_name") or ""),
        "test_gate": 1 if gate and chosen else 0, "render_camera": _camera(cg_id, common),
        "width": _int(common.get("width")), "height": _int(common.get("height")),
        "job_stop_time": _int(info.get("job_stop_time"), 259200),
        "hardware_config_id": _int(info.get("hardwareConfigId")),
    }
    return fields, [(frame, frame in chosen) for frame in frames]


def _check_upload_json(storage, user, cfg):
    uid = user["user_id"]
    path = storage.resolve(uid, user["config_bid"], cfg + "upload.json")
    if not os.path.isfile(path):
        return
    doc = _read_json(path, "upload.json")
    if not isinstance(doc, dict):
        raise Refusal(FAIL, "upload.json must hold a JSON object")
    entries = list(doc.get("asset") or [])
    scene = doc.get("scene")
    entries.extend(scene if isinstance(scene, list) else [scene] if isinstance(scene, dict) else [])
    missing = []
    for entry in entries:
        server = entry.get("server") if isinstance(entry, dict) else None
        if not server:
            raise Refusal(FAIL, "upload.json: an entry has no 'server' path: {!r}".format(entry))
        try:
            if not os.path.isfile(storage.resolve(uid, user["input_bid"], server)):
                missing.append(server)
        except PathRefused as exc:
            raise Refusal(FAIL, "upload.json: {}".format(exc))
    if missing:
        shown = ", ".join(missing[:5]) + (" and {} more".format(len(missing) - 5)
                                         if len(missing) > 5 else "")
        raise Refusal(FAIL, "{} file{} of upload.json {} not in input storage: {}".format(
            len(missing), "s" if len(missing) > 1 else "", "are" if len(missing) > 1 else "is",
            shown))
