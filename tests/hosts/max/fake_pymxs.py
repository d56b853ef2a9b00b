"""A small stand-in for 3ds Max's ``pymxs`` and ``qtmax``, answering from a scene description.

3ds Max cannot run here. ``FakeMax(scene)`` answers the MAXScript globals, functions and
interfaces the Rayvision plug-in reads, from a dict, and fails where Max does:

- a call from any thread but the main one raises ``RuntimeError`` (pymxs is main-thread
  only);
- a global, property or method it does not know raises ``UnknownProperty``, worded like
  Max's ``-- Unknown property: "x" in y`` (so a typo in the adapter fails the tests
  instead of answering anything, as a catch-all mock would);
- arrays and indices behave like pymxs: ``maxVersion()[0]``; ``getXRefFile 0`` and other
  MAXScript 1-based indices out of range raise; ``ATSOps.GetFiles`` wants ``pymxs.byref``
  and returns ``(count, files)``.

Names are looked up case-insensitively, as in MAXScript. The scene description::

    {"version": 2024, "file": "/abs/shot.max" or "", "dirty": False,
     "ask_save_as": None or "/abs/new.max",          # what getMaxSaveFileName answers
     "renderer": "V_Ray_6",                          # the renderer's class name
     "cameras": ["CamA", "CamB"], "targets": ["CamA.Target"], "view_camera": "CamB",
     "time": {"type": 3, "current": 0, "range": [0, 100], "start": 10, "end": 20,
              "nth": 1, "pickup": "1,3,5-12"},
     "width": 1920, "height": 1080, "output": "/abs/out/beauty.exr", "save_file": True,
     "elements": [{"class": "VRayReflection", "name": "refl", "enabled": True,
                   "file": "/abs/out/beauty_refl.exr"}], "elements_active": True,
     "project": "/abs", "xref_scenes": [...], "xref_objects": [...],
     "assets": [...],                                 # what asset tracking lists
     "broken": ["xref_objects:2", "renderer", "elements"]}   # reads that raise

``install(monkeypatch)`` puts the fakes in ``sys.modules`` as ``pymxs`` and ``qtmax``.
"""
from __future__ import annotations

import os
import threading
import types


class UnknownProperty(RuntimeError):
    """What pymxs raises for a MAXScript "Unknown property" error."""


class MaxScriptError(RuntimeError):
    """Any other MAXScript runtime error."""


def _main_thread_only(what):
    thread = threading.current_thread()
    if thread is not threading.main_thread():
        raise RuntimeError("pymxs: {} called from thread {!r}; 3ds Max answers on its main "
                           "thread only".format(what, thread.name))


class Computed(object):
    """A member computed on each read (``maxFileName`` after a save)."""

    def __init__(self, getter):
        self.getter = getter


class MxsObject(object):
    """A MAXScript value with named properties and methods (case-insensitive)."""

    def __init__(self, label, members=None):
        object.__setattr__(self, "_label", label)
        object.__setattr__(self, "_members", {})
        for name, value in (members or {}).items():
            self._members[name.lower()] = value

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        _main_thread_only("{}.{}".format(self._label, name))
        try:
            value = self._members[name.lower()]
        except KeyError:
            raise UnknownProperty('-- Unknown property: "{}" in {}'.format(name, self._label))
        if isinstance(value, Computed):
            return value.getter()
        return value

    def __setattr__(self, name, value):
        _main_thread_only("{}.{} =".format(self._label, name))
        if name.lower() not in self._members:
            raise UnknownProperty('-- Unknown property: "{}" in {}'.format(name, self._label))
        self._members[name.lower()] = value

    def __repr__(self):
        return self._label


class MxsClass(object):
    """A MAXScript class value; ``str()`` is its name, as pymxs prints it."""

    def __init__(self, name):
        self.name = name

    def __str__(self):
        return self.name

    def __eq__(self, other):
        return isinstance(other, MxsClass) and other.name.lower() == self.name.lower()

    def __hash__(self):
        return hash(self.name.lower())


class Time(object):
    def __init__(self, frame):
        self.frame = float(frame)
        self.ticks = int(frame * 160)


class Interval(object):
    def __init__(self, start, end):
        self.start = Time(start)
        self.end = Time(end)


class Name(object):
    def __init__(self, text):
        self.text = text

    def __str__(self):
        return self.text


class ByRef(object):
    def __init__(self, value):
        self.value = value


class Node(MxsObject):
    def __init__(self, name, superclass):
        MxsObject.__init__(self, "${}".format(name), {"name": name})
        object.__setattr__(self, "superclass", superclass)


def _index(sequence, index, what):
    """MAXScript's 1-based index into ``sequence``; out of range raises like Max."""
    if not isinstance(index, int) or index < 1 or index > len(sequence):
        raise MaxScriptError("-- Runtime error: {} index out of range: {}".format(what, index))
    return sequence[index - 1]


class FakeMax(object):
    """The runtime of one fake 3ds Max session over ``scene``; ``calls`` records each
    function call the adapter made, ``saved`` each save."""

    CAMERA = MxsClass("camera")
    HELPER = MxsClass("helper")

    def __init__(self, scene):
        self.scene = dict(scene)
        self.calls = []
        self.saved = []
        self.broken = set(self.scene.get("broken") or ())
        self.main_window = None
        self.accelerators = []
        self.runtime = self._build_runtime()

    # -- helpers -----------------------------------------------------------------------
    def _fail_if_broken(self, key):
        if key in self.broken:
            raise MaxScriptError("-- Runtime error: {} failed (plug-in missing)".format(key))

    def _function(self, name, body, keywords=()):
        def call(*args, **kwargs):
            _main_thread_only(name + "()")
            unknown = sorted(set(kwargs) - set(keywords))
            if unknown:
                raise MaxScriptError("-- Argument error: {} got unexpected keyword {}".format(
                    name, unknown[0]))
            self.calls.append(name)
            return body(*args, **kwargs)
        call.__name__ = name
        return call

    def _file_parts(self):
        path = self.scene.get("file") or ""
        if not path:
            return "", ""
        folder, name = os.path.split(path)
        return folder + os.sep, name

    # -- the runtime ---------------------------------------------------------------------
    def _build_runtime(self):
        scene = self.scene
        time = scene.get("time") or {}
        version = int(scene.get("version", 2024))
        cameras = [Node(name, self.CAMERA) for name in scene.get("cameras") or []]
        targets = [Node(name, self.HELPER) for name in scene.get("targets") or []]
        by_name = dict((node.name, node) for node in cameras)
        fake = self

        def renderer_object():
            self._fail_if_broken("renderer")
            return MxsObject("{}:{}".format(scene.get("renderer"), scene.get("renderer")),
                             {"class": MxsClass(scene.get("renderer") or "Missing_Renderer")})

        def class_of(value):
            if isinstance(value, MxsObject) and "class" in value._members:
                return value._members["class"]
            raise MaxScriptError("-- classOf: no class for {!r}".format(value))

        def super_class_of(value):
            if isinstance(value, Node):
                return value.superclass
            raise MaxScriptError("-- superClassOf: not a node: {!r}".format(value))

        def view_camera():
            name = scene.get("view_camera")
            return by_name.get(name) if name else None

        def element_manager():
            self._fail_if_broken("elements")
            items = scene.get("elements") or []
            objects = [MxsObject(item["class"], {"class": MxsClass(item["class"]),
                                                 "elementName": item.get("name", item["class"]),
                                                 "enabled": item.get("enabled", True)})
                       for item in items]

            def by_index(index):  # the render element manager counts from 0
                if not 0 <= index < len(objects):
                    raise MaxScriptError("-- Runtime error: render element index {}".format(index))
                return index

            return MxsObject("ReferenceTarget:RenderElementMgr", {
                "NumRenderElements": self._function("NumRenderElements", lambda: len(items)),
                "GetRenderElement": self._function(
                    "GetRenderElement", lambda i: objects[by_index(i)]),
                "GetRenderElementFilename": self._function(
                    "GetRenderElementFilename", lambda i: items[by_index(i)].get("file", "")),
                "GetElementsActive": self._function(
                    "GetElementsActive", lambda: bool(scene.get("elements_active", True))),
            })

        def xref_scene(index):
            self._fail_if_broken("xref_scenes:{}".format(index))
            path = _index(scene.get("xref_scenes") or [], index, "getXRefFile")
            return MxsObject("XRefScene", {"filename": path})

        def xref_record(index):
            self._fail_if_broken("xref_objects:{}".format(index))
            path = _index(scene.get("xref_objects") or [], index, "GetRecord")
            return MxsObject("XRefRecord", {"srcFileName": path})

        def ats_files(reference):
            if not isinstance(reference, ByRef):
                raise MaxScriptError("-- ATSOps.GetFiles needs a by-reference array "
                                     "(pymxs.byref)")
            self._fail_if_broken("assets")
            files = list(scene.get("assets") or [])
            return len(files), files

        def save_max_file(path, quiet=False, clearNeedSaveFlag=True, useNewFile=True):
            self.saved.append(path)
            self.scene["file"] = path
            self.scene["dirty"] = False
            return True

        def time_value(key, default=0):
            return Time(time.get(key, default))

        first, last = (time.get("range") or [0, 100])
        members = {
            "maxVersion": self._function("maxVersion", lambda: [
                (version - 1998) * 1000, 52, 0, version - 2000, 0, 0, 0, version]),
            "maxFilePath": Computed(lambda: fake._file_parts()[0]),
            "maxFileName": Computed(lambda: fake._file_parts()[1]),
            "getSaveRequired": self._function("getSaveRequired",
                                              lambda: bool(self.scene.get("dirty"))),
            "saveMaxFile": self._function("saveMaxFile", save_max_file,
                                          ("quiet", "clearNeedSaveFlag", "useNewFile")),
            "getMaxSaveFileName": self._function(
                "getMaxSaveFileName", lambda **kw: self.scene.get("ask_save_as"),
                ("filename",)),
            "renderers": MxsObject("renderers", {"production": Computed(renderer_object)}),
            "classOf": self._function("classOf", class_of),
            "superClassOf": self._function("superClassOf", super_class_of),
            "camera": self.CAMERA,
            "cameras": cameras + targets,
            "viewport": MxsObject("viewport", {
                "getCamera": self._function("viewport.getCamera", view_camera)}),
            "rendTimeType": int(time.get("type", 1)),
            "rendStart": time_value("start"),
            "rendEnd": time_value("end"),
            "rendNThFrame": int(time.get("nth", 1)),
            "rendPickupFrames": time.get("pickup", ""),
            "currentTime": time_value("current"),
            "animationRange": Interval(first, last),
            "renderWidth": int(scene.get("width", 640)),
            "renderHeight": int(scene.get("height", 480)),
            "rendOutputFilename": scene.get("output", ""),
            "rendSaveFile": bool(scene.get("save_file", bool(scene.get("output")))),
            "maxOps": MxsObject("maxOps", {
                "GetCurRenderElementMgr": self._function("GetCurRenderElementMgr",
                                                         element_manager)}),
            "IDisplayGamma": MxsObject("IDisplayGamma", {
                "colorCorrectionMode": Name(scene.get("gamma_mode", "gamma")),
                "gamma": float(scene.get("gamma", 2.2))}),
            "fileInGamma": float(scene.get("in_gamma", 2.2)),
            "fileOutGamma": float(scene.get("out_gamma", 2.2)),
            "pathConfig": MxsObject("pathConfig", {
                "getCurrentProjectFolder": self._function(
                    "getCurrentProjectFolder", lambda: scene.get("project", ""))}),
            "xrefs": MxsObject("xrefs", {
                "getXRefFileCount": self._function(
                    "getXRefFileCount", lambda: len(scene.get("xref_scenes") or [])),
                "getXRefFile": self._function("getXRefFile", xref_scene)}),
            "objXRefMgr": MxsObject("objXRefMgr", {
                "recordCount": len(scene.get("xref_objects") or []),
                "GetRecord": self._function("GetRecord", xref_record)}),
            "ATSOps": MxsObject("ATSOps", {
                "Refresh": self._function("ATSOps.Refresh", lambda: True),
                "GetFiles": self._function("ATSOps.GetFiles", ats_files)}),
            "Array": self._function("Array", lambda *items: list(items)),
            "Name": self._function("Name", Name),
            "messageBox": self._function("messageBox", lambda text, **kw: True,
                                         ("title", "beep")),
        }
        return Runtime(members)

    def set_global(self, name, value):
        """A MAXScript global defined by a script (``global x = ...``)."""
        self.runtime._members[name.lower()] = value

    # -- installing ----------------------------------------------------------------------
    def pymxs_module(self):
        module = types.ModuleType("pymxs")
        module.runtime = self.runtime
        module.byref = ByRef
        module.MXSException = MaxScriptError
        return module

    def qtmax_module(self):
        fake = self
        module = types.ModuleType("qtmax")

        def main_window():
            _main_thread_only("qtmax.GetQMaxMainWindow()")
            if fake.main_window is None:
                from Qt import QtWidgets
                fake.main_window = QtWidgets.QMainWindow()
                fake.main_window.setObjectName("fake3dsMaxMainWindow")
            return fake.main_window

        def disable_accelerators(widget, disable):
            _main_thread_only("qtmax.DisableMaxAcceleratorsOnFocus()")
            fake.accelerators.append((widget, bool(disable)))

        module.GetQMaxMainWindow = main_window
        module.DisableMaxAcceleratorsOnFocus = disable_accelerators
        return module

    def install(self, monkeypatch):
        monkeypatch.setitem(__import__("sys").modules, "pymxs", self.pymxs_module())
        monkeypatch.setitem(__import__("sys").modules, "qtmax", self.qtmax_module())
        return self


class Runtime(MxsObject):
    """``pymxs.runtime``: the globals; unknown names fail like Max."""

    def __init__(self, members):
        MxsObject.__init__(self, "pymxs.runtime", members)
