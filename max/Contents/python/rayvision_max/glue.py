"""What the macroscript runs: the shared panel over 3ds Max's main window.

``open_panel()`` opens ``rayvision_dcc.ui.SubmitPanel`` on a ``MaxAdapter``, parented to
``qtmax.GetQMaxMainWindow()``, modeless, one per session (a second click raises the open
one), with ``qtmax.DisableMaxAcceleratorsOnFocus`` so Max's keyboard shortcuts stay off
while the user types in it, and in the windows it opens (the sign-in dialog). Qt comes
through Qt.py (PySide2 in 3ds Max 2022-2024, PySide6 from 2025).
"""
from __future__ import annotations


def main_window():
    """3ds Max's main window (a QMainWindow), or None outside Max."""
    try:
        import qtmax
    except ImportError:
        return None
    return qtmax.GetQMaxMainWindow()


def _accelerator_guard(panel, disable):
    """An event filter on ``panel`` that calls ``disable(window)`` for the panel and for
    each window it opens (once each), when Qt polishes it, i.e. before it is shown."""
    from Qt import QtCore, QtWidgets

    class AcceleratorGuard(QtCore.QObject):
        def __init__(self, parent):
            super(AcceleratorGuard, self).__init__(parent)
            self.guarded = []

        def guard(self, widget):
            if not any(widget is seen for seen in self.guarded):
                self.guarded.append(widget)
                disable(widget)

        def eventFilter(self, watched, event):
            if event.type() == QtCore.QEvent.ChildPolished:
                child = event.child()
                if isinstance(child, QtWidgets.QWidget) and child.isWindow():
                    self.guard(child)
            return False

    guard = AcceleratorGuard(panel)
    guard.guard(panel)
    panel.installEventFilter(guard)
    return guard


def open_panel(client_factory=None, **options):
    """Open (or raise) the Submit panel for the open scene; returns it."""
    from rayvision_dcc.ui import show_panel

    from rayvision_max.adapter import MaxAdapter
    panel = show_panel(MaxAdapter(), parent=main_window(), client_factory=client_factory,
                       **options)
    if getattr(panel, "max_accelerator_guard", None) is None:
        try:
            import qtmax
        except ImportError:
            return panel
        panel.max_accelerator_guard = _accelerator_guard(
            panel, lambda widget: qtmax.DisableMaxAcceleratorsOnFocus(widget, True))
    return panel
