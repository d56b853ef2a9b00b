"""A test host that behaves like a real one where it matters: main thread only.

``FakeHost(scene, call_cost=0.0)`` is a HostAdapter answering from a scene description
(the ``SceneInfo.to_dict()`` form, plus ``"references"``: FileReference dicts or plain
paths, and optionally ``"dirty"``). Like ``bpy``, ``maya.cmds`` and ``pymxs``, every call
made from any thread but the main one raises ``RuntimeError``; ``call_cost`` seconds are
spent in each call (one ``read_scene``, one reference, one ``save_scene``...) to stand
for a host whose reads take time. ``calls`` records ``(what, thread)`` of every call.

``FakeHost.from_scene(scene_info)`` describes a SceneInfo's dependencies as references
(absolute paths), so the scenes of tests/farmsupport.py can be read through it.
"""
from __future__ import annotations

import threading
import time

from rayvision_dcc.hosts import HostAdapter
from rayvision_dcc.job import FileReference, SceneInfo


class FakeHost(HostAdapter):

    def __init__(self, scene, call_cost=0.0):
        if isinstance(scene, SceneInfo):
            scene = scene.to_dict()
        scene = dict(scene)
        self._references = [FileReference.from_dict(item)
                            for item in scene.pop("references", None) or []]
        self._dirty = bool(scene.pop("dirty", False))
        scene["dependencies"] = []
        self._scene = SceneInfo.from_dict(scene)
        self.host_name = self._scene.host
        self.call_cost = call_cost
        self.calls = []
        self.saved = 0

    @classmethod
    def from_scene(cls, scene_info, call_cost=0.0, dirty=False):
        data = scene_info.to_dict()
        data["references"] = [{"path": dep.local_path, "owner": dep.owner, "kind": dep.kind}
                              for dep in scene_info.dependencies]
        data["dirty"] = dirty
        return cls(data, call_cost=call_cost)

    def _call(self, what):
        thread = threading.current_thread()
        if thread is not threading.main_thread():
            raise RuntimeError("{} called from thread {!r}: the host answers on its main "
                               "thread only".format(what, thread.name))
        self.calls.append((what, thread))
        if self.call_cost:
            time.sleep(self.call_cost)  # the host's own time for this read

    def host_version(self):
        self._call("host_version")
        return self._scene.host_version

    def read_scene(self):
        self._call("read_scene")
        return self._scene.copy()

    def iter_references(self):
        for reference in self._references:
            self._call("reference")
            yield FileReference.from_dict(reference.to_dict())

    def scene_path(self):
        self._call("scene_path")
        return self._scene.scene_path

    def is_dirty(self):
        self._call("is_dirty")
        return self._dirty

    def save_scene(self):
        self._call("save_scene")
        self.saved += 1
        self._dirty = False
        return self._scene.scene_path

    def main_window(self):
        self._call("main_window")
        return None

    def calls_off(self, thread):
        """The calls made on any thread but ``thread``."""
        return [what for what, seen in self.calls if seen is not thread]


def refused_off_main_thread(*calls):
    """Run each call on another thread; the RuntimeErrors they raised, in order (every
    host fake refuses calls off the main thread: the tests check that with this)."""
    errors = []

    def worker():
        for call in calls:
            try:
                call()
            except RuntimeError as exc:
                errors.append(exc)

    thread = threading.Thread(target=worker, name="off-main")
    thread.start()
    thread.join(30)
    return errors
