"""batch.py under a (fake) mayapy: print the job, or submit it to the local farm."""
import io
import json
import os

from maya_fake import touch


def run(argv):
    from rayvision_maya import batch
    out, err = io.StringIO(), io.StringIO()
    code = batch.main(argv, out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def scene_file(fake, make_scene, project):
    touch(os.path.join(project, "tex", "wood.png"))
    description = make_scene(nodes={
        "file1": {"type": "file", "attrs": {"fileTextureName": "tex/wood.png"}},
        "abc1": {"type": "AlembicNode", "attrs": {"abc_File": project + "/cache/gone.abc"}}})
    fake.files[description["path"]] = description
    return description["path"]


def test_print_the_job_without_sending_anything(maya_session, make_scene, project):
    fake = maya_session({})  # mayapy: an empty session until the scene is opened
    path = scene_file(fake, make_scene, project)
    code, out, err = run([path, "--frames", "1-2"])
    assert code == 0, err
    # Maya started for the reading, and shut down before Python's exit
    assert fake.standalone_calls == ["initialize", "uninitialize"]
    job = json.loads(out)
    assert job["scene"]["scene_path"] == path and job["scene"]["host"] == "Maya"
    task = job["task.json"]
    assert task["task_info"]["cg_id"] == "2000"
    assert task["scene_info_render"]["defaultRenderLayer"]["common"]["frames"] == "1-2"
    assert [item["local"] for item in job["upload.json"]["asset"]] == [
        path, project + "/tex/wood.png"]
    problems = [(p["code"], p["detail"]) for p in job["problems"] if p["severity"] == "error"]
    assert ("10018", project + "/cache/gone.abc") in problems
    assert fake.ui.get("RayvisionRenderFarmMenu") is None  # no UI in batch


def test_a_scene_maya_cannot_open_is_one_line(maya_session, project):
    maya_session({})
    code, out, err = run([project + "/nope.ma"])
    assert code == 1 and out == ""
    assert err.startswith("error: Maya could not open") and "what to do:" in err
    assert "Traceback" not in err


def test_submit_to_the_farm(maya_session, make_scene, project, farm, monkeypatch):
    fake = maya_session({})
    path = scene_file(fake, make_scene, project)
    access_id, access_key = farm.users[0]
    for name, value in (("ACCESS_ID", access_id), ("ACCESS_KEY", access_key),
                        ("DOMAIN", farm.domain), ("PROTOCOL", "http")):
        monkeypatch.setenv("RAYVISION_" + name, value)
    code, out, err = run([path, "--submit"])
    assert code == 1 and "block the submission" in err  # the missing Alembic cache
    code, out, err = run([path, "--submit", "--allow-missing", "--frames", "1-2"])
    assert code == 0, err
    result = json.loads(out)
    assert int(result["task_id"]) > 0
    with open(os.path.join(result["job_folder"], "task.json")) as handle:
        task = json.load(handle)
    assert task["software_config"]["cg_version"] == "2022"
    assert access_key not in out + err


def test_the_scene_as_read_for_the_cli(maya_session, make_scene, project, tmp_path):
    fake = maya_session({})
    path = scene_file(fake, make_scene, project)
    out_file = str(tmp_path / "shot.json")
    code, out, err = run([path, "--scene-info", out_file])
    assert code == 0, err
    from rayvision_dcc.hosts import PlainFileAdapter
    info = PlainFileAdapter.from_file(out_file).scene_info()
    assert info.host == "Maya" and info.scene_path == path
    assert [dep.exists for dep in info.dependencies] == [True, False]
    assert info.extra["render_layer_type"] == "1"


def test_a_scene_maya_opens_with_errors_is_read_with_a_warning(maya_session, make_scene,
                                                               project):
    fake = maya_session({})
    path = scene_file(fake, make_scene, project)
    fake.files[path]["open_errors"] = "Error while reading reference: gone.ma"
    code, out, err = run([path])
    assert code == 0, err
    job = json.loads(out)
    assert job["scene"]["warnings"][0] == ("Maya reported errors while opening the scene: "
                                           "Error while reading reference: gone.ma")
    assert any("reported errors" in p["detail"] for p in job["problems"])
