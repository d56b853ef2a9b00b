"""Bad inputs of the job commands: one message and exit 1, never a traceback."""
from __future__ import annotations

import json

import pytest

from rayvision_dcc.cli import main
from rayvision_dcc.job.journal import Journal


@pytest.fixture
def cli(farm, monkeypatch, capsys):
    access_id, access_key = farm.users[0]
    monkeypatch.setenv("RAYVISION_ACCESS_KEY", access_key)
    args = ["--domain", farm.domain, "--protocol", "http", "--access-id", access_id]

    def run(*words):
        code = main([words[0]] + args + list(words[1:]))
        out, err = capsys.readouterr()
        assert "Traceback" not in err
        return code, out, err
    return run


def error_of(err):
    lines = [line for line in err.splitlines() if line.startswith("rayvision-dcc: error: ")]
    assert len(lines) == 1, err
    return lines[0]


def scene_info(tmp_path, scene):
    path = tmp_path / "scene.json"
    path.write_text(json.dumps(scene.to_dict()))
    return str(path)


@pytest.mark.parametrize("content,word", [(None, "cannot read"), ("{oops", "not JSON"),
                                          ("[1, 2]", "JSON object"),
                                          ('{"frame_start": "x"}', "scene description")])
def test_scene_info_that_is_missing_or_not_a_scene(cli, tmp_path, content, word):
    path = tmp_path / "info.json"
    if content is not None:
        path.write_text(content)
    code, _out, err = cli("submit", "--scene-info", str(path))
    assert code == 1 and word in error_of(err)


@pytest.mark.parametrize("frames,word", [
    ("\u0663", "0-9"), ("999999999999999999999", "out of range"),
    ("1-1000000[1]", "--confirm-frames"), ("90000", "--confirm-frames"), ("3-1", "ends before")])
def test_frame_lists_the_cli_refuses(cli, maya_scene, tmp_path, frames, word):
    code, _out, err = cli("submit", "--scene-info", scene_info(tmp_path, maya_scene(textures=1)),
                          "--frames", frames)
    assert code == 1 and word in error_of(err)
    assert Journal.unfinished() == []


def test_a_far_frame_list_goes_with_the_flag(cli, maya_scene, tmp_path):
    code, out, err = cli("submit", "--scene-info", scene_info(tmp_path, maya_scene(textures=1)),
                         "--frames", "5000", "--confirm-frames")
    assert code == 0, err
    assert "submitted task" in out


def test_dry_run_exits_1_when_something_blocks(cli, maya_scene, tmp_path):
    info = scene_info(tmp_path, maya_scene(textures=1, missing=["gone.png"]))
    code, out, err = cli("submit", "--scene-info", info, "--dry-run")
    assert code == 1 and "block" in error_of(err) and "would upload" in out
    code, _out, err = cli("submit", "--scene-info", info, "--dry-run", "--allow-missing")
    assert code == 0, err
    assert Journal.unfinished() == [], "a dry run is nothing to resume"
    code, out, _err = cli("resume")
    assert code == 0 and "no unfinished submissions" in out


def test_submit_again_after_an_interrupted_one_names_resume(cli, farm, maya_scene, tmp_path):
    info = scene_info(tmp_path, maya_scene(textures=1))
    if farm.local is None:
        pytest.skip("faults are switched on the in-process farm")
    farm.local.set_faults("drop_after:submitTask:1")
    code, _out, err = cli("submit", "--scene-info", info)
    line = error_of(err)
    submission = Journal.unfinished()[0].submission_id
    assert code == 1 and "`rayvision-dcc resume {}`".format(submission) in line
    code, _out, err = cli("submit", "--scene-info", info)
    assert code == 1 and "unfinished submission" in error_of(err)
    assert "`rayvision-dcc resume {}`".format(submission) in error_of(err)
    code, out, err = cli("resume", submission)
    assert code == 0 and "submitted task" in out, err
    tasks = farm.client().task_list(1, 10)["items"]
    assert len(tasks) == 1


def test_download_refuses_a_file_and_a_task_that_is_not_yours(cli, farm, tmp_path):
    target = tmp_path / "a-file"
    target.write_text("x")
    code, _out, err = cli("download", "5000000", str(target))
    assert code == 1 and "is a file" in error_of(err)
    code, _out, err = cli("download", "987654", str(tmp_path / "out"))
    assert code == 1 and "not found" in error_of(err)
    if farm.local is not None:
        farm.local.add_user("other-id", "other-key")
        from rayvision_dcc.api import RenderClient
        other = RenderClient(access_id="other-id", access_key="other-key", domain=farm.domain,
                             protocol="http")
        theirs = other.create_task()["taskIdList"][0]
        code, _out, err = cli("download", str(theirs), str(tmp_path / "out"))
        assert code == 1 and "not yours" in error_of(err)
