"""What the Render Farm tool knows and does, without ``bpy``: the add-on's controller.

Blender's UI code (``panels``, ``operators``) reads this state on the main thread and asks
for work; the work (network, disk, transfer) runs on worker threads through the core's
:class:`rayvision_dcc.job.Background`, and its results come back through a queue that
:meth:`Session.tick` drains on the main thread (``ticking.tick`` calls it from a
``bpy.app.timers`` callback, tests call it directly). Nothing here imports ``bpy``; the scene is read through a reader
object the caller gives (``step()`` on the main thread, in slices).
"""
from __future__ import annotations

import logging
import os
import traceback

from rayvision_dcc.errors import Cancelled, JobError
from rayvision_dcc.job import Background
from rayvision_dcc.ui import logic

log = logging.getLogger("rayvision_blender")

#: How many of the user's last tasks the tool lists.
TASKS_SHOWN = 5


# -- the work done on workers (plain functions, no bpy) ---------------------------------

def open_account(job, settings, client_factory):
    """The client and what the tool shows of the account."""
    client = client_factory(**settings)
    account = {"client": client, "domain": client.settings.domain,
               "platform": client.settings.platform,
               "signed_in": bool(client.settings.access_id and client.settings.access_key)}
    if account["signed_in"]:
        account["profile"] = client.user_profile() or {}
        account["envs"] = client.render_envs(2007) or []
    return account


def sign_in(job, access_id, access_key, settings, client_factory):
    """Check the keys with the service, then store them as ``rayvision-dcc login`` does:
    the key in the OS keyring or the 0600 file, the id (and zone) in the user config."""
    from rayvision_dcc.api import CredentialStore, update_config
    values = dict(settings, access_id=access_id, access_key=access_key)
    account = open_account(job, values, client_factory)
    CredentialStore().set(access_id, access_key)
    update_config(access_id=access_id, domain=settings.get("domain") or None,
                  platform=settings.get("platform") or None)
    return account


def sign_out(job, access_id):
    from rayvision_dcc.api import CredentialStore, update_config
    if access_id:
        CredentialStore().delete(access_id)
    update_config(access_id=None)


def resolve_scene(job, scene, references):
    """The scene with its references resolved on disk (``references`` None: the reader
    resolved them already)."""
    if references is not None:
        from rayvision_dcc.job import resolve_references
        deps, warnings = resolve_references(references, scene.scene_path,
                                            scene.project_path or "")
        scene.dependencies = deps
        scene.warnings.extend(w for w in warnings if w not in scene.warnings)
    return scene


def check_spec(job, spec):
    from rayvision_dcc.job import validate
    return logic.ValidationList(logic.issues_from_tips(validate(spec)))


def run_submit(job, specs, client, engine):
    """Submit each spec (one per camera when asked); the TaskRefs."""
    from rayvision_dcc.job.workflow import make_transfer, submit
    refs = []
    for spec in specs:
        transfer = make_transfer(client, engine) if engine and engine != "http" else None
        refs.append(submit(spec, client, transfer=transfer, progress=job.report))
    return refs


def list_tasks(job, client, count):
    return logic.TaskPage(client.task_list(page=1, page_size=count), page_size=count)


def run_download(job, client, task_id, folder, engine):
    from rayvision_dcc.job.workflow import download, make_transfer
    transfer = make_transfer(client, engine or "http")
    return download(client, task_id, folder, transfer=transfer, progress=job.report)


def default_client_factory(**settings):
    from rayvision_dcc.api import RenderClient
    return RenderClient(**settings)


# -- the controller -------------------------------------------------------------------------

class Session(object):
    """The tool's state for one Blender session; every method runs on the main thread.

    ``settings`` (domain, platform, ...) come from the add-on preferences, read on the
    main thread by the caller; ``client_factory(**settings)`` makes a RenderClient.
    """

    def __init__(self, client_factory=None, budget=0.02):
        self.client_factory = client_factory or default_client_factory
        self.budget = budget
        self.background = Background()
        self.settings = {}
        self.engine = "http"
        self.download_dir = ""
        self.reset()

    def reset(self):
        """Forget the scene (a new file was loaded); the account stays."""
        self.client = getattr(self, "client", None)
        self.account = getattr(self, "account", {"signed_in": False})
        self.account_error = getattr(self, "account_error", None)
        self.reader = None
        self.scene = None
        self.validation = None
        self.check_state = "idle"     # idle | reading | resolving | checking | done | failed
        self.check_error = None
        self.values = {}              # the JobSpec fields the check and the submit use
        self.pending_submit = None    # True: submit once the check is done
        self.progress = None          # logic.ProgressText of the running submission
        self.phase = ""
        self.submit_state = "idle"    # idle | running | cancelling | done | failed | cancelled
        self.submit_error = None
        self.task_ref = None          # the last TaskRef submitted
        self.task_refs = []           # all of the last submission (one per camera)
        self.tasks = getattr(self, "tasks", [])
        self.tasks_error = None
        self.download_state = {}      # task id -> text
        self.messages = []            # (level, text) for the operator reports
        self.changed = True

    def forget_scene(self):
        """Another file was loaded: drop the check (a running submission goes on)."""
        if self.pending_submit is not None:
            self.submit_state = "cancelled"
            self.phase = "Cancelled: another file was opened"
        self.reader = None
        self.pending_submit = None
        self.background.forget("check")
        self.scene = None
        self.validation = None
        self.check_state = "idle"
        self.check_error = None
        self.changed = True

    # -- state the UI reads -----------------------------------------------------------
    @property
    def signed_in(self):
        return bool(self.account.get("signed_in"))

    @property
    def account_text(self):
        if not self.signed_in:
            return ""
        return logic.account_text(self.account.get("profile"), self.account.get("domain", ""))

    @property
    def envs(self):
        return list(self.account.get("envs") or [])

    @property
    def busy(self):
        return self.submit_state in ("running", "cancelling") or self.pending_submit is not None

    @property
    def checking(self):
        return self.check_state in ("reading", "resolving", "checking")

    def idle(self):
        """True when no slice is left to read and no worker runs (tests wait on it)."""
        return self.reader is None and not self.background.busy()

    # -- account ------------------------------------------------------------------------
    def configure(self, settings, engine="http", download_dir=""):
        self.settings = dict((k, v) for k, v in settings.items() if v not in (None, ""))
        self.engine = engine or "http"
        self.download_dir = download_dir or ""

    def connect(self):
        self.account_error = None
        self.background.start("account", open_account, self.settings, self.client_factory,
                              on_result=self._account_opened, on_error=self._account_failed)
        self.changed = True

    def sign_in(self, access_id, access_key):
        self.account_error = None
        self.background.start("account", sign_in, access_id, access_key, self.settings,
                              self.client_factory, on_result=self._account_opened,
                              on_error=self._account_failed)

    def sign_out(self):
        access_id = self.client.settings.access_id if self.client is not None else None
        self.client = None
        self.account = {"signed_in": False}
        self.tasks = []
        self.background.start("account", sign_out, access_id,
                              on_error=self._account_failed)
        self.changed = True

    def _account_opened(self, account):
        self.client = account.pop("client")
        self.account = account
        self.account_error = None
        self.changed = True
        if self.signed_in:
            self.refresh_tasks()

    def _account_failed(self, error, traceback_text):
        self.account_error = logic.ErrorText(error, traceback_text)
        self.account = {"signed_in": False}
        self.changed = True

    # -- the scene check ------------------------------------------------------------------
    def check(self, reader, values=None, then_submit=False):
        """Read the scene with ``reader`` (sliced, on ticks), resolve it on a worker and
        validate it with ``values`` (JobSpec fields: frames, cameras, env_name, ...); with
        ``then_submit`` submit after a check without errors."""
        self.reader = reader
        self.scene = None
        self.validation = None
        self.check_error = None
        self.check_state = "reading"
        self.values = dict(values or {})
        self.pending_submit = True if then_submit else None
        if then_submit:
            self.submit_state = "idle"
            self.submit_error = None
            self.progress = None
            self.phase = "Checking the scene"
        self.changed = True

    def _read_slice(self, budget):
        try:
            finished = self.reader.step()
        except Exception as exc:
            self.reader = None
            self._check_failed(exc, traceback.format_exc())
            return
        if not finished:
            return
        scene, references = self.reader.scene, self.reader.references
        self.reader = None
        self.check_state = "resolving"
        self.changed = True
        self.background.start("check", resolve_scene, scene, references,
                              on_result=self._resolved, on_error=self._check_failed)

    def _resolved(self, scene):
        self.scene = scene
        self.check_state = "checking"
        spec = self.build_spec(self.values)
        self.background.start("check", check_spec, spec, on_result=self._checked,
                              on_error=self._check_failed)
        self.changed = True

    def _checked(self, validation):
        self.validation = validation
        self.check_state = "done"
        self.changed = True
        wanted, self.pending_submit = self.pending_submit, None
        if wanted is None:
            return
        if validation.has_errors:
            self.submit_state = "failed"
            self.submit_error = logic.ErrorText(JobError(
                "not submitted: the check found {}".format(validation.summary.lower()),
                hint="fix what the check lists, then submit again"))
            self.messages.append(("ERROR", self.submit_error.message))
            return
        self._start_submit(self.values)

    def _check_failed(self, error, traceback_text):
        self.check_state = "failed"
        self.check_error = logic.ErrorText(error, traceback_text)
        if self.pending_submit is not None:
            self.pending_submit = None
            self.submit_state = "failed"
            self.submit_error = self.check_error
        self.changed = True

    def build_specs(self, values):
        """The JobSpecs to submit: one, or one per camera (``per_camera``)."""
        values = dict(values)
        if values.pop("per_camera", False) and len(values.get("cameras") or []) > 1:
            return [self.build_spec(dict(values, cameras=[name]))
                    for name in values["cameras"]]
        return [self.build_spec(values)]

    def build_spec(self, values):
        """One JobSpec (the check's: with ``per_camera``, the first camera's)."""
        from rayvision_dcc.job import JobSpec
        values = dict(values)
        if values.pop("per_camera", False):
            values["cameras"] = list(values.get("cameras") or [])[:1]
        env = values.pop("render_env", None)
        if env is None:
            env = self.chosen_env(values.pop("env_name", ""))
        else:
            values.pop("env_name", None)
        return JobSpec(scene=self.scene.copy(), render_env=dict(env or {}), **values)

    def env_problem(self, host_version):
        """What to do when the account has no render environment of ``host_version``
        ("" when it has one, or before sign-in)."""
        from rayvision_dcc.job import versions_match
        if not self.signed_in:
            return ""
        versions = sorted(set(str(env.get("cgVersion")) for env in self.envs))
        if any(versions_match(version, host_version) for version in versions):
            return ""
        return ("Your account has no Blender {} render environment ({}): add one on the "
                "website (Render settings), or choose another and accept the difference"
                .format(host_version, "it has " + ", ".join(versions) if versions
                        else "it has none"))

    def chosen_env(self, name=""):
        host_version = self.scene.host_version if self.scene is not None else None
        choice = logic.EnvChoice(self.envs, name or None, host_version)
        return choice.env(choice.default_index)

    # -- submit ---------------------------------------------------------------------------
    def blockers(self, render_running=False):
        """Why a submission cannot start now ([] when it can)."""
        reasons = []
        if self.busy:
            reasons.append("a submission is running: wait for it or cancel it")
        if render_running:
            reasons.append("Blender is rendering: wait for the render to end")
        if not self.signed_in:
            reasons.append("sign in first")
        return reasons

    def submit(self, reader, values):
        """Check the scene again (the saved file is what the farm gets) and submit."""
        self.check(reader, values, then_submit=True)

    def _start_submit(self, values):
        specs = self.build_specs(values)
        self.submit_state = "running"
        self.phase = "Preparing"
        self.progress = None
        self.background.start("submit", run_submit, specs, self.client, self.engine,
                              on_progress=self._progressed, on_result=self._submitted,
                              on_error=self._submit_failed)
        self.changed = True

    def cancel(self):
        if self.pending_submit is not None:
            self.pending_submit = None
            self.reader = None
            self.background.forget("check")
            self.submit_state = "cancelled"
            self.check_state = "idle"
        elif self.background.cancel("submit"):
            self.submit_state = "cancelling"
        self.changed = True

    def _progressed(self, event):
        self.progress = logic.ProgressText(event)
        self.phase = self.progress.phase
        self.changed = True

    def _submitted(self, task_refs):
        self.task_refs = list(task_refs)
        self.task_ref = self.task_refs[-1]
        self.submit_state = "done"
        self.phase = "Submitted"
        self.messages.append(("INFO", "task {} on the farm".format(
            ", ".join(str(ref.task_id) for ref in self.task_refs))))
        self.changed = True
        self.refresh_tasks()

    def _submit_failed(self, error, traceback_text):
        if isinstance(error, Cancelled):
            self.submit_state = "cancelled"
            self.phase = "Cancelled: what was uploaded is kept"
        else:
            self.submit_state = "failed"
            self.submit_error = logic.ErrorText(error, traceback_text)
            self.messages.append(("ERROR", self.submit_error.message))
        self.changed = True

    # -- tasks and downloads ------------------------------------------------------------
    def refresh_tasks(self):
        if self.client is None or not self.signed_in:
            return
        self.background.start("tasks", list_tasks, self.client, TASKS_SHOWN,
                              on_result=self._tasks_listed, on_error=self._tasks_failed)

    def _tasks_listed(self, page):
        self.tasks = page.rows
        self.tasks_error = None
        self.changed = True

    def _tasks_failed(self, error, traceback_text):
        self.tasks_error = logic.ErrorText(error, traceback_text)
        self.changed = True

    def task_folder(self, task_id):
        return os.path.join(self.download_dir or os.path.expanduser("~"), str(task_id))

    def download(self, task_id):
        task_id = int(task_id)
        folder = self.task_folder(task_id)
        self.download_state[task_id] = "Downloading..."
        key = "download-{}".format(task_id)

        def progressed(event):
            text = logic.ProgressText(event)
            self.download_state[task_id] = "Downloading {}".format(text.files or text.bytes)
            self.changed = True

        def done(paths):
            self.download_state[task_id] = "{} file(s) in {}".format(len(paths), folder)
            self.messages.append(("INFO", self.download_state[task_id]))
            self.changed = True

        def failed(error, traceback_text):
            self.download_state[task_id] = "Download failed: " + logic.ErrorText(
                error, traceback_text).message
            self.changed = True
        self.background.start(key, run_download, self.client, task_id, folder, self.engine,
                              on_progress=progressed, on_result=done, on_error=failed)
        self.changed = True
        return folder

    # -- the tick ---------------------------------------------------------------------------
    def tick(self):
        """One main-thread turn: read a slice of the scene, hand back finished work.
        Returns True when something the UI shows changed since the last tick."""
        if self.reader is not None:
            self._read_slice(self.budget)
        self.background.drain(self.budget)
        changed, self.changed = self.changed, False
        return changed

    def take_messages(self):
        messages, self.messages = self.messages, []
        return messages

    def shutdown(self, timeout=5.0):
        self.reader = None
        self.pending_submit = None
        return self.background.shutdown(timeout)
