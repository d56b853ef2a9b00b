"""One user's tasks, files and environments are invisible to another."""
from __future__ import annotations

import pytest
import requests

from farm_kit import BOB, put, submit_standin, transfer_url
from rayvision_dcc.errors import NotFound


def test_users_see_only_their_own(farm, api_version):
    alice, bob = farm.client(api_version, user=0), farm.client(api_version, user=1)
    task_id = submit_standin(farm, alice, frames="1-2[1]")
    farm.wait_idle(30)
    assert alice.user_profile()["userId"] != bob.user_profile()["userId"]
    assert alice.transfer_bids()["input_bid"] != bob.transfer_bids()["input_bid"]
    assert bob.task_info([task_id])["items"] == []
    assert bob.task_list()["total"] == 0
    assert bob.all_frame_stats()["totalFrames"] == 0
    for call, args in ((bob.stop_tasks, ([task_id],)), (bob.delete_tasks, ([task_id],)),
                       (bob.task_frames, (task_id,)), (bob.submit_task, (task_id,))):
        with pytest.raises(NotFound):
            call(*args)
    frame_id = alice.task_frames(task_id)["items"][0]["id"]
    with pytest.raises(NotFound):
        bob.frame_thumbnail(frame_id)
    assert bob.call("getOutputUserDirFile", {"treePath": "/"}) == []
    assert len(alice.call("getOutputUserDirFile", {"treePath": "/"})) == 1
    alice.add_render_env(2007, "Blender", "4.5", "alice-env")
    assert "alice-env" not in [e["editName"] for e in bob.render_envs(2007)]
    with pytest.raises(NotFound):
        bob.delete_render_env("alice-env")
    alice.add_label("alice-label")
    assert bob.labels()["projectNameList"] == []


def test_files_of_one_user_are_not_listed_for_another(farm):
    alice_row, bob_row = farm.user_row(0), farm.user_row(1)
    put(farm, alice_row["input_bid"], "/D/secret.png", b"alice").raise_for_status()
    # Bob asking with his own credentials for alice's bid: refused.
    reply = requests.get(transfer_url(farm, alice_row["input_bid"], "/D/secret.png"),
                         headers=farm.transfer_headers(1), timeout=10)
    assert reply.status_code == 403
    # Bob with alice's user id but his own key: not authenticated.
    headers = dict(farm.transfer_headers(1), **{"X-Rayvision-User-Id": str(alice_row["user_id"])})
    reply = requests.get(transfer_url(farm, alice_row["input_bid"], "/D/secret.png"),
                         headers=headers, timeout=10)
    assert reply.status_code == 401
    listing = requests.get(transfer_url(farm, bob_row["input_bid"], "/D") + "?list=1",
                           headers=farm.transfer_headers(1), timeout=10).json()
    assert listing == {"files": []}
    assert BOB[0] in [u[0] for u in farm.users]


def test_job_files_and_outputs_of_others_are_out_of_reach(farm):
    alice, bob = farm.client("v2", user=0), farm.client("v2", user=1)
    task_id = alice.create_task()["taskIdList"][0]
    with pytest.raises(NotFound):
        bob.call("taskJsonFile", {"taskId": task_id, "fileName": "task.json", "content": "{}"})
    with pytest.raises(NotFound):
        bob.call("getOutputUserDirFile", {"treePath": "/", "taskId": task_id})


def test_demo_user_is_created_once_and_kept(make_farm, tmp_path):
    first = make_farm(tmp_path / "demo", users=None)
    assert len(first.users) == 1 and first.users[0][0].startswith("demo")
    assert first.client().user_profile()["userId"]
    first.stop()
    again = make_farm(tmp_path / "demo", users=None)
    assert again.users == first.users
