"""The add-on's one session and its tick, driven by ``bpy.app.timers``.

``tick()`` is a plain function: Blender calls it from a timer (every 0.05 s while work
runs, every 0.5 s when idle), tests call it directly (timers never fire in background
mode). Each tick reads a slice of the scene and hands finished worker results to the
session, on Blender's main thread.
"""
import os

import bpy

from .session import Session

#: Seconds between ticks while a check, a submission or a download runs / when idle.
BUSY_INTERVAL = 0.05
IDLE_INTERVAL = 0.5

_STATE = {"session": None}


def session():
    """The tool's session (made on first use)."""
    if _STATE["session"] is None:
        _STATE["session"] = Session()
    return _STATE["session"]


def addon_name():
    return __package__


def preferences(context=None):
    """The add-on preferences, or None when the add-on was registered without
    being enabled through Blender (scripts, tests)."""
    context = context or bpy.context
    addon = context.preferences.addons.get(addon_name())
    return addon.preferences if addon is not None else None


def configure(context=None):
    """Pass the preferences (read here, on the main thread) to the session."""
    prefs = preferences(context)
    current = session()
    if prefs is None:
        return current
    current.configure(prefs.connection_settings(), prefs.transfer_engine,
                      bpy.path.abspath(prefs.download_dir) if prefs.download_dir else "")
    return current


def render_running():
    """True while Blender renders (F12 or a render animation)."""
    check = getattr(bpy.app, "is_job_running", None)
    if check is None:  # before Blender 3.3
        return False
    try:
        return bool(check("RENDER"))
    except (TypeError, ValueError):
        return False


def redraw():
    """Redraw the areas that show the tool (nothing to do in background mode)."""
    window_manager = getattr(bpy.context, "window_manager", None)
    for window in getattr(window_manager, "windows", ()):
        for area in window.screen.areas:
            if area.type in ("VIEW_3D", "PROPERTIES"):
                area.tag_redraw()


def tick():
    """One main-thread turn of the tool; returns the delay to the next (timer protocol)."""
    current = _STATE["session"]
    if current is None:
        return IDLE_INTERVAL
    if current.tick():
        redraw()
    return IDLE_INTERVAL if current.idle() else BUSY_INTERVAL


def start_timer():
    if not bpy.app.timers.is_registered(tick):
        bpy.app.timers.register(tick, first_interval=BUSY_INTERVAL, persistent=True)


def stop_timer():
    if bpy.app.timers.is_registered(tick):
        bpy.app.timers.unregister(tick)


def wake():
    """Tick soon (after the user started work)."""
    stop_timer()
    bpy.app.timers.register(tick, first_interval=0.0, persistent=True)


def shutdown(timeout=5.0):
    """Stop the timer and the session's workers (add-on disabled, Blender quits)."""
    stop_timer()
    current, _STATE["session"] = _STATE["session"], None
    if current is not None:
        return current.shutdown(timeout)
    return True


# -- reading the scene -------------------------------------------------------------------

class _ReaderBeforeContract(object):
    """Reads the scene in slices with the adapter's own readers (one datablock kind per
    step), for a core without ``rayvision_dcc.hosts.reading``."""

    def __init__(self, adapter):
        from . import scene_query
        self.adapter = adapter
        self._readers = list(scene_query.DEPENDENCY_READERS)
        self._deps = []
        self._warnings = []
        self.scene = None
        self.references = None
        self.done = False

    def step(self):
        from . import scene_query
        from rayvision_dcc.job import Dependency
        if self.scene is None:
            self.scene = self.adapter.scene_info(scan=False)
            return False
        if self._readers:
            deps, warnings = scene_query.scan_dependencies(self._readers[:1])
            del self._readers[:1]
            self._deps.extend(deps)
            self._warnings.extend(warnings)
            return False
        seen = set()
        for item in self._deps:
            if item["path"] in seen:
                continue
            seen.add(item["path"])
            self.scene.dependencies.append(Dependency(
                path=item["path"], kind=item["kind"], exists=item["exists"],
                owner=item["owner"]))
        self.scene.warnings.extend(self._warnings)
        self.done = True
        return True


def make_reader(adapter=None):
    """A slice reader of the current scene."""
    if adapter is None:
        from .adapter import BlenderAdapter
        adapter = BlenderAdapter()
    try:
        from rayvision_dcc.hosts.reading import SliceReader
    except ImportError:
        return _ReaderBeforeContract(adapter)
    return SliceReader(adapter)


def folder_of(path):
    """``path`` if it is a folder, else its parent."""
    return path if os.path.isdir(path) else os.path.dirname(path)
