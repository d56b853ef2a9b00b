"""State survives a restart and a kill -9; the farm as a subprocess (`farm serve`)."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

import pytest

from farm_kit import frames, info, status, submit_standin, wait_for
from rayvision_dcc.api import RenderClient

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_restart_keeps_everything_and_requeues_running_frames(make_farm, tmp_path):
    data = tmp_path / "state"
    farm = make_farm(data, standin_seconds=30)
    client = farm.client("v2")
    task_id = submit_standin(farm, client, frames="1-2[1]")
    client.add_label("kept")
    client.add_render_env(2000, "Maya", "2024", "kept-env")
    wait_for(lambda: info(client, task_id)["executingFrames"] == 1, 30, "a running frame")
    farm.stop()
    again = make_farm(data, standin_seconds=0.02)
    client = again.client("v2")
    assert [l["projectName"] for l in client.labels()["projectNameList"]] == ["kept"]
    assert "kept-env" in [e["editName"] for e in client.render_envs(2000)]
    again.wait_idle(30)
    item = info(client, task_id)
    assert item["taskStatus"] == 25 and item["doneFrames"] == 2


def start_serve(data, *extra):
    env = dict(os.environ)
    env["PYTHONPATH"] = ROOT + os.pathsep + env.get("PYTHONPATH", "")
    process = subprocess.Popen(
        [sys.executable, "-m", "rayvision_dcc", "farm", "serve", "--port", "0", "--ready-json",
         "--data", str(data)] + list(extra),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=ROOT, text=True)
    line = process.stdout.readline()
    if not line:
        process.kill()
        pytest.fail("farm serve printed nothing: " + process.stderr.read())
    return process, json.loads(line)


def client_for(ready, version="v1"):
    user = ready["users"][0]
    return RenderClient(access_id=user["access_id"], access_key=user["access_key"],
                        domain=ready["domain"], protocol="http", api_version=version, platform="2")


class ServeFarm(object):
    """Just what farm_kit's helpers need of a farm, for a subprocess farm."""

    def __init__(self, ready, client):
        self.url = ready["url"]
        profile = client.user_profile()
        key = client.raysync_user_key()["raySyncUserKey"]
        bids = client.transfer_bids()
        self.row = dict(bids, user_id=profile["userId"], transfer_key=key)

    def user_row(self, user=0):
        return self.row

    def transfer_headers(self, user=0):
        return {"X-Rayvision-User-Id": str(self.row["user_id"]),
                "X-Rayvision-Transfer-Key": self.row["transfer_key"]}


def test_serve_kill_9_and_restart_loses_nothing(tmp_path):
    data = tmp_path / "served"
    process, ready = start_serve(data, "--standin-seconds", "30")
    try:
        assert ready["url"] == "http://" + ready["domain"] and len(ready["users"]) == 1
        client = client_for(ready)
        task_id = submit_standin(ServeFarm(ready, client), client, frames="1-2[1]")
        wait_for(lambda: info(client, task_id)["executingFrames"] == 1, 30, "a running frame")
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(10)
        process.stdout.close()
        process.stderr.close()
    process, again = start_serve(data, "--standin-seconds", "0.02")
    try:
        assert again["users"] == ready["users"]  # the demo user is kept in --data
        client = client_for(again, "v2")
        wait_for(lambda: status(client, task_id) == 25, 30, "the task to finish after restart")
        assert [f["frameStatus"] for f in frames(client, task_id)] == [4, 4]
        process.send_signal(signal.SIGINT)
        out, _err = process.communicate(timeout=20)
        assert process.returncode == 0 and "stopped" in out
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()


def test_serve_with_users_and_bad_faults(tmp_path):
    process, ready = start_serve(tmp_path / "u", "--user", "id1:key1", "--user", "id2:key2")
    try:
        assert [u["access_id"] for u in ready["users"]] == ["id1", "id2"]
        assert client_for(ready).user_profile()["userId"]
    finally:
        process.terminate()
        out, _err = process.communicate(timeout=20)
    assert process.returncode == 0 and "stopped" in out
    env = dict(os.environ, PYTHONPATH=ROOT)
    result = subprocess.run([sys.executable, "-m", "rayvision_dcc", "farm", "serve", "--port", "0",
                             "--data", str(tmp_path / "f"), "--faults", "boom:x"],
                            capture_output=True, text=True, env=env, cwd=ROOT, timeout=30)
    assert result.returncode == 1 and "boom" in result.stderr
