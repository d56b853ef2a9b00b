"""What a host adapter reports about a scene: ``SceneInfo`` and its parts.

Pure data with a JSON round trip (``to_dict`` / ``from_dict``), so a scene analysed in
one process (a ``bpy`` subprocess, a Maya session) can be submitted from another
(``rayvision-dcc submit --scene-info FILE``). No host module is imported here.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from typing import Any, Dict, List

from rayvision_dcc.errors import JobError
from rayvision_dcc.job.frames import frame_range

#: Host name (``SceneInfo.host``, ``software_config.cg_name``) -> cg_id.
CG_IDS = {
    "Maya": "2000",
    "3ds Max": "2001",
    "Blender": "2007",
}
#: cg_id -> host name.
CG_NAMES = {cg_id: name for name, cg_id in CG_IDS.items()}

#: Dependency kinds an adapter may report. Sequence frames and UDIM tiles are one
#: Dependency per file; ``deps.DependencyReport`` finds the gaps between them.
DEPENDENCY_KINDS = (
    "file", "image", "image_sequence", "udim", "movie", "library", "sound", "movie_clip",
    "cache", "volume", "point_cache", "fluid_cache", "font", "text", "reference",
)


def cg_id_for(host):
    """The cg_id of a host name (``"Blender"`` -> ``"2007"``); JobError for an unknown host."""
    if str(host) in CG_NAMES:
        return str(host)
    for name, cg_id in CG_IDS.items():
        if name.lower() == str(host).strip().lower():
            return cg_id
    raise JobError("unknown host {!r}".format(host),
                   hint="the host must be one of: {}".format(", ".join(sorted(CG_IDS))))


def host_for(host_or_cg_id):
    """The canonical host name (``"blender"`` or ``"2007"`` -> ``"Blender"``)."""
    return CG_NAMES[cg_id_for(host_or_cg_id)]


@dataclass
class _Choice:
    """A named thing the user may render or not (a camera, a render layer)."""

    name: str
    renderable: bool = False

    def to_dict(self):
        return {"name": self.name, "renderable": bool(self.renderable)}

    @classmethod
    def from_dict(cls, data):
        if isinstance(data, str):
            return cls(name=data)
        item = cls(name=str(data["name"]))
        if "renderable" in data:
            item.renderable = bool(data["renderable"])
        return item


@dataclass
class Camera(_Choice):
    renderable: bool = False


@dataclass
class RenderLayer(_Choice):
    renderable: bool = True


@dataclass
class Dependency:
    """One file the scene needs.

    ``path`` is the absolute path as the scene references it (relative references
    such as Blender's ``//tex/a.png`` already resolved against the scene folder); the
    server path is built from it. ``resolved_path`` is where the file was actually
    found when that differs, "" otherwise. ``owner`` names what uses it (an image, a
    node, a modifier) for messages. ``size`` is the file's size in bytes when it was
    checked on disk (0 when not known).
    """

    path: str
    kind: str = "file"
    exists: bool = True
    owner: str = ""
    resolved_path: str = ""
    size: int = 0

    @property
    def local_path(self):
        """The file to read when uploading."""
        return self.resolved_path or self.path

    def to_dict(self):
        return {"path": self.path, "kind": self.kind, "exists": bool(self.exists),
                "owner": self.owner, "resolved_path": self.resolved_path,
                "size": int(self.size)}

    @classmethod
    def from_dict(cls, data):
        if isinstance(data, str):
            return cls(path=data, exists=os.path.isfile(data))
        return cls(path=str(data["path"]), kind=str(data.get("kind") or "file"),
                   exists=bool(data.get("exists", True)), owner=str(data.get("owner") or ""),
                   resolved_path=str(data.get("resolved_path") or ""),
                   size=int(data.get("size") or 0))


@dataclass
class SceneInfo:
    """What a host adapter knows about one scene.

    ``scene_name`` is the name the host gives the scene: Blender's active scene
    datablock (``"Scene"``), the file name without extension for Maya and 3ds Max.
    ``width``/``height`` are the output size with any percentage already applied.
    ``output_format`` is the host's own format id (Blender ``"PNG"``, ``"FFMPEG"``;
    Maya ``"exr"``; Max ``".exr"``). ``extra`` carries host-specific values the job
    files need verbatim (see docs/job-files.md), e.g. ``{"common": {...}}`` merged into
    the Maya/Max ``scene_info_render`` common block. ``frame_list`` is the frame list the
    host's render settings name when it is not one range (3ds Max's pickup frames,
    ``"1,3,5-12[1]"``; "" = the range ``frame_start``-``frame_end``).
    """

    host: str
    host_version: str = ""
    scene_path: str = ""
    scene_name: str = ""
    renderer: str = ""
    cameras: List[Camera] = field(default_factory=list)
    frame_start: int = 1
    frame_end: int = 1
    frame_step: int = 1
    width: int = 0
    height: int = 0
    output_path: str = ""
    output_format: str = ""
    render_layers: List[RenderLayer] = field(default_factory=list)
    plugins: Dict[str, str] = field(default_factory=dict)
    dependencies: List[Dependency] = field(default_factory=list)
    project_path: str = ""
    warnings: List[str] = field(default_factory=list)
    extra: Dict[str, Any] = field(default_factory=dict)
    frame_list: str = ""

    @property
    def cg_id(self):
        return cg_id_for(self.host)

    @property
    def frames(self):
        """The scene's own frames in the farm's syntax, ``"1-250[1]"`` (or its
        ``frame_list``)."""
        if self.frame_list:
            return self.frame_list
        return frame_range(self.frame_start, self.frame_end, self.frame_step or 1)

    @property
    def renderable_cameras(self):
        return [camera.name for camera in self.cameras if camera.renderable]

    @property
    def camera_names(self):
        return [camera.name for camera in self.cameras]

    @property
    def missing(self):
        return [dep for dep in self.dependencies if not dep.exists]

    @property
    def project_folder(self):
        """The folder the scene's files are expected under: the project, else the scene's folder."""
        if self.project_path:
            return self.project_path
        return os.path.dirname(self.scene_path) if self.scene_path else ""

    def to_dict(self):
        return {
            "host": self.host,
            "host_version": self.host_version,
            "scene_path": self.scene_path,
            "scene_name": self.scene_name,
            "renderer": self.renderer,
            "cameras": [camera.to_dict() for camera in self.cameras],
            "frame_start": int(self.frame_start),
            "frame_end": int(self.frame_end),
            "frame_step": int(self.frame_step),
            "width": int(self.width),
            "height": int(self.height),
            "output_path": self.output_path,
            "output_format": self.output_format,
            "render_layers": [layer.to_dict() for layer in self.render_layers],
            "plugins": dict(self.plugins),
            "dependencies": [dep.to_dict() for dep in self.dependencies],
            "project_path": self.project_path,
            "warnings": list(self.warnings),
            "extra": _copy_json(self.extra),
            "frame_list": self.frame_list,
        }

    @classmethod
    def from_dict(cls, data):
        if not isinstance(data, dict) or not data.get("host"):
            raise JobError("the scene description has no host",
                           hint="give a JSON object with at least \"host\" and \"scene_path\"")
        try:
            return cls(
                host=host_for(data["host"]),
                host_version=str(data.get("host_version") or ""),
                scene_path=str(data.get("scene_path") or ""),
                scene_name=str(data.get("scene_name") or ""),
                renderer=str(data.get("renderer") or ""),
                cameras=[Camera.from_dict(item) for item in data.get("cameras") or []],
                frame_start=int(data.get("frame_start", 1)),
                frame_end=int(data.get("frame_end", data.get("frame_start", 1))),
                frame_step=int(data.get("frame_step") or 1),
                width=int(data.get("width") or 0),
                height=int(data.get("height") or 0),
                output_path=str(data.get("output_path") or ""),
                output_format=str(data.get("output_format") or ""),
                render_layers=[RenderLayer.from_dict(item)
                               for item in data.get("render_layers") or []],
                plugins={str(k): str(v) for k, v in (data.get("plugins") or {}).items()},
                dependencies=[Dependency.from_dict(item)
                              for item in data.get("dependencies") or []],
                project_path=str(data.get("project_path") or ""),
                warnings=[str(item) for item in data.get("warnings") or []],
                extra=_copy_json(data.get("extra") or {}),
                frame_list=str(data.get("frame_list") or ""),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise JobError("the scene description is not valid: {}: {}".format(
                type(exc).__name__, exc),
                hint="compare it with `SceneInfo.to_dict()` in docs/job-files.md") from exc

    def copy(self):
        return SceneInfo.from_dict(self.to_dict())


def load_scene_info(path):
    """The SceneInfo in a JSON file (``--scene-info``, ``PlainFileAdapter.from_file``); a
    missing, unreadable or malformed file is a JobError."""
    try:
        with open(path, "r", encoding="utf-8") as handle:
            data = json.load(handle)
    except OSError as exc:
        raise JobError("cannot read the scene info {}: {}".format(path, exc.strerror or exc),
                       hint="check the path of --scene-info") from exc
    except ValueError as exc:
        raise JobError("the scene info {} is not JSON: {}".format(path, exc),
                       hint="write it with a host adapter's scene_info().to_dict()") from exc
    if not isinstance(data, dict):
        raise JobError("the scene info {} does not hold a JSON object".format(path),
                       hint="write it with a host adapter's scene_info().to_dict()")
    try:
        return SceneInfo.from_dict(data)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise JobError("the scene info {} is not a scene description ({}: {})".format(
            path, type(exc).__name__, exc),
            hint="write it with a host adapter's scene_info().to_dict()") from exc


def _copy_json(value):
    if isinstance(value, dict):
        return {str(k): _copy_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_copy_json(v) for v in value]
    return value
