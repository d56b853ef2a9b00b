"""Every bpy read of the Rayvision add-on: the scene's settings and the files it uses.

Settings come back as plain dicts (``adapter.py`` turns them into a SceneInfo); files
as FileReferences, one reader per kind of datablock; ``iter_references`` runs them all
and turns a failure in one into a warning, so one broken datablock never stops the scan.
"""
from __future__ import annotations

import os
import sys

import bpy

from rayvision_dcc.job import FileReference, tile_path

#: Blender output formats that write a movie rather than images.
MOVIE_FORMATS = ("AVI_JPEG", "AVI_RAW", "FFMPEG", "H264", "XVID", "THEORA", "QUICKTIME",
                 "FRAMESERVER")



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


#: Render engines Blender ships (others come from an add-on the farm must have).
BUILTIN_ENGINES = ("CYCLES", "BLENDER_EEVEE", "BLENDER_EEVEE_NEXT", "BLENDER_WORKBENCH")


def marker_cameras(scene):
    """``[(frame, camera name)]`` of the timeline markers that switch the camera, in
    frame order."""
    return sorted((int(marker.frame), marker.camera.name) for marker in scene.timeline_markers
                  if marker.camera is not None)


def render_device(scene):
    """``"CPU"`` or ``"GPU"`` for Cycles; ``"GPU"`` for EEVEE and Workbench (OpenGL)."""
    if scene.render.engine == "CYCLES":
        return str(getattr(getattr(scene, "cycles", None), "device", "CPU"))
    return "GPU" if scene.render.engine in BUILTIN_ENGINES else ""


def user_addons():
    """The enabled add-ons and extensions that do not ship with Blender (the farm's
    render environment needs them when the scene uses what they add)."""
    import addon_utils
    found = []
    shipped = [os.path.normcase(os.path.abspath(path)) for path in (
        bpy.utils.system_resource("SCRIPTS"),)]
    for addon in bpy.context.preferences.addons:
        name = addon.module
        if name in ("cycles",) or name.split(".")[-1] in ("rayvision_blender",):
            continue
        module = sys.modules.get(name) or addon_utils.addons_fake_modules.get(name)
        path = os.path.normcase(os.path.abspath(getattr(module, "__file__", "") or ""))
        if any(path.startswith(folder) for folder in shipped) and path:
            continue
        if name.startswith("bl_ext.system.") or name == "bl_pkg":
            continue
        found.append(name.split(".")[-1] if name.startswith("bl_ext.") else name)
    return sorted(found)


def read_scene(scene=None):
    """The scene's render settings, cameras and view layers as a dict keyed by
    ``SceneInfo``'s field names (``adapter.BlenderAdapter.read_scene`` makes the SceneInfo
    with ``from_dict``)."""
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
            "device": render_device(scene),
            "marker_cameras": [[frame, name] for frame, name in marker_cameras(scene)],
            "addons": user_addons(),
        },
    }


# -- dependencies -----------------------------------------------------------------------
# Each reader yields FileReferences as Blender stores them ("//" paths kept, with the
# folder they are relative to for linked datablocks); the core resolves them, expands
# sequences and checks the disk (rayvision_dcc.job.resolve_references).

def absolute(path, library=None):
    """A datablock path made absolute: ``//`` is the .blend's folder (or the library's,
    for datablocks linked from one)."""
    try:
        full = bpy.path.abspath(path, library=library)
    except TypeError:  # very old bpy without the library argument
        full = bpy.path.abspath(path)
    return os.path.normpath(full) if full else full


def _base(library):
    """The folder a ``//`` path of a datablock linked from ``library`` is relative to
    ("" for the .blend's own datablocks)."""
    if library is None or not library.filepath:
        return ""
    return os.path.dirname(absolute(library.filepath, getattr(library, "parent", None)))


def _ref(path, kind, owner, block=None, library=None, **options):
    if library is None and block is not None:
        library = getattr(block, "library", None)
    return FileReference(path=path, kind=kind, owner=owner, base=_base(library), **options)


def _is_packed(block):
    if getattr(block, "packed_file", None) is not None:
        return True
    return len(getattr(block, "packed_files", ()) or ()) > 0


def image_references():
    for image in bpy.data.images:
        if image.source in ("GENERATED", "VIEWER") or _is_packed(image):
            continue
        raw = image.filepath_raw or image.filepath
        if not raw:
            continue
        owner = 'Image "{}"'.format(image.name)
        if image.source == "SEQUENCE":
            yield _ref(raw, "image_sequence", owner, image, sequence=True)
        elif image.source == "TILED":
            for tile in image.tiles:  # the tiles Blender knows, found or not
                yield _ref(tile_path(raw, tile.number), "udim", owner, image)
        elif image.source == "MOVIE":
            yield _ref(raw, "movie", owner, image)
        else:
            yield _ref(raw, "image", owner, image)


def library_references():
    for library in bpy.data.libraries:
        if _is_packed(library) or not library.filepath:
            continue
        yield _ref(library.filepath, "library", 'Library "{}"'.format(library.name),
                   library=getattr(library, "parent", None))


def sound_references():
    for sound in bpy.data.sounds:
        if sound.filepath and not _is_packed(sound):
            yield _ref(sound.filepath, "sound", 'Sound "{}"'.format(sound.name), sound)


def movie_clip_references():
    for clip in bpy.data.movieclips:
        if clip.filepath:
            yield _ref(clip.filepath, "movie_clip", 'Movie clip "{}"'.format(clip.name), clip,
                       sequence=clip.source == "SEQUENCE")


def cache_file_references():
    """Alembic and USD caches (CacheFile datablocks, used by Mesh Sequence Cache)."""
    for cache in bpy.data.cache_files:
        if cache.filepath:
            yield _ref(cache.filepath, "cache", 'Cache file "{}"'.format(cache.name), cache,
                       sequence=bool(cache.is_sequence))


def volume_references():
    """OpenVDB volumes."""
    for volume in getattr(bpy.data, "volumes", ()):
        if volume.filepath and not _is_packed(volume):
            yield _ref(volume.filepath, "volume", 'Volume "{}"'.format(volume.name), volume,
                       sequence=bool(volume.is_sequence))


def font_references():
    for font in bpy.data.fonts:
        if font.filepath and font.filepath != "<builtin>" and not _is_packed(font):
            yield _ref(font.filepath, "font", 'Font "{}"'.format(font.name), font)


def text_references():
    """Text datablocks kept in external files (not the ones living in the .blend)."""
    for text in bpy.data.texts:
        if text.filepath and not text.is_in_memory:
            yield _ref(text.filepath, "text", 'Text "{}"'.format(text.name), text)


def _files_under(folder):
    """The files under ``folder``, sorted, one folder listed at a time (a generator, so
    the slice reader can pause between files of a big cache)."""
    for root, dirs, names in os.walk(folder):
        dirs.sort()
        for name in sorted(names):
            yield os.path.join(root, name)


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


def point_cache_references():
    """Disk and external point caches: the files of their folder. The default disk
    cache folder is ``//blendcache_<blend name>/``.

    Still lists the folder here (a cache folder is not a file reference the core can
    expand yet): the Blender conversion (issue 12) moves this to the core."""
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
            for path in _files_under(folder):
                yield FileReference(path=path, kind="point_cache", owner=owner)
        elif cache.is_baked:
            yield FileReference(path=folder, kind="point_cache", owner=owner)
        else:
            yield FileReference(path="", owner=owner, warning=(
                "{} uses a disk cache but {} does not exist: the farm will simulate "
                "it".format(owner, folder)))


def fluid_cache_references():
    """Mantaflow fluid domains: the files of their cache folder (listed here, as above)."""
    for obj in bpy.data.objects:
        for modifier in obj.modifiers:
            if modifier.type != "FLUID" or getattr(modifier, "fluid_type", "") != "DOMAIN":
                continue
            settings = modifier.domain_settings
            folder = absolute(settings.cache_directory, obj.library)
            owner = 'Fluid domain "{}"'.format(obj.name)
            if folder and os.path.isdir(folder):
                for path in _files_under(folder):
                    yield FileReference(path=path, kind="fluid_cache", owner=owner)
            else:
                yield FileReference(path="", owner=owner, warning=(
                    "{}: cache folder {} not found: the farm will simulate it".format(
                        owner, folder)))


def _node_trees():
    for collection in (bpy.data.materials, bpy.data.lights, bpy.data.worlds):
        for block in collection:
            tree = getattr(block, "node_tree", None)
            if tree is not None:
                yield block, tree
    for group in bpy.data.node_groups:
        yield group, group


def node_file_references():
    """Files named by nodes rather than datablocks: IES lights and OSL scripts."""
    for block, tree in _node_trees():
        for node in tree.nodes:
            if node.bl_idname not in ("ShaderNodeTexIES", "ShaderNodeScript"):
                continue
            if getattr(node, "mode", "") != "EXTERNAL" or not node.filepath:
                continue
            yield _ref(node.filepath, "file", 'Node "{}" in "{}"'.format(node.name, block.name),
                       block)


#: (label, reader). ``reader()`` yields FileReferences, one datablock read per item.
REFERENCE_READERS = (
    ("images", image_references),
    ("linked libraries", library_references),
    ("sounds", sound_references),
    ("movie clips", movie_clip_references),
    ("Alembic/USD caches", cache_file_references),
    ("OpenVDB volumes", volume_references),
    ("point caches", point_cache_references),
    ("fluid caches", fluid_cache_references),
    ("fonts", font_references),
    ("text files", text_references),
    ("IES and OSL files", node_file_references),
)


def iter_references(readers=REFERENCE_READERS):
    """Every reader's FileReferences; a reader that fails yields one reference carrying
    a warning and the reading goes on with the next reader."""
    for label, reader in readers:
        try:
            for reference in reader():
                yield reference
        except Exception as exc:  # one broken datablock kind must not stop the scan
            yield FileReference(path="", warning="could not read {}: {}: {}".format(
                label, type(exc).__name__, exc))
