"""The job commands of the CLI against a local farm, run as a user would."""
from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys

import pytest

from farmsupport import ROOT, cli_runner, wait_until
from rayvision_dcc.cli import main
from rayvision_dcc.job.journal import Journal


def connection(farm):
    access_id, access_key = farm.users[0]
    return ["--domain", farm.domain, "--protocol", "http", "--access-id", access_id], access_key


@pytest.fixture
def cli(farm, monkeypatch, capsys):
    args, key = connection(farm)
    monkeypatch.setenv("RAYVISION_ACCESS_KEY", key)
    return cli_runner(capsys, args)


def write_scene_info(tmp_path, scene):
    path = tmp_path / "scene.json"
    path.write_text(json.dumps(scene.to_dict()))
    return str(path)


def test_submit_wait_download_then_task_commands(cli, maya_scene, tmp_path):
    info = write_scene_info(tmp_path, maya_scene(textures=2))
    out_dir = str(tmp_path / "frames")
    code, out, err = cli("submit", "--scene-info", info, "--wait", "--download", out_dir,
                         "--interval", "0.05", "--json")
    assert code == 0, err
    result = json.loads(out)
    task_id = result["task_id"]
    assert len(result["downloaded"]) == 3 and all(os.path.isfile(p) for p in result["downloaded"])
    assert "Traceback" not in err

    code, out, _ = cli("tasks", "--json")
    assert [t["id"] for t in json.loads(out)["items"]] == [task_id]
    code, out, _ = cli("status", str(task_id))
    assert code == 0 and str(task_id) in out and "Done" in out
    code, out, _ = cli("frames", str(task_id), "--json")
    assert len(json.loads(out)) == 3
    code, out, _ = cli("download", str(task_id), str(tmp_path / "frames"))
    assert "nothing new" in out
    code, out, _ = cli("restart-failed", str(task_id))
    assert code == 0


def test_dry_run_creates_nothing_and_lists_uploads(cli, maya_scene, tmp_path, farm):
    info = write_scene_info(tmp_path, maya_scene(textures=2))
    code, out, err = cli("submit", "--scene-info", info, "--dry-run", "--json")
    assert code == 0, err
    value = json.loads(out)
    assert len(value["upload"]) == 3 and os.path.isfile(os.path.join(value["job_folder"],
                                                                     "task.json"))
    code, out, _ = cli("tasks", "--json")
    assert json.loads(out)["items"] == []


def test_errors_are_one_line_with_what_to_do(cli, tmp_path):
    code, out, err = cli("submit", str(tmp_path / "nope.blend"))
    assert code == 1 and "Traceback" not in err
    assert "scene file not found" in err and "what to do" in err
    code, out, err = cli("status", "999999")
    assert code == 1 and "Traceback" not in err


def test_kill_during_upload_then_resume(faulty_farm, maya_scene, tmp_path):
    """A real kill -9 in the middle of the asset upload; resume finishes the same task."""
    farm = faulty_farm("slow:PUT:*:0.1")  # uploads take long enough to be killed in
    info = write_scene_info(tmp_path, maya_scene(textures=40, size=4 * 1024))
    args, key = connection(farm)
    env = dict(os.environ, RAYVISION_ACCESS_KEY=key,
               PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    process = subprocess.Popen([sys.executable, "-m", "rayvision_dcc", "submit"] + args +
                               ["--scene-info", info], env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    try:
        def config_uploaded():
            found = Journal.unfinished()
            return found and found[0].done("config_uploaded")
        wait_until(lambda: config_uploaded() or process.poll() is not None, timeout=60,
                   message="the upload to start")
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
        process.wait()
    journals = Journal.all()
    assert len(journals) == 1
    assert not journals[0].done("assets_uploaded"), "killed in the middle of the upload"
    from rayvision_dcc.job import workflow
    client = farm.client()
    ref = workflow.resume(journals[0].submission_id, client)
    assert ref.task_id == journals[0].task_id
    assert [t["id"] for t in client.task_list(1, 50)["items"]] == [ref.task_id]


@pytest.mark.py311
@pytest.mark.bpy
def test_submit_a_blend_from_the_command_line(cli, tmp_path):
    pytest.importorskip("bpy")
    from rayvision_dcc.cli.demo import make_demo_scene
    scene = make_demo_scene(str(tmp_path / "scene"), frames=2)
    code, out, err = cli("submit", scene, "--wait", "--download", str(tmp_path / "out"),
                         "--interval", "0.1")
    assert code == 0, err
    assert "submitted task" in out
    pngs = [line for line in out.splitlines() if line.endswith(".png")]
    assert len(pngs) == 2 and all(os.path.isfile(p) for p in pngs)


def test_submit_wait_names_the_end_status_once_for_one_task(cli, maya_scene, tmp_path):
    info = write_scene_info(tmp_path, maya_scene(textures=1))
    code, out, err = cli("submit", "--scene-info", info, "--wait", "--interval", "0.05")
    assert code == 0, err
    task_id = re.search(r"submitted task (\d+)", out).group(1)
    assert "task {} ended: Done".format(task_id) in out.splitlines(), out


def test_the_end_line_keeps_ids_when_there_are_several_tasks():
    from rayvision_dcc.cli.jobs import ended_text
    assert ended_text([{"id": 7, "taskStatus": 25}]) == "Done"
    assert ended_text([{"id": 7, "taskStatus": 25}, {"id": 8, "taskStatus": 30}]) == \
        "7 Done, 8 {}".format(ended_text([{"id": 8, "taskStatus": 30}]))


def test_abandon_a_dry_run_says_it_made_no_task(cli, maya_scene, tmp_path):
    info = write_scene_info(tmp_path, maya_scene(textures=1))
    code, out, err = cli("submit", "--scene-info", info, "--dry-run", "--json")
    assert code == 0, err
    journal = Journal.load(json.loads(out)["job_folder"])
    code, out, err = cli("abandon", journal.submission_id)
    assert code == 1 and "Traceback" not in err
    assert "dry run" in err and "made no task" in err and "None" not in out + err
    assert not Journal.load(journal.folder).done("abandoned")


def test_abandon_a_submission_whose_create_was_refused(faulty_farm, maya_scene, tmp_path,
                                                       monkeypatch, capsys):
    farm = faulty_farm("error500:createTask:1")
    args, key = connection(farm)
    monkeypatch.setenv("RAYVISION_ACCESS_KEY", key)
    info = write_scene_info(tmp_path, maya_scene(textures=1))
    assert main(["submit"] + args + ["--scene-info", info]) == 1
    [journal] = Journal.unfinished()
    capsys.readouterr()
    assert main(["abandon"] + args + [journal.submission_id]) == 0
    out = capsys.readouterr().out
    assert "made no task" in out and "nothing was abandoned" in out and "None" not in out
    assert Journal.unfinished() == []
    assert Journal.load(journal.folder).step_data("abandoned") == {"no_task": True}
    assert farm.client().task_list(1, 50)["items"] == []
