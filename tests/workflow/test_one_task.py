"""Exactly one task per submission, whatever the farm does and whatever the user runs next."""
from __future__ import annotations

import os
import re

import pytest

from farmsupport import storage_files
from rayvision_dcc.errors import ApiError, CreateTaskLost, JobError, TransportError
from rayvision_dcc.job import workflow
from rayvision_dcc.job.journal import Journal
from rayvision_dcc.job.spec import JobSpec


def fast_transfer(client):
    return workflow.make_transfer(client, retry_backoff=0.01)


def tasks(client):
    return (client.task_list(1, 100) or {}).get("items") or []


def resume_command(error):
    found = re.search(r"`rayvision-dcc resume (\S+?)`", error.hint)
    assert found, error.hint
    return found.group(1)


@pytest.mark.parametrize("fault", ["drop_before:createTask:1", "http503:createTask:1",
                                   "error500:createTask:1"])
def test_a_create_that_made_nothing_is_created_once_on_resume(faulty_farm, maya_scene, fault):
    farm = faulty_farm(fault)
    client = farm.client()
    with pytest.raises((CreateTaskLost, ApiError, TransportError)) as info:
        workflow.submit(JobSpec(scene=maya_scene(textures=1)), client, fast_transfer(client))
    assert tasks(client) == []
    journal = Journal.load(resume_command(info.value))
    assert journal.resumable
    if fault.startswith("error500"):
        assert not journal.create_lost, "an answered error created nothing"
    ref = workflow.resume(journal.submission_id, client, fast_transfer(client))
    assert [t["id"] for t in tasks(client)] == [ref.task_id]
    assert not Journal.load(ref.job_folder).step_data("task_created").get("adopted")


def test_two_new_empty_tasks_ask_once_then_the_named_one_is_adopted(faulty_farm, maya_scene):
    farm = faulty_farm("drop_after:createTask:1")
    client = farm.client()
    with pytest.raises(CreateTaskLost):
        workflow.submit(JobSpec(scene=maya_scene(textures=1)), client, fast_transfer(client))
    lost = max(t["id"] for t in tasks(client))
    other = client.create_task()["taskIdList"][0]  # e.g. from the web page, at the same time
    journal = Journal.unfinished()[0]
    with pytest.raises(CreateTaskLost) as info:
        workflow.resume(journal.submission_id, client, fast_transfer(client))
    assert str(lost) in info.value.message and str(other) in info.value.message
    assert "--task ID" in info.value.hint
    ref = workflow.resume(journal.submission_id, client, fast_transfer(client), task_id=lost)
    assert ref.task_id == lost
    submitted = [t["id"] for t in tasks(client) if t.get("submitDate")]
    assert submitted == [lost]
    # Resuming a finished submission is harmless: same task, nothing new.
    assert workflow.resume(journal.submission_id, client).task_id == lost
    assert len(tasks(client)) == 2


@pytest.mark.parametrize("fault", ["drop_after:submitTask:1", "drop_before:submitTask:1",
                                   "error500:submitTask:1", "http503:submitTask:1"])
def test_a_failed_submit_names_resume_and_submit_again_stops(faulty_farm, maya_scene, fault):
    farm = faulty_farm(fault)
    client = farm.client()
    scene = maya_scene(textures=1)
    with pytest.raises((ApiError, TransportError)) as info:
        workflow.submit(JobSpec(scene=scene), client, fast_transfer(client))
    assert "try again" not in info.value.hint
    submission = resume_command(info.value)
    # The user submits the same scene again: no second task, the message names resume.
    with pytest.raises(workflow.UnfinishedSubmission) as again:
        workflow.submit(JobSpec(scene=scene.copy()), client, fast_transfer(client))
    assert resume_command(again.value) == submission
    ref = workflow.resume(submission, client, fast_transfer(client))
    assert [t["id"] for t in tasks(client)] == [ref.task_id]
    assert tasks(client)[0]["submitDate"]


def test_new_starts_a_second_task_on_purpose(farm, maya_scene):
    client = farm.client()
    scene = maya_scene(textures=1)

    def stop_at_submit(event):
        if event.phase == "submit":
            raise KeyboardInterrupt
        return True
    with pytest.raises(Exception) as info:
        workflow.submit(JobSpec(scene=scene), client, progress=stop_at_submit)
    assert type(info.value).__name__ == "Cancelled"
    assert "rayvision-dcc resume" in info.value.hint
    ref = workflow.submit(JobSpec(scene=scene.copy()), client, new=True)
    assert len(tasks(client)) == 2 and ref.task_id in [t["id"] for t in tasks(client)]


def test_a_file_the_service_lost_is_sent_again_on_resume(farm, maya_scene):
    client = farm.client()
    scene = maya_scene(textures=2)
    workflow.submit(JobSpec(scene=scene), client)
    # The service loses one texture the upload cache says it holds.
    lost = [f for f in storage_files(farm) if f.endswith("t0001.png")]
    assert len(lost) == 1
    os.remove(os.path.join(farm.data_dir, "storage", lost[0]))
    with pytest.raises(ApiError) as info:
        workflow.submit(JobSpec(scene=scene.copy()), client)
    assert info.value.code == 100
    submission = resume_command(info.value)
    ref = workflow.resume(submission, client)
    assert lost[0] in storage_files(farm)
    assert Journal.load(ref.job_folder).done("submitted")
    assert len([t for t in tasks(client) if t.get("submitDate")]) == 2


def test_a_refusal_that_is_not_about_files_stops_after_one_recheck(farm, maya_scene):
    client = farm.client()
    scene = maya_scene(textures=1)

    def break_task_json(event):
        if event.phase == "upload_config":
            path = os.path.join(Journal.unfinished()[0].folder, "task.json")
            with open(path, "w") as handle:
                handle.write("{}")
        return True
    with pytest.raises(ApiError) as info:
        workflow.submit(JobSpec(scene=scene), client, progress=break_task_json)
    submission = resume_command(info.value)
    with pytest.raises(ApiError) as again:
        workflow.resume(submission, client)
    assert "abandon" in again.value.hint and "resume" not in again.value.hint


def test_dry_runs_and_early_stops_are_not_resumable(farm, maya_scene):
    client = farm.client()
    scene = maya_scene(textures=1, missing=["gone.png"])
    with pytest.raises(JobError) as info:
        workflow.submit(JobSpec(scene=scene), client)
    assert "resume" not in info.value.hint
    assert Journal.unfinished() == []
    journal = Journal.all()[0]
    with pytest.raises(JobError) as refused:
        workflow.resume(journal.submission_id, client)
    assert "nothing to finish" in refused.value.message
    assert tasks(client) == []


@pytest.mark.parametrize("frames,word", [("1-1000000[1]", "frames"), ("90000-90002[1]", "far"),
                                         ("\u0663", "0-9"), ("999999999999999999999", "range")])
def test_frame_lists_that_need_a_second_look(farm, maya_scene, frames, word):
    client = farm.client()
    spec = JobSpec(scene=maya_scene(textures=1), frames=frames)
    with pytest.raises(JobError) as info:
        workflow.submit(spec, client)
    assert word in info.value.message + info.value.hint
    assert tasks(client) == [] and Journal.unfinished() == []


def test_an_adopted_task_gets_its_labels_on_api_1(faulty_farm, maya_scene):
    farm = faulty_farm("drop_after:createTask:1")
    if farm.local is None:
        pytest.skip("the labels of a task are read from the in-process farm")
    client = farm.client(api_version="v1")
    spec = JobSpec(scene=maya_scene(textures=1), labels=["lookdev"])
    with pytest.raises(CreateTaskLost):
        workflow.submit(spec, client, fast_transfer(client))
    journal = Journal.unfinished()[0]
    ref = workflow.resume(journal.submission_id, client, fast_transfer(client))
    assert Journal.load(ref.job_folder).step_data("task_created")["adopted"]
    rows = farm.local.store.all(
        "SELECT l.name FROM labels l JOIN task_labels tl ON tl.label_id=l.id "
        "WHERE tl.task_id=?", (ref.task_id,))
    assert [row["name"] for row in rows] == ["lookdev"]


def test_abandon_after_a_lost_create_answer_ends_the_task_it_made(faulty_farm, maya_scene):
    farm = faulty_farm("drop_after:createTask:1")
    client = farm.client()
    with pytest.raises(CreateTaskLost):
        workflow.submit(JobSpec(scene=maya_scene(textures=1)), client, fast_transfer(client))
    [made] = [t["id"] for t in tasks(client)]
    journal = Journal.unfinished()[0]
    assert workflow.abandon(journal.submission_id, client) == made
    assert Journal.unfinished() == []
    assert Journal.load(journal.folder).step_data("abandoned") == {"task_id": made}
    [item] = tasks(client)
    assert item["taskStatus"] == 35  # ABANDON on the farm
