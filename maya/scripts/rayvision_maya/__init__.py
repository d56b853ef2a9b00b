"""Rayvision render farm submitter for Maya (the ``rayvision_dcc`` Maya module).

- ``open_panel()``: the Submit button's command; opens the shared panel on the open scene
  (one per session; a second press raises it).
- ``load()`` / ``unload()``: add / remove the Render Farm menu and the RenderFarm shelf
  button (``userSetup.py`` calls ``load`` once Maya's UI is up).

Every ``maya.cmds`` read is in ``scene_query``; ``adapter.MayaAdapter`` turns them into the
host contract's answers; ``batch.py`` does the same without UI under ``mayapy``.
Importing this package imports nothing but the standard library.
"""

__version__ = "0.1.0"


def open_panel(client_factory=None):
    """Open (or raise) the Submit panel for the open scene; returns it."""
    from rayvision_maya import startup
    return startup.open_panel(client_factory=client_factory)


def load():
    from rayvision_maya import startup
    return startup.load()


def unload():
    from rayvision_maya import startup
    return startup.unload()
