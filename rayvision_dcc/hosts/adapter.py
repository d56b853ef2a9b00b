"""The questions a host answers about its scene, and an adapter that answers from a file.

The host contract (docs/architecture.md): an adapter reads its host **on the host's main
thread only** and reports facts as the host stores them: the settings
(``read_scene()``, cheap) and each file path as written, with the node that uses it
(``iter_references()``, one small read per item, so a caller can pause between items).
The core resolves those references, expands sequences and UDIM sets and checks the disk
on a worker (``rayvision_dcc.job.resolve_references``). The panel drives the reads in
time slices on the UI thread (``hosts.reading.SliceReader``); headless callers (the CLI,
batch scripts) use ``scene_info()``.

A host plugin (``maya/``, ``max/``, ``blender/``) subclasses ``HostAdapter``; everything
else (job files, validation, upload) is the core's.
"""
from __future__ import annotations

import abc
import os

from rayvision_dcc.job.references import FileReference, resolve_references
from rayvision_dcc.job.scene import CG_IDS, SceneInfo, load_scene_info


class HostAdapter(abc.ABC):
    """What the panel and the workflow ask a host.

    Subclasses set ``host_name`` (``"Blender"``, ``"Maya"``, ``"3ds Max"``); ``cg_id``
    follows from it. Every method reads the host: call it on the host's main thread
    only (the panel does; a worker never does).
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
    def read_scene(self):
        """A SceneInfo with the settings only (``dependencies == []``); cheap."""

    @abc.abstractmethod
    def iter_references(self):
        """A generator of ``FileReference``: each ``next()`` does one small read (one node
        or datablock), so the caller can pause after any item. A node that cannot be
        read is a reference with ``warning`` set, never an exception."""

    def scene_path(self):
        """The saved scene's path ("" for an unsaved scene)."""
        return self.read_scene().scene_path

    def save_scene(self):
        """Save the scene so the file on disk is what gets rendered; returns its path."""
        return self.scene_path()

    def is_dirty(self):
        """True when the scene has unsaved changes."""
        return False

    def main_window(self):
        """The host's main window to parent dialogs to; None outside a host."""
        return None

    def scene_info(self, scan=True):
        """Headless convenience (CLI, batch scripts): ``read_scene()`` and, with ``scan``,
        the references resolved on disk, all on THIS thread. Not for a panel: it reads
        the whole scene in one go."""
        info = self.read_scene()
        if scan:
            deps, warnings = resolve_references(list(self.iter_references()),
                                                info.scene_path, info.project_path)
            info.dependencies = deps
            info.warnings.extend(w for w in warnings if w not in info.warnings)
        return info

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
        """The description in a JSON file written by ``SceneInfo.to_dict()``."""
        return cls(load_scene_info(path), recheck=recheck)

    def host_version(self):
        return self._info.host_version

    def read_scene(self):
        info = self._info.copy()
        info.dependencies = []
        return info

    def iter_references(self):
        """The described dependencies as references (their paths are already absolute)."""
        for dep in self._info.dependencies:
            yield FileReference(path=dep.local_path, owner=dep.owner, kind=dep.kind)

    def scene_info(self, scan=True):
        """The description as given (a plain file is not a host: nothing to resolve); with
        ``recheck`` each dependency's existence is looked up again on this machine."""
        info = self._info.copy()
        if not scan:
            info.dependencies = []
        elif self.recheck:
            for dep in info.dependencies:
                dep.exists = os.path.isfile(dep.local_path) if dep.local_path else False
        return info

    def scene_path(self):
        return self._info.scene_path
