"""The submission journal: every step of a submission, written to disk as it completes.

One folder per submission under ``<data_dir>/jobs/<submission id>/`` holds the job files,
``spec.json``, ``api-calls.log`` (operations, paths, codes; never a key) and
``journal.json``. A step is recorded only after it finished, and ``create_requested`` is
recorded *before* createTask is sent, so a crash inside that call is seen on resume
instead of a second task being created.
"""
from __future__ import annotations

import json
import os
import re
import time
import uuid

from rayvision_dcc.errors import JobError
from rayvision_dcc.files import write_text_atomic

#: The steps in order. ``resume`` goes on from the first one not recorded.
#: ``create_refused``: createTask was answered with an error, or the task it may have made
#: was looked for and not found: nothing exists, the next run creates again.
#: ``files_recheck``: submitTask said files are missing: the uploads are checked again.
STEPS = ("prepared", "validated", "create_requested", "create_refused", "task_created",
         "job_files_written", "config_uploaded", "assets_uploaded", "submit_requested",
         "submit_refused", "files_recheck", "submitted", "abandoned")


def jobs_dir(data_dir=None):
    if data_dir is None:
        from rayvision_dcc.api.config import data_dir as default_data_dir
        data_dir = default_data_dir()
    return os.path.join(data_dir, "jobs")


def _write_atomic(path, text):
    write_text_atomic(path, text)


def _same_file_key(path):
    return os.path.normcase(os.path.abspath(path))


class Journal(object):
    """The record of one submission."""

    def __init__(self, folder, data):
        self.folder = folder
        self.data = data

    # -- creation and lookup ------------------------------------------------------------
    @classmethod
    def create(cls, scene_path, data_dir=None, dry_run=False):
        name = os.path.splitext(os.path.basename(scene_path or "scene"))[0] or "scene"
        safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", name)[:40]
        submission_id = "{}-{}-{}".format(time.strftime("%Y%m%d-%H%M%S"), safe,
                                          uuid.uuid4().hex[:6])
        root = jobs_dir(data_dir)
        folder = os.path.join(root, submission_id)
        try:
            os.makedirs(folder)
        except OSError as exc:
            raise JobError("cannot make the job folder in {}: {}".format(
                root, exc.strerror or exc),
                hint="point RAYVISION_DATA_DIR at a folder you can write to") from exc
        data = {"submission_id": submission_id, "scene": scene_path, "created": time.time(),
                "steps": [], "task_id": None}
        if dry_run:
            data["dry_run"] = True
        journal = cls(folder, data)
        journal.save()
        return journal

    @classmethod
    def load(cls, folder_or_id, data_dir=None):
        folder = folder_or_id
        if not os.path.isdir(folder):
            folder = os.path.join(jobs_dir(data_dir), folder_or_id)
        path = os.path.join(folder, "journal.json")
        try:
            with open(path, "r", encoding="utf-8") as handle:
                return cls(folder, json.load(handle))
        except FileNotFoundError:
            raise JobError("no submission {!r} in {}".format(folder_or_id, jobs_dir(data_dir)),
                           hint="`rayvision-dcc resume --list` shows the submissions")
        except ValueError as exc:
            raise JobError("the journal {} is damaged: {}".format(path, exc),
                           hint="inspect the job folder; `rayvision-dcc abandon` can end its task")

    @classmethod
    def all(cls, data_dir=None):
        root = jobs_dir(data_dir)
        found = []
        if os.path.isdir(root):
            for name in sorted(os.listdir(root)):
                if os.path.isfile(os.path.join(root, name, "journal.json")):
                    try:
                        found.append(cls.load(os.path.join(root, name)))
                    except JobError:
                        continue
        return found

    @classmethod
    def unfinished(cls, data_dir=None):
        """Submissions ``resume`` can finish: they reached createTask and were neither
        submitted nor abandoned (dry runs and stops before createTask created nothing)."""
        return [j for j in cls.all(data_dir) if j.resumable]

    @classmethod
    def unfinished_for(cls, scene_path, data_dir=None):
        """The unfinished submissions of one scene file, oldest first."""
        if not scene_path:
            return []
        key = _same_file_key(scene_path)
        return [j for j in cls.unfinished(data_dir) if j.data.get("scene")
                and _same_file_key(j.data["scene"]) == key]

    @classmethod
    def for_task(cls, task_id, data_dir=None):
        for journal in cls.all(data_dir):
            if journal.task_id is not None and int(journal.task_id) == int(task_id):
                return journal
        return None

    # -- state --------------------------------------------------------------------------
    @property
    def submission_id(self):
        return self.data["submission_id"]

    @property
    def task_id(self):
        return self.data.get("task_id")

    def done(self, step):
        return any(entry["step"] == step for entry in self.data["steps"])

    def step_data(self, step):
        for entry in self.data["steps"]:
            if entry["step"] == step:
                return entry.get("data") or {}
        return None

    def step_data_last(self, step):
        """The data of the latest record of ``step`` (a step recorded again after a
        ``create_refused`` or a ``files_recheck``)."""
        for entry in reversed(self.data["steps"]):
            if entry["step"] == step:
                return entry.get("data") or {}
        return None

    @property
    def last_step(self):
        return self.data["steps"][-1]["step"] if self.data["steps"] else None

    @property
    def finished(self):
        return self.done("submitted") or self.done("abandoned")

    @property
    def resumable(self):
        return (self.done("create_requested") and not self.finished
                and not self.data.get("dry_run"))

    @property
    def create_lost(self):
        """createTask was sent but no task id was recorded: its answer may have been lost."""
        if self.done("task_created"):
            return False
        last = [e["step"] for e in self.data["steps"]
                if e["step"] in ("create_requested", "create_refused")]
        return bool(last) and last[-1] == "create_requested"

    @property
    def resume_command(self):
        """The command that finishes this submission, for messages."""
        return "rayvision-dcc resume {}".format(self.submission_id)

    def record(self, step, **data):
        if step not in STEPS:
            raise ValueError("unknown journal step {!r}".format(step))
        self.data["steps"].append({"step": step, "at": time.time(), "data": data})
        if step == "task_created":
            self.data["task_id"] = data["task_id"]
        self.save()

    def forget_create(self, reason="no task was created"):
        """No task exists for the last createTask: the next run creates one."""
        self.record("create_refused", reason=reason)

    def reopen(self, *steps):
        """Forget that ``steps`` were done (their work is checked again on resume); the
        history keeps a ``files_recheck`` entry saying so."""
        self.data["steps"] = [e for e in self.data["steps"] if e["step"] not in steps]
        self.record("files_recheck", reopened=list(steps))

    def save(self):
        _write_atomic(os.path.join(self.folder, "journal.json"),
                      json.dumps(self.data, indent=2, sort_keys=True))

    def path(self, name):
        return os.path.join(self.folder, name)

    def write_json(self, name, value):
        _write_atomic(self.path(name), json.dumps(value, indent=2, sort_keys=True,
                                                  ensure_ascii=False))

    def read_json(self, name):
        with open(self.path(name), "r", encoding="utf-8") as handle:
            return json.load(handle)

    def api_log_listener(self):
        """A RenderClient listener that appends each call to ``api-calls.log`` (no secrets:
        the client's events carry operation, path, body keys, code, request id, time)."""
        path = self.path("api-calls.log")

        def listener(event):
            line = dict(event, at=round(time.time(), 3))
            with open(path, "a", encoding="utf-8") as handle:
                handle.write(json.dumps(line, sort_keys=True) + "\n")
        return listener
