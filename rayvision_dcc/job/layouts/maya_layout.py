"""Maya's job files: the task.json ``scene_info_render`` layout (one block per render layer),
Maya's task_info values and checks (cg_id 2000; docs/job-files.md)."""
from __future__ import annotations

from rayvision_dcc.job.frames import frame_range
from rayvision_dcc.job.layouts.common import (frame_bounds, missing_code_by_kind,
                                              movie_output_tips, scalar, strings)

HOST = "Maya"
NO_CAMERA_CODE = "15006"
CAMERA_HINT = "choose a camera to render"

missing_code = missing_code_by_kind
check = movie_output_tips


def scene_info_render(spec):
    scene = spec.scene
    settings = spec.host_settings
    start, end, step, frames = frame_bounds(spec)
    common_extra = (scene.extra or {}).get("common") or {}
    cameras = list(spec.cameras or [])
    layers = scene.render_layers or []
    chosen = set(spec.layers or [])
    result = {}
    names = [layer.name for layer in layers] or ["defaultRenderLayer"]
    layer_overrides = (scene.extra or {}).get("layers") or {}
    for name in names:
        common = {
            "renderer": scalar(scene.renderer),
            "start": scalar(start),
            "end": scalar(end),
            "by_frame": scalar(step),
            "frames": spec.frames.replace(" ", ""),
            "animation": "True" if len(frames) > 1 else "False",
            "renumber_frames": "True" if settings.get("renumber_frames") in (True, "True", "1")
            else "False",
            "width": scalar(scene.width),
            "height": scalar(scene.height),
            "image_format": scalar(scene.output_format),
            "image_file_prefix": scalar(settings.get("image_file_prefix",
                                                 common_extra.get("image_file_prefix", ""))),
            "all_camera": list(scene.camera_names),
            "render_camera": cameras,
        }
        for key, value in common_extra.items():
            if key not in common:
                common[key] = strings(value)
        _apply_layer_overrides(spec, common, layer_overrides.get(name) or {})
        renderable = name in chosen if layers else True
        result[name] = {
            "renderable": "1" if renderable else "0",
            "is_default_camera": scalar(settings.get("is_default_camera", "1")),
            "option": scalar(settings.get("option", "")),
            "env": strings(settings.get("env") or {}),
            "common": common,
        }
    return result


def _apply_layer_overrides(spec, common, override):
    """A Maya layer's own values (``extra["layers"][name]``): ``frame_start``,
    ``frame_end``, ``frame_step`` and ``cameras``, used while the job keeps the scene's
    frames / cameras (what the user chose instead applies to every layer); ``width`` and
    ``height``, always."""
    scene = spec.scene
    if any(key in override for key in ("frame_start", "frame_end", "frame_step")) \
            and spec.frames.replace(" ", "") == scene.frames:
        start = int(override.get("frame_start", scene.frame_start))
        end = int(override.get("frame_end", scene.frame_end))
        step = int(override.get("frame_step") or scene.frame_step or 1)
        common.update({"start": scalar(start), "end": scalar(end), "by_frame": scalar(step),
                       "frames": frame_range(start, end, step),
                       "animation": "True" if end > start else "False"})
    if override.get("cameras") and list(spec.cameras or []) == scene.renderable_cameras:
        common["render_camera"] = [scalar(name) for name in override["cameras"]]
    for key in ("width", "height"):
        if key in override:
            common[key] = scalar(int(override[key]))


def task_info(spec, env):
    """Maya's own task_info values: layered rendering and the render layer type."""
    settings = spec.host_settings
    layer_type = settings.get("render_layer_type", (spec.scene.extra or {}).get(
        "render_layer_type", env.get("renderLayerType")))
    return {"enable_layered": scalar(settings.get("enable_layered", "0")),
            "render_layer_type": scalar(layer_type if layer_type not in (None, "") else "0")}
