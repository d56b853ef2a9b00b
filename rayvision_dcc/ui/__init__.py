"""The shared Qt panel: ``SubmitPanel`` and ``show_panel`` (Qt.py; PySide2 or PySide6).

Importing this package loads no Qt: the names below are looked up on first use, so a
host plugin can import it while it registers its menu and pay for Qt only on a click.

    from rayvision_dcc.ui import show_panel
    show_panel(adapter)                       # one panel per host session, raised if open
"""
from __future__ import annotations

__all__ = ["SubmitPanel", "show_panel", "open_panels", "close_panels", "SignInDialog",
           "MonitorWidget", "Workers", "binding_problem"]

_WHERE = {
    "SubmitPanel": "rayvision_dcc.ui.panel",
    "show_panel": "rayvision_dcc.ui.panel",
    "open_panels": "rayvision_dcc.ui.panel",
    "close_panels": "rayvision_dcc.ui.panel",
    "SignInDialog": "rayvision_dcc.ui.signin",
    "MonitorWidget": "rayvision_dcc.ui.monitor",
    "Workers": "rayvision_dcc.ui.workers",
    "binding_problem": "rayvision_dcc.ui.workers",
}


def __getattr__(name):
    if name in _WHERE:
        import importlib
        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError("module 'rayvision_dcc.ui' has no attribute {!r}".format(name))


def __dir__():
    return sorted(list(globals()) + __all__)
