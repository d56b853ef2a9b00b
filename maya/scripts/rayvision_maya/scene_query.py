"""Every read of Maya the plugin makes: ``maya.cmds`` (and the Render Setup model).

Call these on Maya's main thread only. Functions return plain values, dicts and lists
(``adapter.py`` makes the contract's SceneInfo and FileReferences of them). Paths are
returned as Maya stores them (tokens such as ``<UDIM>``, ``<f>`` and frame numbers kept,
relative paths left relative): resolving and expanding them is the core's job, on a
worker. A node that cannot be read becomes a ``{"warning": ...}`` entry, never an error.
"""
import os
import re

from maya import cmds

from rayvision_dcc.job.references import has_tile_token, has_tokens

#: Renderer (defaultRenderGlobals.currentRenderer) -> the plug-in that provides it.
RENDERER_PLUGINS = {
    "arnold": "mtoa",
    "vray": "vrayformaya",
    "redshift": "redshift4maya",
    "renderman": "RenderMan_for_Maya",
}
#: Renderer -> where it keeps its output image format, and whether that is an enum (read
#: with getAttr -asString, which Maya documents for enum attributes only).
IMAGE_FORMAT_ATTRS = {
    "arnold": ("defaultArnoldDriver.aiTranslator", False),
    "vray": ("vraySettings.imageFormatStr", False),
    "redshift": ("redshiftOptions.imageFormat", True),
}
#: The Maya default when nothing else says: Maya IFF.
DEFAULT_IMAGE_FORMAT = "iff"
#: Render settings a layer may override: attribute -> (the node it lives on, our key).
_SETTING_ATTRS = {"startFrame": ("defaultRenderGlobals", "frame_start"),
                  "endFrame": ("defaultRenderGlobals", "frame_end"),
                  "byFrameStep": ("defaultRenderGlobals", "frame_step"),
                  "width": ("defaultResolution", "width"),
                  "height": ("defaultResolution", "height")}

#: (node type, attribute, kind, whether the node has useFrameExtension) of the simple
#: one-path nodes; file textures, references and caches have readers of their own.
PATH_NODES = (
    ("aiImage", "filename", "image", False),
    ("imagePlane", "imageName", "image", True),
    ("AlembicNode", "abc_File", "cache", False),
    ("gpuCache", "cacheFileName", "cache", False),
    ("aiStandIn", "dso", "cache", True),
    ("aiVolume", "filename", "volume", True),
    ("VRayMesh", "fileName", "cache", False),
    ("RedshiftProxyMesh", "fileName", "cache", True),
    ("audio", "filename", "sound", False),
    ("xgmPalette", "xgFileName", "file", False),
)


# -- the scene ---------------------------------------------------------------------------

def maya_version():
    """``"2024"``: the year, as render environments name Maya versions."""
    text = str(cmds.about(version=True))
    found = re.search(r"\d{4}", text)
    return found.group(0) if found else text


def is_batch():
    return bool(cmds.about(batch=True))


def scene_path():
    return cmds.file(query=True, sceneName=True) or ""


def is_dirty():
    return bool(cmds.file(query=True, modified=True))


def open_scene(path):
    cmds.file(path, open=True, force=True)


def save_scene():
    """Maya's own save; an untitled scene asks where (interactive) first. Returns the
    path, "" when the user cancelled or nothing could ask."""
    path = scene_path()
    if not path:
        if is_batch():
            return ""
        chosen = cmds.fileDialog2(fileFilter="Maya ASCII (*.ma);;Maya Binary (*.mb)",
                                  fileMode=0, caption="Save the scene before submitting")
        if not chosen:
            return ""
        path = chosen[0]
        cmds.file(rename=path)
    kind = "mayaBinary" if path.lower().endswith(".mb") else "mayaAscii"
    cmds.file(save=True, type=kind)
    return scene_path()


def main_window_pointer():
    """Maya's main window as a pointer for Qt, or None (batch mode)."""
    from maya import OpenMayaUI
    return OpenMayaUI.MQtUtil.mainWindow()


def _get(plug, default=None, as_string=False):
    """getAttr, or ``default`` when the node or attribute is not there."""
    try:
        if as_string:
            return cmds.getAttr(plug, asString=True)
        return cmds.getAttr(plug)
    except (ValueError, RuntimeError):
        return default


def _frame(value):
    return int(round(float(value)))


def render_range():
    """``(start, end, step, animation)`` of the render settings; without animation Maya
    renders one frame."""
    start = _frame(_get("defaultRenderGlobals.startFrame", 1.0))
    end = _frame(_get("defaultRenderGlobals.endFrame", start))
    step = max(1, _frame(_get("defaultRenderGlobals.byFrameStep", 1.0) or 1))
    animation = bool(_get("defaultRenderGlobals.animation", True))
    return start, (end if animation else start), step, animation


def read_settings():
    """The render settings as a dict; ``warnings`` lists what could not be read."""
    warnings = []
    renderer = _get("defaultRenderGlobals.currentRenderer", "mayaSoftware") or "mayaSoftware"
    start, end, step, animation = render_range()
    image_format = image_format_of(renderer, warnings)
    root = workspace_root()
    images = cmds.workspace(fileRuleEntry="images") or "images"
    output = images if os.path.isabs(images) or not root else root + "/" + images
    return {
        "scene_path": scene_path(),
        "host_version": maya_version(),
        "renderer": renderer,
        "renderer_version": renderer_version(renderer),
        "frame_start": start, "frame_end": end, "frame_step": step, "animation": animation,
        "width": int(_get("defaultResolution.width", 0) or 0),
        "height": int(_get("defaultResolution.height", 0) or 0),
        "image_file_prefix": _get("defaultRenderGlobals.imageFilePrefix", "") or "",
        "image_format": image_format,
        "project_path": root,
        "output_path": output.replace("\\", "/"),
        "warnings": warnings,
    }


def read_scene():
    """The scene's settings (no dependencies) as a dict keyed by ``SceneInfo``'s field
    names (``adapter.MayaAdapter.read_scene`` makes the SceneInfo with ``from_dict``):
    the render settings, cameras, render layers and plug-ins, with a warning for each
    plug-in the scene needs that is not loaded."""
    settings = read_settings()
    camera_list = cameras()
    warnings = list(settings["warnings"])
    layers, overrides, layer_type = render_layers(camera_list, warnings)
    plugins = plugins_in_use()
    renderer = settings["renderer"]
    plugin = RENDERER_PLUGINS.get(renderer)
    if plugin and not settings["renderer_version"]:
        warnings.append("the scene renders with {}, but its plug-in {} is not loaded"
                        .format(renderer, plugin))
    elif plugin:
        plugins.setdefault(plugin, settings["renderer_version"])
    for name in missing_plugins():
        warnings.append("the scene needs the plug-in {}, which is not loaded: its nodes "
                        "cannot be read".format(name))
    path = settings["scene_path"]
    return {
        "host_version": settings["host_version"],
        "scene_path": path,
        "scene_name": os.path.splitext(os.path.basename(path))[0] if path else "",
        "renderer": renderer,
        "cameras": camera_list,
        "frame_start": settings["frame_start"],
        "frame_end": settings["frame_end"],
        "frame_step": settings["frame_step"],
        "width": settings["width"],
        "height": settings["height"],
        "output_path": settings["output_path"],
        "output_format": settings["image_format"],
        "render_layers": layers,
        "plugins": plugins,
        "project_path": settings["project_path"],
        "warnings": warnings,
        "extra": {
            "common": {"image_file_prefix": settings["image_file_prefix"]},
            "layers": overrides,
            "render_layer_type": layer_type,
            "animation": settings["animation"],
            "renderer_version": settings["renderer_version"],
            "renderer_plugin": plugin or "",
        },
    }


def workspace_root():
    return (cmds.workspace(query=True, rootDirectory=True) or "").replace("\\", "/").rstrip("/")


def image_format_of(renderer, warnings):
    if renderer not in IMAGE_FORMAT_ATTRS:
        return _get("defaultRenderGlobals.imfPluginKey", "") or DEFAULT_IMAGE_FORMAT
    plug, is_enum = IMAGE_FORMAT_ATTRS[renderer]
    value = _get(plug, None, as_string=is_enum)
    if value is None:
        warnings.append("the {} output format ({}) could not be read: is its plug-in "
                        "loaded?".format(renderer, plug))
        return ""
    value = str(value)
    extension = re.search(r"\.(\w+)", value)  # "OpenEXR (.exr)" -> "exr"
    return (extension.group(1) if extension else value).lower()


def renderer_version(renderer):
    """The version of the plug-in behind ``renderer``; Maya's own for its renderers;
    "" when that plug-in is not loaded."""
    plugin = RENDERER_PLUGINS.get(renderer)
    if plugin is None:
        return maya_version()
    if not cmds.pluginInfo(plugin, query=True, loaded=True):
        return ""
    return str(cmds.pluginInfo(plugin, query=True, version=True))


def cameras():
    """``[{"name", "renderable"}]`` of every camera shape."""
    return [{"name": name, "renderable": bool(_get(name + ".renderable", False))}
            for name in cmds.ls(type="camera") or []]


def plugins_in_use():
    """``{plug-in: version}`` of the plug-ins the scene uses (pluginInfo -pluginsInUse)."""
    flat = cmds.pluginInfo(query=True, pluginsInUse=True) or []
    return {str(flat[i]): str(flat[i + 1]) for i in range(0, len(flat) - 1, 2)}


def missing_plugins():
    """Plug-ins the scene needs that are not loaded (their nodes are "unknown")."""
    return [str(name) for name in cmds.unknownPlugin(query=True, list=True) or []]


# -- render layers -------------------------------------------------------------------------

def render_layers(camera_list=None, warnings=None):
    """``(layers, overrides, layer_type)``: ``[{"name", "renderable"}]``; per layer the
    frames, size and cameras it renders differently (``{"frame_start", "frame_end",
    "frame_step", "width", "height", "cameras"}``, only what it overrides); ``"1"`` for Render Setup,
    ``"0"`` for legacy render layers. When the Render Setup model cannot be read, its
    layers' nodes are listed without overrides and ``warnings`` says so."""
    if cmds.mayaHasRenderSetup():
        try:
            return _render_setup_layers(camera_list)
        except (AttributeError, TypeError, ImportError, RuntimeError, ValueError) as exc:
            if warnings is not None:
                warnings.append("the Render Setup layers' overrides could not be read ({}: "
                                "{}): each layer renders the scene's frames and cameras"
                                .format(type(exc).__name__, exc))
            return _legacy_layers(), {}, "1"
    return _legacy_layers(), {}, "0"


def _legacy_layers():
    return [{"name": name, "renderable": bool(_get(name + ".renderable", True))}
            for name in cmds.ls(type="renderLayer") or []]


def _render_setup_layers(camera_list):
    import maya.app.renderSetup.model.renderSetup as renderSetup
    if camera_list is None:
        camera_list = cameras()
    layers = [{"name": "defaultRenderLayer",
               "renderable": bool(_get("defaultRenderLayer.renderable", True))}]
    overrides = {}
    for layer in renderSetup.instance().getRenderLayers():
        name = layer.name()
        layers.append({"name": name, "renderable": bool(layer.isRenderable())})
        found = {}
        camera_switches = {}
        for collection in layer.getCollections():
            _walk_collection(collection, found, camera_switches, camera_list)
        if camera_switches:
            found["cameras"] = [camera["name"] for camera in camera_list
                                if camera_switches.get(camera["name"], camera["renderable"])]
        if found:
            overrides[name] = found
    return layers, overrides, "1"


def _walk_collection(collection, found, camera_switches, camera_list, in_settings=False):
    """Collect the frame and resolution overrides of render settings collections and the
    ``renderable`` overrides of collections that select cameras (by shape or transform)."""
    selected = None
    if not in_settings:
        in_settings = collection.typeName() == "renderSettingsCollection"
    for child in collection.getChildren():
        if not hasattr(child, "attributeName"):
            _walk_collection(child, found, camera_switches, camera_list, in_settings)
            continue
        attribute = child.attributeName()
        if attribute in _SETTING_ATTRS:
            node, key = _SETTING_ATTRS[attribute]
            if selected is None:
                selected = _selected_names(collection)
            if in_settings or node in selected:
                found[key] = _frame(child.getAttrValue())
        elif attribute == "renderable":
            if selected is None:
                selected = _selected_names(collection)
            for name in _camera_shapes(selected, camera_list):
                camera_switches[name] = bool(child.getAttrValue())


def _selected_names(collection):
    return set(str(name).split("|")[-1] for name in collection.getSelector().names())


def _camera_shapes(names, camera_list):
    """The camera shapes among ``names`` or below the transforms among them."""
    shapes = set(camera["name"] for camera in camera_list)
    found = []
    for name in sorted(names):
        if name in shapes:
            found.append(name)
            continue
        try:
            children = cmds.listRelatives(name, shapes=True, type="camera") or []
        except ValueError:  # not a DAG node of this scene
            children = []
        found.extend(child for child in children if child in shapes)
    return found


# -- dependencies ----------------------------------------------------------------------------

def _ref(path, owner, kind, sequence=False, frames=(), base="", warning=""):
    return {"path": path or "", "owner": owner, "kind": kind, "sequence": bool(sequence),
            "frames": tuple(frames), "base": base, "warning": warning}


def _unreadable(owner, exc):
    return _ref("", owner, "file", warning="{} could not be read: {}".format(owner, exc))


def reference_readers(frames):
    """A generator of callables, one per node, each returning a list of reference dicts,
    so a caller can stop between any two nodes; the nodes of each type are listed when
    the generator reaches that type. ``frames`` is the render range (for sequences)."""
    for node in cmds.ls(type="file") or []:
        yield lambda node=node: _file_texture(node, frames)
    for node_type, attribute, kind, per_frame in PATH_NODES:
        for node in cmds.ls(type=node_type) or []:
            yield (lambda node=node, a=attribute, k=kind, f=per_frame:
                   _path_node(node, a, k, f, frames))
    for node in cmds.ls(type="reference") or []:
        if node == "sharedReferenceNode" or node.endswith("_UNKNOWN_REF_NODE_"):
            continue
        yield lambda node=node: _reference(node)
    for node in cmds.ls(type="cacheFile") or []:
        yield lambda node=node: _cache_file(node)
    for node in cmds.ls(type="unknown") or []:
        yield lambda node=node: _unknown_node(node)


def _guarded(owner, read):
    try:
        return read()
    except (ValueError, RuntimeError) as exc:
        return [_unreadable(owner, exc)]


def _file_texture(node, frames):
    def read():
        path = cmds.getAttr(node + ".fileTextureName") or ""
        tiling = int(_get(node + ".uvTilingMode", 0) or 0)
        per_frame = bool(_get(node + ".useFrameExtension", False))
        if tiling and not has_tokens(path):
            pattern = _get(node + ".computedFileTextureNamePattern", "") or ""
            path = pattern if has_tokens(pattern) else path
        if tiling or has_tile_token(path):
            kind = "udim"
        elif per_frame or has_tokens(path):
            kind = "image_sequence"
        else:
            kind = "image"
        if not path:
            return []
        return [_ref(path, node + ".fileTextureName", kind, sequence=per_frame,
                     frames=_offset(node, frames) if per_frame else ())]
    return _guarded(node, read)


def _offset(node, frames):
    """The file frames a node with useFrameExtension reads over the render range."""
    offset = _frame(_get(node + ".frameOffset", 0) or 0)
    return tuple(frame + offset for frame in frames)


def _path_node(node, attribute, kind, per_frame_attr, frames):
    def read():
        path = cmds.getAttr("{}.{}".format(node, attribute)) or ""
        per_frame = bool(_get(node + ".useFrameExtension", False)) if per_frame_attr else False
        if not path:
            return []
        base = ""
        if attribute == "xgFileName":  # XGen keeps its .xgen file beside the scene
            base = os.path.dirname(scene_path())
        return [_ref(path, "{}.{}".format(node, attribute), kind, sequence=per_frame,
                     frames=_offset(node, frames) if per_frame else (), base=base)]
    return _guarded(node, read)


def _reference(node):
    def read():
        if not cmds.referenceQuery(node, isLoaded=True):
            return []  # an unloaded reference is not loaded on the farm either
        path = cmds.referenceQuery(node, filename=True, unresolvedName=True,
                                   withoutCopyNumber=True)
        parent = cmds.referenceQuery(node, parent=True, referenceNode=True)
        owner = node + (" (inside {})".format(parent) if parent else "")
        return [_ref(path, owner, "reference")]

    try:
        return read()
    except (ValueError, RuntimeError) as exc:
        return [_ref("", node, "reference",
                     warning="reference {} is broken: {}".format(node, exc))]


def _cache_file(node):
    def read():
        return [_ref(path, node, "point_cache")
                for path in cmds.cacheFile(node, query=True, fileName=True) or []]
    return _guarded(node, read)


def _unknown_node(node):
    def read():
        plugin = cmds.unknownNode(node, query=True, plugin=True) or "?"
        real = cmds.unknownNode(node, query=True, realClassName=True) or "node"
        return [_ref("", node, "file", warning=(
            "{} ({}) needs the plug-in {}, which is not loaded: files it uses are not "
            "included".format(node, real, plugin)))]
    return _guarded(node, read)
