"""The questions a host answers about its scene, and an adapter that answers from a file.

A host plugin (``maya/``, ``max/``, ``blender/``) subclasses ``HostAdapter`` and reads
its host there; everything else (job files, validation, upload) is the core's.
"""
from __future__ import annotations

import abc
import json
import os

from rayvision_dcc.errors import JobError
from rayvision_dcc.job.scene import CG_IDS, SceneInfo


class HostAdapter(abc.ABC):
    """What the panel and the workflow ask a host.

    Subclasses set ``host_name`` (``"Blender"``, ``"Maya"``, ``"3ds Max"``); ``cg_id``
    follows from it. ``scene_info(scan=False)`` must be cheap (no dependency scan) so a
    panel can show the scene at once and scan in a worker afterwards.
    """

    #: Host name as in ``rayvision_dcc.job.CG_IDS``.
    host_name = ""

    @property
    def cg_id(self):
        return CG_IDS.get(self.host_name, "")

    @abc.abstractmethod
    def host_version(self):
        """The host's version as the render environments spell it (``"4.5"``, ``"2022"``)."""

    @abc.abstractmethod
    def scene_info(self, scan=True):
        """A SceneInfo of the current scene; with ``scan`` its dependencies too."""

    def scene_path(self):
        """The saved scene's path ("" for an unsaved scene)."""
        return self.scene_info(scan=False).scene_path

    def save_scene(self):
        """Save the scene so the file on disk is what gets rendered; returns its path."""
        return self.scene_path()

    def is_dirty(self):
        """True when the scene has unsaved changes."""
        return False

    def main_window(self):
        """The host's main window to parent dialogs to; None outside a host."""
        return None

    def __repr__(self):
        return "<{} {}>".format(type(self).__name__, self.host_name or "?")


class PlainFileAdapter(HostAdapter):
    """Answers from a given SceneInfo (tests, ``--scene-info FILE``, hosts without a
    plugin). Accepts a SceneInfo, its ``to_dict()`` form, or use ``from_file(path)``.

    The description is answered as given; with ``recheck=True`` a scan looks again on
    this machine whether each dependency exists (for a description written earlier)."""

    def __init__(self, scene_info, recheck=False):
        if isinstance(scene_info, dict):
            scene_info = SceneInfo.from_dict(scene_info)
        if not isinstance(scene_info, SceneInfo):
            raise TypeError("PlainFileAdapter needs a SceneInfo or its dict, not {}".format(
                type(scene_info).__name__))
        self._info = scene_info
        self.recheck = recheck
        self.host_name = scene_info.host

    @classmethod
    def from_file(cls, path, recheck=False):
        try:
            with open(path, "r", encoding="utf-8") as handle:
                data = json.load(handle)
        except (OSError, ValueError) as exc:
            raise JobError("cannot read the scene description {}: {}".format(path, exc),
                           hint="give a JSON file written by SceneInfo.to_dict()") from exc
        return cls(data, recheck=recheck)

    def host_version(self):
        return self._info.host_version

    def scene_info(self, scan=True):
        info = self._info.copy()
        if not scan:
            info.dependencies = []
        elif self.recheck:
            for dep in info.dependencies:
                dep.exists = os.path.isfile(dep.local_path) if dep.local_path else False
        return info

    def scene_path(self):
        return self._info.scene_path
