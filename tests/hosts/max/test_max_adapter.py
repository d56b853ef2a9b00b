"""MaxAdapter on the host contract: the fake 3ds Max read through the core, up to task.json."""
from __future__ import annotations


import pytest

from hosts.fake_host import refused_off_main_thread
from test_max_scene_query import make_scene

ENV = {"editName": "max2024", "cgId": 2001, "cgName": "3ds Max", "cgVersion": "2024",
       "isDefault": 1, "respUserPluginInfoVos": [{"pluginName": "vray",
                                                  "pluginVersion": "vray 6.00.04"}]}


@pytest.fixture
def adapter():
    from rayvision_max.adapter import MaxAdapter
    return MaxAdapter()


def files(tmp_path, *names):
    for name in names:
        path = tmp_path / "proj" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"data")
    return [str(tmp_path / "proj" / name) for name in names]


def task_json(info, **spec_options):
    from rayvision_dcc.job import JobSpec, build_task_json
    spec_options.setdefault("render_env", ENV)
    return build_task_json(JobSpec(scene=info, **spec_options), "5000001", "10000001", "2")


def test_read_scene_is_a_3ds_max_scene_info(tmp_path, max_session, adapter):
    scene = make_scene(tmp_path)
    max_session(scene)
    info = adapter.read_scene()
    assert adapter.cg_id == "2001" and info.cg_id == "2001"
    assert (info.host, info.host_version) == ("3ds Max", "2024")
    assert (info.scene_path, info.scene_name, info.renderer) == (scene["file"], "shot", "vray")
    assert info.camera_names == ["CamA", "CamB"] and info.renderable_cameras == ["CamB"]
    assert (info.frame_start, info.frame_end, info.frame_step) == (10, 20, 1)
    assert info.frames == "10-20[1]"
    assert info.dependencies == [] and info.warnings == []
    assert adapter.host_version() == "2024" and adapter.scene_path() == scene["file"]


def test_scene_info_resolves_what_max_lists(tmp_path, max_session, adapter):
    scene = make_scene(tmp_path)
    seq = files(tmp_path, *["seq/fire_{:04d}.png".format(f) for f in range(10, 21)])
    udim = files(tmp_path, "tex/skin_1001.exr", "tex/skin_1002.exr")
    missing = str(tmp_path / "proj" / "tex" / "gone.png")
    scene["assets"] += [str(tmp_path / "proj" / "seq" / "fire_####.png"),
                        str(tmp_path / "proj" / "tex" / "skin_<UDIM>.exr"), missing]
    max_session(scene)
    info = adapter.scene_info(scan=True)
    by_path = {dep.path: dep for dep in info.dependencies}
    assert set(seq) <= set(by_path) and set(udim) <= set(by_path)
    assert by_path[seq[0]].kind == "image_sequence" and by_path[udim[0]].kind == "udim"
    assert by_path[missing].exists is False
    assert [dep.path for dep in info.missing] == [missing]
    refs = [dep for dep in info.dependencies if dep.kind == "reference"]
    assert sorted(dep.owner for dep in refs) == ["XRef object record 1", "XRef scene 1"]
    assert all(dep.exists for dep in refs)
    assert scene["file"] not in by_path and scene["output"] not in by_path


def test_a_bitmap_sequence_as_an_image_file_list(tmp_path, max_session, adapter):
    """3ds Max's Bitmap "Sequence" writes an .ifl; asset tracking lists the list file."""
    scene = make_scene(tmp_path)
    frames = files(tmp_path, "seq/smoke_0001.png", "seq/smoke_0002.png")
    ifl = tmp_path / "proj" / "seq" / "smoke.ifl"
    ifl.write_text("smoke_0001.png\nsmoke_0002.png\n")
    scene["assets"].append(str(ifl))
    max_session(scene)
    deps = {dep.path: dep for dep in adapter.scene_info(scan=True).dependencies}
    assert all(deps[path].exists for path in [str(ifl)] + frames)


def test_a_missing_bitmap_blocks_until_ignored(tmp_path, max_session, adapter):
    from rayvision_dcc.job import JobSpec, validate
    scene = make_scene(tmp_path)
    missing = str(tmp_path / "proj" / "tex" / "gone.png")
    scene["assets"].append(missing)
    max_session(scene)
    info = adapter.scene_info(scan=True)
    tips = validate(JobSpec(scene=info, render_env=ENV))
    assert [(t.code, t.severity) for t in tips if t.detail.endswith("gone.png")] == [
        ("10012", "error")]
    tips = validate(JobSpec(scene=info, render_env=ENV, ignored_missing=[missing]))
    assert [t.severity for t in tips if t.detail.endswith("gone.png")] == ["warning"]


def test_references_max_refuses_are_scene_warnings(tmp_path, max_session, adapter):
    max_session(make_scene(tmp_path, xref_scenes=["/x/a.max", "/x/b.max"],
                           broken=["xref_scenes:2"]))
    info = adapter.scene_info(scan=True)
    assert len(info.warnings) == 1 and "XRef scene 2" in info.warnings[0]
    assert [dep.path for dep in info.dependencies if dep.owner == "XRef scene 1"] == ["/x/a.max"]


def test_task_json_has_the_3ds_max_layout(tmp_path, max_session, adapter):
    scene = make_scene(tmp_path)
    max_session(scene)
    task = task_json(adapter.scene_info(scan=True))
    assert task["task_info"]["cg_id"] == "2001" and task["task_info"]["enable_layered"] == "0"
    assert task["software_config"] == {"cg_name": "3ds Max", "cg_version": "2024",
                                       "plugins": {"vray": "6.00.04"}}
    render = task["scene_info_render"]
    assert set(render) == {"common", "renderer"} and task["scene_info"] == render
    common = render["common"]
    assert common["all_camera"] == ["CamA", "CamB"] and common["renderable_camera"] == ["CamB"]
    assert (common["frames"], common["rend_timeType"]) == ("10-20[1]", "3")
    assert common["animation_range"] == "0-100"
    assert (common["width"], common["height"]) == ("1920", "1080")
    assert common["output_file"] == scene["output"].replace("\\", "/")
    assert (common["output_file_basename"], common["output_file_type"]) == ("beauty", ".exr")
    assert common["rend_save_file"] == "true" and common["cgv"] == "2024"
    assert common["element_active"] == "1" and common["element_list"] == ["VRayReflection"]
    assert common["element_path_list"] == ["beauty_VRayReflection.exr"]
    assert render["renderer"] == {"name": "vray", "renderer": "vray", "renderer_orign": "V_Ray_6"}
    assert all(isinstance(value, (str, list)) for value in common.values())


@pytest.mark.parametrize("time, frames, time_type", [
    ({"type": 1, "current": 7}, "7-7[1]", "1"),
    ({"type": 2, "range": [0, 50], "nth": 5}, "0-50[5]", "3"),
    ({"type": 3, "start": 10, "end": 20, "nth": 2}, "10-20[2]", "3"),
])
def test_time_output_modes_reach_task_json(tmp_path, max_session, adapter, time, frames,
                                           time_type):
    max_session(make_scene(tmp_path, time=time))
    info = adapter.read_scene()
    assert info.frame_list == ""  # one range: the panel proposes it from start/end/step
    common = task_json(info)["scene_info_render"]["common"]
    assert (common["frames"], common["rend_timeType"]) == (frames, time_type)


def test_pickup_frames_reach_task_json_as_a_list(tmp_path, max_session, adapter):
    max_session(make_scene(tmp_path, time={"type": 4, "pickup": "1,3,5-12"}))
    info = adapter.read_scene()
    assert info.frames == "1,3,5-12[1]" and (info.frame_start, info.frame_end) == (1, 12)
    common = task_json(info)["scene_info_render"]["common"]
    assert (common["frames"], common["rend_timeType"]) == ("1,3,5-12[1]", "4")


def test_a_render_environment_without_the_renderers_plugin_is_a_warning(tmp_path, max_session,
                                                                       adapter):
    from rayvision_dcc.job import JobSpec, validate
    max_session(make_scene(tmp_path, renderer="Corona_10"))
    info = adapter.scene_info(scan=True)
    assert info.extra["renderer_plugin"] == "corona"
    tips = validate(JobSpec(scene=info, render_env=ENV))  # ENV has vray only
    assert [t.severity for t in tips if "has no corona" in t.detail] == ["warning"]
    with_corona = dict(ENV, respUserPluginInfoVos=[{"pluginName": "corona",
                                                    "pluginVersion": "corona 10"}])
    assert not [t for t in validate(JobSpec(scene=info, render_env=with_corona))
                if "has no corona" in t.detail]


def test_an_unknown_renderer_is_submitted_with_a_warning(tmp_path, max_session, adapter):
    from rayvision_dcc.job import JobSpec, validate
    max_session(make_scene(tmp_path, renderer="Quicksilver_Hardware_Renderer"))
    info = adapter.scene_info(scan=True)
    task = task_json(info)
    assert task["scene_info_render"]["renderer"]["renderer_orign"] == \
        "Quicksilver_Hardware_Renderer"
    tips = validate(JobSpec(scene=info, render_env=ENV))
    assert [t.severity for t in tips if "Quicksilver" in t.detail] == ["warning"]


def test_save_scene_saves_or_asks(tmp_path, max_session, adapter):
    scene = make_scene(tmp_path, dirty=True)
    fake = max_session(scene)
    assert adapter.is_dirty() is True
    assert adapter.save_scene() == scene["file"] and fake.saved == [scene["file"]]
    target = str(tmp_path / "asked.max")
    fake = max_session(make_scene(tmp_path / "b", file="", ask_save_as=target))
    assert adapter.save_scene() == target and fake.saved == [target]


def test_the_adapter_refuses_to_read_off_the_main_thread(tmp_path, max_session, adapter):
    fake = max_session(make_scene(tmp_path))
    errors = refused_off_main_thread(adapter.read_scene, lambda: list(adapter.iter_references()),
                                     adapter.is_dirty, adapter.host_version)
    assert len(errors) == 4 and fake.calls == []


def test_reading_in_slices_like_the_panel(tmp_path, max_session, adapter):
    from rayvision_dcc.hosts.reading import SliceReader
    max_session(make_scene(tmp_path))
    reader = SliceReader(adapter, budget=0.0)
    steps = 0
    while not reader.step():
        steps += 1
        assert steps < 100
    assert reader.scene.host == "3ds Max"
    assert len(reader.references) == 6 and steps >= 6  # one reference per slice at budget 0


def test_registered_with_the_host_registry_by_the_start_up(tmp_path):
    from rayvision_dcc.hosts import deregister_host, find_host
    from rayvision_max import startup
    from rayvision_max.adapter import MaxAdapter
    try:
        startup.bootstrap(str(tmp_path), search_path=[])
        assert find_host("3ds Max") is MaxAdapter
    finally:
        deregister_host(MaxAdapter)
