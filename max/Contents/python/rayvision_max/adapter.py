"""``MaxAdapter``: the host contract's answers for 3ds Max, from ``scene_query`` reads.

Every method reads 3ds Max: call it on Max's main thread (the panel does, in slices; a
headless caller uses ``scene_info()``). Off the main thread ``scene_query`` raises.
"""
from __future__ import annotations

from rayvision_dcc.hosts import HostAdapter
from rayvision_dcc.job import FileReference, SceneInfo

from rayvision_max import scene_query

#: Reference kinds whose token paths are frame sequences (the scene's frames are used).
_FRAMED = ("image_sequence", "cache")


class MaxAdapter(HostAdapter):
    host_name = "3ds Max"

    def host_version(self):
        return scene_query.max_version()

    def read_scene(self):
        """The render settings (no dependencies): a few dozen reads."""
        return SceneInfo.from_dict(dict(scene_query.read_scene(), host=self.host_name))

    def iter_references(self):
        """The files the scene uses, as Max stores them (tokens kept); one read per step.
        The scene file and the render outputs (asset tracking lists them too) are left
        out; frame sequences carry the frames the render settings output."""
        skip = scene_query.output_files()
        time = scene_query.read_time(scene_query.Reader())
        for item in scene_query.iter_references(skip=skip):
            frames = (time["start"], time["end"]) if item["kind"] in _FRAMED else ()
            yield FileReference(path=item["path"], owner=item["owner"], kind=item["kind"],
                                frames=frames, warning=item["warning"])

    def scene_path(self):
        return scene_query.scene_file()

    def is_dirty(self):
        return scene_query.is_dirty()

    def save_scene(self):
        """Save where the scene is; a scene never saved asks for a file name. Returns the
        path, "" when the user cancelled."""
        return scene_query.save_scene(ask=True)

    def main_window(self):
        from rayvision_max.glue import main_window
        return main_window()
