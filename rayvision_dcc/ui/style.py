"""Icons and the style sheet from ``resources/``.

Looked up once, in this order: ``RAYVISION_RESOURCES``, ``rayvision_dcc.resources`` (an
installed package; setup.py maps the top-level folder there) and the repository's
``resources/`` (a checkout). Reading the few small files happens once per session and is cached.
"""
from __future__ import annotations

import os

from Qt import QtCore, QtGui

_HERE = os.path.dirname(os.path.abspath(__file__))
_cache = {}


def resources_dir():
    if "dir" not in _cache:
        try:  # setup.py ships the top-level resources/ as rayvision_dcc.resources
            from rayvision_dcc.resources import FOLDER as installed
        except ImportError:
            installed = os.path.join(os.path.dirname(_HERE), "resources")
        candidates = [os.environ.get("RAYVISION_RESOURCES") or "", installed,
                      os.path.join(os.path.dirname(os.path.dirname(_HERE)), "resources")]
        _cache["dir"] = next((path for path in candidates
                              if path and os.path.isfile(os.path.join(path, "style.qss"))), "")
    return _cache["dir"]


def resource(*parts):
    return os.path.join(resources_dir(), *parts)


def icon(name):
    """The icon ``resources/icons/<name>.svg`` (an empty icon when it is missing)."""
    key = "icon:" + name
    if key not in _cache:
        path = resource("icons", name + ".svg")
        _cache[key] = QtGui.QIcon(path) if os.path.isfile(path) else QtGui.QIcon()
    return _cache[key]


def style_sheet():
    """The panel's style sheet (only ``rv*`` object names, so the host's look stays)."""
    if "qss" not in _cache:
        handle = QtCore.QFile(resource("style.qss"))
        text = ""
        if handle.open(QtCore.QIODevice.ReadOnly):
            text = bytes(handle.readAll()).decode("utf-8")
            handle.close()
        _cache["qss"] = text
    return _cache["qss"]
