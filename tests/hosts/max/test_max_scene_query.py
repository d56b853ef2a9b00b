"""scene_query: every pymxs read of the plug-in, against the fake 3ds Max."""
from __future__ import annotations


import pytest

from fake_pymxs import UnknownProperty
from hosts.fake_host import refused_off_main_thread


def make_scene(tmp_path, **overrides):
    """A V-Ray scene with files on disk: a texture, an IES file, a proxy, a cache."""
    project = tmp_path / "proj"
    (project / "tex").mkdir(parents=True)
    (project / "out").mkdir()
    for name in ("wood.png", "lamp.ies", "tree.vrmesh", "smoke.abc", "env.max", "props.max"):
        (project / "tex" / name).write_bytes(b"x")
    scene = project / "shot.max"
    scene.write_bytes(b"max")
    data = {
        "version": 2024,
        "file": str(scene),
        "renderer": "V_Ray_6",
        "cameras": ["CamA", "CamB"],
        "targets": ["CamA.Target"],
        "view_camera": "CamB",
        "time": {"type": 3, "current": 7, "range": [0, 100], "start": 10, "end": 20, "nth": 1,
                 "pickup": ""},
        "width": 1920,
        "height": 1080,
        "output": str(project / "out" / "beauty.exr"),
        "elements": [
            {"class": "VRayReflection", "name": "refl",
             "file": str(project / "out" / "beauty_VRayReflection.exr")},
            {"class": "VRayZDepth", "name": "z", "file": str(project / "out" / "beauty_z.exr"),
             "enabled": False},
        ],
        "project": str(project),
        "xref_scenes": [str(project / "tex" / "env.max")],
        "xref_objects": [str(project / "tex" / "props.max")],
        "assets": [str(scene), str(project / "tex" / "wood.png"),
                   str(project / "tex" / "lamp.ies"), str(project / "tex" / "tree.vrmesh"),
                   str(project / "tex" / "smoke.abc"), str(project / "out" / "beauty.exr")],
    }
    data.update(overrides)
    return data


@pytest.fixture
def query():
    from rayvision_max import scene_query
    return scene_query


def test_settings_of_a_saved_vray_scene(tmp_path, max_session, query):
    scene = make_scene(tmp_path)
    max_session(scene)
    data = query.read_scene()
    assert data["scene_path"] == scene["file"]
    assert data["scene_name"] == "shot"
    assert data["host_version"] == "2024"
    assert (data["renderer"], data["extra"]["renderer_class"]) == ("vray", "V_Ray_6")
    assert data["plugins"] == {"vray": "6"}
    assert (data["width"], data["height"]) == (1920, 1080)
    assert data["output_path"] == scene["output"] and data["output_format"] == ".exr"
    assert data["project_path"] == scene["project"]
    assert data["warnings"] == []


def test_cameras_leave_targets_out_and_follow_the_active_view(tmp_path, max_session, query):
    max_session(make_scene(tmp_path))
    data = query.read_scene()
    assert data["cameras"] == [{"name": "CamA", "renderable": False},
                               {"name": "CamB", "renderable": True}]


def test_no_camera_in_the_active_view(tmp_path, max_session, query):
    max_session(make_scene(tmp_path, view_camera=None))
    assert [c["renderable"] for c in query.read_scene()["cameras"]] == [False, False]


@pytest.mark.parametrize("time, expected", [
    ({"type": 1, "current": 7}, (7, 7, 1, "7")),
    ({"type": 2, "range": [0, 50], "nth": 1}, (0, 50, 1, "0-50[1]")),
    ({"type": 2, "range": [0, 50], "nth": 5}, (0, 50, 5, "0-50[5]")),
    ({"type": 3, "range": [0, 100], "start": 10, "end": 20, "nth": 2}, (10, 20, 2, "10-20[2]")),
    ({"type": 4, "range": [0, 100], "pickup": "1,3,5-12", "nth": 3},
     (1, 12, 1, "1,3,5-12[1]")),
], ids=["single", "active-segment", "segment-every-5th", "range-every-2nd", "pickup"])
def test_each_time_output_mode(tmp_path, max_session, query, time, expected):
    max_session(make_scene(tmp_path, time=time))
    read = query.read_scene()["time"]
    assert (read["start"], read["end"], read["step"], read["frames"]) == expected
    assert read["type"] == time["type"]


def test_pickup_frames_max_cannot_parse_propose_the_current_frame(tmp_path, max_session, query):
    max_session(make_scene(tmp_path, time={"type": 4, "current": 4, "pickup": "1,x"}))
    data = query.read_scene()
    assert data["time"]["frames"] == "4"
    assert any("pickup frames" in warning for warning in data["warnings"])


def test_render_elements_enabled_ones_with_their_files(tmp_path, max_session, query):
    max_session(make_scene(tmp_path))
    common = query.read_scene()["extra"]["common"]
    assert common["element_active"] == "1"
    assert common["element_list"] == ["VRayReflection"]
    assert common["element_path_list"] == ["beauty_VRayReflection.exr"]
    assert common["element_type"] == ".exr"
    assert common["animation_range"] == "0-100"


def test_render_elements_switched_off(tmp_path, max_session, query):
    max_session(make_scene(tmp_path, elements_active=False))
    assert query.read_scene()["extra"]["common"]["element_active"] == "0"


@pytest.mark.parametrize("class_name, name, version", [
    ("Default_Scanline_Renderer", "scanline", ""),
    ("V_Ray_GPU_6", "vray", "6"),
    ("V_Ray_Adv_3_60_03", "vray", "3.60.03"),
    ("Arnold", "arnold", ""),
    ("Corona_10", "corona", "10"),
    ("CoronaRenderer", "corona", ""),
    ("Redshift_Renderer", "redshift", ""),
])
def test_the_farms_renderers(tmp_path, max_session, query, class_name, name, version):
    max_session(make_scene(tmp_path, renderer=class_name))
    data = query.read_scene()
    assert data["renderer"] == name and data["extra"]["renderer_class"] == class_name
    assert data["plugins"] == ({name: version} if version and name != "scanline" else {})
    assert data["warnings"] == []


def test_an_unknown_renderer_is_a_warning(tmp_path, max_session, query):
    max_session(make_scene(tmp_path, renderer="Quicksilver_Hardware_Renderer"))
    data = query.read_scene()
    assert data["renderer"] == "quicksilver_hardware_renderer"
    assert len(data["warnings"]) == 1 and "Quicksilver_Hardware_Renderer" in data["warnings"][0]


def test_settings_max_refuses_become_warnings(tmp_path, max_session, query):
    max_session(make_scene(tmp_path, broken=["renderer", "elements"]))
    data = query.read_scene()
    assert data["renderer"] == "" and data["extra"]["common"]["element_list"] == []
    assert len(data["warnings"]) == 2
    assert all("could not read" in warning for warning in data["warnings"])


def test_unsaved_scene(tmp_path, max_session, query):
    max_session(make_scene(tmp_path, file=""))
    data = query.read_scene()
    assert data["scene_path"] == "" and data["scene_name"] == ""


def test_references_xrefs_then_asset_tracking_without_scene_and_outputs(tmp_path, max_session,
                                                                         query):
    scene = make_scene(tmp_path)
    max_session(scene)
    refs = list(query.iter_references(skip=query.output_files()))
    tex = str(tmp_path / "proj" / "tex")
    assert [(r["path"].replace(tex, "T"), r["kind"], r["owner"]) for r in refs] == [
        ("T/env.max", "reference", "XRef scene 1"),
        ("T/props.max", "reference", "XRef object record 1"),
        ("T/wood.png", "image", "Asset Tracking"),
        ("T/lamp.ies", "file", "Asset Tracking"),
        ("T/tree.vrmesh", "file", "Asset Tracking"),
        ("T/smoke.abc", "cache", "Asset Tracking"),
    ]
    assert all(r["warning"] == "" for r in refs)


def test_a_reference_max_refuses_is_a_warning_and_the_rest_is_read(tmp_path, max_session, query):
    scene = make_scene(tmp_path, xref_objects=["/a/one.max", "/a/two.max", "/a/three.max"],
                       broken=["xref_objects:2"])
    max_session(scene)
    refs = list(query.iter_references())
    broken = [r for r in refs if r["warning"]]
    assert len(broken) == 1 and broken[0]["owner"] == "XRef object record 2"
    assert "XRef object record 2" in broken[0]["warning"] and broken[0]["path"] == ""
    assert [r["path"] for r in refs if r["owner"].startswith("XRef object")
            and not r["warning"]] == ["/a/one.max", "/a/three.max"]


def test_asset_tracking_that_fails_is_one_warning(tmp_path, max_session, query):
    max_session(make_scene(tmp_path, broken=["assets"]))
    refs = list(query.iter_references())
    assert [r["owner"] for r in refs if r["warning"]] == ["the asset tracking list"]
    assert len(refs) == 3  # the two XRefs are still there


def test_references_are_read_one_by_one(tmp_path, max_session, query):
    fake = max_session(make_scene(tmp_path))
    items = query.iter_references()
    next(items)
    assert "ATSOps.GetFiles" not in fake.calls  # nothing read ahead of the caller
    list(items)
    assert fake.calls.count("ATSOps.GetFiles") == 1


@pytest.mark.parametrize("path, kind", [
    ("C:/tex/wood_<UDIM>.exr", "udim"),
    ("C:/tex/wood_<UVTILE>.tx", "udim"),
    ("C:/tex/wood_u<U>_v<V>.png", "udim"),
    ("C:/seq/fire_####.png", "image_sequence"),
    ("C:/seq/fire.<frame>.exr", "image_sequence"),
    ("C:/cache/sim_####.vdb", "cache"),
    ("C:/cache/sim.abc", "cache"),
    ("C:/ies/lamp.IES", "file"),
    ("C:/proxy/tree.vrmesh", "file"),
    ("C:/proxy/tree.rs", "file"),
    ("C:/scenes/set.max", "reference"),
    ("C:/tex/a.JPG", "image"),
])
def test_kinds_of_what_asset_tracking_lists(query, path, kind):
    assert query.classify(path) == kind


def test_save_where_the_scene_is(tmp_path, max_session, query):
    scene = make_scene(tmp_path, dirty=True)
    fake = max_session(scene)
    assert query.is_dirty() is True
    assert query.save_scene() == scene["file"]
    assert fake.saved == [scene["file"]] and query.is_dirty() is False


def test_save_an_unsaved_scene_asks_for_a_name(tmp_path, max_session, query):
    target = str(tmp_path / "new.max")
    fake = max_session(make_scene(tmp_path, file="", ask_save_as=target))
    assert query.save_scene(ask=False) == "" and fake.saved == []
    assert query.save_scene() == target and fake.saved == [target]
    assert query.scene_file() == target


def test_save_cancelled(tmp_path, max_session, query):
    fake = max_session(make_scene(tmp_path, file="", ask_save_as=None))
    assert query.save_scene() == "" and fake.saved == []


# -- the fake fails like Max -------------------------------------------------------------------

def test_the_fake_refuses_unknown_properties_and_keywords(tmp_path, max_session):
    fake = max_session(make_scene(tmp_path))
    with pytest.raises(UnknownProperty, match='Unknown property: "rendTimeTyp"'):
        fake.runtime.rendTimeTyp
    with pytest.raises(UnknownProperty, match='Unknown property: "nope" in renderers'):
        fake.runtime.renderers.nope
    with pytest.raises(RuntimeError, match="unexpected keyword"):
        fake.runtime.saveMaxFile("x.max", silent=True)
    assert fake.runtime.RENDTIMETYPE == 3  # MAXScript names ignore case


def test_reads_off_the_main_thread_are_refused(tmp_path, max_session, query):
    fake = max_session(make_scene(tmp_path))
    errors = refused_off_main_thread(query.read_scene, lambda: list(query.iter_references()),
                                     lambda: fake.runtime.renderWidth)
    assert len(errors) == 3 and all("main thread" in str(error) for error in errors)
    assert fake.calls == []


def test_windows_paths_as_max_writes_them(tmp_path, max_session, query):
    """Outputs and the scene are left out whatever their slashes; tokens survive."""
    scene = make_scene(tmp_path, file="", output="C:\\proj\\out\\beauty.exr",
                       elements=[{"class": "VRayZDepth", "file": "C:\\proj\\out\\z.exr"}],
                       xref_scenes=[], xref_objects=[],
                       assets=["C:/proj/out/beauty.exr", "C:\\proj\\out\\z.exr",
                               "C:\\proj\\tex\\skin_<UDIM>.exr", "C:\\proj\\seq\\f_####.png",
                               "C:\\proj\\tex\\skin_<UDIM>.exr"])
    max_session(scene)
    refs = list(query.iter_references(skip=query.output_files()))
    assert [(r["path"], r["kind"]) for r in refs] == [
        ("C:\\proj\\tex\\skin_<UDIM>.exr", "udim"), ("C:\\proj\\seq\\f_####.png", "image_sequence")]
    data = query.read_scene()
    assert data["extra"]["common"]["element_path_list"] == ["z.exr"]
    assert data["output_format"] == ".exr"
