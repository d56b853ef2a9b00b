"""The submit workflow against a local farm: upload, skip, resume after a crash at every
step, cancel, missing files, monitor and download."""
from __future__ import annotations

import os

import pytest

from farmsupport import storage_files
from rayvision_dcc.errors import Cancelled, JobError
from rayvision_dcc.job import workflow
from rayvision_dcc.job.journal import Journal
from rayvision_dcc.job.spec import JobSpec


class Crash(Exception):
    """Stands for the process dying: nothing after it runs, the journal stays on disk."""


def all_tasks(client):
    return (client.task_list(1, 100) or {}).get("items") or []


def test_submit_uploads_everything_and_submits(farm, maya_scene):
    client = farm.client()
    scene = maya_scene(textures=3)
    ref = workflow.submit(JobSpec(scene=scene), client)
    journal = Journal.load(ref.job_folder)
    assert journal.done("submitted")
    assert [t["id"] for t in all_tasks(client)] == [ref.task_id]
    files = storage_files(farm)
    for dep in scene.dependencies:
        assert any(f.endswith(dep.path.lstrip("/")) for f in files), dep.path
    assert any(f.endswith("{}/cfg/task.json".format(ref.task_id)) for f in files)
    assert any(f.endswith("shot.ma") for f in files)
    calls = open(journal.path("api-calls.log")).read()
    assert "createTask" in calls and "submitTask" in calls
    assert farm.users[0][1] not in calls


@pytest.mark.parametrize("api_version", ["v1", "v2"])
def test_labels_go_with_the_task(farm, maya_scene, api_version):
    """API 2.0 sends them with createTask, 1.0 tags the task right after."""
    client = farm.client(api_version=api_version)
    ref = workflow.submit(JobSpec(scene=maya_scene(textures=1), labels=["lookdev", "shot01"]),
                          client)
    task = [t for t in all_tasks(client) if t["id"] == ref.task_id][0]
    # Task items carry only the protocol's fields (no labels): the user's labels are listed,
    # and the in-process farm tells which task holds them.
    names = [item["projectName"] for item in client.labels()["projectNameList"]]
    assert sorted(names) == ["lookdev", "shot01"] and task["id"] == ref.task_id
    if farm.local is not None:
        rows = farm.local.store.all(
            "SELECT l.name FROM labels l JOIN task_labels tl ON tl.label_id=l.id "
            "WHERE tl.task_id=?", (ref.task_id,))
        assert sorted(row["name"] for row in rows) == ["lookdev", "shot01"]
    calls = open(Journal.load(ref.job_folder).path("api-calls.log")).read()
    assert ("addTaskLabel" in calls) == (api_version == "v1")


def test_second_submit_of_an_unchanged_scene_uploads_nothing(farm, maya_scene):
    client = farm.client()
    scene = maya_scene(textures=4)
    workflow.submit(JobSpec(scene=scene), client)
    second = workflow.submit(JobSpec(scene=scene.copy()), client)
    uploaded = Journal.load(second.job_folder).step_data("assets_uploaded")
    assert uploaded["uploaded"] == 0 and uploaded["skipped"] == 5  # 4 textures + the scene


STEP_PHASES = ["validate", "create", "job_files", "upload_config", "upload_assets", "submit",
               "done"]


@pytest.mark.parametrize("phase", STEP_PHASES)
def test_crash_at_every_step_then_resume_finishes_the_same_task(farm, maya_scene, phase):
    client = farm.client()
    scene = maya_scene(textures=3)

    def crash_at(event):
        if event.phase == phase:
            raise Crash(phase)
        return True
    with pytest.raises(Crash):
        workflow.submit(JobSpec(scene=scene), client, progress=crash_at)
    journal = Journal.unfinished()
    if phase == "done":
        assert journal == []  # everything was recorded before "done" was announced
        assert len(all_tasks(client)) == 1
        return
    if phase in ("validate", "create"):
        # Stopped before createTask was sent: nothing to resume, submitting again is safe.
        assert journal == [] and all_tasks(client) == []
        ref = workflow.submit(JobSpec(scene=scene), client)
        assert [t["id"] for t in all_tasks(client)] == [ref.task_id]
        return
    assert len(journal) == 1
    ref = workflow.resume(journal[0].submission_id, farm.client())
    tasks = all_tasks(client)
    assert [t["id"] for t in tasks] == [ref.task_id], "exactly one task"
    files = storage_files(farm)
    for dep in scene.dependencies:
        assert any(f.endswith(dep.path.lstrip("/")) for f in files)
    assert Journal.load(ref.job_folder).done("submitted")


def test_cancel_during_upload_stops_and_resume_goes_on(farm, maya_scene):
    client = farm.client()
    scene = maya_scene(textures=20, size=64 * 1024)
    seen = []

    def cancel_in_upload(event):
        seen.append(event.phase)
        return not (event.phase == "upload_assets" and event.files_done >= 2)
    with pytest.raises(Cancelled):
        workflow.submit(JobSpec(scene=scene), client, progress=cancel_in_upload)
    journal = Journal.unfinished()[0]
    assert journal.done("config_uploaded") and not journal.done("assets_uploaded")
    assert not any(t.get("taskStatus") not in (None, 0) for t in all_tasks(client)
                   if t["id"] != journal.task_id)
    ref = workflow.resume(journal.submission_id, client)
    assert ref.task_id == journal.task_id
    assert len(all_tasks(client)) == 1


def test_missing_file_blocks_unless_the_user_says_go_on(farm, maya_scene):
    client = farm.client()
    scene = maya_scene(textures=1, missing=["gone.png"])
    with pytest.raises(JobError) as info:
        workflow.submit(JobSpec(scene=scene), client)
    assert "gone.png" in str(info.value) or "missing" in str(info.value).lower()
    assert all_tasks(client) == [], "nothing is created when validation fails"
    ref = workflow.submit(JobSpec(scene=scene), client, allow_missing=True)
    assert Journal.load(ref.job_folder).step_data("assets_uploaded")["missing"]


def test_monitor_then_download_skips_what_is_there(farm, maya_scene, tmp_path):
    client = farm.client()
    ref = workflow.submit(JobSpec(scene=maya_scene(textures=1)), client)
    events = []
    items = workflow.monitor(client, ref.task_id, progress=lambda e: events.append(e) or True,
                             interval=0.05, timeout=120)
    assert workflow.is_finished(items)
    assert events and events[-1].phase == "monitor"
    folder = str(tmp_path / "frames")
    first = workflow.download(client, ref.task_id, folder)
    assert len(first) == 3 and all(os.path.getsize(p) > 0 for p in first)
    assert workflow.download(client, ref.task_id, folder) == []


def test_abandon_ends_the_submission(farm, maya_scene):
    client = farm.client()

    def stop_before_upload(event):
        if event.phase == "upload_assets":
            raise Crash()
        return True
    with pytest.raises(Crash):
        workflow.submit(JobSpec(scene=maya_scene()), client, progress=stop_before_upload)
    journal = Journal.unfinished()[0]
    assert workflow.abandon(journal.submission_id, client) == journal.task_id
    assert Journal.unfinished() == []
    with pytest.raises(JobError):
        workflow.resume(journal.submission_id, client)


def test_leaves_and_terminal_rules():
    parent = {"id": 1, "isOpen": 1, "taskStatus": 0, "respRenderingTaskList": [
        {"id": 2, "taskStatus": 25}, {"id": 3, "taskStatus": 5}]}
    assert [i["id"] for i in workflow.leaves([parent])] == [2, 3]
    assert not workflow.is_finished([parent])
    parent["respRenderingTaskList"][1]["taskStatus"] = 30
    assert workflow.is_finished([parent])
    assert not workflow.is_finished([])
    assert not workflow.is_finished([{"id": 4, "taskStatus": 40}])
    assert workflow.is_finished([{"id": 4, "taskStatus": 40}], test_counts=True)


def test_upload_pairs_include_the_scene_once():
    pairs = workflow.upload_pairs({
        "asset": [{"local": "/a/x.png", "server": "a/x.png"},
                  {"local": "/a/s.ma", "server": "a/s.ma"}],
        "scene": [{"local": "/a/s.ma", "server": "a/s.ma", "hash": "h"}]})
    assert pairs == [("/a/x.png", "a/x.png"), ("/a/s.ma", "a/s.ma")]
