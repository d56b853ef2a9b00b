"""Rayvision render submitter for Blender.

Kept minimal for now: registration only. The panel and operators come with the add-on
UI; the scene questions are answered by ``adapter.BlenderAdapter`` (reads in
``scene_query``), which ``rayvision-dcc`` also runs headless on a .blend.
"""

bl_info = {
    "name": "Rayvision Render Submitter",
    "author": "rayvision-dcc",
    "version": (0, 1, 0),
    "blender": (2, 93, 0),
    "location": "Properties > Render",
    "description": "Submit the scene to the Rayvision / Renderbus / Fox Renderfarm cloud",
    "category": "Render",
}


def register():
    from rayvision_dcc.hosts import register_host

    from rayvision_blender.adapter import BlenderAdapter
    register_host(BlenderAdapter)


def unregister():
    from rayvision_dcc.hosts import deregister_host

    from rayvision_blender.adapter import BlenderAdapter
    deregister_host(BlenderAdapter)
