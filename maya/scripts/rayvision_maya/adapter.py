"""``MayaAdapter``: the host contract's answers for Maya, from ``scene_query`` reads.

Every method reads Maya: call it on Maya's main thread (the panel does, in slices; the
batch script and the CLI call ``scene_info()`` directly).
"""
import os

from rayvision_dcc.hosts import HostAdapter
from rayvision_dcc.job import Camera, FileReference, RenderLayer, SceneInfo

from rayvision_maya import scene_query


class MayaAdapter(HostAdapter):
    host_name = "Maya"

    def host_version(self):
        return scene_query.maya_version()

    def read_scene(self):
        """The scene's settings (no dependencies): cheap, a few dozen reads."""
        settings = scene_query.read_settings()
        cameras = scene_query.cameras()
        warnings = list(settings["warnings"])
        layers, overrides, layer_type = scene_query.render_layers(cameras, warnings)
        plugins = scene_query.plugins_in_use()
        renderer = settings["renderer"]
        plugin = scene_query.RENDERER_PLUGINS.get(renderer)
        if plugin and not settings["renderer_version"]:
            warnings.append("the scene renders with {}, but its plug-in {} is not loaded"
                            .format(renderer, plugin))
        elif plugin:
            plugins.setdefault(plugin, settings["renderer_version"])
        for name in scene_query.missing_plugins():
            warnings.append("the scene needs the plug-in {}, which is not loaded: its nodes "
                            "cannot be read".format(name))
        path = settings["scene_path"]
        return SceneInfo(
            host=self.host_name,
            host_version=settings["host_version"],
            scene_path=path,
            scene_name=os.path.splitext(os.path.basename(path))[0] if path else "",
            renderer=renderer,
            cameras=[Camera(item["name"], item["renderable"]) for item in cameras],
            frame_start=settings["frame_start"],
            frame_end=settings["frame_end"],
            frame_step=settings["frame_step"],
            width=settings["width"],
            height=settings["height"],
            output_path=settings["output_path"],
            output_format=settings["image_format"],
            render_layers=[RenderLayer(item["name"], item["renderable"]) for item in layers],
            plugins=plugins,
            project_path=settings["project_path"],
            warnings=warnings,
            extra={
                "common": {"image_file_prefix": settings["image_file_prefix"]},
                "layers": overrides,
                "render_layer_type": layer_type,
                "animation": settings["animation"],
                "renderer_version": settings["renderer_version"],
                "renderer_plugin": plugin or "",
            },
        )

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
