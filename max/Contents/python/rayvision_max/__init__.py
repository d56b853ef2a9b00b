"""Rayvision render submitter for 3ds Max 2022-2027 (``pymxs``, PySide2 or PySide6).

The bundle's MaxScript (``Contents/scripts``) puts this folder and the bundle's
``site-packages/py<XY>`` on ``sys.path`` (``startup.bootstrap``) and defines the macroscript
``SubmitToRenderFarm`` (category "Render Farm"), which runs ``open_panel()``.

    glue.py         what the macroscript calls: the shared panel over Max's main window
    adapter.py      MaxAdapter, the HostAdapter answers for 3ds Max
    scene_query.py  every pymxs.runtime read (main thread only)
    startup.py      sys.path set-up and registration, no pymxs

Importing this package imports neither ``pymxs`` nor Qt.
"""
from __future__ import annotations

#: The macroscript the bundle defines, as the MaxScript files spell it.
MACRO_NAME = "SubmitToRenderFarm"
MACRO_CATEGORY = "Render Farm"


def open_panel(**options):
    """Open the "Submit to render farm" panel on the open scene (the macroscript's action)."""
    from rayvision_max.glue import open_panel as _open
    return _open(**options)
