"""`rayvision-dcc submit` picks the engine the farm announces: the farm's http service by
itself; the transmitter on an Aspera line, which fails resumably here (the REAL binary, a
closed port on 127.0.0.1) and finishes on `resume` once the line works (the stand-in)."""
from __future__ import annotations

import json
import os
import sys

import pytest

from farmsupport import start_farm, storage_files
from rayvision_dcc.cli import main
from rayvision_dcc.job.journal import Journal
from transmittersupport import HERE, closed_port, real_transmitter_copy


@pytest.fixture(scope="module")
def binary(tmp_path_factory):
    return real_transmitter_copy(tmp_path_factory.mktemp("transmitter"))


def run_cli(farm, capsys, *words):
    access_id, _key = farm.users[0]
    code = main([words[0], "--domain", farm.domain, "--protocol", "http",
                 "--access-id", access_id] + list(words[1:]))
    out, err = capsys.readouterr()
    return code, out, err


def write_settings(**values):
    path = os.path.join(os.environ["XDG_CONFIG_HOME"], "rayvision-dcc", "config.json")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as handle:
        json.dump(values, handle)


def scene_info(tmp_path, maya_scene):
    path = tmp_path / "scene.json"
    path.write_text(json.dumps(maya_scene(textures=2, size=1024).to_dict()))
    return str(path)


def test_submit_to_the_local_farm_picks_its_engine(farm, maya_scene, tmp_path, monkeypatch,
                                                   capsys):
    monkeypatch.setenv("RAYVISION_ACCESS_KEY", farm.users[0][1])
    monkeypatch.setenv("RAYVISION_TRANSMITTER", "/nowhere/rayvision_transmitter")
    code, out, err = run_cli(farm, capsys, "submit", "--scene-info",
                             scene_info(tmp_path, maya_scene), "--json")
    assert code == 0, err
    assert any(f.endswith("/cfg/task.json") for f in storage_files(farm))


def test_an_aspera_line_runs_the_transmitter_then_resume_finishes(binary, maya_scene, tmp_path,
                                                                  monkeypatch, capsys):
    line = "127.0.0.1:{}".format(closed_port())
    farm = start_farm(tmp_path / "farm", extra_args=["--aspera-line", line], aspera_line=line)
    try:
        monkeypatch.setenv("RAYVISION_ACCESS_KEY", farm.users[0][1])
        monkeypatch.setenv("RAYVISION_TRANSMITTER", binary)
        write_settings(transfer_retry_delays=[0])
        code, out, err = run_cli(farm, capsys, "submit", "--scene-info",
                                 scene_info(tmp_path, maya_scene))
        assert code == 1 and "Traceback" not in err
        assert "could not transfer through the aspera line test {}".format(line) in err
        assert "after 2 attempts" in err and "Failed to open TCP connection" in err
        assert "try 2 of 2 in 0 s" in err   # the retry was shown as it happened
        assert "rayvision-dcc resume" in err and "transmitter" in err and "log" in err
        assert not any("/cfg/" in f for f in storage_files(farm))
        pending = Journal.unfinished()
        assert len(pending) == 1 and pending[0].done("task_created")

        # The line works now: a transmitter that reaches the farm's storage.
        standin = tmp_path / "bin" / "rayvision_transmitter"
        standin.parent.mkdir()
        standin.write_text("#!/bin/sh\nexec '{}' '{}' \"$@\"\n".format(
            sys.executable, os.path.join(HERE, "fake_transmitter.py")))
        standin.chmod(0o755)
        monkeypatch.setenv("RAYVISION_TRANSMITTER", str(standin))
        monkeypatch.setenv("FAKE_TRANSMITTER_ROOT", os.path.join(farm.data_dir, "storage"))
        code, out, err = run_cli(farm, capsys, "resume", "--json")
        assert code == 0, err
        assert json.loads(out)["task_id"] == pending[0].task_id
        files = storage_files(farm)
        assert any(f.endswith("{}/cfg/task.json".format(pending[0].task_id)) for f in files)
        assert Journal.load(pending[0].submission_id).done("submitted")
    finally:
        farm.stop()
