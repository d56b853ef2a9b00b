"""``MayaAdapter``: the host contract's answers for Maya, from ``scene_query`` reads.

Every method reads Maya: call it on Maya's main thread (the panel does, in slices; the
batch script and the CLI call ``scene_info()`` directly).
"""
from rayvision_dcc.hosts import HostAdapter
from rayvision_dcc.job import FileReference, SceneInfo

from rayvision_maya import scene_query


class MayaAdapter(HostAdapter):
    host_name = "Maya"

    def host_version(self):
        return scene_query.maya_version()

    def read_scene(self):
        """The scene's settings (no dependencies): cheap, a few dozen reads."""
        return SceneInfo.from_dict(dict(scene_query.read_scene(), host=self.host_name))

    def iter_references(self):
        """The files the scene uses, as Maya stores them; one node read per step."""
        start, end, _step, _animation = scene_query.render_range()
        for read in scene_query.reference_readers((start, end)):
            for item in read():
                yield FileReference(**item)

    def scene_path(self):
        return scene_query.scene_path()

    def is_dirty(self):
        return scene_query.is_dirty()

    def save_scene(self):
        return scene_query.save_scene()

    def main_window(self):
        pointer = scene_query.main_window_pointer()
        if not pointer:
            return None
        from Qt import QtCompat, QtWidgets
        return QtCompat.wrapInstance(int(pointer), QtWidgets.QWidget)
