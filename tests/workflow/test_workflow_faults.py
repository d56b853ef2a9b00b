"""The workflow against a farm that misbehaves on purpose (the farm's --faults)."""
from __future__ import annotations

import pytest

from farmsupport import storage_files
from rayvision_dcc.errors import CreateTaskLost, TransportError
from rayvision_dcc.job import workflow
from rayvision_dcc.job.journal import Journal
from rayvision_dcc.job.spec import JobSpec


def fast_transfer(client):
    return workflow.make_transfer(client, retry_backoff=0.01)


def test_interrupted_uploads_are_retried(faulty_farm, maya_scene):
    farm = faulty_farm("cut:PUT:1,3")
    client = farm.client()
    scene = maya_scene(textures=4, size=256 * 1024)
    ref = workflow.submit(JobSpec(scene=scene), client, fast_transfer(client))
    assert Journal.load(ref.job_folder).done("submitted")
    files = storage_files(farm)
    for dep in scene.dependencies:
        assert any(f.endswith(dep.path.lstrip("/")) for f in files)


def test_server_errors_on_queries_are_retried(faulty_farm, maya_scene):
    farm = faulty_farm("error500:queryUserProfile:1; http503:getTransferBid:1; "
                       "drop_before:getRenderEnv:1")
    client = farm.client()
    ref = workflow.submit(JobSpec(scene=maya_scene(textures=1)), client, fast_transfer(client))
    assert ref.task_id


def test_lost_create_answer_is_looked_up_and_adopted(faulty_farm, maya_scene):
    farm = faulty_farm("drop_after:createTask:1")
    client = farm.client()
    with pytest.raises(CreateTaskLost) as info:
        workflow.submit(JobSpec(scene=maya_scene(textures=1)), client, fast_transfer(client))
    journal = Journal.unfinished()[0]
    assert journal.create_lost
    assert "`rayvision-dcc resume {}`".format(journal.submission_id) in info.value.hint
    if farm.local is not None:  # the in-process farm can tell what it did with the request
        creates = farm.local.request_log("createTask")
        assert len(creates) == 1 and creates[0]["acted"] and creates[0]["fault"]
    ref = workflow.resume(journal.submission_id, client, fast_transfer(client))
    assert Journal.load(ref.job_folder).step_data("task_created")["adopted"] is True
    assert [t["id"] for t in client.task_list(1, 10)["items"]] == [ref.task_id]
    assert Journal.load(ref.job_folder).done("submitted")


def test_create_that_never_arrived_is_told_apart_by_the_farm(faulty_farm):
    farm = faulty_farm("drop_before:createTask:1")
    if farm.local is None:
        pytest.skip("the request record is read from the in-process farm")
    client = farm.client()
    with pytest.raises(CreateTaskLost):
        client.create_task()
    record = farm.local.request_log("createTask")[0]
    assert record["acted"] is False
    assert (client.task_list(1, 10) or {}).get("items") == []


def test_lost_submit_answer_is_resumed_without_a_second_task(faulty_farm, maya_scene):
    farm = faulty_farm("drop_after:submitTask:1")
    client = farm.client()
    with pytest.raises(TransportError):
        workflow.submit(JobSpec(scene=maya_scene(textures=1)), client, fast_transfer(client))
    journal = Journal.unfinished()[0]
    assert journal.done("submit_requested")
    ref = workflow.resume(journal.submission_id, client, fast_transfer(client))
    assert ref.task_id == journal.task_id
    assert [t["id"] for t in client.task_list(1, 10)["items"]] == [ref.task_id]
