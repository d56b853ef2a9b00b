"""MayaAdapter: the host contract on a fake Maya, down to the job files the farm gets."""
import os

import pytest

from hosts.fake_host import refused_off_main_thread
from maya_fake import touch
from maya_scenes import stored_files


def files_scene(make_scene, project):
    """A scene whose files partly exist: tiles, a sequence with a hole, nested references,
    proxies and caches, one missing cache, a broken reference and a missing plug-in."""
    for name in ("tex/skin.1001.exr", "tex/skin.1002.exr", "sourceimages/wood.png",
                 "assets/char.ma", "assets/prop.mb", "px/rock.vrmesh", "px/tree.rs",
                 "scenes/shot__hair.xgen", "sound/take.wav", "cache/tree.abc"):
        touch(os.path.join(project, name))
    for frame in (1, 2, 4):
        touch(os.path.join(project, "tex", "fire.{:04d}.png".format(frame)))
    for frame in (1, 2, 3, 4):
        touch(os.path.join(project, "ass", "crowd.{:04d}.ass".format(frame)))
    scene = make_scene(
        unknown_plugins=["redshift4maya"], in_use=["mtoa"],
        render_setup={"layers": [
            {"name": "charLayer", "renderable": True, "collections": [
                {"name": "cams", "names": ["perspShape"], "overrides": [
                    {"attribute": "renderable", "value": True}]}]},
            {"name": "fxLayer", "renderable": True, "collections": [
                {"name": "rs", "type": "renderSettingsCollection", "overrides": [
                    {"attribute": "startFrame", "value": 2.0},
                    {"attribute": "endFrame", "value": 3.0}]}]}]},
        nodes=dict(stored_files(project), **{
            "file1": {"type": "file", "attrs": {
                "fileTextureName": "sourceimages/wood.png", "uvTilingMode": 0}},
            "file2": {"type": "file", "attrs": {
                "fileTextureName": project + "/tex/skin.1001.exr", "uvTilingMode": 3,
                "computedFileTextureNamePattern": project + "/tex/skin.<UDIM>.exr"}},
            "file3": {"type": "file", "attrs": {
                "fileTextureName": project + "/tex/fire.0001.png", "uvTilingMode": 0,
                "useFrameExtension": True}},
            "file4": {"type": "file", "attrs": {  # two nodes, one file
                "fileTextureName": project + "/sourceimages/wood.png", "uvTilingMode": 0}},
        }))
    scene["nodes"]["defaultRenderGlobals"]["attrs"]["endFrame"] = 4.0
    return scene


@pytest.fixture
def adapter(maya_session, make_scene, project):
    fake = maya_session(files_scene(make_scene, project))
    from rayvision_maya.adapter import MayaAdapter
    adapter = MayaAdapter()
    adapter.fake = fake
    return adapter


def test_read_scene_is_the_settings_only(adapter, project):
    info = adapter.read_scene()
    assert (info.host, info.cg_id, info.host_version) == ("Maya", "2000", "2022")
    assert info.scene_path == project + "/scenes/shot.ma" and info.scene_name == "shot"
    assert info.renderer == "arnold" and info.plugins == {"mtoa": "5.1.0"}
    assert info.renderable_cameras == ["shotCamShape"]
    assert info.frames == "1-4[1]" and (info.width, info.height) == (1280, 720)
    assert (info.output_format, info.output_path) == ("exr", project + "/images")
    assert info.project_path == project
    assert [layer.name for layer in info.render_layers] == [
        "defaultRenderLayer", "charLayer", "fxLayer"]
    assert info.extra["layers"] == {"charLayer": {"cameras": ["perspShape", "shotCamShape"]},
                                    "fxLayer": {"frame_start": 2, "frame_end": 3}}
    assert info.dependencies == []
    assert any("redshift4maya" in warning for warning in info.warnings)
    assert adapter.fake.calls.count("referenceQuery") == 0  # no file read yet


def test_references_resolve_into_the_files_on_disk(adapter, project):
    info = adapter.scene_info(scan=True)
    deps = {os.path.relpath(dep.path, project).replace(os.sep, "/"): dep
            for dep in info.dependencies}
    present = sorted(name for name, dep in deps.items() if dep.exists)
    assert present == sorted([
        "sourceimages/wood.png", "tex/skin.1001.exr", "tex/skin.1002.exr",
        "tex/fire.0001.png", "tex/fire.0002.png", "tex/fire.0004.png",
        "assets/char.ma", "assets/prop.mb", "cache/tree.abc",
        "ass/crowd.0001.ass", "ass/crowd.0002.ass", "ass/crowd.0003.ass",
        "ass/crowd.0004.ass", "px/rock.vrmesh", "px/tree.rs", "scenes/shot__hair.xgen",
        "sound/take.wav"])
    assert [name for name, dep in deps.items() if not dep.exists] == ["cache/anim.abc"]
    assert deps["tex/skin.1002.exr"].kind == "udim"
    assert deps["tex/fire.0002.png"].kind == "image_sequence"
    assert deps["sourceimages/wood.png"].owner == ("file1.fileTextureName, "
                                                   "file4.fileTextureName")
    assert deps["assets/prop.mb"].owner == "char:propRN (inside charRN)"
    assert any("lostRN is broken" in warning for warning in info.warnings)
    assert any("rsMissing (RedshiftProxyMesh) needs the plug-in redshift4maya" in warning
               for warning in info.warnings)


def test_the_job_files_from_a_maya_scene(adapter):
    from rayvision_dcc.job import JobSpec, build_task_json, validate
    info = adapter.scene_info(scan=True)
    spec = JobSpec(scene=info)
    task = build_task_json(spec, "1", "2", "2")
    assert task["task_info"]["cg_id"] == "2000"
    assert task["task_info"]["render_layer_type"] == "1"
    render = task["scene_info_render"]
    assert set(render) == {"defaultRenderLayer", "charLayer", "fxLayer"}
    assert render["fxLayer"]["common"]["frames"] == "2-3[1]"
    assert render["charLayer"]["common"]["render_camera"] == ["perspShape", "shotCamShape"]
    assert render["defaultRenderLayer"]["common"]["render_camera"] == ["shotCamShape"]
    assert render["defaultRenderLayer"]["common"]["image_file_prefix"] == \
        "<RenderLayer>/<Scene>"
    tips = validate(spec)
    codes = [tip.code for tip in tips if tip.is_error]
    assert "10018" in codes  # the missing Alembic cache
    assert any(tip.code == "10027" and "fire" in tip.detail for tip in tips)  # frame 3


def test_reading_pauses_between_nodes(adapter):
    from rayvision_dcc.hosts.reading import SliceReader
    reader = SliceReader(adapter, budget=0.0)
    steps = 0
    while not reader.step():
        steps += 1
        assert steps < 100
    assert len(reader.references) >= 15 and steps >= len(reader.references)


def test_the_adapter_refuses_to_run_off_the_main_thread(adapter):
    failures = refused_off_main_thread(adapter.read_scene, adapter.is_dirty,
                                        lambda: list(adapter.iter_references()))
    assert len(failures) == 3


def test_save_a_modified_scene(adapter, project):
    adapter.fake.scene["modified"] = True
    assert adapter.is_dirty()
    assert adapter.save_scene() == project + "/scenes/shot.ma"
    assert not adapter.is_dirty() and adapter.fake.saved == [project + "/scenes/shot.ma"]


def test_save_an_untitled_scene_asks_where(maya_session, project):
    fake = maya_session({"modified": True})
    from rayvision_maya.adapter import MayaAdapter
    adapter = MayaAdapter()
    assert adapter.scene_path() == "" and adapter.save_scene() == ""  # the user cancelled
    assert fake.saved == []
    fake.dialog_answer = project + "/scenes/new.mb"
    assert adapter.save_scene() == project + "/scenes/new.mb"
    assert fake.saved == [project + "/scenes/new.mb"]
    assert adapter.read_scene().scene_name == "new"


def test_an_unsaved_scene_in_batch_mode_is_not_saved(maya_session):
    fake = maya_session({"batch": True})
    from rayvision_maya.adapter import MayaAdapter
    assert MayaAdapter().save_scene() == "" and fake.saved == []
    assert MayaAdapter().main_window() is None
