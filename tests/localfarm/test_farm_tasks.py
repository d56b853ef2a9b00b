"""submitTask's checks and the task / frame state machine, on the stand-in renderer."""
from __future__ import annotations

import json
import os
import struct

import pytest

from farm_kit import frames, info, prepare_task, put, status, submit_standin, wait_for
from rayvision_dcc.errors import ApiError, NotFound


def refused(call, *args):
    with pytest.raises(ApiError) as caught:
        call(*args)
    return caught.value


def test_created_task_waits_for_submit(farm, client):
    created = client.create_task(count=2)
    assert len(created["taskIdList"]) == 2
    assert created["aliasTaskIdList"] == ["P{}".format(i) for i in created["taskIdList"]]
    item = info(client, created["taskIdList"][0])
    assert item["taskStatus"] == 0 and item["submitDate"] is None
    assert item["totalFrames"] == 0 and item["outputFileName"] is None
    listed = client.task_list(page=1, page_size=1)
    assert listed["total"] == 2 and listed["pageCount"] == 2 and len(listed["items"]) == 1


#: The task fields of render-api-protocol.txt (queryTaskInfo / getTaskList, table and example).
DOCUMENTED_TASK_FIELDS = set("""sceneName id taskAlias taskStatus statusText preTaskStatus
preStatusText totalFrames abortFrames executingFrames doneFrames failedFrames framesRange
projectName renderConsume taskArrears submitDate startTime completedDate renderDuration
userName producer taskLevel taskUserLevel taskLimit taskOverTime userId outputFileName
munuTaskId layerParentId cgId taskKeyValueVo userAccountConsume couponConsume isOpen taskType
renderCamera cloneParentId cloneOriginalId shareMainCapital taskRam respRenderingTaskList
layerName taskTypeText isDelete""".split())


def test_task_items_carry_only_documented_fields(farm, client):
    task_id = client.create_task()["taskIdList"][0]
    unsubmitted = info(client, task_id)
    submitted_id = submit_standin(farm, client)
    for item in (unsubmitted, info(client, submitted_id),
                 client.task_list(1, 10)["items"][0]):
        assert set(item) <= DOCUMENTED_TASK_FIELDS, set(item) - DOCUMENTED_TASK_FIELDS
    assert unsubmitted["submitDate"] is None and info(client, submitted_id)["submitDate"]


def test_submit_without_task_json_is_refused(farm, client):
    task_id = client.create_task()["taskIdList"][0]
    error = refused(client.submit_task, task_id)
    assert "task.json" in error.server_message and "/{}/cfg/".format(task_id) in error.server_message


@pytest.mark.parametrize("job,word", [
    ({"cg_id": "2005"}, "cg_id"),
    ({"frames": "5-1[1]"}, "frames"),
    ({"frames": "abc"}, "frames"),
    ({"upload_scene": False}, "/D/proj/shot.ma"),
    ({"assets": [("/D/proj/tex/a.png", b"a", True), ("/D/proj/tex/b.png", b"b", False)]},
     "/D/proj/tex/b.png"),
])
def test_submit_checks_the_job_files(farm, client, job, word):
    task_id, _doc = prepare_task(farm, client, **job)
    error = refused(client.submit_task, task_id)
    assert error.code == 100 and word in error.server_message
    assert info(client, task_id)["submitDate"] is None


def test_task_json_of_another_task_and_bad_json(farm, client):
    first = client.create_task()["taskIdList"][0]
    task_id, doc = prepare_task(farm, client)
    doc["task_info"]["task_id"] = str(first)
    client.upload_job_file(task_id, "task.json", json.dumps(doc)) if client.api_version == "v2" \
        else client.call("taskJsonFile", {"taskId": task_id, "fileName": "task.json",
                                          "content": json.dumps(doc)})
    assert "belongs to task" in refused(client.submit_task, task_id).server_message
    client.call("taskJsonFile", {"taskId": task_id, "fileName": "task.json", "content": "{oops"})
    assert "not valid JSON" in refused(client.submit_task, task_id).server_message
    error = refused(client.call, "taskJsonFile", {"taskId": task_id, "fileName": "x.json",
                                                  "content": "{}"})
    assert error.code == 600


def test_stand_in_renders_every_frame(farm, client):
    task_id = submit_standin(farm, client, frames="1-3[1]", width="1920", height="1080")
    farm.wait_idle(30)
    item = info(client, task_id)
    assert item["taskStatus"] == 25 and item["doneFrames"] == 3 and item["totalFrames"] == 3
    assert item["outputFileName"] == "{}_shot".format(task_id) and item["sceneName"] == "shot.ma"
    assert item["completedDate"] >= item["startTime"] >= item["submitDate"]
    row = farm.user_row()
    folder = farm.storage.resolve(row["user_id"], row["output_bid"], "/" + item["outputFileName"])
    names = sorted(os.listdir(folder))
    assert names == ["shot_0001.png", "shot_0002.png", "shot_0003.png"]
    with open(os.path.join(folder, names[0]), "rb") as handle:
        head = handle.read(24)
    assert head[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", head[16:24]) == (128, 72)
    frame = frames(client, task_id)[0]
    assert frame["frameStatus"] == 4 and frame["frameType"] == 5
    log = client.call("showLog", {"id": frame["id"], "pageNum": 1, "pageSize": 100})
    assert "SIMULATED" in log["content"] and "Maya" in log["content"]
    assert client.frame_thumbnail(frame["id"]) == ["/{}_shot/shot_0001.png".format(task_id)]
    progress = client.task_progress(task_id)
    assert len(progress["grabInfo"]) == 3 and progress["grabInfo"][0][0]["framePercent"] == "100"
    listing = client.call("getOutputUserDirFile", {"treePath": "/", "taskId": task_id})
    assert [e["fileName"] for e in listing] == names
    stats = client.all_frame_stats()
    assert stats["doneFramesTotal"] == 3 and stats["totalFrames"] == 3
    with pytest.raises(ApiError) as caught:
        client.submit_task(task_id)
    assert "already submitted" in caught.value.server_message


def test_priority_frames_render_first_and_pause_at_40(make_farm, api_version):
    farm = make_farm()
    client = farm.client(api_version)
    task_id = submit_standin(farm, client, frames="1-9[1]", pre_frames="101",
                             stop_after_test="1", cg_id="2001", scene="E:/max/sh01.max")
    wait_for(lambda: status(client, task_id) == 40, 30, "status 40 (test done)")
    by_index = {f["frameIndex"]: f for f in frames(client, task_id)}
    assert by_index["1"]["frameType"] == 4 and by_index["9"]["frameType"] == 4
    assert [f["frameStatus"] for i, f in sorted(by_index.items()) if i not in ("1", "9")] == [1] * 7
    farm.wait_idle(5)  # a paused test is idle
    client.start_tasks([task_id])
    farm.wait_idle(30)
    assert status(client, task_id) == 25
    done = sorted(frames(client, task_id), key=lambda f: f["startTime"])
    assert [f["frameIndex"] for f in done[:2]] == ["1", "9"]


def test_full_speed_releases_a_paused_test(farm, client):
    task_id = submit_standin(farm, client, frames="1-4[1]", pre_frames="000:2",
                             stop_after_test="1")
    wait_for(lambda: status(client, task_id) == 40, 30, "status 40")
    client.full_speed([task_id])
    farm.wait_idle(30)
    assert status(client, task_id) == 25


def test_stop_start_abandon_delete(make_farm, api_version):
    farm = make_farm(standin_seconds=0.3)
    client = farm.client(api_version)
    task_id = submit_standin(farm, client, frames="1-20[1]")
    wait_for(lambda: info(client, task_id)["executingFrames"] == 1, 30, "a running frame")
    client.stop_tasks([task_id])
    item = info(client, task_id)
    assert item["taskStatus"] == 10 and item["executingFrames"] == 0
    assert item["abortFrames"] == 20 - item["doneFrames"]
    farm.wait_idle(10)
    client.start_tasks([task_id])
    wait_for(lambda: info(client, task_id)["doneFrames"] >= 1, 30, "rendering again")
    assert status(client, task_id) == 5
    client.abandon_tasks([task_id])
    assert status(client, task_id) == 35
    farm.wait_idle(10)
    client.start_tasks([task_id])  # an abandoned task stays abandoned
    assert status(client, task_id) == 35
    client.delete_tasks([task_id])
    assert client.task_info([task_id])["items"] == []
    with pytest.raises(NotFound):
        client.stop_tasks([task_id])


def _fail_output_folder(farm, task_id, scene_stem="shot"):
    """A file where the task's output folder must go: every frame of it fails."""
    row = farm.user_row()
    put(farm, row["output_bid"], "/{}_{}".format(task_id, scene_stem), b"in the way").raise_for_status()


def test_failed_frames_and_restarts(farm, client):
    task_id, _doc = prepare_task(farm, client, frames="1-2[1]")
    _fail_output_folder(farm, task_id)
    client.submit_task(task_id)
    farm.wait_idle(30)
    item = info(client, task_id)
    assert item["taskStatus"] == 45 and item["failedFrames"] == 2
    frame = frames(client, task_id)[0]
    assert frame["frameStatus"] == 5
    log = client.call("showLog", {"id": frame["id"], "pageNum": 1, "pageSize": 100})
    assert "FAILED" in log["content"]
    assert client.frame_thumbnail(frame["id"]) == []
    # Clear the obstacle, re-run one frame: done with failures; then the rest: done.
    row = farm.user_row()
    os.remove(farm.storage.resolve(row["user_id"], row["output_bid"], "/{}_shot".format(task_id)))
    client.restart_frames(task_id, [frame["id"]])
    farm.wait_idle(30)
    item = info(client, task_id)
    assert item["taskStatus"] == 30 and item["doneFrames"] == 1 and item["failedFrames"] == 1
    assert frames(client, task_id)[0]["recommitFlag"] == 1
    client.restart_failed_frames([task_id])
    farm.wait_idle(30)
    assert status(client, task_id) == 25


def test_restart_by_frame_string_and_select_all(farm):
    client = farm.client("v2")
    task_id = submit_standin(farm, client, frames="1-4[1]")
    farm.wait_idle(30)
    client.call("restartFrame", {"taskId": task_id, "selectAll": 0, "ids": ["2-3[1]"]})
    farm.wait_idle(30)
    flags = {f["frameIndex"]: f["recommitFlag"] for f in frames(client, task_id)}
    assert flags == {"1": 0, "2": 1, "3": 1, "4": 0}
    client.restart_frames(task_id, select_all=True)
    farm.wait_idle(30)
    assert all(f["recommitFlag"] >= 1 for f in frames(client, task_id))
    assert status(client, task_id) == 25


def test_stop_task_frames(make_farm):
    farm = make_farm(standin_seconds=0.2)
    client = farm.client("v2")
    task_id = submit_standin(farm, client, frames="1-3[1]")
    client.call("stopTaskFrames", {"taskId": task_id, "selectAll": 0, "ids": ["3"]})
    farm.wait_idle(30)
    by_index = {f["frameIndex"]: f["frameStatus"] for f in frames(client, task_id)}
    assert by_index == {"1": 4, "2": 4, "3": 3}
    assert status(client, task_id) == 10


def test_frames_paging_and_keyword(farm, client):
    task_id = submit_standin(farm, client, frames="1-5[1]")
    page = client.task_frames(task_id, page=2, page_size=2)
    assert page["total"] == 5 and page["pageCount"] == 3 and len(page["items"]) == 2
    assert [f["frameIndex"] for f in page["items"]] == ["3", "4"]
    assert [f["frameIndex"] for f in client.task_frames(task_id, keyword="5")["items"]] == ["5"]
    farm.wait_idle(30)


def test_task_list_filters(farm, client):
    done = submit_standin(farm, client, frames="1")
    waiting = client.create_task()["taskIdList"][0]
    farm.wait_idle(30)
    ids = [t["id"] for t in client.task_list(statuses=[25])["items"]]
    assert ids == [done]
    ids = [t["id"] for t in client.task_list(statuses=[0])["items"]]
    assert ids == [waiting]


def test_maya_layers_union_frames(farm, client):
    task_id, doc = prepare_task(farm, client, frames="1-2[1]")
    layers = doc["scene_info_render"]
    layers["second"] = {"renderable": "1", "common": {"frames": "5"}}
    layers["off"] = {"renderable": "0", "common": {"frames": "9"}}
    client.call("taskJsonFile", {"taskId": task_id, "fileName": "task.json",
                                 "content": json.dumps(doc)})
    client.submit_task(task_id)
    assert sorted(f["frameIndex"] for f in frames(client, task_id)) == ["1", "2", "5"]
    farm.wait_idle(30)
