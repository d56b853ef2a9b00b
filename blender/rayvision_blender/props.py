"""The add-on preferences and the per-scene choices (frames, cameras, environment)."""
import bpy
from bpy.props import BoolProperty, EnumProperty, PointerProperty, StringProperty

from . import runtime

ZONES = (
    ("renderbus", "Renderbus", "task.renderbus.com (China)"),
    ("foxrenderfarm", "Fox Renderfarm", "task.foxrenderfarm.com (worldwide)"),
    ("custom", "Other address", "A service address of your own (e.g. a local farm)"),
)

ENGINES = (
    ("http", "HTTP", "Upload and download over HTTPS (works everywhere)"),
    ("raysync", "Raysync", "Rayvision's transfer engine (needs its transmitter installed)"),
)

CAMERA_MODES = (
    ("ACTIVE", "Active camera", "Render the scene's active camera"),
    ("CAMERA", "One camera", "Render the camera chosen below"),
    ("ALL", "All cameras", "Render every camera of the scene, one task each"),
    ("MARKERS", "Marker cameras", "Render with the cameras the timeline markers switch to "
                                  "(Blender switches them frame by frame)"),
)


def _is_camera(self, obj):
    return obj.type == "CAMERA"


class RayvisionPreferences(bpy.types.AddonPreferences):
    bl_idname = runtime.addon_name()

    zone: EnumProperty(name="Service", items=ZONES, default="renderbus",
                       description="The render farm service to submit to")
    domain: StringProperty(name="Address", default="",
                           description="The service address, for 'Other address' "
                                       "(e.g. http://127.0.0.1:8765)")
    platform: StringProperty(name="Platform", default="",
                             description="The render platform number of your account "
                                         "(empty: the one you used last)")
    download_dir: StringProperty(name="Download folder", subtype="DIR_PATH", default="",
                                 description="Where rendered frames are downloaded "
                                             "(empty: your home folder), one folder per task")
    transfer_engine: EnumProperty(name="Transfer", items=ENGINES, default="http",
                                  description="How files go to and come from the farm")

    def connection_settings(self):
        domain = self.domain.strip() if self.zone == "custom" else self.zone
        return {"domain": domain or None, "platform": self.platform.strip() or None}

    def draw(self, context):
        from .panels import draw_account
        layout = self.layout
        layout.use_property_split = True
        layout.prop(self, "zone")
        if self.zone == "custom":
            layout.prop(self, "domain")
        layout.prop(self, "platform")
        layout.prop(self, "download_dir")
        layout.prop(self, "transfer_engine")
        draw_account(layout.box(), runtime.session())


_ENV_ITEMS = []
#: The environment enum's "use the account's default" item.
DEFAULT_ENV = "__default__"


def _env_items(self, context):
    """The account's render environments for the enum (kept alive: Blender needs it)."""
    from rayvision_dcc.ui.logic import env_label
    items = [(DEFAULT_ENV, "Default of the account", "The environment marked default on the website")]
    for env in runtime.session().envs:
        name = str(env.get("editName") or "")
        if name:
            items.append((name, env_label(env), "Blender {}".format(env.get("cgVersion"))))
    _ENV_ITEMS[:] = items
    return _ENV_ITEMS


class RayvisionSceneSettings(bpy.types.PropertyGroup):
    use_scene_frames: BoolProperty(name="Scene frames", default=True,
                                   description="Render the scene's frame range and step")
    frames: StringProperty(name="Frames", default="",
                           description="Frames to render, e.g. 1-10[1] or 1,5,9-12[1]")
    camera_mode: EnumProperty(name="Cameras", items=CAMERA_MODES, default="ACTIVE")
    camera: PointerProperty(name="Camera", type=bpy.types.Object, poll=_is_camera,
                            description="The camera to render")
    env_name: EnumProperty(name="Environment", items=_env_items,
                           description="The render environment (Blender version and add-ons)")
    project_name: StringProperty(name="Project", default="",
                                 description="Project name shown on the farm's website")


CLASSES = (RayvisionPreferences, RayvisionSceneSettings)


def register():
    for cls in CLASSES:
        bpy.utils.register_class(cls)
    bpy.types.Scene.rayvision = PointerProperty(type=RayvisionSceneSettings)


def unregister():
    del bpy.types.Scene.rayvision
    for cls in reversed(CLASSES):
        bpy.utils.unregister_class(cls)
