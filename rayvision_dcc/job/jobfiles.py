"""The four job files (task.json, upload.json, asset.json, tips.json). Layouts and codes:
../shared/spec/job-files.md; our decisions: docs/job-files.md.

The parts live beside this module: ``paths`` (local and server paths), ``renderenv`` (the
render environment and software_config), ``validation`` (the checks and tips.json),
``layouts`` (each host's task.json block and rules, one module per host). Their public
names are also importable from here.

Everything here is pure: it reads the scene file only to hash it (in chunks).
"""
from __future__ import annotations

import json
import os
import re

from rayvision_dcc.errors import JobError
from rayvision_dcc.files import write_json_atomic
from rayvision_dcc.job import layouts
from rayvision_dcc.job.layouts.blender_layout import MOVIE_FORMATS
from rayvision_dcc.job.layouts.blender_layout import camera_repr as blender_camera_repr
from rayvision_dcc.job.layouts.common import scalar, strings
from rayvision_dcc.job.paths import file_digest, file_md5, server_path, slashes
from rayvision_dcc.job.renderenv import (choose_render_env, describe_env, software_config,
                                         versions_match)
from rayvision_dcc.job.tips import ERROR, TIP_TITLES, WARNING, Tip
from rayvision_dcc.job.validation import MISSING_FILE_CODES, build_tips, errors, validate

__all__ = [
    "TASK_INFO_DEFAULTS", "build_task_info", "build_task_json", "upload_entries",
    "build_upload_json", "build_asset_json", "write_job_files",
    # from the parts
    "MOVIE_FORMATS", "blender_camera_repr", "file_digest", "file_md5", "server_path",
    "slashes", "choose_render_env", "describe_env", "software_config", "versions_match",
    "ERROR", "WARNING", "TIP_TITLES", "Tip", "MISSING_FILE_CODES", "build_tips", "errors",
    "validate",
]

#: task_info keys and the SDK's defaults (job-files.md 1.2). All are written, always.
TASK_INFO_DEFAULTS = (
    ("task_id", ""),
    ("user_id", ""),
    ("project_id", ""),
    ("project_name", ""),
    ("cg_id", ""),
    ("input_cg_file", ""),
    ("input_project_path", ""),
    ("platform", ""),
    ("channel", "4"),
    ("os_name", "1"),
    ("ram", "64"),
    ("graphics_cards_num", "2"),
    ("hardwareConfigId", ""),
    ("frames_per_task", "1"),
    ("pre_frames", "000"),
    ("stop_after_test", "2"),
    ("is_picture", "0"),
    ("enable_layered", "0"),
    ("is_layer_rendering", "1"),
    ("render_layer_type", "0"),
    ("tiles_type", "block"),
    ("tiles", "1"),
    ("is_distribute_render", "0"),
    ("distribute_render_node", "3"),
    ("job_stop_time", "259200"),
    ("task_stop_time", "0"),
    ("time_out", "43200"),
)
_TASK_INFO_KEYS = frozenset(key for key, _ in TASK_INFO_DEFAULTS) | {"pack_node_id"}


def _gpu_cards(gpu_num):
    text = str(gpu_num or "").strip()
    return text[0] if text[:1].isdigit() else "2"


def _ram(ram):
    digits = re.match(r"\s*(\d+)", str(ram or ""))
    return digits.group(1) if digits else "64"


def build_task_info(spec, task_id, user_id, platform, project_id="0"):
    info = dict(TASK_INFO_DEFAULTS)
    env = spec.render_env or {}
    spec.check()
    info.update({
        "task_id": scalar(task_id),
        "user_id": scalar(user_id),
        "project_id": scalar(project_id if project_id not in (None, "") else "0"),
        "project_name": scalar(spec.project_name),
        "cg_id": spec.cg_id,
        "input_cg_file": slashes(spec.scene.scene_path),
        "input_project_path": slashes(spec.scene.project_path),
        "platform": scalar(platform),
        "os_name": scalar(env.get("osName")) if env.get("osName") not in (None, "") else "1",
        "ram": _ram(spec.ram),
        "graphics_cards_num": _gpu_cards(spec.gpu_num),
        "hardwareConfigId": scalar(spec.hardware_config_id),
        "frames_per_task": scalar(spec.frames_per_task),
        "pre_frames": scalar(spec.pre_frames),
        "stop_after_test": scalar(spec.stop_after_test),
    })
    info.update(layouts.for_host(spec.host).task_info(spec, env))
    overrides = spec.host_settings.get("task_info") or {}
    unknown = sorted(set(overrides) - _TASK_INFO_KEYS)
    if unknown:
        raise JobError("unknown task_info keys: {}".format(", ".join(unknown)),
                       hint="the farm accepts only: {}".format(", ".join(sorted(_TASK_INFO_KEYS))))
    info.update({key: scalar(value) for key, value in overrides.items()})
    return info


def build_task_json(spec, task_id, user_id, platform, project_id="0"):
    """task.json for the spec's host (Blender 2007, Maya 2000, 3ds Max 2001); every
    scalar a string (Blender's ``scene_name`` and the camera lists are arrays)."""
    spec.check()
    scene_info = layouts.for_host(spec.host).scene_info_render(spec)
    return {
        "software_config": software_config(spec),
        "task_info": build_task_info(spec, task_id, user_id, platform, project_id),
        "scene_info_render": scene_info,
        "scene_info": json.loads(json.dumps(scene_info)),
        "additional_info": strings(spec.host_settings.get("additional_info") or {}),
    }


# -- upload.json, asset.json ---------------------------------------------------------

def upload_entries(spec):
    """``[(local, server)]`` for the scene and every dependency that exists, once each."""
    entries = []
    seen = set()
    scene_path = spec.scene.scene_path
    if scene_path:
        entries.append((slashes(scene_path), server_path(scene_path)))
        seen.add(slashes(scene_path))
    for dep in spec.scene.dependencies:
        if not dep.exists:
            continue
        local = slashes(dep.local_path)
        if local in seen:
            continue
        seen.add(local)
        entries.append((local, server_path(dep.path)))
    return entries


def build_upload_json(spec, hash_scene=True):
    """``{"asset": [{"local", "server"}], "scene": [{"local", "server", "hash"}]}``.

    ``asset`` holds the scene itself first, then each existing dependency once; missing
    files are left out (validation reports them). ``hash`` is the scene's MD5, "" when
    the file cannot be read or ``hash_scene`` is False."""
    entries = upload_entries(spec)
    scene = []
    if spec.scene.scene_path:
        digest = ""
        if hash_scene:
            try:
                digest = file_md5(spec.scene.scene_path)
            except OSError:
                digest = ""
        scene.append({"local": entries[0][0], "server": entries[0][1], "hash": digest})
    return {"asset": [{"local": local, "server": server} for local, server in entries],
            "scene": scene}


def build_asset_json(spec):
    """Our inventory: every dependency path, missing ones too, in the order found."""
    return {"asset": [slashes(dep.path) for dep in spec.scene.dependencies],
            "missing": [slashes(dep.path) for dep in spec.scene.dependencies if not dep.exists]}


def write_job_files(spec, folder, task_id, user_id, platform, project_id="0"):
    """Write task.json, upload.json, asset.json and tips.json into ``folder``;
    ``{file name: path}``. Each file is written whole (temp file, then rename)."""
    if not os.path.isdir(folder):
        os.makedirs(folder)
    files = {
        "task.json": build_task_json(spec, task_id, user_id, platform, project_id),
        "upload.json": build_upload_json(spec),
        "asset.json": build_asset_json(spec),
        "tips.json": build_tips(spec),
    }
    paths = {}
    for name, content in files.items():
        path = os.path.join(folder, name)
        write_json_atomic(path, content, indent=2, ensure_ascii=False)
        paths[name] = path
    return paths
