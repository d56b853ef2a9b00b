"""A user submits 20 scenes to a farm that fails at random in every way ``--faults``
offers, and after every error runs the command the message names (or the same command
again when it names none). It must end with exactly 20 finished tasks: none duplicated,
none left empty, no traceback on the way.

Seeded (the farm's faults and one upload worker), small scenes, the farm's stand-in
renders: repeatable and quick.
"""
from __future__ import annotations

import json
import re
import shlex

import pytest

from farmsupport import cli_runner, make_scene, start_farm
from rayvision_dcc.job import workflow
from rayvision_dcc.job.journal import Journal

SCENES = 20
#: Every kind of fault, on the API and on the transfer service; createTask and submitTask
#: answers are lost (drop_after) or refused often, the rest now and then.
FAULTS = "; ".join([
    "seed=20261201",
    "drop_after:createTask:p0.25", "drop_before:createTask:p0.1", "error500:createTask:p0.1",
    "http503:createTask:p0.05",
    "drop_after:submitTask:p0.25", "drop_before:submitTask:p0.1", "error500:submitTask:p0.1",
    "http503:submitTask:p0.05",
    "error500:*:p0.04", "http503:*:p0.04", "drop_before:*:p0.04", "drop_after:*:p0.04",
    "slow:*:p0.02:0.05",
    "cut:PUT:p0.2", "drop_before:transfer:p0.03", "drop_after:transfer:p0.03",
    "http503:transfer:p0.03", "error500:transfer:p0.02",
])
#: A user gives up after this many commands for one scene (the test then fails).
PATIENCE = 25
COMMAND = re.compile(r"`(rayvision-dcc [^`]+)`")


@pytest.fixture
def soak_farm(tmp_path):
    handle = start_farm(tmp_path / "farm", faults=FAULTS, standin_seconds=0.01)
    if handle.local is None:
        handle.stop()
        pytest.skip("the soak test reads the in-process farm (faults off for the final count)")
    yield handle
    handle.stop()


@pytest.fixture
def user(soak_farm, monkeypatch, capsys):
    """``user(*words)`` runs one CLI command -> (exit code, stdout, stderr)."""
    import rayvision_dcc.cli as cli_module
    access_id, access_key = soak_farm.users[0]
    monkeypatch.setenv("RAYVISION_ACCESS_KEY", access_key)
    connection = ["--domain", soak_farm.domain, "--protocol", "http", "--access-id", access_id]
    # The same client and engine a user gets, only without the long backoffs between
    # retries, and one upload at a time so the seeded faults fall the same way each run.
    make_client = cli_module.client_from_args
    make_transfer = workflow.make_transfer

    def quick_client(args):
        client = make_client(args)
        client.retry_backoff = 0.001
        return client

    def one_worker_transfer(client, engine=None, cache_path=None, line=None, **options):
        options.update(workers=1, retry_backoff=0.001)
        return make_transfer(client, engine, cache_path, line, **options)
    monkeypatch.setattr(cli_module, "client_from_args", quick_client)
    monkeypatch.setattr(workflow, "make_transfer", one_worker_transfer)
    return cli_runner(capsys, connection)


def next_command(err, previous):
    """The command the message names, else the same one again."""
    named = [shlex.split(text)[1:] for text in COMMAND.findall(err)]
    named = [words for words in named if words and words[0] in ("submit", "resume")]
    return named[0] if named else previous


@pytest.mark.py311
def test_twenty_scenes_through_random_faults_make_twenty_tasks(soak_farm, user, tmp_path):
    commands_run = 0
    for index in range(SCENES):
        scene = make_scene(tmp_path / "scene{:02d}".format(index), textures=1, size=512)
        info = tmp_path / "scene{:02d}.json".format(index)
        info.write_text(json.dumps(scene.to_dict()))
        command = ["submit", "--scene-info", str(info), "--frames", "1-2[1]"]
        for _attempt in range(PATIENCE):
            code, out, err = user(*command)
            commands_run += 1
            assert "Traceback" not in err and "Traceback" not in out, err
            if code == 0:
                assert "submitted task" in out
                break
            assert code == 1, err
            message = [line for line in err.splitlines() if line.startswith("rayvision-dcc:")]
            assert len(message) == 1 and "what to do:" in message[0], err
            if command[0] == "submit" or "resume" in message[0]:
                assert "try again" not in message[0] or "resume" not in message[0], message
            command = next_command(message[0], command)
        else:
            pytest.fail("scene {} was not submitted after {} commands; last error: {}".format(
                index, PATIENCE, err))

    farm = soak_farm.local
    farm.set_faults("")
    farm.wait_idle(120)
    client = soak_farm.client()
    items = client.task_list(1, 200)["items"]
    journals = [j for j in Journal.all() if j.done("submitted")]
    assert len(journals) == SCENES
    assert sorted(j.task_id for j in journals) == sorted(i["id"] for i in items), \
        "every task on the farm belongs to exactly one submission"
    assert len(items) == SCENES, "no duplicate, no empty task"
    for item in items:
        assert item["submitDate"] and item["totalFrames"] == 2, item
        assert item["taskStatus"] == 25 and item["doneFrames"] == 2, item
    # The faults really happened: lost answers were adopted, refusals led to resumes.
    log = farm.request_log("createTask")
    assert any(r["fault"] and r["acted"] for r in log), "a createTask answer was lost"
    assert any(j.step_data("task_created").get("adopted") for j in journals)
    assert commands_run > SCENES + 10
