"""The submission journal: steps on disk, lookup, damage, lost createTask."""
import json
import os

import pytest

from rayvision_dcc.errors import JobError
from rayvision_dcc.job.journal import Journal
from rayvision_dcc.job.progress import Reporter


def test_steps_survive_a_reload(tmp_path):
    journal = Journal.create("/proj/shot 01.blend", str(tmp_path))
    journal.record("prepared")
    journal.record("create_requested")
    journal.record("task_created", task_id=42, alias="2W42")
    again = Journal.load(journal.submission_id, str(tmp_path))
    assert again.task_id == 42
    assert again.done("create_requested") and not again.done("submitted")
    assert again.last_step == "task_created"
    assert "shot_01" in again.submission_id
    assert Journal.for_task(42, str(tmp_path)).folder == journal.folder


def test_create_requested_without_answer_is_seen(tmp_path):
    journal = Journal.create("a.blend", str(tmp_path))
    journal.record("create_requested", newest_before=[1])
    assert Journal.load(journal.folder).create_lost
    journal.forget_create()
    again = Journal.load(journal.folder)
    assert not again.create_lost and again.resumable, "nothing exists; resume creates it"
    journal.record("create_requested", newest_before=[2])
    assert Journal.load(journal.folder).create_lost
    assert journal.step_data_last("create_requested") == {"newest_before": [2]}


def test_unfinished_lists_only_submissions_that_reached_create(tmp_path):
    open_one = Journal.create("a.blend", str(tmp_path))
    open_one.record("prepared")
    open_one.record("validated")
    open_one.record("create_requested")
    done = Journal.create("b.blend", str(tmp_path))
    done.record("create_requested")
    done.record("submitted")
    stopped_early = Journal.create("c.blend", str(tmp_path))
    stopped_early.record("prepared")
    stopped_early.record("validated")
    dry = Journal.create("d.blend", str(tmp_path), dry_run=True)
    dry.record("prepared")
    dry.record("create_requested")  # a dry run is never resumable, whatever it holds
    assert [j.submission_id for j in Journal.unfinished(str(tmp_path))] == [open_one.submission_id]
    assert [j.submission_id for j in Journal.unfinished_for(os.path.abspath("a.blend"),
                                                              str(tmp_path))] == \
        [open_one.submission_id]
    assert Journal.unfinished_for("c.blend", str(tmp_path)) == []


def test_a_data_dir_that_is_a_file_is_a_message(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(JobError) as info:
        Journal.create("a.blend", str(blocker))
    assert "RAYVISION_DATA_DIR" in info.value.hint


def test_damaged_journal_says_what_to_do(tmp_path):
    journal = Journal.create("a.blend", str(tmp_path))
    with open(journal.path("journal.json"), "w") as handle:
        handle.write("{not json")
    with pytest.raises(JobError) as info:
        Journal.load(journal.folder)
    assert "damaged" in info.value.message and "abandon" in info.value.hint


def test_unknown_submission_points_to_the_list(tmp_path):
    with pytest.raises(JobError) as info:
        Journal.load("nope", str(tmp_path))
    assert "--list" in info.value.hint


def test_api_log_has_no_secret_fields(tmp_path):
    journal = Journal.create("a.blend", str(tmp_path))
    listener = journal.api_log_listener()
    listener({"operation": "createTask", "path": "/p", "body_keys": ["count"], "code": 200,
              "request_id": "r1", "seconds": 0.01, "error": ""})
    line = json.loads(open(journal.path("api-calls.log")).read())
    assert line["operation"] == "createTask" and line["code"] == 200
    assert set(line) == {"operation", "path", "body_keys", "code", "request_id", "seconds",
                         "error", "at"}


def test_no_temp_file_is_left_behind(tmp_path):
    journal = Journal.create("a.blend", str(tmp_path))
    journal.record("prepared")
    assert sorted(os.listdir(journal.folder)) == ["journal.json"]


def test_reporter_rate_eta_and_cancel():
    events = []

    def callback(event):
        events.append(event)
        return len(events) < 3
    reporter = Reporter(callback)
    reporter.phase("upload_assets", files_total=2, bytes_total=100)
    reporter.add(files=1, nbytes=50)
    assert events[-1].bytes_done == 50 and events[-1].eta is not None and events[-1].rate > 0
    with pytest.raises(Exception) as info:
        reporter.add(files=1, nbytes=50)
    assert type(info.value).__name__ == "Cancelled"
    assert reporter.cancelled
