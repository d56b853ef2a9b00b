"""Every bpy read of the Rayvision add-on: the scene's settings and the files it uses.

Functions return plain dicts and lists; ``adapter.py`` turns them into a SceneInfo.
Dependency readers each cover one kind of datablock; ``scan_dependencies`` runs them
all and turns a failure in one into a warning, so one broken datablock never stops
the scan.
"""
from __future__ import annotations

import os
import re

import bpy

#: Blender output formats that write a movie rather than images.
MOVIE_FORMATS = ("AVI_JPEG", "AVI_RAW", "FFMPEG", "H264", "XVID", "THEORA", "QUICKTIME",
                 "FRAMESERVER")

_NUMBERED = re.compile(r"^(.*?)(\d+)(\D*)$")
_UDIM_TOKENS = ("<UDIM>", "<UVTILE>")


# -- the scene -----------------------------------------------------------------------------

def blender_version():
    """``"4.5"``: major.minor, as render environments name Blender versions."""
    return "{}.{}".format(bpy.app.version[0], bpy.app.version[1])


def blend_path():
    return bpy.data.filepath


def is_dirty():
    return bool(bpy.data.is_dirty)


def save_blend():
    if not bpy.data.filepath:
        return ""
    bpy.ops.wm.save_mainfile()
    return bpy.data.filepath


def open_blend(path):
    bpy.ops.wm.open_mainfile(filepath=path, load_ui=False)


def active_scene():
    scene = getattr(bpy.context, "scene", None)
    if scene is None and len(bpy.data.scenes):
        scene = bpy.data.scenes[0]
    return scene


def output_format(render):
    settings = render.image_settings
    # Blender 5.0 moved movies to media_type "VIDEO" with their own container setting.
    if getattr(settings, "media_type", "") == "VIDEO":
        return "FFMPEG"
    return str(settings.file_format)


def read_scene(scene=None):
    """The scene's render settings, cameras and view layers as a dict."""
    scene = scene or active_scene()
    render = scene.render
    percent = render.resolution_percentage
    cameras = sorted(obj.name for obj in scene.objects if obj.type == "CAMERA")
    active = scene.camera.name if scene.camera is not None else None
    if active is not None and active not in cameras:
        cameras.append(active)  # a camera set on the scene but not linked into it
    return {
        "scene_path": bpy.data.filepath,
        "scene_name": scene.name,
        "host_version": blender_version(),
        "renderer": str(render.engine),
        "frame_start": int(scene.frame_start),
        "frame_end": int(scene.frame_end),
        "frame_step": int(scene.frame_step),
        "width": int(render.resolution_x * percent / 100),
        "height": int(render.resolution_y * percent / 100),
        "output_path": str(render.filepath),
        "output_format": output_format(render),
        "cameras": [{"name": name, "renderable": name == active} for name in cameras],
        "render_layers": [{"name": layer.name, "renderable": bool(layer.use)}
                          for layer in scene.view_layers],
        "extra": {
            "scenes": [item.name for item in bpy.data.scenes],
            "resolution_percentage": int(percent),
            "use_file_extension": bool(render.use_file_extension),
        },
    }


# -- dependencies -----------------------------------------------------------------------

def absolute(path, library=None):
    """A datablock path made absolute: ``//`` is the .blend's folder (or the library's,
    for datablocks linked from one)."""
    try:
        full = bpy.path.abspath(path, library=library)
    except TypeError:  # very old bpy without the library argument
        full = bpy.path.abspath(path)
    return os.path.normpath(full) if full else full


def _dep(path, kind, owner, exists=None):
    return {"path": path, "kind": kind, "owner": owner,
            "exists": os.path.isfile(path) if exists is None else exists}


def _is_packed(block):
    if getattr(block, "packed_file", None) is not None:
        return True
    return len(getattr(block, "packed_files", ()) or ()) > 0


def sequence_files(path):
    """The files of the numbered sequence ``path`` belongs to (same folder, same text
    around the last number), sorted; [] when there are none."""
    folder, name = os.path.split(path)
    match = _NUMBERED.match(name)
    if not match or not os.path.isdir(folder):
        return []
    prefix, _, suffix = match.groups()
    pattern = re.compile("^" + re.escape(prefix) + r"\d+" + re.escape(suffix) + "$")
    return sorted(os.path.join(folder, entry) for entry in os.listdir(folder)
                  if pattern.match(entry) and os.path.isfile(os.path.join(folder, entry)))


def _sequence(path, kind, owner):
    files = sequence_files(path)
    if not files:
        return [_dep(path, kind, owner, exists=False)]
    return [_dep(item, kind, owner, exists=True) for item in files]


def udim_tile_path(path, number):
    """``path`` with its tile token (``<UDIM>`` 1001, ``<UVTILE>`` u1_v1) for tile
    ``number``; a path without a token has its last 1xxx number replaced."""
    if "<UDIM>" in path:
        return path.replace("<UDIM>", str(number))
    if "<UVTILE>" in path:
        index = number - 1001
        return path.replace("<UVTILE>", "u{}_v{}".format(index % 10 + 1, index // 10 + 1))
    folder, name = os.path.split(path)
    found = list(re.finditer(r"(?<!\d)1\d{3}(?!\d)", name))
    if not found:
        return path
    last = found[-1]
    return os.path.join(folder, name[:last.start()] + str(number) + name[last.end():])


def image_dependencies(warnings=None):
    deps = []
    for image in bpy.data.images:
        if image.source in ("GENERATED", "VIEWER") or _is_packed(image):
            continue
        raw = image.filepath_raw or image.filepath
        if not raw:
            continue
        path = absolute(raw, image.library)
        owner = 'Image "{}"'.format(image.name)
        if image.source == "SEQUENCE":
            deps.extend(_sequence(path, "image_sequence", owner))
        elif image.source == "TILED":
            for tile in image.tiles:
                deps.append(_dep(udim_tile_path(path, tile.number), "udim", owner))
        elif image.source == "MOVIE":
            deps.append(_dep(path, "movie", owner))
        else:
            deps.append(_dep(path, "image", owner))
    return deps


def library_dependencies(warnings=None):
    deps = []
    for library in bpy.data.libraries:
        if _is_packed(library) or not library.filepath:
            continue
        parent = getattr(library, "parent", None)
        deps.append(_dep(absolute(library.filepath, parent), "library",
                         'Library "{}"'.format(library.name)))
    return deps


def sound_dependencies(warnings=None):
    return [_dep(absolute(sound.filepath, sound.library), "sound",
                 'Sound "{}"'.format(sound.name))
            for sound in bpy.data.sounds if sound.filepath and not _is_packed(sound)]


def movie_clip_dependencies(warnings=None):
    deps = []
    for clip in bpy.data.movieclips:
        if not clip.filepath:
            continue
        path = absolute(clip.filepath, clip.library)
        owner = 'Movie clip "{}"'.format(clip.name)
        if clip.source == "SEQUENCE":
            deps.extend(_sequence(path, "movie_clip", owner))
        else:
            deps.append(_dep(path, "movie_clip", owner))
    return deps


def cache_file_dependencies(warnings=None):
    """Alembic and USD caches (CacheFile datablocks, used by Mesh Sequence Cache)."""
    deps = []
    for cache in bpy.data.cache_files:
        if not cache.filepath:
            continue
        path = absolute(cache.filepath, cache.library)
        owner = 'Cache file "{}"'.format(cache.name)
        if cache.is_sequence:
            deps.extend(_sequence(path, "cache", owner))
        else:
            deps.append(_dep(path, "cache", owner))
    return deps


def volume_dependencies(warnings=None):
    """OpenVDB volumes."""
    deps = []
    for volume in getattr(bpy.data, "volumes", ()):
        if not volume.filepath or _is_packed(volume):
            continue
        path = absolute(volume.filepath, volume.library)
        owner = 'Volume "{}"'.format(volume.name)
        if volume.is_sequence:
            deps.extend(_sequence(path, "volume", owner))
        else:
            deps.append(_dep(path, "volume", owner))
    return deps


def font_dependencies(warnings=None):
    return [_dep(absolute(font.filepath, font.library), "font", 'Font "{}"'.format(font.name))
            for font in bpy.data.fonts
            if font.filepath and font.filepath != "<builtin>" and not _is_packed(font)]


def text_dependencies(warnings=None):
    """Text datablocks kept in external files (not the ones living in the .blend)."""
    return [_dep(absolute(text.filepath, text.library), "text", 'Text "{}"'.format(text.name))
            for text in bpy.data.texts if text.filepath and not text.is_in_memory]


def _files_under(folder):
    found = []
    for root, _, names in os.walk(folder):
        found.extend(os.path.join(root, name) for name in sorted(names))
    return sorted(found)


def _point_caches():
    """(owner, PointCache) of every particle system and physics modifier, and the
    scenes' rigid body worlds."""
    for obj in bpy.data.objects:
        for modifier in obj.modifiers:
            cache = getattr(modifier, "point_cache", None)
            if cache is None and modifier.type == "PARTICLE_SYSTEM":
                cache = modifier.particle_system.point_cache
            if cache is not None:
                yield '{} "{}" of "{}"'.format(modifier.type.title(), modifier.name, obj.name), \
                    cache
            if modifier.type == "DYNAMIC_PAINT" and modifier.canvas_settings is not None:
                for surface in modifier.canvas_settings.canvas_surfaces:
                    yield 'Dynamic paint "{}" of "{}"'.format(surface.name, obj.name), \
                        surface.point_cache
    for scene in bpy.data.scenes:
        world = scene.rigidbody_world
        if world is not None and world.point_cache is not None:
            yield 'Rigid body world of "{}"'.format(scene.name), world.point_cache


def point_cache_dependencies(warnings):
    """Disk and external point caches: the files of their folder. The default disk
    cache folder is ``//blendcache_<blend name>/``."""
    deps = []
    seen = set()
    blend = bpy.data.filepath
    default = os.path.join(os.path.dirname(blend),
                           "blendcache_" + os.path.splitext(os.path.basename(blend))[0]) \
        if blend else ""
    for owner, cache in _point_caches():
        if cache.use_external:
            folder = absolute(cache.filepath)
        elif cache.use_disk_cache:
            folder = default
        else:
            continue
        if not folder or folder in seen:
            continue
        seen.add(folder)
        if os.path.isdir(folder):
            deps.extend(_dep(path, "point_cache", owner, True) for path in _files_under(folder))
        elif cache.is_baked:
            deps.append(_dep(folder, "point_cache", owner, exists=False))
        else:
            warnings.append("{} uses a disk cache but {} does not exist: the farm will "
                            "simulate it".format(owner, folder))
    return deps


def fluid_cache_dependencies(warnings):
    """Mantaflow fluid domains: the files of their cache folder."""
    deps = []
    for obj in bpy.data.objects:
        for modifier in obj.modifiers:
            if modifier.type != "FLUID" or getattr(modifier, "fluid_type", "") != "DOMAIN":
                continue
            settings = modifier.domain_settings
            folder = absolute(settings.cache_directory, obj.library)
            owner = 'Fluid domain "{}"'.format(obj.name)
            if folder and os.path.isdir(folder):
                deps.extend(_dep(path, "fluid_cache", owner, True)
                            for path in _files_under(folder))
            else:
                warnings.append("{}: cache folder {} not found: the farm will simulate "
                                "it".format(owner, folder))
    return deps


def _node_trees():
    for collection in (bpy.data.materials, bpy.data.lights, bpy.data.worlds):
        for block in collection:
            tree = getattr(block, "node_tree", None)
            if tree is not None:
                yield block, tree
    for group in bpy.data.node_groups:
        yield group, group


def node_file_dependencies(warnings=None):
    """Files named by nodes rather than datablocks: IES lights and OSL scripts."""
    deps = []
    for block, tree in _node_trees():
        for node in tree.nodes:
            if node.bl_idname not in ("ShaderNodeTexIES", "ShaderNodeScript"):
                continue
            if getattr(node, "mode", "") != "EXTERNAL" or not node.filepath:
                continue
            deps.append(_dep(absolute(node.filepath, block.library), "file",
                             'Node "{}" in "{}"'.format(node.name, block.name)))
    return deps


#: (label, reader). ``reader(warnings)`` returns dependency dicts and may append notes
#: that are not failures to ``warnings``.
DEPENDENCY_READERS = (
    ("images", image_dependencies),
    ("linked libraries", library_dependencies),
    ("sounds", sound_dependencies),
    ("movie clips", movie_clip_dependencies),
    ("Alembic/USD caches", cache_file_dependencies),
    ("OpenVDB volumes", volume_dependencies),
    ("point caches", point_cache_dependencies),
    ("fluid caches", fluid_cache_dependencies),
    ("fonts", font_dependencies),
    ("text files", text_dependencies),
    ("IES and OSL files", node_file_dependencies),
)


def scan_dependencies(readers=DEPENDENCY_READERS):
    """``(dependencies, warnings)``: every reader's files, each path once (owners
    joined); a reader that fails adds a warning and the scan goes on."""
    deps = []
    warnings = []
    by_path = {}
    for label, reader in readers:
        try:
            found = reader(warnings)
        except Exception as exc:  # one broken datablock kind must not stop the scan
            warnings.append("could not read {}: {}: {}".format(label, type(exc).__name__, exc))
            continue
        for dep in found:
            known = by_path.get(dep["path"])
            if known is None:
                by_path[dep["path"]] = dep
                deps.append(dep)
            elif dep["owner"] and dep["owner"] not in known["owner"].split(", "):
                known["owner"] = known["owner"] + ", " + dep["owner"] if known["owner"] \
                    else dep["owner"]
    return deps, warnings
