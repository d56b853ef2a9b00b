"""``BlenderAdapter``: the HostAdapter answers for Blender, from ``scene_query`` reads.

``read_scene()`` reads the settings; ``iter_references()`` yields each datablock's file
as Blender stores it; the core resolves them (the host contract, docs/architecture.md).

Works inside Blender (the add-on) and in module mode (``bpy`` from pip), which is how
``rayvision_dcc.hosts.scan_scene`` analyses a .blend headless (``headless.py``).
"""
from __future__ import annotations

from rayvision_dcc.hosts import HostAdapter
from rayvision_dcc.job import SceneInfo

from . import scene_query


class BlenderAdapter(HostAdapter):
    host_name = "Blender"

    def host_version(self):
        return scene_query.blender_version()

    def read_scene(self):
        return SceneInfo.from_dict(dict(scene_query.read_scene(), host=self.host_name))

    def iter_references(self):
        return scene_query.iter_references()

    def scene_path(self):
        return scene_query.blend_path()

    def save_scene(self):
        return scene_query.save_blend()

    def is_dirty(self):
        return scene_query.is_dirty()


def scan_file(path, scan=True):
    """Open the .blend at ``path`` and describe it (used by the headless scan)."""
    scene_query.open_blend(path)
    return BlenderAdapter().scene_info(scan=scan)
