"""The Render Farm tab of the 3D View sidebar and the panel in Render Properties.

Both draw the same thing from the session's state (no network, no disk here: drawing
runs many times a second): account, the scene's check, the job's choices, Submit or the
submission's progress with Cancel, and the last tasks with Download and their folder.
"""
import bpy

from . import runtime

#: At most this many lines of the check are listed (the full panel lists all).
ISSUES_SHOWN = 8

_ICONS = {"error": "ERROR", "warning": "INFO", "info": "INFO"}

#: Characters per label line; set from the region's width on each draw.
_LINE = {"chars": 40}


def line_chars(context):
    """About how many characters fit on one label line of the region being drawn."""
    region = getattr(context, "region", None)
    scale = getattr(getattr(context, "preferences", None), "system", None)
    scale = getattr(scale, "ui_scale", 1.0) or 1.0
    width = getattr(region, "width", 0) or 300
    return max(16, int((width - 50) / (6.5 * scale)))


def _wrapped(layout, text, icon="NONE", width=None):
    """``text`` on as many label lines as it needs (the region's width)."""
    width = width or _LINE["chars"]
    words = str(text).split()
    line = ""
    first = True
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            layout.label(text=line, icon=icon if first else "BLANK1")
            first = False
            line = word
        else:
            line = (line + " " + word) if line else word
    if line or first:
        layout.label(text=line, icon=icon if first else "BLANK1")


def _error(layout, error):
    if error is None:
        return
    box = layout.box()
    _wrapped(box.column(align=True), error.message, icon="ERROR")
    if error.hint:
        _wrapped(box.column(align=True), "What to do: " + error.hint, icon="BLANK1")


def draw_account(layout, current):
    row = layout.row(align=True)
    if current.signed_in:
        name, _, balance = current.account_text.partition(" - ")
        row.label(text=name, icon="USER")
        row.operator("rayvision.refresh", text="", icon="FILE_REFRESH")
        row.operator("rayvision.sign_out", text="", icon="X")
        if balance:
            _wrapped(layout.column(align=True), balance[:1].upper() + balance[1:],
                     icon="BLANK1")
    elif current.background.busy("account"):
        row.label(text="Connecting...", icon="TIME")
    else:
        row.label(text="Not signed in", icon="USER")
        row.operator("rayvision.sign_in", text="Sign In")
        row.operator("rayvision.refresh", text="", icon="FILE_REFRESH")
    _error(layout, current.account_error)


def draw_check(layout, current):
    header = layout.row(align=True)
    states = {"idle": ("Scene not checked yet", "QUESTION"),
              "reading": ("Reading the scene...", "TIME"),
              "resolving": ("Looking for the scene's files...", "TIME"),
              "checking": ("Checking...", "TIME"), "failed": ("The check failed", "ERROR")}
    if current.check_state == "done" and current.validation is not None:
        validation = current.validation
        header.label(text=validation.summary,
                     icon="ERROR" if validation.has_errors else "CHECKMARK")
    else:
        text, icon = states.get(current.check_state, ("", "NONE"))
        header.label(text=text, icon=icon)
    header.operator("rayvision.check", text="", icon="VIEWZOOM")
    if current.check_state == "failed":
        _error(layout, current.check_error)
    if current.validation is None:
        return
    column = layout.column(align=True)
    for issue in current.validation.issues[:ISSUES_SHOWN]:
        _wrapped(column, issue.text, icon=_ICONS.get(issue.severity, "INFO"))
        if issue.hint:
            _wrapped(column, "What to do: " + issue.hint, icon="BLANK1")
    hidden = len(current.validation.issues) - ISSUES_SHOWN
    if hidden > 0:
        column.label(text="... and {} more (Open the Full Panel lists them all)".format(hidden))


def draw_job(layout, context, current):
    settings = context.scene.rayvision
    column = layout.column(align=True)
    row = column.row(align=True)
    row.prop(settings, "use_scene_frames")
    if settings.use_scene_frames:
        scene = context.scene
        row.label(text="{}-{} step {}".format(scene.frame_start, scene.frame_end,
                                              scene.frame_step))
    else:
        row.prop(settings, "frames", text="")
    column.prop(settings, "camera_mode")
    if settings.camera_mode == "CAMERA":
        column.prop(settings, "camera")
    elif settings.camera_mode == "MARKERS":
        bound = sorted((m.frame, m.camera.name) for m in context.scene.timeline_markers
                       if m.camera is not None)
        column.label(text=", ".join("{} from {}".format(name, frame) for frame, name in bound)
                     or "No marker binds a camera (Ctrl+B in the Timeline)",
                     icon="MARKER_HLT")
    column.prop(settings, "env_name")
    problem = current.env_problem("{}.{}".format(*bpy.app.version[:2]))
    if problem:
        _wrapped(layout.column(align=True), problem, icon="ERROR")
    column.prop(settings, "project_name")


def draw_submit(layout, current):
    if current.busy:
        box = layout.box()
        row = box.row(align=True)
        row.label(text=current.phase or "Working...", icon="EXPORT")
        row.operator("rayvision.cancel", text="Cancel", icon="CANCEL")
        progress = current.progress
        if progress is not None:
            if progress.per_mille >= 0:
                box.label(text="{:.0f} %".format(progress.per_mille / 10.0))
            if progress.detail or progress.message:
                _wrapped(box.column(align=True), progress.detail or progress.message)
        return
    row = layout.row()
    row.scale_y = 1.4
    row.enabled = current.signed_in
    row.operator("rayvision.submit", text="Submit to Render Farm", icon="EXPORT")
    if current.submit_state == "done" and current.task_ref is not None:
        ids = ", ".join(str(ref.task_id) for ref in current.task_refs)
        layout.label(text="Task{} {} on the farm".format("s" if len(current.task_refs) > 1
                                                         else "", ids),
                     icon="CHECKMARK")
    elif current.submit_state in ("cancelled", "cancelling"):
        layout.label(text=current.phase or "Cancelled", icon="CANCEL")
    elif current.submit_state == "failed":
        _error(layout, current.submit_error)


def draw_tasks(layout, current):
    if not current.signed_in:
        return
    header = layout.row()
    header.label(text="Last tasks", icon="SEQUENCE")
    if not current.tasks:
        layout.label(text="No task yet")
    for row_data in current.tasks:
        row = layout.row(align=True)
        text = "{}  {}".format(row_data.name, row_data.status_text)
        if row_data.progress_text:
            text += "  " + row_data.progress_text
        row.label(text=text)
        download = row.operator("rayvision.download", text="", icon="IMPORT")
        download.task_id = row_data.id
        folder = row.operator("rayvision.open_folder", text="", icon="FILE_FOLDER")
        folder.task_id = row_data.id
        state = current.download_state.get(row_data.id)
        if state:
            _wrapped(layout.column(align=True), state, icon="BLANK1")
    _error(layout, current.tasks_error)


def draw_tool(layout, context):
    _LINE["chars"] = line_chars(context)
    current = runtime.session()
    draw_account(layout, current)
    layout.separator()
    draw_check(layout, current)
    layout.separator()
    draw_job(layout, context, current)
    draw_submit(layout, current)
    layout.separator()
    draw_tasks(layout, current)
    layout.separator()
    layout.operator("rayvision.open_panel", icon="WINDOW")


class VIEW3D_PT_rayvision_farm(bpy.types.Panel):
    bl_label = "Render Farm"
    bl_idname = "VIEW3D_PT_rayvision_farm"
    bl_space_type = "VIEW_3D"
    bl_region_type = "UI"
    bl_category = "Render Farm"

    def draw(self, context):
        draw_tool(self.layout, context)


class RENDER_PT_rayvision_farm(bpy.types.Panel):
    bl_label = "Render Farm"
    bl_idname = "RENDER_PT_rayvision_farm"
    bl_space_type = "PROPERTIES"
    bl_region_type = "WINDOW"
    bl_context = "render"
    bl_options = {"DEFAULT_CLOSED"}

    def draw(self, context):
        draw_tool(self.layout, context)


CLASSES = (VIEW3D_PT_rayvision_farm, RENDER_PT_rayvision_farm)


def register():
    for cls in CLASSES:
        bpy.utils.register_class(cls)


def unregister():
    for cls in reversed(CLASSES):
        bpy.utils.unregister_class(cls)
