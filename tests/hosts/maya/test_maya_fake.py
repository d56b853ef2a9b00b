"""The fake Maya fails where Maya fails: the plugin's tests rely on it."""
import pytest

from hosts.fake_host import refused_off_main_thread


def test_the_fake_answers_from_the_scene(maya_session, make_scene):
    fake = maya_session(make_scene())
    from maya import cmds
    assert cmds.getAttr("defaultResolution.width") == 1280
    assert cmds.file(query=True, sceneName=True).endswith("scenes/shot.ma")
    assert cmds.ls(type="camera") == ["perspShape", "shotCamShape"]
    assert cmds.ls(type="noSuchType") == []  # Maya warns and answers nothing
    assert fake.calls[-1] == "ls"


def test_unknown_flag_missing_node_and_batch_ui_fail_like_maya(maya_session, make_scene):
    maya_session(make_scene(batch=True))
    from maya import cmds
    with pytest.raises(TypeError, match="Invalid flag 'fileName'"):
        cmds.file(query=True, fileName=True)
    with pytest.raises(ValueError, match="No object matches name: ghost.fileTextureName"):
        cmds.getAttr("ghost.fileTextureName")
    with pytest.raises(ValueError, match="No object matches name"):
        cmds.getAttr("defaultResolution.noSuchAttr")
    with pytest.raises(RuntimeError, match="enum"):
        cmds.getAttr("defaultResolution.width", asString=True)
    with pytest.raises(RuntimeError, match="batch"):
        cmds.menu("m", label="x")


def test_calls_off_the_main_thread_raise(maya_session, make_scene):
    maya_session(make_scene())
    from maya import cmds
    import maya.app.renderSetup.model.renderSetup as renderSetup
    errors = [str(exc) for exc in refused_off_main_thread(lambda: cmds.ls(type="camera"),
                                                           renderSetup.instance)]
    assert len(errors) == 2 and "main thread" in errors[0]


def test_broken_reference_raises(maya_session, make_scene):
    maya_session(make_scene(nodes={"gone": {"type": "reference", "file": "", "broken": True}}))
    from maya import cmds
    with pytest.raises(RuntimeError, match="not associated"):
        cmds.referenceQuery("gone", filename=True)
