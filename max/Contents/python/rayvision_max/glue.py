"""What the macroscript runs: the shared panel over 3ds Max's main window.

``open_panel()`` opens ``rayvision_dcc.ui.SubmitPanel`` on a ``MaxAdapter``, parented to
``qtmax.GetQMaxMainWindow()``, modeless, one per session (a second click raises the open
one), with ``qtmax.DisableMaxAcceleratorsOnFocus`` so Max's keyboard shortcuts stay off
while the user types in it. Qt comes through Qt.py (PySide2 in 3ds Max 2022-2024,
PySide6 from 2025).
"""
from __future__ import annotations


def main_window():
    """3ds Max's main window (a QMainWindow), or None outside Max."""
    try:
        import qtmax
    except ImportError:
        return None
    return qtmax.GetQMaxMainWindow()


def open_panel(client_factory=None, **options):
    """Open (or raise) the Submit panel for the open scene; returns it."""
    from rayvision_dcc.ui import show_panel

    from rayvision_max.adapter import MaxAdapter
    panel = show_panel(MaxAdapter(), parent=main_window(), client_factory=client_factory,
                       **options)
    try:
        import qtmax
    except ImportError:
        return panel
    qtmax.DisableMaxAcceleratorsOnFocus(panel, True)
    return panel
