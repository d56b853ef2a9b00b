"""``JobSpec``: the user's choices for one submission, on top of a ``SceneInfo``."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

from rayvision_dcc.errors import JobError
from rayvision_dcc.job.frames import parse_frames
from rayvision_dcc.job.scene import SceneInfo

_PRE_FRAMES_FLAGS = ("0", "1")


@dataclass
class JobSpec:
    """One submission.

    - ``cameras``: names to render (default: the scene's renderable cameras).
    - ``frames``: the farm's frame syntax, kept as typed (default: the scene's range).
    - ``layers``: render layers to render (default: the scene's renderable layers).
    - ``render_env``: one item of ``getRenderEnv`` as the API returned it (see
      ``jobfiles.choose_render_env``); its version and plugins become ``software_config``.
    - ``render_env_name``: the environment the user asked for by name ("" = the
      account's default); used to fill ``render_env`` when it is empty.
    - ``hardware_config_id``, ``ram`` (``"64"``), ``gpu_num`` (``"2"``; "" for a CPU
      config): the hardware config chosen from ``/api/render/hardwareConfig/list``.
    - ``pre_frames`` (``"000"``, ``"100"``, ``"000:1,5"``), ``stop_after_test`` (``"1"``
      pause after the priority frames, ``"2"`` go on).
    - ``host_settings``: per-host options; ``host_settings["task_info"]`` overrides
      ``task_info`` keys (only keys the farm knows), other keys are read by the host's
      task.json layout (docs/job-files.md lists them).
    - ``ignored_missing``: missing files the user chose to submit without.
    - ``output_dir``: where ``download`` puts the rendered frames.
    """

    scene: SceneInfo
    cameras: Optional[List[str]] = None
    frames: str = ""
    layers: Optional[List[str]] = None
    render_env: Dict[str, Any] = field(default_factory=dict)
    render_env_name: str = ""
    hardware_config_id: str = ""
    ram: str = "64"
    gpu_num: str = ""
    pre_frames: str = "000"
    stop_after_test: str = "2"
    labels: List[str] = field(default_factory=list)
    project_name: str = ""
    frames_per_task: str = "1"
    host_settings: Dict[str, Any] = field(default_factory=dict)
    ignored_missing: List[str] = field(default_factory=list)
    output_dir: str = ""

    def __post_init__(self):
        if isinstance(self.scene, dict):
            self.scene = SceneInfo.from_dict(self.scene)
        if self.cameras is None:
            self.cameras = list(self.scene.renderable_cameras)
        if not self.frames:
            self.frames = self.scene.frames
        if self.layers is None:
            self.layers = [layer.name for layer in self.scene.render_layers if layer.renderable]
        self.render_env = dict(self.render_env or {})
        self.render_env_name = str(self.render_env_name or "")
        self.ram = str(self.ram or "")
        self.gpu_num = str(self.gpu_num or "")
        self.hardware_config_id = str(self.hardware_config_id or "")
        self.frames_per_task = str(self.frames_per_task or "1")
        self.pre_frames = str(self.pre_frames or "000")
        self.stop_after_test = str(self.stop_after_test or "2")

    # -- derived -------------------------------------------------------------------
    @property
    def host(self):
        return self.scene.host

    @property
    def cg_id(self):
        return self.scene.cg_id

    def frame_list(self):
        """The frame numbers; JobError with a hint for a bad string."""
        return parse_frames(self.frames)

    def check(self):
        """Raise JobError for choices that cannot make a job file at all (bad frames,
        pre_frames, stop_after_test, frames_per_task). ``jobfiles.validate`` reports the
        rest as tips."""
        self.frame_list()
        check_pre_frames(self.pre_frames)
        if self.stop_after_test not in ("1", "2"):
            raise JobError("stop_after_test must be \"1\" or \"2\", not {!r}".format(
                self.stop_after_test), hint="1 pauses after the priority frames, 2 goes on")
        if not self.frames_per_task.isdigit() or int(self.frames_per_task) < 1:
            raise JobError("frames per task must be a whole number of at least 1, not {!r}"
                           .format(self.frames_per_task), hint="use 1 unless you know why")

    # -- JSON ----------------------------------------------------------------------
    def to_dict(self):
        return {
            "scene": self.scene.to_dict(),
            "cameras": list(self.cameras or []),
            "frames": self.frames,
            "layers": list(self.layers or []),
            "render_env": dict(self.render_env),
            "render_env_name": self.render_env_name,
            "hardware_config_id": self.hardware_config_id,
            "ram": self.ram,
            "gpu_num": self.gpu_num,
            "pre_frames": self.pre_frames,
            "stop_after_test": self.stop_after_test,
            "labels": list(self.labels),
            "project_name": self.project_name,
            "frames_per_task": self.frames_per_task,
            "host_settings": dict(self.host_settings),
            "ignored_missing": list(self.ignored_missing),
            "output_dir": self.output_dir,
        }

    @classmethod
    def from_dict(cls, data):
        if not isinstance(data, dict) or "scene" not in data:
            raise JobError("the job description has no scene",
                           hint="a job is a JSON object with a \"scene\" (see JobSpec.to_dict)")
        known = set(cls.__dataclass_fields__)
        values = {key: value for key, value in data.items() if key in known}
        values["scene"] = SceneInfo.from_dict(data["scene"])
        return cls(**values)


def check_pre_frames(text):
    """``"000"``, ``"101"``, ``"000:1,3-4[1]"``; JobError otherwise."""
    flags, _, custom = str(text).partition(":")
    if len(flags) != 3 or any(flag not in _PRE_FRAMES_FLAGS for flag in flags):
        raise JobError("priority frames {!r} must start with three 0/1 digits".format(text),
                       hint="e.g. 000 (none), 100 (first), 111 (first, middle, last), "
                            "000:1,5 (frames 1 and 5)")
    if custom:
        parse_frames(custom)
    return text
