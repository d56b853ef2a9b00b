"""The add-on's one session and its tick, driven by ``bpy.app.timers``.

``tick()`` is a plain function: Blender calls it from a timer (every 0.05 s while work
runs, every 0.5 s when idle), tests call it directly (timers never fire in background
mode). Each tick reads a slice of the scene and hands finished worker results to the
session, on Blender's main thread.
"""
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

def make_reader(adapter=None):
    """A slice reader of the current scene (the core's ``SliceReader``: ``step()`` on the
    main thread reads for about ``budget`` seconds)."""
    from rayvision_dcc.hosts import SliceReader
    if adapter is None:
        from .adapter import BlenderAdapter
        adapter = BlenderAdapter()
    return SliceReader(adapter, budget=session().budget)
