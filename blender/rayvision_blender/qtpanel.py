""""Open the full panel": the shared Qt ``SubmitPanel`` inside Blender, when PySide6 works.

Blender has no Qt event loop: one persistent ``bpy.app.timers`` callback (``process``)
calls ``QApplication.processEvents()`` while a panel is open; the window is modeless
(``show()``, never a nested ``exec_()``), ``setQuitOnLastWindowClosed(False)``, and it is
closed on file load, on quit and when the add-on is disabled. A PySide6 that cannot be
imported, or whose shiboken6 does not match (two add-ons shipping different copies),
gives a sentence instead; the native tool keeps working.
"""
import sys

import bpy

#: Seconds between two rounds of Qt events while a panel is open.
EVENT_INTERVAL = 0.02

_STATE = {"app": None}


def binding_problem():
    """A sentence saying why the full panel cannot open here, or ""."""
    try:
        import shiboken6
        import PySide6
        from PySide6 import QtWidgets  # noqa: F401  (the module the panel needs)
    except Exception as exc:  # not installed, or a broken/mismatched copy
        return ("The full panel needs PySide6, which does not load here ({}: {}); the Render "
                "Farm tab does everything it does".format(type(exc).__name__, exc))
    pyside, shiboken = getattr(PySide6, "__version__", ""), getattr(shiboken6, "__version__", "")
    if pyside and shiboken and pyside != shiboken:
        return ("PySide6 {} was loaded with shiboken6 {} (another add-on ships a different "
                "copy); the full panel is off, the Render Farm tab works".format(pyside,
                                                                                 shiboken))
    try:
        from rayvision_dcc.ui import binding_problem as known_problem
        problem = known_problem()
    except Exception as exc:
        return "The full panel cannot load its Qt layer ({}: {})".format(
            type(exc).__name__, exc)
    return problem


def application():
    """Qt's application object (made once; Blender's quit does not depend on it)."""
    from Qt import QtWidgets
    app = QtWidgets.QApplication.instance()
    if app is None:
        app = QtWidgets.QApplication([sys.argv[0] if sys.argv else "blender"])
    app.setQuitOnLastWindowClosed(False)
    _STATE["app"] = app
    return app


def process():
    """The timer: one round of Qt events; stops itself once no panel is open."""
    app = _STATE["app"]
    if app is None or not open_panels():
        return None
    if sys.platform != "win32":  # on Windows Blender's message pump delivers Qt's events
        app.processEvents()
    return EVENT_INTERVAL


def open_panels():
    """The visible full panels."""
    try:
        from rayvision_dcc.ui import open_panels as visible_panels
        return visible_panels()
    except Exception:  # Qt did not load: no panel can be open
        return []


def open_panel(client_factory=None):
    """Open (or raise) the full panel; returns "" or the sentence saying why not."""
    problem = binding_problem()
    if problem:
        return problem
    from rayvision_dcc.ui import show_panel

    from .adapter import BlenderAdapter
    application()
    show_panel(BlenderAdapter(), client_factory=client_factory)
    if not bpy.app.timers.is_registered(process):
        bpy.app.timers.register(process, first_interval=0.0, persistent=True)
    return ""


def close():
    """Close every full panel and stop the event timer (file load, quit, disable)."""
    if bpy.app.timers.is_registered(process):
        bpy.app.timers.unregister(process)
    if "rayvision_dcc.ui.panel" in sys.modules:
        from rayvision_dcc.ui import close_panels
        close_panels()
        app = _STATE["app"]
        if app is not None:
            app.processEvents()  # let the closed windows go
