"""SceneInfo and JobSpec survive JSON both ways; bad descriptions say what is wrong."""
import json

import pytest

from rayvision_dcc.errors import JobError
from rayvision_dcc.job import Camera, Dependency, JobSpec, RenderLayer, SceneInfo
from rayvision_dcc.job.scene import cg_id_for, host_for


def full_scene():
    return SceneInfo(
        host="Maya", host_version="2022", scene_path="E:/p/scenes/a.ma", scene_name="a",
        renderer="arnold", cameras=[Camera("persp"), Camera("shot", True)],
        frame_start=-5, frame_end=20, frame_step=2, width=1280, height=720,
        output_path="images/", output_format="exr",
        render_layers=[RenderLayer("defaultRenderLayer", False), RenderLayer("fg")],
        plugins={"mtoa": "5.1.0"},
        dependencies=[Dependency("E:/p/tex/a.png", "image", True, "file1"),
                      Dependency("E:/p/tex/b.png", "image", False, "file2", "F:/b.png")],
        project_path="E:/p", warnings=["one"], extra={"common": {"x": [1, "2"]}})


def test_scene_round_trip():
    scene = full_scene()
    data = json.loads(json.dumps(scene.to_dict()))
    assert SceneInfo.from_dict(data) == scene
    assert scene.copy() == scene and scene.copy() is not scene
    assert scene.frames == "-5-20[2]"
    assert scene.renderable_cameras == ["shot"]
    assert scene.cg_id == "2000"
    assert [dep.path for dep in scene.missing] == ["E:/p/tex/b.png"]
    assert scene.dependencies[1].local_path == "F:/b.png"
    assert scene.project_folder == "E:/p"


def test_scene_from_minimal_and_lenient_dict():
    scene = SceneInfo.from_dict({"host": "blender", "scene_path": "/s/x.blend",
                                 "cameras": ["Cam"], "render_layers": ["ViewLayer"],
                                 "frame_start": "3", "frame_end": "9"})
    assert scene.host == "Blender" and scene.cameras == [Camera("Cam", False)]
    assert scene.frames == "3-9[1]" and scene.project_folder == "/s"
    assert SceneInfo.from_dict({"host": "2001"}).host == "3ds Max"


@pytest.mark.parametrize("data", [None, {}, {"host": "Houdini"}, {"host": "Maya",
                                                                  "frame_start": "x"},
                                  {"host": "Maya", "cameras": [{"nome": "x"}]}])
def test_bad_scene_descriptions(data):
    with pytest.raises(JobError) as err:
        SceneInfo.from_dict(data)
    assert err.value.hint


def test_cg_ids():
    assert cg_id_for("3DS MAX") == "2001" and cg_id_for("2007") == "2007"
    assert host_for("maya") == "Maya"


def test_spec_defaults_from_scene_and_round_trip():
    spec = JobSpec(scene=full_scene(), render_env={"editName": "m"}, labels=["a"],
                   render_env_name="m",
                   hardware_config_id=5, host_settings={"enable_layered": "1"},
                   ignored_missing=["E:/p/tex/b.png"], output_dir="/tmp/out")
    assert spec.cameras == ["shot"] and spec.layers == ["fg"]
    assert spec.frames == "-5-20[2]" and spec.hardware_config_id == "5"
    assert spec.frame_list()[:3] == [-5, -3, -1]
    again = JobSpec.from_dict(json.loads(json.dumps(spec.to_dict())))
    assert again == spec
    with pytest.raises(JobError):
        JobSpec.from_dict({"frames": "1"})


@pytest.mark.parametrize("changes", [{"frames": "x"}, {"pre_frames": "0001"},
                                     {"pre_frames": "000:z"}, {"stop_after_test": "3"},
                                     {"frames_per_task": "0"}])
def test_spec_check_rejects(changes):
    spec = JobSpec(scene=full_scene(), **changes)
    with pytest.raises(JobError) as err:
        spec.check()
    assert err.value.hint


def test_a_frame_list_that_is_not_one_range_is_the_scenes_frames():
    """3ds Max's pickup frames: the list, not the range around it, is what is rendered."""
    scene = SceneInfo(host="3ds Max", frame_start=1, frame_end=12, frame_list="1,3,5-12[1]")
    assert scene.frames == "1,3,5-12[1]"
    assert JobSpec(scene=scene).frame_list() == [1, 3, 5, 6, 7, 8, 9, 10, 11, 12]
    assert SceneInfo.from_dict(scene.to_dict()).frame_list == "1,3,5-12[1]"
    assert SceneInfo(host="3ds Max", frame_start=1, frame_end=12).frames == "1-12[1]"
