"""The Blender adapter on real .blend files made here with bpy: in this process and
through ``scan_scene``, which finds the add-on's headless scanner in the host registry
(its entry point) and runs it in a bpy subprocess."""
import os
import shutil
import struct
import sys
import zlib

import pytest

bpy = pytest.importorskip("bpy")

#: The bpy scene builders shared with the add-on tests (tests/blender/blendscenes.py).
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                "blender"))
from blendscenes import file_image, packed_image, udim_image  # noqa: E402
from rayvision_dcc.errors import JobError  # noqa: E402
from rayvision_dcc.hosts import (find_scanner, registered_hosts, reset,  # noqa: E402
                                 scan_scene)
from rayvision_dcc.job import (DependencyReport, JobSpec, build_task_json,  # noqa: E402
                               build_tips, build_upload_json, server_path)

pytestmark = [pytest.mark.bpy, pytest.mark.py311]

FONT = os.path.join(bpy.utils.system_resource("DATAFILES"), "fonts", "Inter.woff2")


def png(path, size=2):
    """A real, tiny PNG."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    raw = b"".join(b"\x00" + b"\x80\x40\x20" * size for _ in range(size))

    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff))
    with open(path, "wb") as handle:
        handle.write(b"\x89PNG\r\n\x1a\n"
                     + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0))
                     + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
    return path


def build_library(path):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    bpy.ops.wm.read_factory_settings(use_empty=True)
    obj = bpy.data.objects.new("LibThing", bpy.data.meshes.new("LibMesh"))
    bpy.context.scene.collection.objects.link(obj)
    bpy.ops.wm.save_as_mainfile(filepath=path)


def build_scene(root):
    """proj/shot.blend using every kind of dependency; returns the paths it made."""
    proj = os.path.join(root, "proj")
    os.makedirs(proj)
    build_library(os.path.join(proj, "libs", "lib.blend"))
    build_library(os.path.join(proj, "libs", "lib_gone.blend"))
    png(os.path.join(proj, "tex", "a.png"))
    outside = png(os.path.join(root, "outside", "o.png"))
    for number in (1, 2, 3, 4, 6, 7, 8, 9, 10):
        png(os.path.join(proj, "seq", "tex.{:04d}.png".format(number)))
    for tile in (1001, 1002, 1004):
        png(os.path.join(proj, "udim", "skin.{}.png".format(tile)))
    for tile in (1001, 1002):
        png(os.path.join(proj, "udim", "eye.{}.png".format(tile)))
    for number in (1, 2, 3):
        png(os.path.join(proj, "plates", "plate.{:04d}.png".format(number)))
    font = os.path.join(proj, "fonts", "Inter.woff2")
    os.makedirs(os.path.dirname(font))
    shutil.copy(FONT, font)
    script = os.path.join(proj, "scripts", "tool.py")
    os.makedirs(os.path.dirname(script))
    with open(script, "w") as handle:
        handle.write("print('hello')\n")
    abc = os.path.join(proj, "cache", "anim.abc")
    os.makedirs(os.path.dirname(abc))
    with open(abc, "wb") as handle:
        handle.write(b"not really alembic")
    cache_dir = os.path.join(proj, "blendcache_shot")
    os.makedirs(cache_dir)
    with open(os.path.join(cache_dir, "ps_000001_00.bphys"), "wb") as handle:
        handle.write(b"bphys")

    bpy.ops.wm.read_factory_settings(use_empty=True)
    scene = bpy.context.scene
    scene.name = "Shot"
    blend = os.path.join(proj, "shot.blend")
    bpy.ops.wm.save_as_mainfile(filepath=blend)  # so // paths resolve from here on

    for name in ("CamMain", "CamSide"):
        cam = bpy.data.objects.new(name, bpy.data.cameras.new(name))
        scene.collection.objects.link(cam)
    scene.camera = bpy.data.objects["CamMain"]
    scene.render.engine = "CYCLES"
    scene.render.resolution_x, scene.render.resolution_y = 200, 100
    scene.render.resolution_percentage = 50
    scene.frame_start, scene.frame_end, scene.frame_step = 1, 20, 2
    scene.render.filepath = "//render/"
    scene.view_layers[0].name = "Main"
    scene.view_layers.new("Off").use = False

    file_image("relative", "//tex/a.png")
    file_image("missing", "//tex/missing.png")
    file_image("outside", outside)
    file_image("sequence", "//seq/tex.0001.png", source="SEQUENCE")
    udim_image("udim", "//udim/skin.<UDIM>.png", (1002, 1004))
    udim_image("eye", "//udim/eye.<UDIM>.png", (1002,))
    packed_image("packed")
    generated = bpy.data.images.new("generated", 4, 4)
    generated.use_fake_user = True

    for lib_name in ("lib.blend", "lib_gone.blend"):
        with bpy.data.libraries.load("//libs/" + lib_name, link=True) as (data_from, data_to):
            data_to.objects = list(data_from.objects)
        for obj in data_to.objects:
            scene.collection.objects.link(obj)

    clip = bpy.data.movieclips.load(os.path.join(proj, "plates", "plate.0001.png"))
    clip.use_fake_user = True
    sound = bpy.data.sounds.load("//audio/beep.wav", check_existing=False)
    sound.use_fake_user = True
    loaded_font = bpy.data.fonts.load(font)
    loaded_font.use_fake_user = True
    text = bpy.data.texts.load(script)
    text.use_fake_user = True
    volume = bpy.data.volumes.new("smoke")
    volume.filepath = "//vdb/smoke.vdb"
    volume.use_fake_user = True
    bpy.ops.cachefile.open(filepath=abc)
    bpy.data.cache_files[0].use_fake_user = True

    emitter = bpy.data.objects.new("Emitter", bpy.data.meshes.new("EmitterMesh"))
    scene.collection.objects.link(emitter)
    emitter.modifiers.new("ps", "PARTICLE_SYSTEM").particle_system.point_cache.use_disk_cache \
        = True

    bpy.ops.wm.save_as_mainfile(filepath=blend, relative_remap=False)
    os.remove(os.path.join(proj, "libs", "lib_gone.blend"))
    os.remove(os.path.join(proj, "udim", "eye.1002.png"))  # a tile lost after saving
    return {"blend": blend, "proj": proj, "outside": outside, "font": font, "script": script,
            "abc": abc}


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    root = str(tmp_path_factory.mktemp("blend"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BLENDER_USER_RESOURCES", os.path.join(root, "blender-user"))
        paths = build_scene(root)
        yield paths


@pytest.fixture(scope="module")
def scanned(made):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BLENDER_USER_RESOURCES", os.path.join(os.path.dirname(made["proj"]),
                                                            "blender-user"))
        return scan_scene(made["blend"])


def by_name(info):
    return {os.path.relpath(dep.path, os.path.dirname(os.path.dirname(info.scene_path))):
            dep for dep in info.dependencies}


def test_scene_settings(made, scanned):
    info = scanned
    assert info.host == "Blender" and info.host_version == "{}.{}".format(*bpy.app.version[:2])
    assert info.scene_path == made["blend"] and info.scene_name == "Shot"
    assert info.renderer == "CYCLES"
    assert [(c.name, c.renderable) for c in info.cameras] == [("CamMain", True),
                                                             ("CamSide", False)]
    assert (info.frame_start, info.frame_end, info.frame_step) == (1, 20, 2)
    assert (info.width, info.height) == (100, 50)
    assert info.output_path == "//render/" and info.output_format == "PNG"
    assert [(l.name, l.renderable) for l in info.render_layers] == [("Main", True),
                                                                   ("Off", False)]
    assert info.frames == "1-20[2]"


def test_dependencies_found(made, scanned):
    deps = by_name(scanned)
    expect = {
        "proj/tex/a.png": ("image", True),
        "proj/tex/missing.png": ("image", False),
        "outside/o.png": ("image", True),
        "proj/udim/skin.1001.png": ("udim", True),
        "proj/udim/skin.1002.png": ("udim", True),
        "proj/udim/skin.1004.png": ("udim", True),
        "proj/udim/eye.1001.png": ("udim", True),
        "proj/udim/eye.1002.png": ("udim", False),
        "proj/libs/lib.blend": ("library", True),
        "proj/libs/lib_gone.blend": ("library", False),
        "proj/audio/beep.wav": ("sound", False),
        "proj/fonts/Inter.woff2": ("font", True),
        "proj/scripts/tool.py": ("text", True),
        "proj/vdb/smoke.vdb": ("volume", False),
        "proj/cache/anim.abc": ("cache", True),
    }
    for number in (1, 2, 3):
        expect["proj/plates/plate.{:04d}.png".format(number)] = ("movie_clip", True)
    for number in (1, 2, 3, 4, 6, 7, 8, 9, 10):
        expect["proj/seq/tex.{:04d}.png".format(number)] = ("image_sequence", True)
    got = {name: (dep.kind, dep.exists) for name, dep in deps.items()
           if dep.kind != "point_cache"}
    assert got == expect
    # every file of the disk cache folder (ours, and the one Blender wrote on save)
    caches = [name for name, dep in deps.items() if dep.kind == "point_cache"]
    assert "proj/blendcache_shot/ps_000001_00.bphys" in caches
    assert all(name.startswith("proj/blendcache_shot/") and deps[name].exists
               for name in caches)
    assert deps["proj/tex/a.png"].owner == 'Image "relative"'
    assert scanned.warnings == []
    # relative references were resolved against the .blend's folder
    assert all(os.path.isabs(dep.path) and "//" not in dep.path for dep in scanned.dependencies)


def test_report_from_a_real_scan(made, scanned):
    report = DependencyReport.from_scene(scanned)
    missing = sorted(os.path.basename(dep.path) for dep in report.missing)
    assert missing == ["beep.wav", "eye.1002.png", "lib_gone.blend", "missing.png",
                       "smoke.vdb"]
    assert [os.path.basename(dep.path) for dep in report.outside_project] == ["o.png"]
    gaps = {os.path.basename(gap.pattern): gap.missing for gap in report.sequence_gaps}
    assert gaps == {"tex.####.png": [5], "skin.<UDIM>.png": [1003]}


def test_job_files_from_a_real_scan(made, scanned):
    env = {"cgId": 2007, "editName": "b", "cgName": "Blender",
           "cgVersion": scanned.host_version, "isDefault": 1}
    spec = JobSpec(scene=scanned, render_env=env)
    task = build_task_json(spec, "1", "2", "2")
    common = task["scene_info_render"]["common"]
    assert common["camera_name"] == '<bpy_struct, Object("CamMain")>'
    assert common["frames"] == "1-20[2]" and common["scene_name"] == ["Shot"]
    upload = build_upload_json(spec)
    assert upload["asset"][0] == {"local": made["blend"], "server": server_path(made["blend"])}
    assert len(upload["asset"]) == 1 + sum(dep.exists for dep in scanned.dependencies)
    tips = build_tips(spec)
    assert len(tips["35001"]) == 5 and "46001" in tips and "10027" in tips


def test_in_process_adapter_matches_the_subprocess(made, scanned):
    from rayvision_blender.adapter import BlenderAdapter, scan_file
    assert scan_file(made["blend"]) == scanned
    adapter = BlenderAdapter()
    assert adapter.host_version() == scanned.host_version and adapter.cg_id == "2007"
    assert adapter.scene_path() == made["blend"]
    assert adapter.scene_info(scan=False).dependencies == []
    assert adapter.is_dirty() in (True, False)


def test_a_failing_reader_becomes_a_warning(made):
    from rayvision_blender import scene_query
    scene_query.open_blend(made["blend"])

    def broken():
        yield next(scene_query.sound_references())
        raise RuntimeError("datablock exploded")
    readers = (("images", scene_query.image_references), ("sounds", broken),
               ("fonts", scene_query.font_references))
    references = list(scene_query.iter_references(readers))
    warnings = [ref.warning for ref in references if ref.warning]
    assert warnings == ["could not read sounds: RuntimeError: datablock exploded"]
    kinds = set(ref.kind for ref in references if not ref.warning)
    assert {"image", "font", "udim", "image_sequence", "sound"} <= kinds
    # the references keep Blender's own spelling: the core resolves them
    paths = [ref.path for ref in references]
    assert "//tex/a.png" in paths and "//seq/tex.0001.png" in paths
    assert "//udim/skin.1004.png" in paths


def test_movie_output_and_no_camera_in_process(made, tmp_path):
    from rayvision_blender.adapter import BlenderAdapter
    from rayvision_blender import scene_query
    scene_query.open_blend(made["blend"])
    scene = bpy.context.scene
    settings = scene.render.image_settings
    if hasattr(settings, "media_type"):  # Blender 5.0+: movies are a media type
        settings.media_type = "VIDEO"
    else:
        settings.file_format = "FFMPEG"
    scene.camera = None
    info = BlenderAdapter().scene_info(scan=False)
    assert info.output_format == "FFMPEG"
    assert [c.renderable for c in info.cameras] == [False, False]
    tips = build_tips(JobSpec(scene=info, render_env={"cgVersion": info.host_version}))
    assert "46000" in tips and "46003" in tips
    bpy.ops.ed.undo_push(message="change")  # what marks the file changed in Blender 5.x
    assert BlenderAdapter().is_dirty() is True


def test_addon_register_unregister(made):
    import rayvision_blender
    from rayvision_blender.adapter import BlenderAdapter
    reset()
    assert rayvision_blender.bl_info["category"] == "Render"
    rayvision_blender.register()
    assert registered_hosts() == [BlenderAdapter]
    rayvision_blender.unregister()
    assert registered_hosts() == []


def test_the_registry_finds_the_blend_scanner_through_its_entry_point(tmp_path):
    reset()  # entry points are read again
    scanner = find_scanner(str(tmp_path / "Shot.BLEND"))
    assert scanner is not None and scanner.module == "rayvision_blender.headless"
    assert scanner.python_env == "RAYVISION_BPY_PYTHON" and scanner.requires == ("bpy",)
    assert find_scanner(str(tmp_path / "shot.c4d")) is None  # no plugin reads these
    with pytest.raises(JobError) as err:
        (tmp_path / "shot.c4d").write_text("not a scene we know")
        scan_scene(str(tmp_path / "shot.c4d"))
    assert "cannot be analysed" in err.value.message and ".blend" in err.value.hint


def test_scan_scene_errors(made, tmp_path):
    with pytest.raises(JobError) as err:
        scan_scene(str(tmp_path / "nope.blend"))
    assert "no scene at" in err.value.message
    junk = tmp_path / "junk.blend"
    junk.write_bytes(b"this is not a blend file")
    with pytest.raises(JobError) as err:
        scan_scene(str(junk))
    assert "reading" in err.value.message and err.value.hint
    with pytest.raises(JobError) as err:
        scan_scene(made["blend"], python=str(tmp_path / "no-such-python"))
    assert "RAYVISION_BPY_PYTHON" in err.value.hint


def test_scan_scene_with_a_python_without_bpy(made, monkeypatch):
    others = [path for path in ("/root/.pyenv/versions/3.7.16/bin/python3.7",
                                "/usr/bin/python3")
              if path and os.path.exists(path) and os.path.realpath(path)
              != os.path.realpath(sys.executable)]
    if not others:
        pytest.skip("no second Python without bpy on this machine")
    monkeypatch.setenv("RAYVISION_BPY_PYTHON", others[0])
    with pytest.raises(JobError) as err:
        scan_scene(made["blend"])
    assert "cannot read Blender scenes" in err.value.message and "bpy" in err.value.message
    assert "pip install bpy" in err.value.hint
