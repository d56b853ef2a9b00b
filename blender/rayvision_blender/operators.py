"""The tool's operators: submit, check, cancel, sign in/out, tasks, download, folders.

Each runs on Blender's main thread and only starts work: the network, the disk and the
transfer run in the session's workers, and ``runtime.tick`` brings their results back.
"""
import os

import bpy
from bpy.props import BoolProperty, IntProperty, StringProperty

from . import runtime
from .props import DEFAULT_ENV


def job_values(scene):
    """The JobSpec fields the scene's Render Farm settings choose (plain values)."""
    settings = scene.rayvision
    values = {"project_name": settings.project_name.strip()}
    if not settings.use_scene_frames and settings.frames.strip():
        values["frames"] = settings.frames.strip()
    if settings.camera_mode == "CAMERA":
        values["cameras"] = [settings.camera.name] if settings.camera is not None else []
    elif settings.camera_mode == "ALL":
        values["cameras"] = sorted(obj.name for obj in scene.objects if obj.type == "CAMERA")
        values["per_camera"] = True  # Blender renders one camera per task
    elif settings.camera_mode == "MARKERS":
        # The task starts with the camera bound at (or before) its first frame; Blender
        # switches to the others at their markers while it renders.
        bound = [(marker.frame, marker.camera.name) for marker in scene.timeline_markers
                 if marker.camera is not None]
        first = [name for frame, name in sorted(bound) if frame <= scene.frame_start]
        if first:
            values["cameras"] = [first[-1]]
        elif bound:
            values["cameras"] = [sorted(bound)[0][1]]
    env = settings.env_name
    values["env_name"] = "" if env in ("", DEFAULT_ENV) else env
    current = runtime.session()
    if current.download_dir:
        values["output_dir"] = current.download_dir
    return values


def _report_messages(operator, current):
    for level, text in current.take_messages():
        operator.report({level}, text)


class RAYVISION_OT_submit(bpy.types.Operator):
    """Check the scene and submit it to the render farm"""
    bl_idname = "rayvision.submit"
    bl_label = "Submit to Render Farm..."
    bl_options = {"REGISTER"}

    save: BoolProperty(name="Save the scene first", default=True,
                       description="The farm renders the saved file: save the changes "
                                   "before submitting")

    @classmethod
    def poll(cls, context):
        return context.scene is not None

    def invoke(self, context, event):
        if not bpy.data.filepath:
            self.report({"ERROR"}, "Save the scene to a file first: the farm renders the "
                                   "saved .blend")
            bpy.ops.wm.save_as_mainfile("INVOKE_DEFAULT")
            return {"CANCELLED"}
        runtime.configure(context)
        return context.window_manager.invoke_props_dialog(self, width=420)

    def draw(self, context):
        from .panels import draw_job
        draw_job(self.layout, context, runtime.session())
        if bpy.data.is_dirty:
            self.layout.prop(self, "save")

    def execute(self, context):
        from .adapter import BlenderAdapter
        current = runtime.configure(context)
        reasons = current.blockers(render_running=runtime.render_running())
        if not bpy.data.filepath:
            reasons.append("save the scene to a file first")
        elif bpy.data.is_dirty and not self.save:
            reasons.append("save the scene first: the farm renders the saved file")
        if reasons:
            self.report({"ERROR"}, "Not submitted: " + "; ".join(reasons))
            return {"CANCELLED"}
        adapter = BlenderAdapter()
        if bpy.data.is_dirty:
            adapter.save_scene()
        current.submit(runtime.make_reader(adapter), job_values(context.scene))
        runtime.wake()
        self.report({"INFO"}, "Checking the scene, then submitting")
        return {"FINISHED"}


class RAYVISION_OT_check(bpy.types.Operator):
    """Check the scene for what the farm needs (files, camera, frames, environment)"""
    bl_idname = "rayvision.check"
    bl_label = "Check the Scene"

    def execute(self, context):
        current = runtime.configure(context)
        if current.busy:
            self.report({"WARNING"}, "A submission is running")
            return {"CANCELLED"}
        current.check(runtime.make_reader(), job_values(context.scene))
        runtime.wake()
        return {"FINISHED"}


class RAYVISION_OT_cancel(bpy.types.Operator):
    """Cancel the running submission (what was uploaded is kept)"""
    bl_idname = "rayvision.cancel"
    bl_label = "Cancel Submission"

    @classmethod
    def poll(cls, context):
        return runtime.session().busy

    def execute(self, context):
        runtime.session().cancel()
        runtime.wake()
        return {"FINISHED"}


class RAYVISION_OT_sign_in(bpy.types.Operator):
    """Sign in with the accessId and accessKey of your account's API page"""
    bl_idname = "rayvision.sign_in"
    bl_label = "Sign In to the Render Farm"

    access_id: StringProperty(name="accessId", options={"SKIP_SAVE"})
    access_key: StringProperty(name="accessKey", subtype="PASSWORD", options={"SKIP_SAVE"})

    def invoke(self, context, event):
        return context.window_manager.invoke_props_dialog(self, width=400)

    def execute(self, context):
        access_id, access_key = self.access_id.strip(), self.access_key.strip()
        self.access_key = ""  # never kept in the operator's memory
        if not access_id or not access_key:
            self.report({"ERROR"}, "Both the accessId and the accessKey are needed (copy "
                                   "them from your account's API page)")
            return {"CANCELLED"}
        runtime.configure(context).sign_in(access_id, access_key)
        runtime.wake()
        return {"FINISHED"}


class RAYVISION_OT_sign_out(bpy.types.Operator):
    """Forget the stored access key"""
    bl_idname = "rayvision.sign_out"
    bl_label = "Sign Out"

    def execute(self, context):
        runtime.session().sign_out()
        runtime.wake()
        return {"FINISHED"}


class RAYVISION_OT_refresh(bpy.types.Operator):
    """Read the account, the render environments and the last tasks again"""
    bl_idname = "rayvision.refresh"
    bl_label = "Refresh"

    def execute(self, context):
        current = runtime.configure(context)
        if current.client is None or not current.signed_in:
            current.connect()
        else:
            current.refresh_tasks()
        runtime.wake()
        return {"FINISHED"}


class RAYVISION_OT_download(bpy.types.Operator):
    """Download the task's rendered frames into the download folder"""
    bl_idname = "rayvision.download"
    bl_label = "Download Frames"

    task_id: IntProperty(name="Task")

    def execute(self, context):
        current = runtime.configure(context)
        if current.client is None:
            self.report({"ERROR"}, "Sign in first")
            return {"CANCELLED"}
        folder = current.download(self.task_id)
        runtime.wake()
        self.report({"INFO"}, "Downloading task {} into {}".format(self.task_id, folder))
        return {"FINISHED"}


class RAYVISION_OT_open_folder(bpy.types.Operator):
    """Open the folder the task's frames are downloaded to"""
    bl_idname = "rayvision.open_folder"
    bl_label = "Open Frames Folder"

    task_id: IntProperty(name="Task")

    def execute(self, context):
        folder = runtime.configure(context).task_folder(self.task_id)
        if not os.path.isdir(folder):
            self.report({"WARNING"}, "Nothing downloaded yet into {}".format(folder))
            return {"CANCELLED"}
        bpy.ops.wm.path_open(filepath=folder)
        return {"FINISHED"}


class RAYVISION_OT_open_panel(bpy.types.Operator):
    """Open the full submit window (needs PySide6)"""
    bl_idname = "rayvision.open_panel"
    bl_label = "Open the Full Panel"

    def execute(self, context):
        from . import qtpanel
        problem = qtpanel.open_panel()
        if problem:
            self.report({"WARNING"}, problem)
            return {"CANCELLED"}
        return {"FINISHED"}


CLASSES = (RAYVISION_OT_submit, RAYVISION_OT_check, RAYVISION_OT_cancel, RAYVISION_OT_sign_in,
           RAYVISION_OT_sign_out, RAYVISION_OT_refresh, RAYVISION_OT_download,
           RAYVISION_OT_open_folder, RAYVISION_OT_open_panel)


def menu_entry(self, context):
    self.layout.separator()
    self.layout.operator(RAYVISION_OT_submit.bl_idname, icon="EXPORT")


def register():
    for cls in CLASSES:
        bpy.utils.register_class(cls)
    bpy.types.TOPBAR_MT_render.append(menu_entry)


def unregister():
    bpy.types.TOPBAR_MT_render.remove(menu_entry)
    for cls in reversed(CLASSES):
        bpy.utils.unregister_class(cls)
