"""Blender's job files: the task.json ``scene_info_render`` layout and Blender's own checks
(cg_id 2007; ../shared/spec/job-files.md, docs/job-files.md)."""
from __future__ import annotations

from rayvision_dcc.job.layouts.common import item_steps, scalar
from rayvision_dcc.job.tips import ERROR, WARNING, Tip

HOST = "Blender"
#: The "no camera" tip code.
NO_CAMERA_CODE = "46003"
CAMERA_HINT = "choose a camera to render (or set the scene camera)"

#: Blender output formats that are movies (tip 46000).
MOVIE_FORMATS = frozenset(["AVI_JPEG", "AVI_RAW", "FFMPEG", "H264", "XVID", "THEORA",
                           "QUICKTIME", "FRAMESERVER"])


def camera_repr(name):
    """How the Blender analyzer writes a camera: ``<bpy_struct, Object("Camera")>``."""
    return '<bpy_struct, Object("{}")>'.format(name)


def scene_info_render(spec):
    scene = spec.scene
    camera = spec.cameras[0] if spec.cameras else None
    return {"common": {
        "frames": spec.frames.replace(" ", ""),
        "width": scalar(scene.width),
        "height": scalar(scene.height),
        "Render_Format": scalar(scene.output_format),
        "Output_path": scalar(scene.output_path),
        "scene_name": [scene.scene_name or "Scene"],
        "camera_name": camera_repr(camera) if camera else "None",
    }}


def task_info(spec, env):
    """Blender's own task_info values: none."""
    return {}


def missing_code(kind, path):
    return "35001"


def check(spec, frames):
    """Blender's own checks: one camera per job, an image output, frame step, EEVEE."""
    scene = spec.scene
    tips = []
    if len(spec.cameras or []) > 1:
        tips.append(Tip("", ERROR, "Blender renders one camera per job; chosen: "
                        + ", ".join(spec.cameras),
                        "choose one camera, or submit once per camera"))
    if scene.output_format.upper() in MOVIE_FORMATS:
        tips.append(Tip("46000", ERROR, scene.output_format,
                        "set Output Properties > File Format to an image format "
                        "(PNG, OpenEXR) and render an image sequence"))
    if frames and any(step != 1 for step in item_steps(spec.frames)):
        tips.append(Tip("46001", WARNING, spec.frames,
                        "only the frames of the step are rendered; use [1] for every frame"))
    if scene.renderer.upper().startswith("BLENDER_EEVEE") and not spec.gpu_num:
        tips.append(Tip("46002", WARNING, scene.renderer,
                        "choose a GPU hardware config, or render with Cycles"))
    return tips
