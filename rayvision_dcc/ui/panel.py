"""``SubmitPanel``: the "Submit to render farm" window every host opens.

The panel puts its parts together and runs their work: the account bar
(``account_bar.AccountBar``), the job form (``job_form.JobForm``), the check list
(``check_list.CheckList``), the submit bar with the progress (``submit_bar.SubmitBar``)
and the task monitor (``monitor.MonitorWidget``). The parts are views over
:mod:`rayvision_dcc.ui.logic`; every API call, disk scan, file read
and upload runs in :class:`~rayvision_dcc.ui.workers.Workers` and comes back by signal.
The host is called on the UI thread only (the host's main thread, the host contract):
the scene is read with a ``SliceReader`` driven by a zero-interval QTimer, in slices of
``read_budget`` seconds so the host stays responsive; the references it read are then
resolved on disk in a worker.
"""
from __future__ import annotations

import logging
import traceback

from Qt import QtCore, QtWidgets

from rayvision_dcc.errors import Cancelled
from rayvision_dcc.hosts.reading import SliceReader
from rayvision_dcc.ui import logic, style, transfer_choice
from rayvision_dcc.ui.account_bar import AccountBar
from rayvision_dcc.ui.check_list import CheckList
from rayvision_dcc.ui.job_form import JobForm
from rayvision_dcc.ui.monitor import MonitorWidget
from rayvision_dcc.ui.signin import SignInDialog
from rayvision_dcc.ui.submit_bar import SubmitBar
from rayvision_dcc.ui.workers import Workers, binding_problem

log = logging.getLogger("rayvision_dcc.ui")


def default_client_factory(access_id=None, access_key=None, domain=None, platform=None):
    """A RenderClient from the arguments, else the environment and the user config."""
    from rayvision_dcc.api import RenderClient
    return RenderClient(access_id=access_id, access_key=access_key, domain=domain,
                        platform=platform)


# -- work done in workers (plain functions: no widget is touched here) ------------------
def open_session(job, client_factory, overrides, cg_id):
    """Make the client and read what the form needs: profile, envs, hardware, platforms."""
    client = client_factory(**overrides)
    settings = client.settings
    session = {"client": client, "domain": settings.domain, "platform": settings.platform,
               "signed_in": bool(settings.access_id and settings.access_key)}
    if not session["signed_in"]:
        return session
    session["profile"] = client.user_profile()
    session["transfer_engine"] = transfer_choice.stored_engine()
    session["envs"] = client.render_envs(cg_id) if cg_id else []
    for key, call in (("hardware", client.hardware_configs),
                      ("platforms", lambda: client.platforms(
                          2 if logic.zone_of(settings.domain) == "foxrenderfarm" else 1))):
        try:
            session[key] = call()
        except Exception:  # optional: the form works without them
            session[key] = []
    return session


def resolve_scene(job, scene, references):
    """The scene read from the host with its references resolved and checked on disk
    (the slow part of reading a scene; never touches the host)."""
    from rayvision_dcc.job import references as refs
    scene = scene.copy()
    deps, warnings = refs.resolve_references(references, scene.scene_path, scene.project_path)
    scene.dependencies = deps
    scene.warnings.extend(w for w in warnings if w not in scene.warnings)
    return scene


def load_memory(job, memory, scene_path):
    from rayvision_dcc.job.deps import IgnoreList
    return memory.load(scene_path), IgnoreList.load(scene_path).paths


def save_memory(job, memory, scene_path, values, ignored=None):
    memory.save(scene_path, values)
    if ignored is not None:
        from rayvision_dcc.job.deps import IgnoreList
        IgnoreList(scene_path, ignored).save()


def check_spec(job, spec):
    from rayvision_dcc.job.validation import validate
    return logic.ValidationList(logic.issues_from_tips(validate(spec)))


def run_submit(job, spec, client, engine=None, new=False, confirm_frames=False):
    from rayvision_dcc.job.workflow import submit
    transfer_choice.store_engine(engine)   # the transfer setting the submission uses
    return submit(spec, client, progress=job.report, new=new, confirm_frames=confirm_frames)


def run_resume(job, submission_id, client, engine=None):
    """Finish an unfinished submission (the same task, never a second one)."""
    from rayvision_dcc.job.workflow import resume
    transfer_choice.store_engine(engine)
    return resume(submission_id, client, progress=job.report)


def ask_user(parent, title, text, choices):
    """A question with ``choices`` ``[(key, label)]`` (the first is the default; Cancel is
    added): the key of the one pressed, None for Cancel. Tests replace ``panel.ask``."""
    box = QtWidgets.QMessageBox(parent)
    box.setWindowTitle(title)
    box.setText(text)
    buttons = {}
    for index, (key, label) in enumerate(choices):
        button = box.addButton(label, QtWidgets.QMessageBox.AcceptRole)
        buttons[button] = key
        if index == 0:
            box.setDefaultButton(button)
    box.addButton(QtWidgets.QMessageBox.Cancel)
    box.exec_()
    return buttons.get(box.clickedButton())


def save_zone(job, domain, platform):
    from rayvision_dcc.api.config import update_config
    update_config(domain=domain, platform=platform)


class SubmitPanel(QtWidgets.QWidget):
    """The submission panel and task monitor for one host session.

    ``SubmitPanel(adapter, client_factory=None, parent=None)``: ``adapter`` answers the
    scene questions (a :class:`rayvision_dcc.hosts.HostAdapter`, called on this, the UI,
    thread only), ``client_factory(**kw)`` makes a :class:`rayvision_dcc.api.RenderClient`
    (default: from the user's config). Parts: ``account``, ``form``, ``checks``,
    ``actions`` (the submit bar), ``monitor``.
    """

    submitted = QtCore.Signal(object)      # TaskRef
    submit_failed = QtCore.Signal(object)  # the error
    progressed = QtCore.Signal(object)     # logic.ProgressText of each shown event
    checked = QtCore.Signal(object)        # logic.ValidationList after each check
    session_opened = QtCore.Signal(object)  # True when signed in, False when not

    def __init__(self, adapter, client_factory=None, parent=None, poll_interval=10.0,
                 memory=None, validate_delay_ms=250, read_budget=0.02):
        super(SubmitPanel, self).__init__(parent)
        problem = binding_problem()
        if problem:
            log.warning(problem)
        self.setObjectName("rvPanel")
        self.setWindowFlags(self.windowFlags() | QtCore.Qt.Window)
        self.setWindowTitle(self.tr("Submit to render farm"))
        self.setWindowIcon(style.icon("app"))
        self.setStyleSheet(style.style_sheet())
        self.adapter = adapter
        self.client_factory = client_factory or default_client_factory
        self.memory = memory or logic.SceneMemory()
        self.workers = Workers(self)
        self.client = None
        self.signed_in = False
        self._session_error = False  # the error box shows a connection error
        self.overrides = {}
        self.profile = {}
        self.validation = None
        self.ignored = []
        self._scanned = False
        self.task_ref = None
        self.scene = adapter.read_scene()
        self.reader = None
        self.read_budget = read_budget
        self._read_timer = QtCore.QTimer(self)
        self._read_timer.setInterval(0)
        self._read_timer.timeout.connect(self._read_slice)
        self._validate_timer = QtCore.QTimer(self)
        self._validate_timer.setSingleShot(True)
        self._validate_timer.setInterval(validate_delay_ms)
        self._validate_timer.timeout.connect(self.validate)
        self._build(poll_interval)
        app = QtWidgets.QApplication.instance()
        if app is not None:  # the host quits: cancel the workers instead of waiting on them
            app.aboutToQuit.connect(self.shutdown)
        self.form.fill_from_scene(self.scene, self._dirty())
        self._update_submit()
        self.workers.start("memory", load_memory, self.memory, self.scene.scene_path,
                           on_result=self._memory_loaded)
        self._start_reading()
        self.connect_account()

    # -- layout ------------------------------------------------------------------------
    def _build(self, poll_interval):
        em = self.fontMetrics().height()
        self.account = AccountBar()
        self.account.zone_chosen.connect(self._zone_chosen)
        self.account.platform_chosen.connect(self._platform_chosen)
        self.account.sign_in_clicked.connect(self.open_sign_in)
        self.form = JobForm()
        self.form.changed.connect(self._field_changed)
        self.checks = CheckList()
        self.checks.ignored = self.ignored
        self.checks.recheck_clicked.connect(self.rescan)
        self.checks.ignore_clicked.connect(self.ignore)

        form_page = QtWidgets.QWidget()
        form_layout = QtWidgets.QVBoxLayout(form_page)
        form_layout.addWidget(self.form)
        form_layout.addWidget(self.checks, 1)
        self.form_page = form_page
        scroll = QtWidgets.QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QtWidgets.QFrame.NoFrame)
        scroll.setWidget(form_page)

        self.monitor = MonitorWidget(self.workers, poll_interval=poll_interval)
        self.tabs = QtWidgets.QTabWidget()
        self.tabs.setObjectName("rvTabs")
        self.tabs.addTab(scroll, style.icon("app"), self.tr("Submit"))
        self.tabs.addTab(self.monitor, style.icon("refresh"), self.tr("Tasks"))

        self.actions = SubmitBar()  # visible under both tabs
        self.actions.submit_clicked.connect(self.submit)
        self.actions.cancel_clicked.connect(self.cancel)

        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(self.account)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.actions)
        self.resize(em * 36, min(em * 46, 700))

    @property
    def error(self):
        """The error box under the tabs."""
        return self.actions.error

    # -- scene and remembered fields ---------------------------------------------------
    def _dirty(self):
        try:
            return bool(self.adapter.is_dirty())
        except Exception:  # a host that cannot say: assume saved
            return False

    def _memory_loaded(self, result):
        values, ignored = result
        self.ignored[:] = list(ignored)
        self.form.apply_memory(values)
        self.schedule_validation()

    # -- account -----------------------------------------------------------------------
    def connect_account(self, **overrides):
        """(Re)connect with the stored credentials, optionally another domain/platform."""
        self.overrides.update({k: v for k, v in overrides.items() if v is not None})
        self.account.show_connecting()
        self.workers.start("account", open_session, self.client_factory, dict(self.overrides),
                           self.adapter.cg_id, on_result=self._session_opened,
                           on_error=self._session_failed)

    def _session_opened(self, session):
        self.client = session["client"]
        if not session["signed_in"]:
            self.signed_in = False
            self.account.show_signed_out(session["domain"])
            self.monitor.set_client(None)
            self._update_submit()
            self.open_sign_in()
            self.session_opened.emit(False)
            return
        self.signed_in = True
        self.profile = session.get("profile") or {}
        self.form.transfer_choice.set_engine(session.get("transfer_engine"))
        self.account.show_signed_in(self.profile, session["domain"],
                                    session.get("platforms") or [], session["platform"])
        self.form.set_envs(session.get("envs") or [])
        self.form.set_hardware(session.get("hardware") or [])
        self.monitor.set_client(self.client)
        if self._session_error:  # a scene that could not be read stays said
            self.error.clear()
            self._session_error = False
        self._update_submit()
        self.schedule_validation()
        self.session_opened.emit(True)

    def _session_failed(self, error, traceback_text):
        self.signed_in = False
        self.account.show_not_connected()
        self.error.show_error(error, traceback_text)
        self._session_error = True
        self._update_submit()

    def _zone_chosen(self, domain):
        self.workers.start("zone", save_zone, domain, None)
        self.connect_account(domain=domain)

    def _platform_chosen(self, platform):
        if self.client is not None and platform == self.client.platform:
            return
        self.workers.start("zone", save_zone, None, platform)
        self.connect_account(platform=platform)

    def open_sign_in(self):
        """Show the sign-in dialog (non-blocking); a success reconnects the panel."""
        dialog = getattr(self, "sign_in_dialog", None)
        if dialog is not None and dialog.isVisible():
            dialog.raise_()
            return dialog
        client = self.client
        dialog = SignInDialog(self.workers, self.client_factory,
                              domain=self.account.domain or "",
                              platform=client.platform if client is not None else "",
                              access_id=client.access_id if client is not None else "",
                              parent=self)
        dialog.setAttribute(QtCore.Qt.WA_DeleteOnClose)
        dialog.signed_in.connect(self._signed_in)
        self.sign_in_dialog = dialog
        dialog.open()
        return dialog

    def _signed_in(self, client, profile):
        self.overrides = {}
        self.connect_account()

    # -- fields ------------------------------------------------------------------------
    def _field_changed(self, name):
        self._update_submit()
        self.schedule_validation()

    def build_spec(self):
        """The JobSpec of what the form shows now (cheap: no disk, no network)."""
        return self.form.build_spec(self.scene, self.ignored)

    # -- reading the scene and checking it ---------------------------------------------
    def rescan(self):
        """Read the scene from the host again and check it (after the user fixed it)."""
        self.scene = self.adapter.read_scene()
        self._scanned = False
        self.form.keep_typed(self.scene, self._dirty())
        self.validation = None
        self.checks.show_checking()
        self._start_reading()
        self._update_submit()

    def _start_reading(self):
        """Read the scene's references from the host in slices on this (the UI) thread."""
        self.workers.forget("scan")
        self.reader = SliceReader(self.adapter, budget=self.read_budget)
        self._read_timer.start()

    def _read_slice(self):
        reader = self.reader
        try:
            finished = reader.step()
        except Exception as exc:  # the host refused: show it, as a failed scan
            self._read_timer.stop()
            self._scan_failed(exc, traceback.format_exc())
            return
        if finished:
            self._read_timer.stop()
            self.workers.start("scan", resolve_scene, reader.scene, list(reader.references),
                               on_result=self._scanned_scene, on_error=self._scan_failed)

    def _scanned_scene(self, scene):
        self.scene = scene
        self._scanned = True
        self.schedule_validation(now=True)

    def _scan_failed(self, error, traceback_text):
        self.checks.show_unreadable()
        self.error.show_error(error, traceback_text)
        self._session_error = False

    def schedule_validation(self, now=False):
        if not self._scanned:
            return
        if now:
            self._validate_timer.stop()
            self.validate()
        else:
            self._validate_timer.start()

    def validate(self):
        if not self._scanned or self.workers.is_busy("submit"):
            return
        try:
            spec = self.build_spec()
        except Exception as exc:  # a field the spec refuses outright
            self._show_issues(logic.ValidationList([logic.Issue(
                "error", "", getattr(exc, "message", str(exc)), "", getattr(exc, "hint", ""))]))
            return
        self.workers.start("validate", check_spec, spec, on_result=self._show_issues,
                           on_error=self._scan_failed)

    def checking(self):
        """True while a scan or a check is pending or running."""
        return (not self._scanned or self._validate_timer.isActive()
                or self._read_timer.isActive()
                or self.workers.is_busy("validate") or self.workers.is_busy("scan"))

    def _show_issues(self, validation):
        self.validation = validation
        self.checks.show_issues(validation)
        self._update_submit()
        self.checked.emit(validation)

    def ignore(self, path):
        """Submit without the missing file ``path`` (remembered for this scene)."""
        if not path or path in self.ignored:
            return
        self.ignored.append(path)
        self.workers.start("memory-save", save_memory, self.memory, self.scene.scene_path,
                           self.form.field_values(), list(self.ignored))
        self.schedule_validation(now=True)

    # -- submit ------------------------------------------------------------------------
    def blockers(self):
        return self.form.blockers(self.validation, self.signed_in,
                                  self.workers.is_busy("submit"))

    def _update_submit(self):
        self.actions.show_blockers(self.blockers())

    def submit(self, new=False):
        """Start the submission in a worker (the button's click). A frame list far from
        the scene's range or of very many frames is confirmed first; a scene with an
        unfinished submission is asked about when the worker finds it (``_submit_failed``)."""
        if self.blockers():
            return None
        spec = self.build_spec()
        confirm_frames = False
        reason = self._unusual_frames(spec)
        if reason:
            if self.ask(self.tr("Unusual frame list"), reason + "\n\n" + self.tr(
                    "Submit these frames?"), [("submit", self.tr("Submit these frames"))]) \
                    != "submit":
                return None
            confirm_frames = True
        save_first = self.form.save_first
        if save_first.isVisible() and save_first.isChecked():
            self.adapter.save_scene()  # the host's own save, on its main thread
        self.workers.start("memory-save", save_memory, self.memory, self.scene.scene_path,
                           self.form.field_values())
        return self._start_submission(run_submit, spec, self.client,
                                      self.form.transfer_choice.engine(), new=new,
                                      confirm_frames=confirm_frames)

    def resume(self, submission_id):
        """Finish the unfinished submission ``submission_id`` in a worker."""
        return self._start_submission(run_resume, submission_id, self.client,
                                      self.form.transfer_choice.engine())

    def _start_submission(self, fn, *args, **kwargs):
        self.actions.show_started()
        self.form_page.setEnabled(False)
        request = self.workers.start("submit", fn, *args, on_progress=self._progress,
                                     on_result=self._submitted, on_error=self._submit_failed,
                                     on_done=self._submit_done, **kwargs)
        self._update_submit()
        return request

    @staticmethod
    def _unusual_frames(spec):
        from rayvision_dcc.errors import JobError
        from rayvision_dcc.job.frames import unusual_frames
        if not spec.frames:
            return ""
        try:
            return unusual_frames(spec.frames, spec.scene)
        except JobError:
            return ""  # the form's frame check blocks a bad list already

    def ask(self, title, text, choices):
        return ask_user(self, title, text, choices)

    def cancel(self):
        if self.workers.cancel("submit"):
            self.actions.show_cancelling()

    def _progress(self, event):
        text = logic.ProgressText(event)
        self.actions.show_progress(text)
        self.progressed.emit(text)

    def _submitted(self, task_ref):
        self.task_ref = task_ref
        self.actions.show_submitted(task_ref.task_id)
        self.monitor.download_folder = self.form.output_edit.text().strip()
        self.monitor.show_task(task_ref.task_id)
        self.tabs.setCurrentWidget(self.monitor)
        self.monitor.refresh()
        self.submitted.emit(task_ref)

    def _submit_failed(self, error, traceback_text):
        from rayvision_dcc.job.workflow import UnfinishedSubmission
        self.actions.show_failed(error, traceback_text, isinstance(error, Cancelled))
        self.submit_failed.emit(error)
        if isinstance(error, UnfinishedSubmission):
            # Asked after this request is done (on_done re-enables the form first).
            QtCore.QTimer.singleShot(0, lambda: self._ask_about_unfinished(error))

    def _ask_about_unfinished(self, error):
        answer = self.ask(self.tr("Unfinished submission"), error.message + "\n\n" + self.tr(
            "Resume finishes that task; New task renders the scene once more."),
            [("resume", self.tr("Resume")), ("new", self.tr("New task"))])
        if answer == "resume":
            self.resume(error.submission_id)
        elif answer == "new":
            self.submit(new=True)

    def _submit_done(self):
        self.actions.show_finished()
        self.form_page.setEnabled(True)
        self._update_submit()
        self.schedule_validation()

    # -- lifetime ----------------------------------------------------------------------
    def shutdown(self, timeout_ms=5000):
        """Stop polling and every worker (cancelling a running submission)."""
        self.monitor.timer.stop()
        self._read_timer.stop()
        self._validate_timer.stop()
        return self.workers.shutdown(timeout_ms)


_PANELS = {}


def _shows_another_scene(panel, adapter):
    """True when the host has opened another scene since ``panel`` read its scene (and
    no submission is running from it)."""
    if panel.workers.is_busy("submit"):
        return False
    try:
        return adapter.scene_path() != panel.scene.scene_path
    except Exception:  # a host that cannot say: keep the panel
        return False


def show_panel(adapter, parent=None, client_factory=None, **options):
    """Open the panel for ``adapter``'s host, or raise the one already open (one per
    host session). Parented to ``parent`` or the host's main window. When the host has
    opened another scene since, the open panel is closed and a new one reads it."""
    key = adapter.host_name or type(adapter).__name__
    panel = _PANELS.get(key)
    if panel is not None:
        try:
            panel.isVisible()  # raises when Qt deleted it
        except RuntimeError:
            panel = None
    if panel is not None and _shows_another_scene(panel, adapter):
        if parent is None:
            parent = panel.parentWidget()
        panel.shutdown()
        panel.close()
        panel.deleteLater()
        panel = None
    if panel is None:
        if parent is None:
            try:
                parent = adapter.main_window()
            except Exception:
                parent = None
        panel = SubmitPanel(adapter, client_factory=client_factory, parent=parent, **options)
        _PANELS[key] = panel
    panel.show()
    panel.raise_()
    panel.activateWindow()
    return panel


def open_panels():
    """The panels open and visible now (a host's event pump runs while there are any)."""
    shown = []
    for panel in list(_PANELS.values()):
        try:
            if panel.isVisible():
                shown.append(panel)
        except RuntimeError:  # deleted by Qt
            pass
    return shown


def close_panels():
    """Close and forget every panel (a host's unregister, tests)."""
    for panel in list(_PANELS.values()):
        try:
            panel.shutdown()
            panel.close()
            panel.deleteLater()
        except RuntimeError:
            pass
    _PANELS.clear()
