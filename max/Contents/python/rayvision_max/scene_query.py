"""Every ``pymxs.runtime`` read of the Rayvision submitter, on Max's main thread only.

Functions return plain dicts, lists and strings; ``adapter.py`` turns them into the core's
SceneInfo and FileReference. A setting that cannot be read becomes a warning and a
default, a file reference that cannot be read becomes a reference with ``warning`` set:
one broken plug-in or XRef never keeps the panel from opening.

``pymxs`` is looked up on each call (not bound at import), so importing this module
costs nothing outside Max. The MAXScript names used here are the documented ones:
``rendTimeType`` (1 single frame, 2 active time segment, 3 range, 4 pickup frames),
``rendNThFrame``, ``rendPickupFrames``, ``renderers.production``, ``viewport.getCamera``,
``maxOps.GetCurRenderElementMgr``, ``xrefs``, ``objXRefMgr`` and ``ATSOps`` (asset
tracking).
"""
from __future__ import annotations

import os
import re
import threading

#: ``rendTimeType`` values.
SINGLE, ACTIVE_SEGMENT, RANGE, PICKUP = 1, 2, 3, 4

#: Renderer class name (as ``classOf renderers.production`` prints it) -> the name the
#: farm's task.json uses. Matched on the start of the class name, first match wins.
RENDERERS = (
    ("Default_Scanline_Renderer", "scanline"),
    ("V_Ray", "vray"),
    ("VRay", "vray"),
    ("Arnold", "arnold"),
    ("Corona", "corona"),
    ("Redshift", "redshift"),
)
#: Renderer name -> the plug-in a render environment needs for it (``pluginName`` of
#: getRenderEnv; "vray" and "corona" as the farm lists them for 3ds Max, the others by
#: the same rule, not seen in an answer). Scanline is part of 3ds Max.
RENDERER_PLUGINS = {"vray": "vray", "corona": "corona", "arnold": "arnold",
                    "redshift": "redshift"}
#: The names above, for messages.
RENDERER_LABELS = "Scanline, Arnold, V-Ray, Corona, Redshift"

_IMAGE_EXTENSIONS = frozenset([
    "bmp", "cin", "dds", "dpx", "exr", "gif", "hdr", "hdri", "ifl", "jpeg", "jpg", "png",
    "psd", "rgb", "rla", "rpf", "sgi", "tga", "tif", "tiff", "tx", "vst", "yuv"])
_CACHE_EXTENSIONS = frozenset(["abc", "vdb", "pc2", "pts", "xmesh", "prt", "aur", "f3d",
                               "mc", "usd", "usda", "usdc", "usdz", "tyc", "bin"])
_PROXY_EXTENSIONS = frozenset(["vrmesh", "rs", "cgeo", "ass"])
_UDIM_TOKENS = re.compile(r"<UDIM>|<UVTILE>|u<U>_v<V>|_u<U>_v<V>", re.IGNORECASE)
_FRAME_TOKENS = re.compile(r"#{2,}|<frame\d*>|<f\d*>|%0?\d*d|\$F\d*|<frameNum>",
                           re.IGNORECASE)


def _runtime():
    """``pymxs.runtime``; RuntimeError on any thread but Max's main one, where pymxs must
    never be called (it is not thread-safe: a worker's read can crash 3ds Max)."""
    if threading.current_thread() is not threading.main_thread():
        raise RuntimeError("3ds Max's scene was read from thread {!r}: pymxs may only be "
                           "called on 3ds Max's main thread".format(
                               threading.current_thread().name))
    import pymxs
    return pymxs.runtime


def _byref(value):
    import pymxs
    return pymxs.byref(value)


def _frame(value):
    """A MAXScript Time (``.frame``) or a number as a whole frame."""
    frame = getattr(value, "frame", value)
    return int(round(float(frame)))


def _text(value):
    """A MAXScript string, name or undefined (None) as a Python str."""
    return "" if value is None else str(value)


class Reader(object):
    """Reads settings one by one; a failing read leaves its default and a warning."""

    def __init__(self):
        self.warnings = []

    def read(self, label, function, default=None):
        try:
            return function()
        except Exception as exc:  # a plug-in not loaded, a property Max refuses
            self.warnings.append("could not read {} from 3ds Max: {}: {}".format(
                label, type(exc).__name__, exc))
            return default


# -- the scene -----------------------------------------------------------------------------

def max_version():
    """``"2024"``: the product year of the running 3ds Max (``maxVersion()`` gives the
    release number, 26000 for 2024)."""
    release = int(_runtime().maxVersion()[0])
    return str(release // 1000 + 1998)


def scene_file():
    """The open scene's full path; "" for a scene never saved."""
    rt = _runtime()
    name = _text(rt.maxFileName)
    if not name:
        return ""
    return os.path.join(_text(rt.maxFilePath), name) if rt.maxFilePath else name


def is_dirty():
    return bool(_runtime().getSaveRequired())


def save_scene(ask=True):
    """Save the scene where it is; a scene never saved asks for a file name first when
    ``ask``. Returns the saved path, "" when the user cancelled or nothing was saved."""
    rt = _runtime()
    path = scene_file()
    if not path:
        if not ask:
            return ""
        path = _text(rt.getMaxSaveFileName())
        if not path:
            return ""
    if not rt.saveMaxFile(path, quiet=True):
        return ""
    return scene_file() or path


def renderer_of(class_name):
    """``(name, version)`` of a renderer class name: ``("vray", "6")`` for ``V_Ray_6``,
    ``("", "")`` for a renderer the farm does not know."""
    for prefix, name in RENDERERS:
        if class_name.lower().startswith(prefix.lower()):
            version = ".".join(re.findall(r"\d+", class_name[len(prefix):]))
            return name, version
    return "", ""


def read_renderer(reader):
    rt = _runtime()
    class_name = reader.read("the production renderer",
                             lambda: _text(rt.classOf(rt.renderers.production)), "")
    name, version = renderer_of(class_name)
    if class_name and not name:
        reader.warnings.append(
            "the renderer {} is not one the farm renders 3ds Max scenes with ({}): the "
            "render may fail".format(class_name, RENDERER_LABELS))
    return {"class": class_name, "name": name or class_name.lower(), "version": version}


def read_cameras(reader):
    """``[{"name", "renderable"}]``: the scene's cameras (targets left out); the active
    view's camera is the renderable one."""
    rt = _runtime()

    def cameras():
        found = []
        for node in rt.cameras:
            if rt.superClassOf(node) == rt.camera:
                found.append(_text(node.name))
        return found

    names = reader.read("the cameras", cameras, [])
    active = reader.read("the active view's camera", lambda: rt.viewport.getCamera(), None)
    active_name = _text(active.name) if active is not None else ""
    return [{"name": name, "renderable": name == active_name} for name in names]


def read_time(reader):
    """The frames the render settings output: ``{"type", "start", "end", "step",
    "frames", "animation_range"}``; ``frames`` is the frame list in the farm's syntax."""
    rt = _runtime()
    kind = reader.read("the time output (rendTimeType)", lambda: int(rt.rendTimeType), SINGLE)
    first = reader.read("the animation range", lambda: _frame(rt.animationRange.start), 0)
    last = reader.read("the animation range", lambda: _frame(rt.animationRange.end), first)
    step = reader.read("every Nth frame", lambda: max(1, int(rt.rendNThFrame)), 1)
    result = {"type": kind, "animation_range": "{}-{}".format(first, last), "step": 1}
    if kind == ACTIVE_SEGMENT:
        result.update(start=first, end=last, step=step)
    elif kind == RANGE:
        start = reader.read("the render range", lambda: _frame(rt.rendStart), first)
        end = reader.read("the render range", lambda: _frame(rt.rendEnd), last)
        result.update(start=start, end=max(start, end), step=step)
    elif kind == PICKUP:
        text = reader.read("the pickup frames", lambda: _text(rt.rendPickupFrames), "")
        frames = _pickup_frames(text)
        if frames:
            result.update(start=min(frames), end=max(frames), frames=_max_frames_text(text))
        else:
            current = reader.read("the current frame", lambda: _frame(rt.currentTime), first)
            reader.warnings.append("the pickup frames {!r} could not be read: the current "
                                   "frame {} is proposed".format(text, current))
            result.update(start=current, end=current)
    else:
        current = reader.read("the current frame", lambda: _frame(rt.currentTime), first)
        result.update(start=current, end=current)
    if "frames" not in result:
        result["frames"] = ("{}".format(result["start"]) if result["start"] == result["end"]
                            else "{}-{}[{}]".format(result["start"], result["end"],
                                                    result["step"]))
    return result


_PICKUP_ITEM = re.compile(r"^\s*(-?\d+)\s*(?:-\s*(-?\d+)\s*)?$")


def _pickup_frames(text):
    """The frames of Max's pickup syntax (``1,3,5-12``); [] when it does not parse."""
    frames = []
    for item in str(text or "").split(","):
        if not item.strip():
            continue
        match = _PICKUP_ITEM.match(item)
        if not match:
            return []
        start = int(match.group(1))
        end = int(match.group(2)) if match.group(2) is not None else start
        frames.extend(range(min(start, end), max(start, end) + 1))
    return frames


def _max_frames_text(text):
    """Max's pickup list in the farm's syntax: ``1,3,5-12`` -> ``1,3,5-12[1]``."""
    items = []
    for item in str(text).split(","):
        match = _PICKUP_ITEM.match(item)
        if not match:
            continue
        if match.group(2) is None:
            items.append(match.group(1))
        else:
            start, end = sorted((int(match.group(1)), int(match.group(2))))
            items.append("{}-{}[1]".format(start, end))
    return ",".join(items)


def read_elements(reader):
    """Render elements: ``{"active", "elements": [{"class", "name", "file", "enabled"}]}``."""
    rt = _runtime()
    manager = reader.read("the render elements", lambda: rt.maxOps.GetCurRenderElementMgr(),
                          None)
    if manager is None:
        return {"active": False, "elements": []}
    active = reader.read("whether render elements are on",
                         lambda: bool(manager.GetElementsActive()), False)
    count = reader.read("the number of render elements",
                        lambda: int(manager.NumRenderElements()), 0)
    elements = []
    for index in range(count):
        def element(index=index):
            item = manager.GetRenderElement(index)
            return {"class": _text(rt.classOf(item)), "name": _text(item.elementName),
                    "enabled": bool(item.enabled),
                    "file": _text(manager.GetRenderElementFilename(index))}
        found = reader.read("render element {}".format(index + 1), element, None)
        if found is not None:
            elements.append(found)
    return {"active": active, "elements": elements}


def read_gamma(reader):
    rt = _runtime()
    mode = reader.read("the gamma mode", lambda: _text(rt.IDisplayGamma.colorCorrectionMode),
                       "")
    return {
        "gamma": "1" if mode.lower() == "gamma" else "0",
        "gamma_val": reader.read("the display gamma", lambda: str(rt.IDisplayGamma.gamma),
                                 "2.2"),
        "in_gamma": reader.read("the input gamma", lambda: str(rt.fileInGamma), "2.2"),
        "out_gamma": reader.read("the output gamma", lambda: str(rt.fileOutGamma), "2.2"),
    }


def output_files():
    """The scene file and the files a render writes (main output, enabled render
    elements): asset tracking lists them, but they are not inputs to upload."""
    rt = _runtime()
    reader = Reader()
    files = [reader.read("the scene path", scene_file, "")]
    files.append(reader.read("the render output file", lambda: _text(rt.rendOutputFilename), ""))
    files.extend(item["file"] for item in read_elements(reader)["elements"])
    return [path for path in files if path]


def read_scene():
    """The render settings of the open scene as a dict keyed by ``SceneInfo``'s field
    names (``adapter.MaxAdapter.read_scene`` makes the SceneInfo with ``from_dict``), and
    ``time``, the time settings as read; never raises for a setting that cannot be read."""
    rt = _runtime()
    reader = Reader()
    path = reader.read("the scene path", scene_file, "")
    version = reader.read("the 3ds Max version", max_version, "")
    renderer = read_renderer(reader)
    time = read_time(reader)
    output = reader.read("the render output file", lambda: _text(rt.rendOutputFilename), "")
    save_file = reader.read("whether the render is saved", lambda: bool(rt.rendSaveFile),
                            bool(output))
    elements = read_elements(reader)
    gamma = read_gamma(reader)
    project = reader.read("the project folder",
                          lambda: _text(rt.pathConfig.getCurrentProjectFolder()), "")
    element_files = [item["file"] for item in elements["elements"] if item["enabled"]]
    common = {
        "animation_range": time["animation_range"],
        "rend_save_file": "true" if save_file and output else "false",
        "element_active": "1" if elements["active"] and elements["elements"] else "0",
        "element_list": [item["class"] for item in elements["elements"] if item["enabled"]],
        "element_path_list": [os.path.basename(item.replace("\\", "/"))
                              for item in element_files],
        "CurrentProjectFolder": project.replace("\\", "/"),
    }
    if element_files:
        common["element_type"] = os.path.splitext(element_files[0])[1]
    common.update(gamma)
    return {
        "scene_path": path,
        "scene_name": os.path.splitext(os.path.basename(path))[0] if path else "",
        "host_version": version,
        "renderer": renderer["name"],
        "plugins": ({renderer["name"]: renderer["version"]}
                    if renderer["version"] and renderer["name"] != "scanline" else {}),
        "cameras": read_cameras(reader),
        "time": time,
        "frame_start": time["start"],
        "frame_end": time["end"],
        "frame_step": time["step"],
        "frame_list": time["frames"] if time["type"] == PICKUP else "",
        "width": reader.read("the output width", lambda: int(rt.renderWidth), 0),
        "height": reader.read("the output height", lambda: int(rt.renderHeight), 0),
        "output_path": output if save_file else "",
        "output_format": os.path.splitext(output)[1].lower() if output else "",
        "project_path": project,
        "warnings": reader.warnings,
        "extra": {
            "common": common,
            "renderer_class": renderer["class"],
            "renderer_plugin": RENDERER_PLUGINS.get(renderer["name"], ""),
        },
    }


# -- the files the scene uses ----------------------------------------------------------------

def classify(path):
    """The core's dependency kind of a path as Max stores it (tokens kept)."""
    if _UDIM_TOKENS.search(path):
        return "udim"
    extension = os.path.splitext(path)[1].lower().lstrip(".")
    if _FRAME_TOKENS.search(os.path.basename(path)):
        return "cache" if extension in _CACHE_EXTENSIONS else "image_sequence"
    if extension == "max":
        return "reference"
    if extension in _CACHE_EXTENSIONS:
        return "cache"
    if extension in _IMAGE_EXTENSIONS:
        return "image"
    return "file"  # IES profiles, proxies (.vrmesh, .rs), anything else


def _reference(path, kind, owner):
    return {"path": path, "kind": kind, "owner": owner, "warning": ""}


def _broken(owner, exc):
    return {"path": "", "kind": "file", "owner": owner,
            "warning": "could not read {} from 3ds Max: {}: {}".format(
                owner, type(exc).__name__, exc)}


def _same(path):
    return os.path.normcase(os.path.normpath(path.replace("\\", "/"))) if path else ""


def iter_references(skip=()):
    """Yield each file the scene uses as a dict (``path``, ``kind``, ``owner``,
    ``warning``): XRef scenes, XRef object files, then what asset tracking lists (bitmaps,
    IES files, proxies, caches). ``skip`` holds paths that are not inputs (the scene
    itself, the render outputs, which asset tracking lists too). One item per ``next()``;
    an item Max refuses becomes a reference with ``warning`` set."""
    rt = _runtime()
    seen = set(_same(path) for path in skip if path)

    def fresh(path):
        key = _same(path)
        if not key or key in seen:
            return False
        seen.add(key)
        return True

    numbered = (
        ("the XRef scenes", "XRef scene {}", lambda: rt.xrefs.getXRefFileCount(),
         lambda index: rt.xrefs.getXRefFile(index).filename),
        ("the XRef objects", "XRef object record {}", lambda: rt.objXRefMgr.recordCount,
         lambda index: rt.objXRefMgr.GetRecord(index).srcFileName),
    )
    for label, owner_text, read_count, read_path in numbered:
        try:
            count = int(read_count())
        except Exception as exc:
            count = 0
            yield _broken(label, exc)
        for index in range(1, count + 1):  # MAXScript counts from 1
            owner = owner_text.format(index)
            try:
                path = _text(read_path(index))
            except Exception as exc:
                yield _broken(owner, exc)
                continue
            if fresh(path):
                yield _reference(path, "reference", owner)

    try:
        rt.ATSOps.Refresh()
        _count, files = rt.ATSOps.GetFiles(_byref(rt.Array()))
        files = [_text(item) for item in files]
    except Exception as exc:
        files = []
        yield _broken("the asset tracking list", exc)
    for path in files:
        if fresh(path):
            yield _reference(path, classify(path), "Asset Tracking")
