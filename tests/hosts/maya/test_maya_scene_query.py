"""What the plugin reads from Maya (scene_query): settings, layers with their overrides,
and every kind of file Maya stores, as Maya stores it."""
import pytest

from maya_scenes import stored_files


def full_scene(make_scene, project):
    return make_scene(
        unknown_plugins=["redshift4maya"],
        in_use=["mtoa", "AbcImport"], plugins={"mtoa": "5.1.0", "AbcImport": "1.0"},
        render_setup={"layers": [
            {"name": "charLayer", "renderable": True, "collections": [
                {"name": "cams", "names": ["|persp", "shotCam"], "overrides": [
                    {"attribute": "renderable", "value": False}], "children": [
                    {"name": "persp_only", "names": ["perspShape"], "overrides": [
                        {"attribute": "renderable", "value": True}]}]}]},
            {"name": "fxLayer", "renderable": False, "collections": [
                {"name": "_untitled_", "type": "renderSettingsCollection",
                 "names": ["defaultRenderGlobals"], "overrides": [
                     {"attribute": "startFrame", "value": 5.0},
                     {"attribute": "endFrame", "value": 8.0}]},
                {"name": "particles", "names": ["nParticleShape1"], "overrides": [
                    {"attribute": "startFrame", "value": 99.0}]}]},
            {"name": "bgLayer", "renderable": True, "collections": [
                {"name": "half", "names": ["defaultResolution"], "overrides": [
                    {"attribute": "width", "value": 640},
                    {"attribute": "height", "value": 360}]}]}]},
        nodes=dict(stored_files(project), **{
            "file_plain": {"type": "file", "attrs": {
                "fileTextureName": "sourceimages/wood.png", "uvTilingMode": 0,
                "useFrameExtension": False}},
            "file_udim": {"type": "file", "attrs": {
                "fileTextureName": project + "/tex/skin.1001.exr", "uvTilingMode": 3,
                "computedFileTextureNamePattern": project + "/tex/skin.<UDIM>.exr",
                "useFrameExtension": False}},
            "file_seq": {"type": "file", "attrs": {
                "fileTextureName": project + "/tex/fire.0001.png", "uvTilingMode": 0,
                "useFrameExtension": True}},
            "file_token": {"type": "file", "attrs": {
                "fileTextureName": project + "/tex/smoke.<f>.tx", "uvTilingMode": 0,
                "useFrameExtension": False}},
            "file_tx": {"type": "file", "attrs": {
                "fileTextureName": project + "/tex/metal.tx", "uvTilingMode": 0}},
            "file_empty": {"type": "file", "attrs": {"fileTextureName": ""}},
            "file_broken": {"type": "file", "attrs": {}},
            "offRN": {"type": "reference", "file": project + "/assets/off.ma",
                      "loaded": False},
            "sharedReferenceNode": {"type": "reference", "file": ""},
            "plate1": {"type": "imagePlane", "attrs": {
                "imageName": project + "/plates/bg.1001.jpg", "useFrameExtension": True,
                "frameOffset": 1000}},
            "nCache1": {"type": "cacheFile", "files": [project + "/cache/nCache/fluid.xml",
                                                       project + "/cache/nCache/fluid.mcx"]},
        }))


def read_references():
    from rayvision_maya import scene_query
    found = []
    for read in scene_query.reference_readers((1, 10)):
        found.extend(read())
    return found


def test_settings(maya_session, make_scene, project):
    maya_session(make_scene())
    from rayvision_maya import scene_query
    settings = scene_query.read_settings()
    assert settings["renderer"] == "arnold" and settings["renderer_version"] == "5.1.0"
    assert (settings["frame_start"], settings["frame_end"], settings["frame_step"]) == (1, 10, 1)
    assert (settings["width"], settings["height"]) == (1280, 720)
    assert settings["image_format"] == "exr"
    assert settings["image_file_prefix"] == "<RenderLayer>/<Scene>"
    assert settings["project_path"] == project
    assert settings["output_path"] == project + "/images"
    assert settings["host_version"] == "2022" and settings["warnings"] == []
    assert scene_query.cameras() == [{"name": "perspShape", "renderable": False},
                                     {"name": "shotCamShape", "renderable": True}]


@pytest.mark.parametrize("renderer,nodes,expected", [
    ("vray", {"vraySettings": {"type": "VRaySettingsNode",
                               "attrs": {"imageFormatStr": "exr (multichannel)"}}}, "exr (multichannel)"),
    ("redshift", {"redshiftOptions": {"type": "RedshiftOptions", "attrs": {"imageFormat": 1},
                                      "enums": {"imageFormat": ["Iff", "OpenEXR (.exr)"]}}},
     "exr"),
    ("mayaSoftware", {"defaultRenderGlobals": {"attrs": {"imfPluginKey": "png"}}}, "png"),
])
def test_image_format_per_renderer(maya_session, make_scene, renderer, nodes, expected):
    scene = make_scene(nodes=nodes)
    scene["nodes"].setdefault("defaultRenderGlobals", {"attrs": {}})
    scene["nodes"]["defaultRenderGlobals"]["attrs"]["currentRenderer"] = renderer
    maya_session(scene)
    from rayvision_maya import scene_query
    assert scene_query.read_settings()["image_format"] == expected


def test_animation_off_renders_one_frame_and_odd_values(maya_session, make_scene):
    scene = make_scene()
    scene["nodes"]["defaultRenderGlobals"]["attrs"].update(
        animation=False, startFrame=12.0, endFrame=40.0, byFrameStep=0.0)
    maya_session(scene)
    from rayvision_maya import scene_query
    assert scene_query.render_range() == (12, 12, 1, False)


def test_renderer_without_its_plugin_is_a_warning_not_an_error(maya_session, make_scene):
    scene = make_scene(plugins={}, in_use=[])
    del scene["nodes"]["defaultArnoldDriver"]
    maya_session(scene)
    from rayvision_maya import scene_query
    settings = scene_query.read_settings()
    assert settings["renderer_version"] == "" and settings["image_format"] == ""
    assert "defaultArnoldDriver.aiTranslator" in settings["warnings"][0]


def test_render_setup_layers_and_their_overrides(maya_session, make_scene, project):
    maya_session(full_scene(make_scene, project))
    from rayvision_maya import scene_query
    layers, overrides, layer_type = scene_query.render_layers()
    assert layer_type == "1"
    assert layers == [{"name": "defaultRenderLayer", "renderable": True},
                      {"name": "charLayer", "renderable": True},
                      {"name": "fxLayer", "renderable": False},
                      {"name": "bgLayer", "renderable": True}]
    # the inner collection switches persp back on; the outer one switches shotCam off
    assert overrides == {"charLayer": {"cameras": ["perspShape"]},
                         "fxLayer": {"frame_start": 5, "frame_end": 8},
                         "bgLayer": {"width": 640, "height": 360}}


def test_a_render_setup_model_we_cannot_read_lists_the_layers_and_says_so(
        maya_session, make_scene):
    maya_session(make_scene(render_setup={"broken": True}, nodes={
        "rs_charLayer": {"type": "renderLayer", "attrs": {"renderable": True}}}))
    from rayvision_maya import scene_query
    warnings = []
    layers, overrides, layer_type = scene_query.render_layers(warnings=warnings)
    assert [layer["name"] for layer in layers] == ["defaultRenderLayer", "rs_charLayer"]
    assert (overrides, layer_type) == ({}, "1")
    assert "overrides could not be read (AttributeError" in warnings[0]


def test_legacy_render_layers(maya_session, make_scene):
    maya_session(make_scene(render_setup=None, nodes={
        "layer1": {"type": "renderLayer", "attrs": {"renderable": False}}}))
    from rayvision_maya import scene_query
    assert scene_query.render_layers() == ([{"name": "defaultRenderLayer", "renderable": True},
                                            {"name": "layer1", "renderable": False}], {}, "0")


def test_plugins_in_use_and_missing(maya_session, make_scene, project):
    maya_session(full_scene(make_scene, project))
    from rayvision_maya import scene_query
    assert scene_query.plugins_in_use() == {"mtoa": "5.1.0", "AbcImport": "1.0"}
    assert scene_query.missing_plugins() == ["redshift4maya"]


def test_every_kind_of_file_as_maya_stores_it(maya_session, make_scene, project):
    maya_session(full_scene(make_scene, project))
    by_owner = {}
    for item in read_references():
        by_owner.setdefault(item["owner"].split(".")[0].split(" ")[0], []).append(item)

    def one(owner):
        items = by_owner.pop(owner)
        assert len(items) == 1, items
        return items[0]

    plain = one("file_plain")
    assert (plain["path"], plain["kind"], plain["sequence"]) == ("sourceimages/wood.png",
                                                                 "image", False)
    assert plain["owner"] == "file_plain.fileTextureName"
    udim = one("file_udim")  # Maya keeps tile 1001 in the path; the pattern has the token
    assert (udim["path"], udim["kind"]) == (project + "/tex/skin.<UDIM>.exr", "udim")
    seq = one("file_seq")
    assert (seq["path"], seq["kind"]) == (project + "/tex/fire.0001.png", "image_sequence")
    assert seq["sequence"] and seq["frames"] == (1, 10)
    token = one("file_token")
    assert token["kind"] == "image_sequence" and token["path"].endswith("smoke.<f>.tx")
    assert not token["sequence"]
    assert one("file_tx")["path"].endswith("metal.tx")
    broken = one("file_broken")
    assert broken["path"] == "" and "file_broken could not be read" in broken["warning"]
    char = one("charRN")
    assert (char["kind"], char["path"]) == ("reference", project + "/assets/char.ma")
    prop = one("char:propRN")
    assert prop["owner"] == "char:propRN (inside charRN)"
    assert "lostRN is broken" in one("lostRN")["warning"]
    assert one("abc1")["kind"] == "cache" and one("gpu1")["path"].endswith("tree.abc")
    standin = one("standin1")
    assert standin["path"].endswith("crowd.####.ass") and standin["sequence"]
    assert one("vrmesh1")["path"].endswith("rock.vrmesh")
    assert one("rsproxy1")["path"].endswith("tree.rs")
    plate = one("plate1")
    assert plate["sequence"] and plate["frames"] == (1001, 1010)
    xgen = one("palette1")
    assert xgen["path"] == "shot__hair.xgen" and xgen["base"] == project + "/scenes"
    assert one("audio1")["kind"] == "sound"
    assert [item["path"][-9:] for item in by_owner.pop("nCache1")] == ["fluid.xml",
                                                                        "fluid.mcx"]
    missing = one("rsMissing")
    assert "redshift4maya" in missing["warning"] and "RedshiftProxyMesh" in missing["warning"]
    # nothing else: no empty path, no unloaded reference, no sharedReferenceNode
    assert by_owner == {}


def test_one_reader_per_node(maya_session, make_scene, project):
    fake = maya_session(full_scene(make_scene, project))
    from rayvision_maya import scene_query
    readers = scene_query.reference_readers((1, 10))
    start = len(fake.calls)
    next(readers)()  # lists the file nodes, then reads one
    assert fake.calls[start] == "ls" and 2 <= len(fake.calls) - start <= 6
    start = len(fake.calls)
    next(readers)()  # the next file node: no listing again
    assert "ls" not in fake.calls[start:] and 1 <= len(fake.calls) - start <= 5
