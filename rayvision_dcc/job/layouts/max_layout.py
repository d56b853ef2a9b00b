"""3ds Max's job files: the task.json ``scene_info_render`` layout and checks (cg_id 2001;
docs/job-files.md)."""
from __future__ import annotations

import os
import re

from rayvision_dcc.job.layouts.common import (frame_bounds, missing_code_by_kind,
                                              movie_output_tips, scalar, strings)
from rayvision_dcc.job.paths import slashes

HOST = "3ds Max"
NO_CAMERA_CODE = "10035"
CAMERA_HINT = "choose a camera to render"

missing_code = missing_code_by_kind
check = movie_output_tips


def scene_info_render(spec):
    scene = spec.scene
    start, end, step, frames = frame_bounds(spec)
    extra = scene.extra or {}
    all_cameras = list(scene.camera_names)
    renderable = [name for name in spec.cameras or [] if name in all_cameras]
    output = slashes(scene.output_path)
    base = os.path.basename(output)
    stem, ext = os.path.splitext(base)
    if len(frames) == 1:
        time_type = "1"
    elif re.match(r"^\s*-?\d+\s*-\s*-?\d+\s*(\[\s*\d+\s*\])?\s*$", spec.frames):
        time_type = "3"
    else:
        time_type = "4"
    common = {
        "all_camera": all_cameras,
        "renderable_camera": renderable,
        "frames": spec.frames.replace(" ", ""),
        "animation_range": "{}-{}".format(scene.frame_start, scene.frame_end),
        "rend_timeType": time_type,
        "width": scalar(scene.width),
        "height": scalar(scene.height),
        "output_file": output,
        "output_file_basename": stem,
        "output_file_type": ext or scalar(scene.output_format),
        "rend_save_file": "true" if output else "false",
        "element_active": "0",
        "element_type": ext or scalar(scene.output_format),
        "element_list": [],
        "element_path_list": [],
        "gamma": "0",
        "gamma_val": "1.0",
        "is_picture": "0",
        "net_render": "0",
        "global_proxy": "false",
        "cgv": scalar(scene.host_version),
    }
    for key, value in (extra.get("common") or {}).items():
        common[str(key)] = strings(value)
    renderer = {"name": scalar(scene.renderer), "renderer": scalar(scene.renderer),
                "renderer_orign": scalar(extra.get("renderer_class") or scene.renderer)}
    return {"common": common, "renderer": renderer}


def task_info(spec, env):
    """3ds Max's own task_info values: none."""
    return {}
