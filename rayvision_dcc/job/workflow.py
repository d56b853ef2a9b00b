"""The submit workflow: profile and bids -> validation -> createTask -> job files ->
config upload -> asset upload -> submitTask; then monitor and download.

Host-agnostic and headless: the CLI, the panel and every host plugin call these
functions. Each step is written to the :class:`~rayvision_dcc.job.journal.Journal` when
it completes, so :func:`resume` finishes the same task after a crash or a cancel.
"""
from __future__ import annotations

import logging
import os
import time
import weakref

from rayvision_dcc.api.statuses import TERMINAL, TEST_DONE
from rayvision_dcc.errors import (ApiError, CreateTaskLost, JobError, RayvisionError,
                                  TransportError)
from rayvision_dcc.job.journal import Journal
from rayvision_dcc.job.progress import Reporter
from rayvision_dcc.job.transfer import Storage

log = logging.getLogger("rayvision_dcc.workflow")

CONFIG_FILES = ("task.json", "upload.json", "asset.json", "tips.json")

_ACCOUNTS = weakref.WeakKeyDictionary()


class TaskRef(object):
    """What a submission produced: the task on the farm and the job folder here."""

    def __init__(self, task_id, submission_id, job_folder, alias="", user_id=None):
        self.task_id = int(task_id)
        self.submission_id = submission_id
        self.job_folder = job_folder
        self.alias = alias
        self.user_id = user_id

    def __repr__(self):
        return "TaskRef(task_id={}, submission_id={!r})".format(self.task_id, self.submission_id)


class Account(object):
    """Profile and bids of the signed-in user, fetched once per client."""

    def __init__(self, profile, bids):
        self.profile = profile or {}
        self.bids = bids or {}

    @property
    def user_id(self):
        return self.profile.get("userId")

    @property
    def zone(self):
        return int(self.profile.get("zone") or 1)

    def storage(self, kind):
        if kind == "input" and int(self.profile.get("shareMainCapital") or 0) == 1 \
                and self.bids.get("parent_input_bid"):
            return Storage("input", self.bids["parent_input_bid"],
                           self.profile.get("mainUserId") or self.user_id)
        return Storage(kind, self.bids["{}_bid".format(kind)], self.user_id)


def account(client, refresh=False):
    """The session's profile and bids (cached per client)."""
    cached = _ACCOUNTS.get(client)
    if cached is None or refresh:
        cached = Account(client.user_profile(), client.transfer_bids())
        _ACCOUNTS[client] = cached
    return cached


def cg_id_of(scene):
    return int(scene.cg_id)


def make_transfer(client, engine=None, cache_path=None, line=None, **options):
    """A connected transfer engine for ``client``'s account, on the line the service announces
    and the user chose (``job.engines``; asks the API: call it off the UI thread)."""
    from rayvision_dcc.job.engines import connect
    return connect(client, account(client), engine, line, cache_path, **options)


# -- submit -------------------------------------------------------------------------------
def submit(spec, client, transfer=None, progress=None, journal=None, allow_missing=False,
           data_dir=None):
    """Submit ``spec`` and return its :class:`TaskRef`. ``progress(event) -> bool``."""
    if journal is None:
        journal = Journal.create(spec.scene.scene_path, data_dir)
        journal.write_json("spec.json", spec.to_dict())
        journal.record("prepared", allow_missing=bool(allow_missing))
    return _run(journal, spec, client, transfer, Reporter(progress), allow_missing)


def resume(journal, client, transfer=None, progress=None, create_again=False, data_dir=None):
    """Finish a submission that stopped (crash, cancel, network): never a second task."""
    from rayvision_dcc.job.spec import JobSpec
    if not isinstance(journal, Journal):
        journal = Journal.load(journal, data_dir)
    if journal.done("abandoned"):
        raise JobError("submission {} was abandoned".format(journal.submission_id),
                       hint="submit the scene again")
    if journal.create_lost:
        if not create_again:
            raise CreateTaskLost(
                "submission {}: createTask was sent but its answer never came; the farm may "
                "hold an empty task that was never submitted".format(journal.submission_id),
                operation="createTask", sent=True,
                hint="look at `rayvision-dcc tasks`; if no task of yours was created then, run "
                     "`rayvision-dcc resume {} --create-again`".format(journal.submission_id))
        journal.forget_create()
    spec = JobSpec.from_dict(journal.read_json("spec.json"))
    allow_missing = (journal.step_data("prepared") or {}).get("allow_missing", False)
    return _run(journal, spec, client, transfer, Reporter(progress), allow_missing)


def _label_v1_task(client, task_id, labels, reporter):
    """API 1.0's createTask takes no labels (2.0's does): tag the new task afterwards. A
    label that does not stick is said, not fatal: the task exists and is recorded."""
    if not labels or client.api_version == "v2":
        return
    for label in labels:
        try:
            client.add_task_label(label, [task_id])
        except RayvisionError as exc:
            log.warning("task %s: the label %r was not added: %s", task_id, label, exc.message)
            reporter.phase("create", "the label {} was not added: {}".format(label,
                                                                              exc.message))


def _run(journal, spec, client, transfer, reporter, allow_missing):
    from rayvision_dcc.job import jobfiles
    from rayvision_dcc.job.renderenv import fill_render_env
    listener = journal.api_log_listener()
    client.add_listener(listener)
    try:
        reporter.phase("prepare", "reading the account")
        acct = account(client)
        if not spec.render_env:
            fill_render_env(spec, client)
            journal.write_json("spec.json", spec.to_dict())

        if not journal.done("validated"):
            reporter.phase("validate", "checking the scene")
            tips = jobfiles.validate(spec)
            errors = [t for t in tips if t.severity == "error"
                      and not (allow_missing and str(t.code) in jobfiles.MISSING_FILE_CODES)]
            if errors:
                lines = "; ".join("{} ({})".format(t.detail or t.code, t.hint) if t.hint else
                                  str(t.detail or t.code) for t in errors[:5])
                raise JobError("{} problem(s) block the submission: {}".format(len(errors), lines),
                               hint="fix them in the scene, or ignore missing files explicitly "
                                    "(--allow-missing)")
            journal.record("validated", warnings=[t.code for t in tips if t.severity != "error"],
                           missing=[t.detail for t in tips
                                    if str(t.code) in jobfiles.MISSING_FILE_CODES])

        if transfer is None:
            # Connected before createTask: a transfer that cannot start creates no task.
            transfer = make_transfer(client)
        if not journal.done("task_created"):
            reporter.phase("create", "creating the task")
            journal.record("create_requested")
            created = client.create_task(count=1, labels=spec.labels)
            task_id = int(created["taskIdList"][0])
            alias = (created.get("aliasTaskIdList") or [""])[0]
            journal.record("task_created", task_id=task_id, alias=alias, user_id=acct.user_id)
            _label_v1_task(client, task_id, spec.labels, reporter)
        task_id = int(journal.task_id)
        reporter.task_id = task_id

        if not journal.done("job_files_written"):
            reporter.phase("job_files", "writing the job files")
            jobfiles.write_job_files(spec, journal.folder, task_id, acct.user_id, client.platform)
            journal.record("job_files_written")

        if not journal.done("config_uploaded"):
            reporter.phase("upload_config", "uploading the job files")
            pairs = [(journal.path(name), "/{}/cfg/{}".format(task_id, name))
                     for name in CONFIG_FILES if os.path.exists(journal.path(name))]
            transfer.upload(pairs, acct.storage("config"), reporter)
            journal.record("config_uploaded")

        if not journal.done("assets_uploaded"):
            reporter.phase("upload_assets", "uploading the scene and its files")
            pairs = upload_pairs(journal.read_json("upload.json"))
            # upload.json leaves out files the scan found missing; the journal keeps them.
            missing = [local for local, _s in pairs if not os.path.isfile(local)]
            if missing and not allow_missing:
                raise JobError("{} file(s) to upload are missing, e.g. {}".format(
                    len(missing), missing[0]),
                    hint="restore them, or resume with --allow-missing to go on without them")
            result = transfer.upload([p for p in pairs if p[0] not in missing],
                                     acct.storage("input"), reporter)
            journal.record("assets_uploaded", uploaded=len(result.uploaded),
                           skipped=len(result.skipped),
                           missing=missing + (journal.step_data("validated") or {}).get(
                               "missing", []))

        if not journal.done("submitted"):
            reporter.phase("submit", "submitting task {}".format(task_id))
            resubmit = journal.done("submit_requested")
            journal.record("submit_requested")
            try:
                client.submit_task(task_id)
            except (ApiError, TransportError):
                if not (resubmit and _already_submitted(client, task_id)):
                    raise
            journal.record("submitted")
        reporter.phase("done", "task {} submitted".format(task_id))
        created = journal.step_data("task_created") or {}
        return TaskRef(task_id, journal.submission_id, journal.folder, created.get("alias", ""),
                       acct.user_id)
    finally:
        client.remove_listener(listener)


def upload_pairs(upload_json):
    """``(local, server)`` for every file of an upload.json, the scene included, once each."""
    seen = set()
    pairs = []
    scene = upload_json.get("scene") or []
    if isinstance(scene, dict):
        scene = [scene]
    for entry in list(upload_json.get("asset") or []) + list(scene):
        server = entry["server"]
        if server in seen:
            continue
        seen.add(server)
        pairs.append((entry["local"], server))
    return pairs


def _already_submitted(client, task_id):
    try:
        items = task_items(client.task_info([task_id]))
    except (ApiError, TransportError):
        return False
    for item in items:
        if int(item.get("id", -1)) == int(task_id):
            # The local farm says so outright; the service only shows a status.
            return bool(item.get("submitted", item.get("taskStatus") is not None))
    return False


def abandon(journal_or_task, client, data_dir=None):
    """Abandon the task of a submission (or a task id) the user gives up on."""
    journal = journal_or_task if isinstance(journal_or_task, Journal) else None
    task_id = None
    if journal is None:
        text = str(journal_or_task)
        if text.isdigit():
            task_id = int(text)
            journal = Journal.for_task(task_id, data_dir)
        else:
            journal = Journal.load(text, data_dir)
    if journal is not None:
        task_id = journal.task_id
    if task_id is not None:
        client.abandon_tasks([int(task_id)])
    if journal is not None:
        journal.record("abandoned", task_id=task_id)
    return task_id


# -- monitor and download -----------------------------------------------------------------
def task_items(data):
    """The task list of a queryTaskInfo / getTaskList answer, whatever its shape."""
    if isinstance(data, dict):
        return list(data.get("items") or [])
    return list(data or [])


def leaves(items):
    """Leaf tasks: a parent (``isOpen`` 1 with children) stands for its children."""
    found = []
    for item in items:
        children = item.get("respRenderingTaskList") or []
        if int(item.get("isOpen") or 0) == 1 and children:
            found.extend(leaves(children))
        else:
            found.append(item)
    return found


def is_finished(items, test_counts=False):
    """True when every leaf task is terminal (an empty list is 'unknown', not finished)."""
    statuses = [item.get("taskStatus") for item in leaves(items)]
    if not statuses or any(s is None for s in statuses):
        return False
    terminal = TERMINAL | ({TEST_DONE} if test_counts else set())
    return all(int(s) in terminal for s in statuses)


def monitor(client, task_id, progress=None, interval=10.0, timeout=None, test_counts=False,
            on_poll=None, sleep=time.sleep):
    """Poll queryTaskInfo until the task has ended; returns its last items.

    ``on_poll(items)`` runs after each poll (the CLI downloads finished frames there).
    """
    reporter = Reporter(progress, task_id=int(task_id))
    started = time.monotonic()
    reporter.phase("monitor", "watching task {}".format(task_id))
    while True:
        items = task_items(client.task_info([int(task_id)]))
        if not items:
            raise JobError("task {} is not known to the farm".format(task_id),
                           hint="check the id with `rayvision-dcc tasks`")
        done = sum(int(i.get("doneFrames") or 0) for i in leaves(items))
        failed = sum(int(i.get("failedFrames") or 0) for i in leaves(items))
        total = sum(int(i.get("totalFrames") or 0) for i in leaves(items))
        reporter.files_total = total
        reporter.files_done = done + failed
        reporter.emit("{} done, {} failed of {} frames".format(done, failed, total))
        if on_poll is not None:
            on_poll(items)
        if is_finished(items, test_counts):
            return items
        if timeout is not None and time.monotonic() - started > timeout:
            raise JobError("task {} did not finish within {:g} s".format(task_id, timeout),
                           hint="watch it with `rayvision-dcc status {}`".format(task_id))
        sleep(interval)


def download(client, task_id, folder, transfer=None, progress=None, items=None):
    """Download every leaf task's outputs into ``folder/<outputFileName>/``; files already
    there are skipped. Returns the paths fetched now."""
    reporter = Reporter(progress, task_id=int(task_id))
    acct = account(client)
    if items is None:
        items = task_items(client.task_info([int(task_id)]))
    if transfer is None:
        transfer = make_transfer(client)
    fetched = []
    for item in leaves(items):
        name = item.get("outputFileName")
        if not name:
            continue
        storage = Storage("output", item.get("bid") or acct.bids.get("output_bid"),
                          item.get("userId") or acct.user_id)
        # The transmitter keeps the <taskId>_<scene> level itself (-K true); http gets it from us.
        target = folder if getattr(transfer, "keeps_task_folder", False) else \
            os.path.join(folder, name)
        fetched.extend(transfer.download(name, target, storage, reporter))
    return fetched
