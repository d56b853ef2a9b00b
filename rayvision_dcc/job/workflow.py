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
from rayvision_dcc.errors import (ApiError, Cancelled, CreateTaskLost, JobError,
                                  RayvisionError, TransportError)
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
#: How many of the user's newest tasks are read before createTask, to find the task a lost
#: createTask answer made (it is the new one on the first page afterwards).
LOOKUP_PAGE = 50


class UnfinishedSubmission(JobError):
    """The scene has a submission that reached createTask and was never finished."""

    def __init__(self, journal):
        task = " (task {})".format(journal.task_id) if journal.task_id else ""
        super().__init__(
            "{} has an unfinished submission {}{}: submitting it again would make a second "
            "task".format(os.path.basename(journal.data.get("scene") or "the scene"),
                          journal.submission_id, task),
            hint="run `{}` to finish it (or submit with --new to start another task)".format(
                journal.resume_command))
        self.journal = journal
        self.submission_id = journal.submission_id


def submit(spec, client, transfer=None, progress=None, journal=None, allow_missing=False,
           data_dir=None, new=False, confirm_frames=False):
    """Submit ``spec`` and return its :class:`TaskRef`. ``progress(event) -> bool``.

    A scene with an unfinished submission raises :class:`UnfinishedSubmission` (naming the
    resume command) unless ``new`` is True. A frame list far from the scene's range or of
    very many frames raises JobError unless ``confirm_frames`` is True.
    """
    if journal is None:
        if not new:
            pending = Journal.unfinished_for(spec.scene.scene_path, data_dir)
            if pending:
                raise UnfinishedSubmission(pending[-1])
        check_frame_request(spec, confirm_frames)
        journal = Journal.create(spec.scene.scene_path, data_dir)
        journal.write_json("spec.json", spec.to_dict())
        journal.record("prepared", allow_missing=bool(allow_missing))
    return _run(journal, spec, client, transfer, Reporter(progress), allow_missing)


def check_frame_request(spec, confirmed=False):
    """The frame list's syntax and range (JobError); an unusual list needs ``confirmed``."""
    from rayvision_dcc.job.frames import unusual_frames
    if not spec.frames:
        return
    reason = unusual_frames(spec.frames, spec.scene)
    if reason and not confirmed:
        raise JobError(reason, hint="check the frame list for a typo; if you mean it, confirm "
                                    "it (--confirm-frames)")


def resume(journal, client, transfer=None, progress=None, create_again=False, data_dir=None,
           task_id=None, allow_missing=None):
    """Finish a submission that stopped (crash, cancel, network): never a second task.

    After a lost createTask answer the task is looked up (the user's newest tasks before
    and after the call) and adopted when that is unambiguous; ``task_id`` adopts the one
    the user names, ``create_again`` creates anew. A finished submission returns its task.
    """
    from rayvision_dcc.job.spec import JobSpec
    if not isinstance(journal, Journal):
        journal = Journal.load(journal, data_dir)
    if journal.done("abandoned"):
        raise JobError("submission {} was abandoned".format(journal.submission_id),
                       hint="submit the scene again")
    if journal.data.get("dry_run"):
        raise JobError("submission {} was a dry run: it never created a task".format(
            journal.submission_id), hint="submit the scene without --dry-run")
    if not journal.done("create_requested") and not journal.done("submitted"):
        raise JobError("submission {} stopped before it created a task: there is nothing to "
                       "finish".format(journal.submission_id),
                       hint="submit the scene again")
    reporter = Reporter(progress)
    if journal.done("submitted"):
        return _task_ref(journal, client)
    spec = JobSpec.from_dict(journal.read_json("spec.json"))
    if allow_missing is None:
        allow_missing = (journal.step_data("prepared") or {}).get("allow_missing", False)
    try:
        if journal.create_lost:
            adopted = None
            if task_id is not None:
                adopted = _adopt(journal, client, int(task_id), chosen=True)
            elif create_again:
                journal.forget_create("the user chose to create the task again")
            else:
                adopted = _find_lost_task(journal, client)
            if adopted is not None:
                _label_v1_task(client, adopted, spec.labels, reporter)
    except RayvisionError as exc:
        name_the_next_step(exc, journal)
        raise
    return _run(journal, spec, client, transfer, reporter, allow_missing)


def _task_ref(journal, client):
    created = journal.step_data("task_created") or {}
    return TaskRef(journal.task_id, journal.submission_id, journal.folder,
                   created.get("alias", ""), created.get("user_id"))


def _newest_task_ids(client):
    data = client.task_list(1, LOOKUP_PAGE)
    return [int(item["id"]) for item in task_items(data) if _int_or_none(item.get("id"))]


def _int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _find_lost_task(journal, client):
    """Adopt the task a lost createTask made, or record that none was made; raise
    :class:`CreateTaskLost` (naming both ways on) only when the service cannot tell."""
    before = (journal.step_data_last("create_requested") or {}).get("newest_before")
    if before is None:
        raise CreateTaskLost(
            "submission {}: createTask was sent but its answer never came, and the task list "
            "was not read before, so the task it may have made cannot be told apart".format(
                journal.submission_id), operation="createTask", sent=True,
            hint="look at `rayvision-dcc tasks`: run `{0} --task ID` with the new empty task, "
                 "or `{0} --create-again` if there is none".format(journal.resume_command))
    items = task_items(client.task_list(1, LOOKUP_PAGE))
    claimed = set(int(j.task_id) for j in Journal.all(os.path.dirname(
        os.path.dirname(journal.folder))) if j.task_id is not None)
    floor = max(before) if before else 0
    candidates = [item for item in items
                  if _int_or_none(item.get("id")) is not None and int(item["id"]) > floor
                  and int(item["id"]) not in before and int(item["id"]) not in claimed
                  and not item.get("submitDate")]
    if not candidates:
        log.info("%s: the lost createTask made no task; creating it again",
                 journal.submission_id)
        journal.forget_create("the lost createTask made no task (task list checked)")
        return None
    if len(candidates) == 1:
        return _adopt(journal, client, int(candidates[0]["id"]), item=candidates[0])
    ids = sorted(int(item["id"]) for item in candidates)
    raise CreateTaskLost(
        "submission {}: createTask's answer was lost and {} new empty tasks appeared since "
        "({}): which one is this submission's cannot be told".format(
            journal.submission_id, len(ids), ", ".join(str(i) for i in ids)),
        operation="createTask", sent=True,
        hint="run `{} --task ID` with one of them (`rayvision-dcc abandon ID` ends the "
             "others)".format(journal.resume_command))


def _adopt(journal, client, task_id, item=None, chosen=False):
    if item is None:
        items = [i for i in task_items(client.task_info([task_id]))
                 if _int_or_none(i.get("id")) == task_id]
        if not items:
            raise JobError("task {} is not one of your tasks".format(task_id),
                           hint="pick the id from `rayvision-dcc tasks`")
        item = items[0]
        if item.get("submitDate"):
            raise JobError("task {} was already submitted: it is not the empty task a lost "
                           "createTask made".format(task_id),
                           hint="pick the new empty task from `rayvision-dcc tasks`")
    other = Journal.for_task(task_id, os.path.dirname(os.path.dirname(journal.folder)))
    if other is not None and other.submission_id != journal.submission_id:
        raise JobError("task {} belongs to submission {}".format(task_id, other.submission_id),
                       hint="pick the new empty task from `rayvision-dcc tasks`")
    acct = account(client)
    journal.record("task_created", task_id=task_id, alias=item.get("taskAlias") or "",
                   user_id=acct.user_id, adopted=True, chosen_by_user=bool(chosen))
    log.info("%s: adopted task %s made by the lost createTask", journal.submission_id, task_id)
    return task_id


def name_the_next_step(exc, journal):
    """Make the hint of an error name the one command that finishes this submission:
    ``rayvision-dcc resume ID`` once createTask was sent (a task may exist: "try again"
    would make a second one), the same submit again before that."""
    if getattr(exc, "submission_id", None):
        return
    hint = (exc.hint or "").strip()
    if not journal.resumable:
        exc.submission_id = None
        if "rayvision-dcc resume" in hint or not hint:
            exc.hint = "nothing reached the farm yet: run the same submit again"
        return
    exc.submission_id = journal.submission_id
    command = "`{}`".format(journal.resume_command)
    if journal.resume_command in hint:  # already exact (e.g. `... --task ID`)
        return
    if "`rayvision-dcc resume`" in hint:  # the engines' own advice, made exact
        exc.hint = hint.replace("`rayvision-dcc resume`", command)
        return
    if isinstance(exc, CreateTaskLost):
        exc.hint = "do not submit the scene again: run {}, which looks the task up and goes " \
                   "on with it".format(command)
        return
    for tail in ("then try again", "try again", "then"):
        if hint.endswith(tail):
            hint = hint[:-len(tail)].rstrip(" ,;:")
    exc.hint = "{}; then run {}".format(hint, command) if hint else "run " + command


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
    listener = journal.api_log_listener()
    client.add_listener(listener)
    try:
        return _steps(journal, spec, client, transfer, reporter, allow_missing)
    except RayvisionError as exc:
        name_the_next_step(exc, journal)
        raise
    except KeyboardInterrupt:
        reporter.cancel()
        stopped = Cancelled("interrupted; what was done is kept")
        name_the_next_step(stopped, journal)
        raise stopped from None
    finally:
        client.remove_listener(listener)


def _steps(journal, spec, client, transfer, reporter, allow_missing):
    from rayvision_dcc.job import jobfiles
    from rayvision_dcc.job.renderenv import fill_render_env
    reporter.phase("prepare", "reading the account")
    acct = account(client)
    if not spec.render_env:
        fill_render_env(spec, client)
        journal.write_json("spec.json", spec.to_dict())

    if not journal.done("validated"):
        reporter.phase("validate", "checking the scene")
        tips = jobfiles.validate(spec)
        errors = blocking_tips(tips, allow_missing)
        if errors:
            raise JobError(blocking_message(errors),
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
        # The newest tasks before: a lost answer's task is then the one new task.
        newest = _newest_task_ids(client)
        journal.record("create_requested", newest_before=newest)
        try:
            created = client.create_task(count=1, labels=spec.labels)
        except CreateTaskLost:
            raise
        except (ApiError, TransportError) as exc:
            if isinstance(exc, TransportError) and exc.sent is not False:
                raise
            # Answered with an error, or never sent: nothing was created.
            journal.forget_create("createTask failed: {}".format(exc.message))
            raise
        ids = (created or {}).get("taskIdList") if isinstance(created, dict) else None
        if not ids or _int_or_none(ids[0]) is None:
            raise CreateTaskLost("createTask answered without a task id; a task may have been "
                                 "created on the farm", operation="createTask", sent=True)
        task_id = int(ids[0])
        alias = (created.get("aliasTaskIdList") or [""])[0]
        journal.record("task_created", task_id=task_id, alias=alias, user_id=acct.user_id)
        _label_v1_task(client, task_id, spec.labels, reporter)
    task_id = int(journal.task_id)
    reporter.task_id = task_id

    if not journal.done("job_files_written"):
        reporter.phase("job_files", "writing the job files")
        jobfiles.write_job_files(spec, journal.folder, task_id, acct.user_id, client.platform)
        journal.record("job_files_written")

    config_pairs = [(journal.path(name), "/{}/cfg/{}".format(task_id, name))
                    for name in CONFIG_FILES if os.path.exists(journal.path(name))]
    asset_pairs = upload_pairs(journal.read_json("upload.json"))
    if not journal.done("config_uploaded"):
        reporter.phase("upload_config", "uploading the job files")
        transfer.upload(config_pairs, acct.storage("config"), reporter)
        journal.record("config_uploaded")

    if not journal.done("assets_uploaded"):
        reporter.phase("upload_assets", "uploading the scene and its files")
        # upload.json leaves out files the scan found missing; the journal keeps them.
        missing = [local for local, _s in asset_pairs if not os.path.isfile(local)]
        if missing and not allow_missing:
            raise JobError("{} file(s) to upload are missing, e.g. {}".format(
                len(missing), missing[0]),
                hint="restore them (or add --allow-missing to go on without them)")
        result = transfer.upload([p for p in asset_pairs if p[0] not in missing],
                                 acct.storage("input"), reporter)
        journal.record("assets_uploaded", uploaded=len(result.uploaded),
                       skipped=len(result.skipped),
                       missing=missing + (journal.step_data("validated") or {}).get(
                           "missing", []))

    if not journal.done("submitted"):
        reporter.phase("submit", "submitting task {}".format(task_id))
        unsure = journal.done("submit_requested")
        if not (unsure and _is_submitted(client, task_id)):
            journal.record("submit_requested")
            try:
                client.submit_task(task_id)
            except ApiError as exc:
                if not _is_submitted(client, task_id, exc):
                    _submit_refused(journal, transfer, acct, exc, config_pairs, asset_pairs)
                    raise
        journal.record("submitted")
    reporter.phase("done", "task {} submitted".format(task_id))
    created = journal.step_data("task_created") or {}
    return TaskRef(task_id, journal.submission_id, journal.folder, created.get("alias", ""),
                   acct.user_id)


def blocking_tips(tips, allow_missing=False):
    """The tips that stop a submission (errors; missing files only without allow_missing)."""
    from rayvision_dcc.job.jobfiles import MISSING_FILE_CODES
    return [t for t in tips if t.severity == "error"
            and not (allow_missing and str(t.code) in MISSING_FILE_CODES)]


def blocking_message(errors):
    lines = "; ".join("{} ({})".format(t.detail or t.code, t.hint) if t.hint else
                      str(t.detail or t.code) for t in errors[:5])
    return "{} problem(s) block the submission: {}".format(len(errors), lines)


def _submit_refused(journal, transfer, acct, exc, config_pairs, asset_pairs):
    """submitTask said no. A refusal (code 100) may mean the service lost files the upload
    cache says were sent: forget them and check every upload again on resume, once."""
    journal.record("submit_refused", code=exc.code, message=exc.server_message or "")
    if exc.code != 100:
        return  # a server failure: submitting again is the way on
    rechecked = sum(1 for e in journal.data["steps"] if e["step"] == "files_recheck")
    if rechecked >= 1:
        # The files were all checked and sent again, and the service still refuses.
        exc.hint = ("the service refuses this task as it is; fix the scene, end the task "
                    "with `rayvision-dcc abandon {}` and submit the scene again".format(
                        journal.submission_id))
        exc.submission_id = journal.submission_id
        return
    forget = getattr(transfer, "forget", None)
    if forget is not None:
        forget(config_pairs, acct.storage("config"))
        forget(asset_pairs, acct.storage("input"))
    journal.reopen("config_uploaded", "assets_uploaded")
    exc.hint = "files the service should hold may be missing: every file is checked and the " \
               "missing ones sent again"


def _is_submitted(client, task_id, refusal=None):
    """Whether the task was submitted, from what the protocol documents: a ``submitDate``,
    or frames counted. A refusal that says "already submitted" counts as done."""
    if refusal is not None and "already submitted" in (refusal.server_message or "").lower():
        return True
    try:
        items = task_items(client.task_info([task_id]))
    except (ApiError, TransportError):
        if refusal is not None:
            return False
        raise
    for item in leaves(items) + items:
        if _int_or_none(item.get("id")) == int(task_id):
            return bool(item.get("submitDate")) or bool(_int_or_none(item.get("totalFrames")))
    return False


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


def abandon(journal_or_task, client, data_dir=None):
    """Abandon the task of a submission (or a task id) the user gives up on; returns the
    task id, or None when the submission made no task: then nothing is asked of the
    service and the submission is only marked abandoned (``resume`` no longer offers it).
    A dry run (never a task) is a JobError. After a lost createTask answer the task it may
    have made is looked up first, as ``resume`` does."""
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
        if journal.data.get("dry_run"):
            raise JobError("submission {} was a dry run: it made no task, so there is nothing "
                           "to abandon".format(journal.submission_id),
                           hint="nothing to do: a dry run leaves nothing on the farm")
        if journal.create_lost and not journal.finished:
            _find_lost_task(journal, client)  # adopts it, or records that none was made
        task_id = journal.task_id
    if task_id is not None:
        client.abandon_tasks([int(task_id)])
    if journal is not None and task_id is not None:
        journal.record("abandoned", task_id=task_id)
    elif journal is not None and not journal.finished:
        journal.record("abandoned", no_task=True)
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
