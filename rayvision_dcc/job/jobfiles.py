"""The four job files (task.json, upload.json, asset.json, tips.json), validation and
the choice of render environment. Layouts and codes: ../shared/spec/job-files.md;
our decisions: docs/job-files.md.

Everything here is pure: it reads the scene file only to hash it (in chunks).
"""
from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass

from rayvision_dcc.errors import JobError
from rayvision_dcc.job.deps import find_sequence_gaps, norm_path
from rayvision_dcc.job.frames import frame_range, parse_frames

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

#: Blender output formats that are movies (tip 46000).
MOVIE_FORMATS = frozenset(["AVI_JPEG", "AVI_RAW", "FFMPEG", "H264", "XVID", "THEORA",
                           "QUICKTIME", "FRAMESERVER"])
_MOVIE_EXTENSIONS = frozenset(["avi", "mov", "mp4", "mkv", "webm", "ogv", "flv", "wmv", "mpg",
                               "mpeg", "m4v"])

#: Tip codes we emit and their titles (for messages; the farm's error-detail endpoint
#: has the authoritative text).
TIP_TITLES = {
    "10012": "missing texture or map",
    "10018": "Alembic cache missing",
    "10027": "frames of a texture sequence missing",
    "10028": "OpenVDB cache missing",
    "10035": "no active or renderable camera",
    "15006": "no camera",
    "15013": "scene version does not match the render environment",
    "15024": "scene file not found",
    "35001": "missing file",
    "46000": "movie output format",
    "46001": "frame step is not 1",
    "46002": "EEVEE needs a GPU",
    "46003": "scene has no camera",
}

#: The "no camera" code per host.
_NO_CAMERA = {"Blender": "46003", "Maya": "15006", "3ds Max": "10035"}

ERROR = "error"
WARNING = "warning"


@dataclass
class Tip:
    """One finding of ``validate``. ``code`` "" means a check of ours with no farm code:
    it is shown, but not written to tips.json."""

    code: str
    severity: str
    detail: str = ""
    hint: str = ""

    @property
    def is_error(self):
        return self.severity == ERROR

    @property
    def title(self):
        return TIP_TITLES.get(self.code, "")

    def to_dict(self):
        return {"code": self.code, "severity": self.severity, "detail": self.detail,
                "hint": self.hint, "title": self.title}


# -- paths ---------------------------------------------------------------------------

def slashes(path):
    """A local path as the job files write it: forward slashes."""
    return str(path).replace("\\", "/")


def server_path(local):
    """The server path of a local path by the SDK's rule (job-files.md section 4):
    backslashes become ``/``; a drive path loses every ``:`` and gains a leading ``/``
    (``D:\\a\\b.png`` -> ``/D/a/b.png``); anything else loses its first character
    (``\\\\nas\\s\\x.exr`` -> ``/nas/s/x.exr``, ``/home/u/x`` -> ``home/u/x``)."""
    path = slashes(local)
    if not path:
        raise JobError("an empty path has no server path", hint="report this as a bug")
    if len(path) > 1 and path[1] == ":":
        return "/" + path.replace(":", "")
    return path[1:]


def file_digest(path, algorithm="md5", chunk=1 << 20, on_chunk=None):
    """Hex digest of a file read in chunks (never whole into memory); ``on_chunk()`` runs
    after each chunk (the transfer's cancel check)."""
    digest = hashlib.new(algorithm)
    with open(path, "rb") as handle:
        while True:
            block = handle.read(chunk)
            if not block:
                break
            digest.update(block)
            if on_chunk is not None:
                on_chunk()
    return digest.hexdigest()


def file_md5(path):
    return file_digest(path, "md5")


# -- render environment ----------------------------------------------------------------

def _env_cg_id(env):
    for key in ("cgId", "cglId", "cg_id"):
        if env.get(key) not in (None, ""):
            return str(env[key])
    return ""


def _version_key(text):
    return [int(part) for part in re.findall(r"\d+", str(text or ""))][:2]


def versions_match(env_version, host_version):
    """True when the render environment's version is the scene's host version, compared
    on the leading numbers both give (major.minor at most): ``"4.5"`` matches ``"4.5.1"``,
    ``"2022"`` matches ``"2022.3"``, ``"3.6"`` does not match ``"4.5"``. An unknown host
    version matches anything."""
    host_key = _version_key(host_version)
    env_key = _version_key(env_version)
    if not host_key or not env_key:
        return True
    size = min(len(host_key), len(env_key))
    return host_key[:size] == env_key[:size]


def describe_env(env):
    return "{} ({} {}{})".format(env.get("editName") or "<unnamed>", env.get("cgName") or "",
                                 env.get("cgVersion") or "?",
                                 ", default" if str(env.get("isDefault")) == "1" else "")


def choose_render_env(envs, cg_id, host_version, wanted_name=None, allow_mismatch=False):
    """The render environment to use among ``envs`` (getRenderEnv's answer).

    The one named ``wanted_name``, else the default (``isDefault`` 1), else the only one,
    else the only one with the scene's version. JobError, listing the choices, when there
    is none, when the wanted name does not exist, when no single choice stands out, or
    when the chosen version differs from ``host_version`` (unless ``allow_mismatch``)."""
    cg_id = str(cg_id)
    mine = [env for env in envs or [] if _env_cg_id(env) in ("", cg_id)]
    from rayvision_dcc.job.scene import CG_NAMES
    host = CG_NAMES.get(cg_id, "cg_id " + cg_id)
    choices = "; ".join(describe_env(env) for env in mine)
    if not mine:
        raise JobError("your account has no render environment for {}".format(host),
                       hint="add a {} {} environment on the website (Render settings) and "
                            "make it the default".format(host, host_version or "").replace(
                                "  ", " "))
    if wanted_name:
        chosen = [env for env in mine if env.get("editName") == wanted_name]
        if not chosen:
            raise JobError("there is no {} render environment named {!r}".format(
                host, wanted_name), hint="choose one of: " + choices)
        env = chosen[0]
    else:
        defaults = [env for env in mine if str(env.get("isDefault")) == "1"]
        matching = [env for env in mine
                    if versions_match(env.get("cgVersion"), host_version)]
        if defaults:
            env = defaults[0]
        elif len(mine) == 1:
            env = mine[0]
        elif len(matching) == 1:
            env = matching[0]
        else:
            raise JobError("{} render environments and none is the default".format(len(mine)),
                           hint="choose one with --env NAME: " + choices)
    if not allow_mismatch and not versions_match(env.get("cgVersion"), host_version):
        raise JobError(
            "the render environment {} is {} {}, but the scene was saved with {} {}".format(
                env.get("editName"), host, env.get("cgVersion"), host, host_version),
            hint="choose an environment of the scene's version with --env NAME: " + choices)
    return env


def software_config(spec):
    """``software_config`` from the spec's render environment (or the scene when none)."""
    env = spec.render_env or {}
    plugins = {}
    for plugin in env.get("respUserPluginInfoVos") or []:
        name = str(plugin.get("pluginName") or "")
        version = str(plugin.get("pluginVersion") or "")
        if not name:
            continue
        # getRenderEnv spells versions as "<name> <version>" ("wobble 0.9.5").
        if version.startswith(name + " "):
            version = version[len(name) + 1:]
        plugins[name] = version
    if not env:
        plugins = {str(k): str(v) for k, v in spec.scene.plugins.items()}
    return {
        "cg_name": str(env.get("cgName") or spec.host),
        "cg_version": str(env.get("cgVersion") or spec.scene.host_version),
        "plugins": plugins,
    }


# -- task.json ---------------------------------------------------------------------------

def _s(value):
    """A scalar as task.json writes it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


def _strings(value):
    if isinstance(value, dict):
        return {str(k): _strings(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_strings(v) for v in value]
    return _s(value)


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
        "task_id": _s(task_id),
        "user_id": _s(user_id),
        "project_id": _s(project_id if project_id not in (None, "") else "0"),
        "project_name": _s(spec.project_name),
        "cg_id": spec.cg_id,
        "input_cg_file": slashes(spec.scene.scene_path),
        "input_project_path": slashes(spec.scene.project_path),
        "platform": _s(platform),
        "os_name": _s(env.get("osName")) if env.get("osName") not in (None, "") else "1",
        "ram": _ram(spec.ram),
        "graphics_cards_num": _gpu_cards(spec.gpu_num),
        "hardwareConfigId": _s(spec.hardware_config_id),
        "frames_per_task": _s(spec.frames_per_task),
        "pre_frames": _s(spec.pre_frames),
        "stop_after_test": _s(spec.stop_after_test),
    })
    if spec.host == "Maya":
        settings = spec.host_settings
        info["enable_layered"] = _s(settings.get("enable_layered", "0"))
        layer_type = settings.get("render_layer_type", (spec.scene.extra or {}).get(
            "render_layer_type", env.get("renderLayerType")))
        info["render_layer_type"] = _s(layer_type if layer_type not in (None, "") else "0")
    overrides = spec.host_settings.get("task_info") or {}
    unknown = sorted(set(overrides) - _TASK_INFO_KEYS)
    if unknown:
        raise JobError("unknown task_info keys: {}".format(", ".join(unknown)),
                       hint="the farm accepts only: {}".format(", ".join(sorted(_TASK_INFO_KEYS))))
    info.update({key: _s(value) for key, value in overrides.items()})
    return info


def _frame_bounds(spec):
    frames = parse_frames(spec.frames)
    steps = _item_steps(spec.frames)
    step = steps[0] if len(steps) == 1 else (spec.scene.frame_step or 1)
    return min(frames), max(frames), step, frames


def _item_steps(text):
    return [int(step) for step in re.findall(r"\[\s*(\d+)\s*\]", str(text))] or [1]


def blender_camera_repr(name):
    """How the Blender analyzer writes a camera: ``<bpy_struct, Object("Camera")>``."""
    return '<bpy_struct, Object("{}")>'.format(name)


def _blender_scene_info(spec):
    scene = spec.scene
    camera = spec.cameras[0] if spec.cameras else None
    return {"common": {
        "frames": spec.frames.replace(" ", ""),
        "width": _s(scene.width),
        "height": _s(scene.height),
        "Render_Format": _s(scene.output_format),
        "Output_path": _s(scene.output_path),
        "scene_name": [scene.scene_name or "Scene"],
        "camera_name": blender_camera_repr(camera) if camera else "None",
    }}


def _maya_scene_info(spec):
    scene = spec.scene
    settings = spec.host_settings
    start, end, step, frames = _frame_bounds(spec)
    common_extra = (scene.extra or {}).get("common") or {}
    cameras = list(spec.cameras or [])
    layers = scene.render_layers or []
    chosen = set(spec.layers or [])
    result = {}
    names = [layer.name for layer in layers] or ["defaultRenderLayer"]
    layer_overrides = (scene.extra or {}).get("layers") or {}
    for name in names:
        common = {
            "renderer": _s(scene.renderer),
            "start": _s(start),
            "end": _s(end),
            "by_frame": _s(step),
            "frames": spec.frames.replace(" ", ""),
            "animation": "True" if len(frames) > 1 else "False",
            "renumber_frames": "True" if settings.get("renumber_frames") in (True, "True", "1")
            else "False",
            "width": _s(scene.width),
            "height": _s(scene.height),
            "image_format": _s(scene.output_format),
            "image_file_prefix": _s(settings.get("image_file_prefix",
                                                 common_extra.get("image_file_prefix", ""))),
            "all_camera": list(scene.camera_names),
            "render_camera": cameras,
        }
        for key, value in common_extra.items():
            if key not in common:
                common[key] = _strings(value)
        _apply_layer_overrides(spec, common, layer_overrides.get(name) or {})
        renderable = name in chosen if layers else True
        result[name] = {
            "renderable": "1" if renderable else "0",
            "is_default_camera": _s(settings.get("is_default_camera", "1")),
            "option": _s(settings.get("option", "")),
            "env": _strings(settings.get("env") or {}),
            "common": common,
        }
    return result


def _apply_layer_overrides(spec, common, override):
    """A Maya layer's own frames and cameras (``extra["layers"][name]``: ``frame_start``,
    ``frame_end``, ``frame_step``, ``cameras``), used while the job keeps the scene's
    frames / cameras; what the user chose instead applies to every layer."""
    scene = spec.scene
    if "frame_start" in override and spec.frames.replace(" ", "") == scene.frames:
        start = int(override["frame_start"])
        end = int(override.get("frame_end", start))
        step = int(override.get("frame_step") or 1)
        common.update({"start": _s(start), "end": _s(end), "by_frame": _s(step),
                       "frames": frame_range(start, end, step),
                       "animation": "True" if end > start else "False"})
    if override.get("cameras") and list(spec.cameras or []) == scene.renderable_cameras:
        common["render_camera"] = [_s(name) for name in override["cameras"]]


def _max_scene_info(spec):
    scene = spec.scene
    start, end, step, frames = _frame_bounds(spec)
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
        "width": _s(scene.width),
        "height": _s(scene.height),
        "output_file": output,
        "output_file_basename": stem,
        "output_file_type": ext or _s(scene.output_format),
        "rend_save_file": "true" if output else "false",
        "element_active": "0",
        "element_type": ext or _s(scene.output_format),
        "element_list": [],
        "element_path_list": [],
        "gamma": "0",
        "gamma_val": "1.0",
        "is_picture": "0",
        "net_render": "0",
        "global_proxy": "false",
        "cgv": _s(scene.host_version),
    }
    for key, value in (extra.get("common") or {}).items():
        common[str(key)] = _strings(value)
    renderer = {"name": _s(scene.renderer), "renderer": _s(scene.renderer),
                "renderer_orign": _s(extra.get("renderer_class") or scene.renderer)}
    return {"common": common, "renderer": renderer}


_LAYOUTS = {"Blender": _blender_scene_info, "Maya": _maya_scene_info, "3ds Max": _max_scene_info}


def build_task_json(spec, task_id, user_id, platform, project_id="0"):
    """task.json for the spec's host (Blender 2007, Maya 2000, 3ds Max 2001); every
    scalar a string (Blender's ``scene_name`` and the camera lists are arrays)."""
    spec.check()
    layout = _LAYOUTS.get(spec.host)
    if layout is None:
        raise JobError("no task.json layout for {}".format(spec.host),
                       hint="the hosts are: {}".format(", ".join(sorted(_LAYOUTS))))
    scene_info = layout(spec)
    return {
        "software_config": software_config(spec),
        "task_info": build_task_info(spec, task_id, user_id, platform, project_id),
        "scene_info_render": scene_info,
        "scene_info": json.loads(json.dumps(scene_info)),
        "additional_info": _strings(spec.host_settings.get("additional_info") or {}),
    }


# -- upload.json, asset.json -----------------------------------------------------------

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


# -- validation, tips.json ---------------------------------------------------------------

#: Tips that mean "a file the scene uses is missing": the user may go on without them.
MISSING_FILE_CODES = frozenset(["35001", "10012", "10018", "10027", "10028", "50001"])


def _missing_code(host, kind, path):
    if host == "Blender":
        return "35001"
    lower = str(path).lower()
    if kind == "cache" and lower.endswith(".abc"):
        return "10018"
    if kind == "volume" or lower.endswith(".vdb"):
        return "10028"
    return "10012"


def validate(spec):
    """What stops or may spoil this job, as Tips: errors block, warnings are shown.

    Also the source of tips.json. Missing files the user ignored are warnings."""
    tips = []
    scene = spec.scene
    host = scene.host

    # the scene itself
    if not scene.scene_path:
        tips.append(Tip("15024", ERROR, "", "save the scene to a file first"))
    elif not os.path.isfile(scene.scene_path):
        tips.append(Tip("15024", ERROR, slashes(scene.scene_path),
                        "save the scene, or check the path"))

    # frames and settings that cannot be written at all
    try:
        spec.check()
        frames = spec.frame_list()
    except JobError as exc:
        tips.append(Tip("", ERROR, exc.message, exc.hint))
        frames = []

    # render environment
    if not spec.render_env:
        tips.append(Tip("", ERROR, "no render environment chosen",
                        "pick one of your account's render environments (--env NAME)"))
    elif not versions_match(spec.render_env.get("cgVersion"), scene.host_version):
        allowed = bool(spec.host_settings.get("allow_version_mismatch"))
        tips.append(Tip("15013", WARNING if allowed else ERROR,
                        "scene {} {}, render environment {} {}".format(
                            host, scene.host_version, spec.render_env.get("editName", ""),
                            spec.render_env.get("cgVersion", "")),
                        "choose a render environment of the scene's version"))
    needed = str((scene.extra or {}).get("renderer_plugin") or "")
    if spec.render_env and needed and needed not in software_config(spec)["plugins"]:
        tips.append(Tip("", WARNING, "the render environment {} has no {} (the scene renders "
                        "with {})".format(spec.render_env.get("editName", ""), needed,
                                          scene.renderer),
                        "add {} to it on the website, or choose one that has it".format(
                            needed)))

    # cameras
    no_camera = _NO_CAMERA.get(host, "15006")
    if not scene.cameras:
        tips.append(Tip(no_camera, ERROR, "", "add a camera to the scene"))
    elif not spec.cameras:
        tips.append(Tip(no_camera, ERROR, "no camera chosen",
                        "choose a camera to render" + (
                            " (or set the scene camera)" if host == "Blender" else "")))
    else:
        unknown = [name for name in spec.cameras if name not in scene.camera_names]
        if unknown:
            tips.append(Tip(no_camera, ERROR, ", ".join(unknown),
                            "these cameras are not in the scene; choose from: "
                            + ", ".join(scene.camera_names)))
        if host == "Blender" and len(spec.cameras) > 1:
            tips.append(Tip("", ERROR, "Blender renders one camera per job; chosen: "
                            + ", ".join(spec.cameras),
                            "choose one camera, or submit once per camera"))

    # render layers
    if scene.render_layers and spec.layers is not None:
        known = set(layer.name for layer in scene.render_layers)
        unknown = [name for name in spec.layers if name not in known]
        if unknown:
            tips.append(Tip("", ERROR, "unknown render layers: " + ", ".join(unknown),
                            "choose from: " + ", ".join(sorted(known))))
        elif not spec.layers:
            tips.append(Tip("", ERROR, "no render layer chosen", "choose a layer to render"))

    # output
    if host == "Blender":
        if scene.output_format.upper() in MOVIE_FORMATS:
            tips.append(Tip("46000", ERROR, scene.output_format,
                            "set Output Properties > File Format to an image format "
                            "(PNG, OpenEXR) and render an image sequence"))
        if frames and any(step != 1 for step in _item_steps(spec.frames)):
            tips.append(Tip("46001", WARNING, spec.frames,
                            "only the frames of the step are rendered; use [1] for every frame"))
        if scene.renderer.upper().startswith("BLENDER_EEVEE") and not spec.gpu_num:
            tips.append(Tip("46002", WARNING, scene.renderer,
                            "choose a GPU hardware config, or render with Cycles"))
    elif scene.output_format.lower().lstrip(".") in _MOVIE_EXTENSIONS:
        tips.append(Tip("", ERROR, "movie output " + scene.output_format,
                        "render an image sequence instead of a movie"))

    # files
    ignored = set(norm_path(path) for path in spec.ignored_missing)
    for dep in scene.dependencies:
        if dep.exists:
            continue
        code = _missing_code(host, dep.kind, dep.path)
        detail = slashes(dep.path)
        if norm_path(dep.path) in ignored:
            tips.append(Tip(code, WARNING, detail, "ignored by you: the render goes on without it"))
        else:
            owner = " (used by {})".format(dep.owner) if dep.owner else ""
            tips.append(Tip(code, ERROR, detail,
                            "find the {} file{}, fix the path in the scene, or ignore it "
                            "to submit without it".format(dep.kind, owner)))

    # image sequences and UDIM sets with holes (warnings)
    for gap in find_sequence_gaps(scene.dependencies):
        tips.append(Tip("10027", WARNING, gap.describe(),
                        "render the missing frames/tiles, or check the sequence is complete"))

    for warning in scene.warnings:
        tips.append(Tip("", WARNING, warning, "the scan went on; check this by hand"))
    return tips


def errors(tips):
    return [tip for tip in tips if tip.is_error]


def build_tips(spec, tips=None):
    """tips.json: ``{code: [details]}`` of what validation found, codes only (our own
    checks without a farm code stay local); ignored missing files are left out."""
    result = {}
    for tip in validate(spec) if tips is None else tips:
        if not tip.code:
            continue
        if tip.code in ("35001", "10012", "10018", "10028") and not tip.is_error:
            continue
        details = result.setdefault(tip.code, [])
        if tip.detail and tip.detail not in details:
            details.append(tip.detail)
    return result


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
        tmp = path + ".tmp"
        with open(tmp, "w", encoding="utf-8") as handle:
            json.dump(content, handle, indent=2, ensure_ascii=False)
        os.replace(tmp, path)
        paths[name] = path
    return paths
