"""task.json for the three hosts, upload.json, tips, validation and the render env choice."""
import json

import pytest

from rayvision_dcc.errors import JobError
from rayvision_dcc.job import (Camera, Dependency, JobSpec, RenderLayer, SceneInfo,
                               build_asset_json, build_task_json, build_tips,
                               build_upload_json, choose_render_env, server_path, validate,
                               write_job_files)
from rayvision_dcc.job.jobfiles import TASK_INFO_DEFAULTS, file_md5

BLENDER_ENV = {"cgId": 2007, "editName": "blender45", "cgName": "Blender", "cgVersion": "4.5",
               "osName": 0, "renderLayerType": 0, "isDefault": 1, "respUserPluginInfoVos": []}
MAYA_ENV = {"cgId": 2000, "editName": "maya22", "cgName": "Maya", "cgVersion": "2022",
            "osName": 1, "renderLayerType": 1, "isDefault": 1,
            "respUserPluginInfoVos": [{"pluginId": 1, "pluginName": "mtoa",
                                       "pluginVersion": "mtoa 5.1.0"}]}
MAX_ENV = {"cgId": 2001, "editName": "max20", "cgName": "3ds Max", "cgVersion": "2020",
           "osName": 1, "isDefault": 1,
           "respUserPluginInfoVos": [{"pluginId": 2, "pluginName": "vray",
                                      "pluginVersion": "6.00.04"}]}


def _png(path):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\x89PNG fake " + path.name.encode())
    return str(path)


def blender_scene(tmp_path, **changes):
    blend = tmp_path / "shots" / "sh010.blend"
    blend.parent.mkdir(parents=True, exist_ok=True)
    blend.write_bytes(b"BLENDER-v405 fake scene")
    values = dict(
        host="Blender", host_version="4.5", scene_path=str(blend), scene_name="Scene",
        renderer="CYCLES", cameras=[Camera("CamMain", True), Camera("CamSide", False)],
        frame_start=1, frame_end=120, frame_step=1, width=1920, height=1080,
        output_path="//render/", output_format="PNG",
        render_layers=[RenderLayer("ViewLayer", True)],
        dependencies=[
            Dependency(_png(tmp_path / "shots" / "tex" / "wood.png"), "image", True, "wood"),
            Dependency(str(tmp_path / "shots" / "tex" / "gone.png"), "image", False, "gone"),
        ])
    values.update(changes)
    return SceneInfo(**values)


def maya_scene(**changes):
    values = dict(
        host="Maya", host_version="2022", scene_path="E:/proj/scenes/sh01.ma",
        scene_name="sh01", renderer="arnold", project_path="E:/proj",
        cameras=[Camera("perspShape"), Camera("shotCamShape", True)],
        frame_start=1, frame_end=48, width=1920, height=1080, output_format="exr",
        render_layers=[RenderLayer("defaultRenderLayer", False), RenderLayer("charLayer")],
        plugins={"mtoa": "5.1.0"},
        extra={"common": {"image_file_prefix": "<RenderLayer>/<Scene>"}})
    values.update(changes)
    return SceneInfo(**values)


def max_scene(**changes):
    values = dict(
        host="3ds Max", host_version="2020", scene_path="E:\\max\\sh01.max", scene_name="sh01",
        renderer="vray", cameras=[Camera("CamA"), Camera("CamB", True)],
        frame_start=0, frame_end=50, width=2000, height=1125,
        output_path="E:\\out\\sh01\\beauty.exr", output_format=".exr",
        extra={"renderer_class": "V_Ray_6", "common": {"gamma": "1", "gamma_val": "2.2"}})
    values.update(changes)
    return SceneInfo(**values)


def assert_all_strings(value, path="", arrays=()):
    if isinstance(value, dict):
        for key, item in value.items():
            assert isinstance(key, str)
            assert_all_strings(item, path + "/" + key, arrays)
    elif isinstance(value, list):
        assert path.rsplit("/", 1)[-1] in arrays, "unexpected array at " + path
        for item in value:
            assert isinstance(item, str), path
    else:
        assert isinstance(value, str), "{} is {!r}".format(path, value)


# -- server paths ----------------------------------------------------------------------

@pytest.mark.parametrize("local, server", [
    ("D:\\proj\\tex\\a.jpg", "/D/proj/tex/a.jpg"),
    ("e:/Jobs/x.ma", "/e/Jobs/x.ma"),
    ("E:/jobs/sh010/sh010.blend", "/E/jobs/sh010/sh010.blend"),
    ("\\\\nas\\share\\x.exr", "/nas/share/x.exr"),
    ("//nas/share/x.exr", "/nas/share/x.exr"),
    ("/home/u/shot.blend", "home/u/shot.blend"),
    ("C:\\a:b\\c.png", "/C/ab/c.png"),
    ("D:\\Proj Dir\\ünï.png", "/D/Proj Dir/ünï.png"),
])
def test_server_path_table(local, server):
    assert server_path(local) == server


def test_server_path_empty_raises():
    with pytest.raises(JobError):
        server_path("")


# -- task.json -------------------------------------------------------------------------

def test_blender_task_json(tmp_path):
    spec = JobSpec(scene=blender_scene(tmp_path), render_env=BLENDER_ENV,
                   hardware_config_id=301, ram="128GB", gpu_num="2*GPU", project_name="demo")
    task = build_task_json(spec, 5021873, 100200300, 2)
    assert set(task) == {"software_config", "task_info", "scene_info_render", "scene_info",
                         "additional_info"}
    assert task["software_config"] == {"cg_name": "Blender", "cg_version": "4.5", "plugins": {}}
    info = task["task_info"]
    assert [key for key, _ in TASK_INFO_DEFAULTS] == list(info)
    assert info["task_id"] == "5021873" and info["user_id"] == "100200300"
    assert info["cg_id"] == "2007" and info["channel"] == "4" and info["platform"] == "2"
    assert info["os_name"] == "0"  # from the render env's osName
    assert info["ram"] == "128" and info["graphics_cards_num"] == "2"
    assert info["hardwareConfigId"] == "301" and info["project_id"] == "0"
    assert info["pre_frames"] == "000" and info["stop_after_test"] == "2"
    assert info["input_cg_file"] == str(tmp_path / "shots" / "sh010.blend").replace("\\", "/")
    common = task["scene_info_render"]["common"]
    assert common == {"frames": "1-120[1]", "width": "1920", "height": "1080",
                      "Render_Format": "PNG", "Output_path": "//render/",
                      "scene_name": ["Scene"],
                      "camera_name": '<bpy_struct, Object("CamMain")>'}
    assert task["scene_info"] == task["scene_info_render"]
    assert_all_strings(task, arrays=("scene_name",))
    json.dumps(task)


def test_blender_task_json_defaults_without_env_details(tmp_path):
    env = dict(BLENDER_ENV)
    del env["osName"]
    spec = JobSpec(scene=blender_scene(tmp_path), render_env=env, cameras=[], frames="1,3-4[1]")
    task = build_task_json(spec, "1", "2", "2")
    assert task["task_info"]["os_name"] == "1"
    assert task["task_info"]["graphics_cards_num"] == "2"
    assert task["scene_info_render"]["common"]["camera_name"] == "None"
    assert task["scene_info_render"]["common"]["frames"] == "1,3-4[1]"


def test_task_info_overrides_only_known_keys(tmp_path):
    spec = JobSpec(scene=blender_scene(tmp_path), render_env=BLENDER_ENV,
                   host_settings={"task_info": {"tiles": 4, "pack_node_id": 7}})
    info = build_task_json(spec, "1", "2", "2")["task_info"]
    assert info["tiles"] == "4" and info["pack_node_id"] == "7"
    spec.host_settings = {"task_info": {"not_a_key": "1"}}
    with pytest.raises(JobError) as err:
        build_task_json(spec, "1", "2", "2")
    assert "not_a_key" in err.value.message


def test_bad_frames_or_pre_frames_raise(tmp_path):
    spec = JobSpec(scene=blender_scene(tmp_path), render_env=BLENDER_ENV, frames="10-1[1]")
    with pytest.raises(JobError):
        build_task_json(spec, "1", "2", "2")
    spec = JobSpec(scene=blender_scene(tmp_path), render_env=BLENDER_ENV, pre_frames="12")
    with pytest.raises(JobError):
        build_task_json(spec, "1", "2", "2")
    spec = JobSpec(scene=blender_scene(tmp_path), render_env=BLENDER_ENV,
                   pre_frames="000:1,5-7[1]", stop_after_test="1")
    assert build_task_json(spec, "1", "2", "2")["task_info"]["pre_frames"] == "000:1,5-7[1]"


def test_maya_task_json():
    spec = JobSpec(scene=maya_scene(), render_env=MAYA_ENV,
                   host_settings={"enable_layered": "1"})
    assert spec.cameras == ["shotCamShape"] and spec.layers == ["charLayer"]
    task = build_task_json(spec, "7", "8", "2")
    assert task["software_config"] == {"cg_name": "Maya", "cg_version": "2022",
                                       "plugins": {"mtoa": "5.1.0"}}
    info = task["task_info"]
    assert info["cg_id"] == "2000" and info["enable_layered"] == "1"
    assert info["render_layer_type"] == "1"  # from the env
    assert info["input_project_path"] == "E:/proj"
    render = task["scene_info_render"]
    assert set(render) == {"defaultRenderLayer", "charLayer"}
    layer = render["charLayer"]
    assert layer["renderable"] == "1" and render["defaultRenderLayer"]["renderable"] == "0"
    assert layer["is_default_camera"] == "1" and layer["option"] == "" and layer["env"] == {}
    assert layer["common"] == {
        "renderer": "arnold", "start": "1", "end": "48", "by_frame": "1", "frames": "1-48[1]",
        "animation": "True", "renumber_frames": "False", "width": "1920", "height": "1080",
        "image_format": "exr", "image_file_prefix": "<RenderLayer>/<Scene>",
        "all_camera": ["perspShape", "shotCamShape"], "render_camera": ["shotCamShape"]}
    assert_all_strings(task, arrays=("all_camera", "render_camera"))


def test_maya_layer_overrides_follow_the_scene_unless_the_user_chose():
    scene = maya_scene(
        render_layers=[RenderLayer("charLayer"), RenderLayer("fxLayer"),
                       RenderLayer("halfLayer")],
        extra={"render_layer_type": "1", "layers": {
            "fxLayer": {"frame_start": 10, "frame_end": 20, "frame_step": 2,
                        "cameras": ["perspShape"]},
            "halfLayer": {"frame_end": 24, "width": 960, "height": 540}}})
    task = build_task_json(JobSpec(scene=scene), "7", "8", "2")
    assert task["task_info"]["render_layer_type"] == "1"  # from the scene, no env given
    render = task["scene_info_render"]
    fx, char = render["fxLayer"]["common"], render["charLayer"]["common"]
    assert (fx["start"], fx["end"], fx["by_frame"], fx["frames"]) == ("10", "20", "2",
                                                                      "10-20[2]")
    assert fx["render_camera"] == ["perspShape"]
    assert (char["frames"], char["render_camera"]) == ("1-48[1]", ["shotCamShape"])
    half = render["halfLayer"]["common"]  # only the end and the size overridden
    assert (half["frames"], half["width"], half["height"]) == ("1-24[1]", "960", "540")
    assert char["width"] == "1920"
    # frames and cameras the user chose apply to every layer
    chosen = JobSpec(scene=scene, frames="5-6", cameras=["shotCamShape", "perspShape"])
    fx = build_task_json(chosen, "7", "8", "2")["scene_info_render"]["fxLayer"]["common"]
    assert (fx["frames"], fx["render_camera"]) == ("5-6", ["shotCamShape", "perspShape"])


def test_a_render_environment_without_the_scene_s_renderer_is_a_warning():
    def renderer_tips(scene, env):
        return [tip for tip in validate(JobSpec(scene=scene, render_env=env))
                if "renders with" in tip.detail]
    redshift = maya_scene(renderer="redshift", extra={"renderer_plugin": "redshift4maya"})
    tips = renderer_tips(redshift, MAYA_ENV)
    assert len(tips) == 1 and not tips[0].is_error and "redshift4maya" in tips[0].hint
    arnold = maya_scene(extra={"renderer_plugin": "mtoa"})
    assert renderer_tips(arnold, MAYA_ENV) == []
    assert renderer_tips(maya_scene(), MAYA_ENV) == []  # the host did not say


def test_maya_without_layers_and_single_frame():
    spec = JobSpec(scene=maya_scene(render_layers=[]), render_env=MAYA_ENV, frames="12")
    render = build_task_json(spec, "7", "8", "2")["scene_info_render"]
    assert list(render) == ["defaultRenderLayer"]
    common = render["defaultRenderLayer"]["common"]
    assert (common["start"], common["end"], common["animation"]) == ("12", "12", "False")


def test_max_task_json():
    spec = JobSpec(scene=max_scene(), render_env=MAX_ENV, cameras=["CamB", "NotThere"],
                   frames="0-50[1]")
    task = build_task_json(spec, "7", "8", "2")
    assert task["software_config"]["plugins"] == {"vray": "6.00.04"}
    assert task["task_info"]["cg_id"] == "2001" and task["task_info"]["enable_layered"] == "0"
    render = task["scene_info_render"]
    assert set(render) == {"common", "renderer"}
    assert render["renderer"] == {"name": "vray", "renderer": "vray", "renderer_orign": "V_Ray_6"}
    common = render["common"]
    assert common["all_camera"] == ["CamA", "CamB"]
    assert common["renderable_camera"] == ["CamB"]  # names not in all_camera are dropped
    assert common["frames"] == "0-50[1]" and common["animation_range"] == "0-50"
    assert common["rend_timeType"] == "3"
    assert common["output_file"] == "E:/out/sh01/beauty.exr"
    assert common["output_file_basename"] == "beauty" and common["output_file_type"] == ".exr"
    assert common["rend_save_file"] == "true" and common["cgv"] == "2020"
    assert common["gamma"] == "1" and common["gamma_val"] == "2.2"
    assert task["scene_info"] == render
    assert_all_strings(task, arrays=("all_camera", "renderable_camera", "element_list",
                                     "element_path_list"))
    single = JobSpec(scene=max_scene(), render_env=MAX_ENV, frames="5")
    assert build_task_json(single, "1", "2", "2")["scene_info_render"]["common"][
        "rend_timeType"] == "1"
    picked = JobSpec(scene=max_scene(), render_env=MAX_ENV, frames="1,5,9")
    assert build_task_json(picked, "1", "2", "2")["scene_info_render"]["common"][
        "rend_timeType"] == "4"


# -- upload.json, asset.json -----------------------------------------------------------

def test_upload_json_includes_scene_and_existing_files_once(tmp_path):
    scene = blender_scene(tmp_path)
    wood = scene.dependencies[0].path
    scene.dependencies.append(Dependency(wood, "image", True, "wood again"))
    moved = _png(tmp_path / "elsewhere" / "found.png")
    scene.dependencies.append(Dependency("D:/old/found.png", "image", True, "moved",
                                         resolved_path=moved))
    upload = build_upload_json(JobSpec(scene=scene, render_env=BLENDER_ENV))
    locals_ = [item["local"] for item in upload["asset"]]
    assert locals_[0] == scene.scene_path.replace("\\", "/")
    assert locals_.count(wood.replace("\\", "/")) == 1
    assert not any("gone.png" in local for local in locals_)
    assert {"local": moved.replace("\\", "/"), "server": "/D/old/found.png"} in upload["asset"]
    for item in upload["asset"]:
        assert set(item) == {"local", "server"}
        if item["local"] != moved.replace("\\", "/"):
            assert item["server"] == server_path(item["local"])
    assert upload["scene"] == [{"local": locals_[0], "server": server_path(scene.scene_path),
                                "hash": file_md5(scene.scene_path)}]
    asset = build_asset_json(JobSpec(scene=scene, render_env=BLENDER_ENV))
    assert any("gone.png" in path for path in asset["missing"])


# -- validation and tips -----------------------------------------------------------------

def codes(tips, severity=None):
    return sorted(set(tip.code for tip in tips if severity in (None, tip.severity)))


def test_validate_blender_missing_file_then_ignored(tmp_path):
    spec = JobSpec(scene=blender_scene(tmp_path), render_env=BLENDER_ENV)
    tips = validate(spec)
    assert codes(tips, "error") == ["35001"]
    missing = [tip for tip in tips if tip.code == "35001"][0]
    assert missing.detail.endswith("tex/gone.png") and missing.hint
    assert build_tips(spec) == {"35001": [missing.detail]}
    spec.ignored_missing = [missing.detail]
    tips = validate(spec)
    assert not [tip for tip in tips if tip.is_error]
    assert [tip.severity for tip in tips if tip.code == "35001"] == ["warning"]
    assert build_tips(spec) == {}


def test_validate_blender_output_camera_step_eevee(tmp_path):
    scene = blender_scene(tmp_path, output_format="FFMPEG", renderer="BLENDER_EEVEE_NEXT",
                          cameras=[], dependencies=[])
    spec = JobSpec(scene=scene, render_env=BLENDER_ENV, frames="1-10[2]")
    tips = validate(spec)
    assert codes(tips, "error") == ["46000", "46003"]
    assert codes(tips, "warning") == ["46001", "46002"]
    assert all(tip.hint for tip in tips)
    assert build_tips(spec) == {"46000": ["FFMPEG"], "46001": ["1-10[2]"],
                                "46002": ["BLENDER_EEVEE_NEXT"], "46003": []}
    spec = JobSpec(scene=scene, render_env=BLENDER_ENV, gpu_num="1*GPU")
    assert "46002" not in codes(validate(spec))


def test_validate_cameras_and_layers(tmp_path):
    spec = JobSpec(scene=blender_scene(tmp_path, dependencies=[]), render_env=BLENDER_ENV,
                   cameras=["CamMain", "CamSide"])
    errors = [tip for tip in validate(spec) if tip.is_error]
    assert [tip.code for tip in errors] == [""] and "one camera" in errors[0].detail
    spec.cameras = ["Nope"]
    assert codes(validate(spec), "error") == ["46003"]
    spec.cameras = []
    assert codes(validate(spec), "error") == ["46003"]
    maya = JobSpec(scene=maya_scene(cameras=[]), render_env=MAYA_ENV)
    assert "15006" in codes(validate(maya), "error")
    mx = JobSpec(scene=max_scene(cameras=[]), render_env=MAX_ENV)
    assert "10035" in codes(validate(mx), "error")
    maya = JobSpec(scene=maya_scene(), render_env=MAYA_ENV, layers=["ghost"])
    assert any("ghost" in tip.detail for tip in validate(maya) if tip.is_error)


def test_validate_maya_max_missing_codes():
    deps = [Dependency("E:/tex/a.jpg", "image", False), Dependency("E:/c/x.abc", "cache", False),
            Dependency("E:/c/smoke.vdb", "volume", False)]
    for scene in (maya_scene(dependencies=deps), max_scene(dependencies=deps)):
        tips = build_tips(JobSpec(scene=scene, render_env=MAYA_ENV if scene.host == "Maya"
                                  else MAX_ENV))
        assert tips["10012"] == ["E:/tex/a.jpg"]
        assert tips["10018"] == ["E:/c/x.abc"] and tips["10028"] == ["E:/c/smoke.vdb"]
        assert "15024" in tips  # the scene file is not on this machine


def test_validate_env_version_and_no_env(tmp_path):
    scene = blender_scene(tmp_path, dependencies=[])
    assert codes(validate(JobSpec(scene=scene, render_env=BLENDER_ENV))) == []
    no_env = validate(JobSpec(scene=scene))
    assert [tip.detail for tip in no_env if tip.is_error] == ["no render environment chosen"]
    old = dict(BLENDER_ENV, cgVersion="3.6")
    assert codes(validate(JobSpec(scene=scene, render_env=old)), "error") == ["15013"]
    allowed = JobSpec(scene=scene, render_env=old,
                      host_settings={"allow_version_mismatch": True})
    assert codes(validate(allowed), "warning") == ["15013"]


def test_validate_sequence_gap_and_scan_warnings(tmp_path):
    folder = tmp_path / "shots" / "seq"
    deps = [Dependency(_png(folder / "tex.{:04d}.png".format(n)), "image_sequence")
            for n in (1, 2, 3, 5)]
    scene = blender_scene(tmp_path, dependencies=deps, warnings=["could not read sounds: boom"])
    tips = validate(JobSpec(scene=scene, render_env=BLENDER_ENV))
    gap = [tip for tip in tips if tip.code == "10027"]
    assert len(gap) == 1 and gap[0].severity == "warning" and "tex.####.png" in gap[0].detail
    assert any("boom" in tip.detail and tip.severity == "warning" for tip in tips)


# -- render environment ------------------------------------------------------------------

ENVS = [
    dict(BLENDER_ENV, editName="b36", cgVersion="3.6", isDefault=0),
    dict(BLENDER_ENV, editName="b45", cgVersion="4.5", isDefault=1),
    dict(BLENDER_ENV, editName="b42", cgVersion="4.2", isDefault=0),
    dict(MAYA_ENV),
]


def test_choose_default_env():
    assert choose_render_env(ENVS, 2007, "4.5")["editName"] == "b45"
    assert choose_render_env(ENVS, "2000", "2022")["editName"] == "maya22"


def test_choose_named_env_and_mismatch_messages():
    with pytest.raises(JobError) as err:
        choose_render_env(ENVS, 2007, "4.5", wanted_name="b36")
    assert "3.6" in err.value.message and "4.5" in err.value.message
    for name in ("b36", "b45", "b42"):
        assert name in err.value.hint
    assert "maya22" not in err.value.hint
    assert choose_render_env(ENVS, 2007, "4.5", "b36", allow_mismatch=True)["editName"] == "b36"
    with pytest.raises(JobError) as err:
        choose_render_env(ENVS, 2007, "4.5", wanted_name="nope")
    assert "nope" in err.value.message and "b45" in err.value.hint
    # the default is 4.5: the environment of the scene's version wins over it
    assert choose_render_env(ENVS, 2007, "4.2")["editName"] == "b42"


def test_choose_env_none_or_no_default():
    with pytest.raises(JobError) as err:
        choose_render_env([MAYA_ENV], 2007, "4.5")
    assert "no render environment for Blender" in err.value.message and err.value.hint
    with pytest.raises(JobError):
        choose_render_env([], 2007, "4.5")
    no_default = [dict(env, isDefault=0) for env in ENVS]
    assert choose_render_env(no_default, 2007, "4.2.3")["editName"] == "b42"
    with pytest.raises(JobError) as err:
        choose_render_env(no_default, 2007, "2.8")
    assert "b36" in err.value.hint
    single = [dict(BLENDER_ENV, isDefault=0)]
    assert choose_render_env(single, 2007, "4.5.2")["editName"] == "blender45"


# -- write_job_files -------------------------------------------------------------------

def test_write_job_files(tmp_path):
    spec = JobSpec(scene=blender_scene(tmp_path), render_env=BLENDER_ENV)
    paths = write_job_files(spec, str(tmp_path / "job"), "11", "22", "2")
    assert sorted(paths) == ["asset.json", "task.json", "tips.json", "upload.json"]
    loaded = {name: json.load(open(path, encoding="utf-8")) for name, path in paths.items()}
    assert loaded["task.json"]["task_info"]["task_id"] == "11"
    assert "35001" in loaded["tips.json"]
    assert loaded["upload.json"]["scene"][0]["hash"]
    assert not list((tmp_path / "job").glob("*.tmp"))


def test_one_rule_for_the_cli_the_workflow_and_the_panel():
    from rayvision_dcc.job.renderenv import fill_render_env, find_render_env
    from rayvision_dcc.ui.logic import EnvChoice  # Qt-free

    class Account(object):
        def __init__(self, envs):
            self.envs, self.asked = envs, []

        def render_envs(self, cg_id):
            self.asked.append(cg_id)
            return self.envs
    no_default = [dict(env, isDefault=0) for env in ENVS]
    for envs, version in ((ENVS, "4.5"), (no_default, "4.2")):
        env, problem = find_render_env(envs, 2007, version)
        assert problem is None
        panel = EnvChoice([e for e in envs if e.get("cgId") == 2007], None, version)
        assert panel.env(panel.default_index) == env
        spec = JobSpec(scene=SceneInfo(host="Blender", host_version=version))
        account = Account(envs)
        assert fill_render_env(spec, account) == env and account.asked == [2007]
        assert fill_render_env(spec, Account([])) == env  # kept once chosen
    spec = JobSpec(scene=SceneInfo(host="Blender", host_version="4.5"), render_env_name="b42")
    with pytest.raises(JobError):  # the named one is 4.2: a version mismatch
        fill_render_env(spec, Account(ENVS))


def test_files_outside_the_project_are_one_warning(tmp_path):
    outside = [_png(tmp_path / "library" / "t{}.png".format(i)) for i in range(7)]
    scene = blender_scene(tmp_path)
    scene.dependencies += [Dependency(path, "image", True, "lib") for path in outside]
    scene.dependencies.append(Dependency(str(tmp_path / "elsewhere" / "gone.png"), "image",
                                         False, "x"))
    tips = [tip for tip in validate(JobSpec(scene=scene, render_env=BLENDER_ENV))
            if "outside the project" in tip.detail]
    assert len(tips) == 1 and not tips[0].is_error and tips[0].code == ""
    assert tips[0].detail.startswith("7 files outside the project folder ")
    assert "t0.png" in tips[0].detail and "and 2 more" in tips[0].detail
    assert "gone.png" not in tips[0].detail  # a missing file is reported as missing
    inside = blender_scene(tmp_path)
    assert not any("outside the project" in tip.detail
                   for tip in validate(JobSpec(scene=inside, render_env=BLENDER_ENV)))
