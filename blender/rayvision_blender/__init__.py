"""Rayvision render submitter for Blender: the Render Farm tool.

One source tree for both forms: the extension of Blender 4.2+ (``blender_manifest.toml``,
its dependencies as wheels) and the legacy add-on of Blender 2.93-4.1 (``bl_info``, its
dependencies unpacked into ``site-packages/`` beside this file by the installer).

What it registers: a "Render Farm" tab in the 3D View sidebar and a panel in Render
Properties (``panels``), the operators (``operators``: submit, check, cancel, sign in,
tasks, download), a "Submit to Render Farm..." entry in the Render menu, the add-on
preferences and per-scene settings (``props``), one timer (``runtime.tick``) and a
file-load handler. The scene questions are answered by ``adapter.BlenderAdapter``, which
``rayvision-dcc`` also runs headless on a .blend.
"""
import os
import sys

bl_info = {
    "name": "Rayvision Render Submitter",
    "author": "rayvision-dcc",
    "version": (0, 1, 0),
    "blender": (2, 93, 0),
    "location": "3D View > Sidebar > Render Farm; Properties > Render; Render menu",
    "description": "Submit the scene to the Rayvision / Renderbus / Fox Renderfarm cloud",
    "category": "Render",
}

_HERE = os.path.dirname(os.path.abspath(__file__))
#: The legacy add-on's dependencies (the installer unpacks them here).
SITE_PACKAGES = os.path.join(_HERE, "site-packages")
if os.path.isdir(SITE_PACKAGES) and SITE_PACKAGES not in sys.path:
    sys.path.append(SITE_PACKAGES)

_MODULES = ("props", "operators", "panels")


def _load_post(*_args):
    """Another file is loaded: the checked scene and the full panel belonged to the old
    one (a running submission or download goes on: it reads only files on disk)."""
    from . import qtpanel, runtime
    qtpanel.close()
    session = runtime._STATE["session"]
    if session is not None:
        session.forget_scene()


def register():
    import importlib

    import bpy
    from rayvision_dcc.hosts import register_host

    from .adapter import BlenderAdapter
    from . import runtime
    for name in _MODULES:
        importlib.import_module("." + name, __name__).register()
    register_host(BlenderAdapter)
    if _load_post not in bpy.app.handlers.load_pre:
        bpy.app.handlers.load_pre.append(bpy.app.handlers.persistent(_load_post))
    runtime.configure()
    runtime.start_timer()


def unregister():
    import importlib

    import bpy
    from rayvision_dcc.hosts import deregister_host

    from .adapter import BlenderAdapter
    from . import qtpanel, runtime
    qtpanel.close()
    runtime.shutdown()
    if _load_post in bpy.app.handlers.load_pre:
        bpy.app.handlers.load_pre.remove(_load_post)
    deregister_host(BlenderAdapter)
    for name in reversed(_MODULES):
        importlib.import_module("." + name, __name__).unregister()
