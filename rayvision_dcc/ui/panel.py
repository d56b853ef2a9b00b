"""``SubmitPanel``: the "Submit to render farm" window every host opens.

Thin widgets over :mod:`rayvision_dcc.ui.logic`; every API call, disk scan, file read
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
from rayvision_dcc.ui import logic, style
from rayvision_dcc.ui.monitor import MonitorWidget
from rayvision_dcc.ui.signin import SignInDialog
from rayvision_dcc.ui.widgets import ErrorBox
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
    from rayvision_dcc.job.jobfiles import validate
    return logic.ValidationList(logic.issues_from_tips(validate(spec)))


def run_submit(job, spec, client):
    from rayvision_dcc.job.workflow import submit
    return submit(spec, client, progress=job.report)


def save_zone(job, domain, platform):
    from rayvision_dcc.api.config import update_config
    update_config(domain=domain, platform=platform)


class SubmitPanel(QtWidgets.QWidget):
    """The submission panel and task monitor for one host session.

    ``SubmitPanel(adapter, client_factory=None, parent=None)``: ``adapter`` answers the
    scene questions (a :class:`rayvision_dcc.hosts.HostAdapter`), ``client_factory(**kw)``
    makes a :class:`rayvision_dcc.api.RenderClient` (default: from the user's config).
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
        self.overrides = {}
        self.profile = {}
        self.env_choice = logic.EnvChoice([])
        self.hardware_choice = logic.HardwareChoice([])
        self.validation = None
        self.frames_field = logic.FramesField()
        self.ignored = []
        self.remembered = {}
        self._touched = set()
        self._applying = 0  # > 0 while the panel (not the user) fills fields
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
        self._fill_from_scene()
        self.workers.start("memory", load_memory, self.memory, self.scene.scene_path,
                           on_result=self._memory_loaded)
        self._start_reading()
        self.connect_account()

    # -- layout ------------------------------------------------------------------------
    def _build(self, poll_interval):
        em = self.fontMetrics().height()
        # account bar
        self.account_label = QtWidgets.QLabel(self.tr("Connecting..."))
        self.account_label.setObjectName("rvAccount")
        self.zone_combo = QtWidgets.QComboBox()
        self.zone_combo.setObjectName("rvZoneCombo")
        for key, label in logic.ZONES:
            self.zone_combo.addItem(self.tr(label), key)
        self.zone_combo.activated.connect(self._zone_chosen)
        self.platform_combo = QtWidgets.QComboBox()
        self.platform_combo.setObjectName("rvPlatformCombo")
        self.platform_combo.setToolTip(self.tr("Render platform"))
        self.platform_combo.activated.connect(self._platform_chosen)
        self.platform_combo.setVisible(False)
        self.sign_in_button = QtWidgets.QPushButton(style.icon("signin"), self.tr("Sign in..."))
        self.sign_in_button.setObjectName("rvSignInOpen")
        self.sign_in_button.clicked.connect(self.open_sign_in)
        account = QtWidgets.QHBoxLayout()
        account.addWidget(self.account_label, 1)
        account.addWidget(self.zone_combo)
        account.addWidget(self.platform_combo)
        account.addWidget(self.sign_in_button)

        # scene (read-only: where to change it is the host's render settings)
        self.scene_label = QtWidgets.QLabel()
        self.scene_label.setObjectName("rvScenePath")
        self.scene_label.setTextInteractionFlags(QtCore.Qt.TextSelectableByMouse)
        self.scene_label.setWordWrap(True)
        self.renderer_label = QtWidgets.QLabel()
        self.resolution_label = QtWidgets.QLabel()
        self.output_label = QtWidgets.QLabel()
        self.output_label.setWordWrap(True)
        self.host_note = QtWidgets.QLabel()
        self.host_note.setObjectName("rvHostNote")
        self.host_note.setWordWrap(True)
        self.save_first = QtWidgets.QCheckBox(self.tr("Save the scene before submitting"))
        self.save_first.setChecked(True)
        scene_box = QtWidgets.QGroupBox(self.tr("Scene"))
        scene_form = QtWidgets.QFormLayout(scene_box)
        scene_form.addRow(self.tr("File"), self.scene_label)
        scene_form.addRow(self.tr("Renderer"), self.renderer_label)
        scene_form.addRow(self.tr("Resolution"), self.resolution_label)
        scene_form.addRow(self.tr("Output"), self.output_label)
        scene_form.addRow(self.host_note)
        scene_form.addRow(self.save_first)

        # job fields
        self.project_edit = QtWidgets.QLineEdit()
        self.project_edit.setObjectName("rvProject")
        self.project_edit.setPlaceholderText(self.tr("Project or job name"))
        self.camera_list = QtWidgets.QListWidget()
        self.camera_list.setObjectName("rvCameras")
        self.camera_list.setUniformItemSizes(True)
        self.camera_list.setMaximumHeight(em * 7)
        self.camera_list.itemChanged.connect(self._cameras_changed)
        self.frames_edit = QtWidgets.QLineEdit()
        self.frames_edit.setObjectName("rvFrames")
        self.frames_edit.setPlaceholderText("1-100[1]")
        self.frames_edit.setToolTip(self.tr(
            "Frames as N or A-B[S], separated by commas, e.g. 1-100[1],120"))
        self.frames_edit.textChanged.connect(self._frames_changed)
        self.frames_status = QtWidgets.QLabel()
        self.frames_status.setObjectName("rvFramesStatus")
        self.frames_status.setWordWrap(True)
        self.env_combo = QtWidgets.QComboBox()
        self.env_combo.setObjectName("rvEnv")
        for combo in (self.env_combo,):
            combo.setSizeAdjustPolicy(QtWidgets.QComboBox.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(12)
            combo.setSizePolicy(QtWidgets.QSizePolicy.Expanding, QtWidgets.QSizePolicy.Fixed)
        self.env_combo.currentIndexChanged.connect(lambda i: self._field_changed("env_name"))
        self.hardware_combo = QtWidgets.QComboBox()
        self.hardware_combo.setObjectName("rvHardware")
        self.hardware_combo.setSizeAdjustPolicy(
            QtWidgets.QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.hardware_combo.setMinimumContentsLength(12)
        self.hardware_combo.setSizePolicy(QtWidgets.QSizePolicy.Expanding,
                                          QtWidgets.QSizePolicy.Fixed)
        self.hardware_combo.currentIndexChanged.connect(
            lambda i: self._field_changed("hardware_config_id"))
        self.pre_first = QtWidgets.QCheckBox(self.tr("First"))
        self.pre_middle = QtWidgets.QCheckBox(self.tr("Middle"))
        self.pre_last = QtWidgets.QCheckBox(self.tr("Last"))
        self.pre_custom = QtWidgets.QLineEdit()
        self.pre_custom.setObjectName("rvPriorityCustom")
        self.pre_custom.setPlaceholderText(self.tr("or frames, e.g. 1,50"))
        for box in (self.pre_first, self.pre_middle, self.pre_last):
            box.toggled.connect(lambda on: self._field_changed("pre_frames"))
        self.pre_custom.textChanged.connect(lambda text: self._field_changed("pre_frames"))
        priority = QtWidgets.QHBoxLayout()
        for widget in (self.pre_first, self.pre_middle, self.pre_last):
            priority.addWidget(widget)
        priority.addWidget(self.pre_custom, 1)
        self.stop_after_test = QtWidgets.QCheckBox(
            self.tr("Pause after the priority frames (test, then full speed)"))
        self.stop_after_test.setObjectName("rvStopAfterTest")
        self.stop_after_test.toggled.connect(lambda on: self._field_changed("stop_after_test"))
        self.labels_edit = QtWidgets.QLineEdit()
        self.labels_edit.setObjectName("rvLabels")
        self.labels_edit.setPlaceholderText(self.tr("comma-separated"))
        self.labels_edit.textChanged.connect(lambda text: self._field_changed("labels"))
        self.output_edit = QtWidgets.QLineEdit()
        self.output_edit.setObjectName("rvOutputDir")
        self.output_edit.setPlaceholderText(self.tr("Folder for downloaded frames"))
        self.output_edit.textChanged.connect(lambda text: self._field_changed("output_dir"))
        browse = QtWidgets.QToolButton()
        browse.setIcon(style.icon("folder"))
        browse.setToolTip(self.tr("Choose a folder"))
        browse.clicked.connect(self._browse_output)
        output_row = QtWidgets.QHBoxLayout()
        output_row.addWidget(self.output_edit, 1)
        output_row.addWidget(browse)
        self.project_edit.textChanged.connect(lambda text: self._field_changed("project_name"))
        job_box = QtWidgets.QGroupBox(self.tr("Job"))
        form = QtWidgets.QFormLayout(job_box)
        form.setFieldGrowthPolicy(QtWidgets.QFormLayout.ExpandingFieldsGrow)
        form.addRow(self.tr("Project"), self.project_edit)
        form.addRow(self.tr("Cameras"), self.camera_list)
        form.addRow(self.tr("Frames"), self.frames_edit)
        form.addRow("", self.frames_status)
        form.addRow(self.tr("Render environment"), self.env_combo)
        form.addRow(self.tr("Hardware"), self.hardware_combo)
        form.addRow(self.tr("Priority frames"), priority)
        form.addRow("", self.stop_after_test)
        form.addRow(self.tr("Labels"), self.labels_edit)
        form.addRow(self.tr("Download to"), output_row)

        # validation list
        self.check_summary = QtWidgets.QLabel(self.tr("Checking the scene..."))
        self.check_summary.setObjectName("rvCheckSummary")
        self.issue_list = QtWidgets.QTreeWidget()
        self.issue_list.setObjectName("rvIssues")
        self.issue_list.setHeaderHidden(True)
        self.issue_list.setRootIsDecorated(False)
        self.issue_list.setWordWrap(True)
        self.issue_list.setMinimumHeight(em * 5)
        self.issue_list.itemSelectionChanged.connect(self._issue_selected)
        self.recheck_button = QtWidgets.QPushButton(style.icon("refresh"), self.tr("Check again"))
        self.recheck_button.setObjectName("rvRecheck")
        self.recheck_button.clicked.connect(self.rescan)
        self.ignore_button = QtWidgets.QPushButton(self.tr("Submit without this file"))
        self.ignore_button.setObjectName("rvIgnore")
        self.ignore_button.setToolTip(self.tr(
            "Render without the selected missing file (remembered for this scene)"))
        self.ignore_button.setEnabled(False)
        self.ignore_button.clicked.connect(self.ignore_selected)
        check_buttons = QtWidgets.QHBoxLayout()
        check_buttons.addWidget(self.check_summary, 1)
        check_buttons.addWidget(self.ignore_button)
        check_buttons.addWidget(self.recheck_button)
        check_box = QtWidgets.QGroupBox(self.tr("Check"))
        check_layout = QtWidgets.QVBoxLayout(check_box)
        check_layout.addLayout(check_buttons)
        check_layout.addWidget(self.issue_list)

        form_page = QtWidgets.QWidget()
        form_layout = QtWidgets.QVBoxLayout(form_page)
        form_layout.addWidget(scene_box)
        form_layout.addWidget(job_box)
        form_layout.addWidget(check_box, 1)
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

        # progress, result, errors, buttons (visible under both tabs)
        self.phase_label = QtWidgets.QLabel()
        self.phase_label.setObjectName("rvPhase")
        self.progress = QtWidgets.QProgressBar()
        self.progress.setObjectName("rvProgress")
        self.progress.setRange(0, 1000)
        self.progress.setTextVisible(False)
        self.progress_detail = QtWidgets.QLabel()
        self.progress_detail.setObjectName("rvProgressDetail")
        self.progress_box = QtWidgets.QWidget()
        progress_layout = QtWidgets.QVBoxLayout(self.progress_box)
        progress_layout.setContentsMargins(0, 0, 0, 0)
        progress_layout.addWidget(self.phase_label)
        progress_layout.addWidget(self.progress)
        progress_layout.addWidget(self.progress_detail)
        self.progress_box.setVisible(False)
        self.task_label = QtWidgets.QLabel(self.tr("Task"))
        self.task_id_field = QtWidgets.QLineEdit()
        self.task_id_field.setObjectName("rvTaskId")
        self.task_id_field.setReadOnly(True)
        self.copy_button = QtWidgets.QToolButton()
        self.copy_button.setObjectName("rvCopyTaskId")
        self.copy_button.setIcon(style.icon("copy"))
        self.copy_button.setToolTip(self.tr("Copy the task id"))
        self.copy_button.clicked.connect(self.copy_task_id)
        self.task_row = QtWidgets.QWidget()
        task_layout = QtWidgets.QHBoxLayout(self.task_row)
        task_layout.setContentsMargins(0, 0, 0, 0)
        task_layout.addWidget(self.task_label)
        task_layout.addWidget(self.task_id_field, 1)
        task_layout.addWidget(self.copy_button)
        self.task_row.setVisible(False)
        self.status_label = QtWidgets.QLabel()
        self.status_label.setObjectName("rvStatus")
        self.status_label.setWordWrap(True)
        self.error = ErrorBox()
        self.blockers_label = QtWidgets.QLabel()
        self.blockers_label.setObjectName("rvBlockers")
        self.blockers_label.setWordWrap(True)
        self.submit_button = QtWidgets.QPushButton(style.icon("submit"), self.tr("Submit"))
        self.submit_button.setObjectName("rvSubmitButton")
        self.submit_button.clicked.connect(self.submit)
        self.cancel_button = QtWidgets.QPushButton(style.icon("cancel"), self.tr("Cancel"))
        self.cancel_button.setObjectName("rvCancelButton")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        buttons = QtWidgets.QHBoxLayout()
        buttons.addWidget(self.blockers_label, 1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.submit_button)

        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(account)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.progress_box)
        layout.addWidget(self.task_row)
        layout.addWidget(self.status_label)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self.resize(em * 36, min(em * 46, 700))

    # -- scene and remembered fields ---------------------------------------------------
    def _fill_from_scene(self):
        self._applying += 1
        try:
            self._fill_fields()
        finally:
            self._applying -= 1

    def _fill_fields(self):
        scene = self.scene
        self.scene_label.setText(scene.scene_path or self.tr("(unsaved scene)"))
        self.renderer_label.setText(scene.renderer or "-")
        self.resolution_label.setText("{} x {}".format(scene.width, scene.height)
                                      if scene.width else "-")
        output = scene.output_path or "-"
        if scene.output_format:
            output += " ({})".format(scene.output_format)
        self.output_label.setText(output)
        self.host_note.setText(self.tr(
            "Change these in {}'s render settings, then check again.").format(
            scene.host or self.tr("the host")))
        dirty = False
        try:
            dirty = bool(self.adapter.is_dirty())
        except Exception:
            dirty = False
        self.save_first.setVisible(dirty)
        self.camera_list.blockSignals(True)
        self.camera_list.clear()
        for camera in scene.cameras:
            item = QtWidgets.QListWidgetItem(camera.name)
            item.setFlags(item.flags() | QtCore.Qt.ItemIsUserCheckable)
            item.setCheckState(QtCore.Qt.Checked if camera.renderable else QtCore.Qt.Unchecked)
            self.camera_list.addItem(item)
        self.camera_list.blockSignals(False)
        self.frames_edit.setText(logic.FramesField.default_text(
            scene.frame_start, scene.frame_end, scene.frame_step))
        self.project_edit.setText(scene.scene_name or "")
        self._update_submit()

    def _memory_loaded(self, result):
        self._applying += 1
        try:
            self._apply_memory(*result)
        finally:
            self._applying -= 1
        self.schedule_validation()

    def _apply_memory(self, values, ignored):
        self.remembered = values
        self.ignored = list(ignored)
        untouched = lambda name: name not in self._touched and name in values
        if untouched("project_name"):
            self.project_edit.setText(values["project_name"])
        if untouched("frames"):
            self.frames_edit.setText(values["frames"])
        if untouched("cameras"):
            wanted = set(values["cameras"] or [])
            if wanted & set(self.scene.camera_names):
                self.camera_list.blockSignals(True)
                for row in range(self.camera_list.count()):
                    item = self.camera_list.item(row)
                    item.setCheckState(QtCore.Qt.Checked if item.text() in wanted
                                       else QtCore.Qt.Unchecked)
                self.camera_list.blockSignals(False)
        if untouched("pre_frames"):
            pre = logic.PriorityFrames.parse(values["pre_frames"])
            self.pre_first.setChecked(pre.first)
            self.pre_middle.setChecked(pre.middle)
            self.pre_last.setChecked(pre.last)
            self.pre_custom.setText(pre.custom)
        if untouched("stop_after_test"):
            self.stop_after_test.setChecked(str(values["stop_after_test"]) == "1")
        if untouched("labels"):
            self.labels_edit.setText(", ".join(values["labels"] or []))
        if untouched("output_dir"):
            self.output_edit.setText(values["output_dir"] or "")
        self._apply_envs()
        self._apply_hardware()

    # -- account -----------------------------------------------------------------------
    def connect_account(self, **overrides):
        """(Re)connect with the stored credentials, optionally another domain/platform."""
        self.overrides.update({k: v for k, v in overrides.items() if v is not None})
        self.account_label.setText(self.tr("Connecting..."))
        self.workers.start("account", open_session, self.client_factory, dict(self.overrides),
                           self.adapter.cg_id, on_result=self._session_opened,
                           on_error=self._session_failed)

    def _session_opened(self, session):
        self.client = session["client"]
        self._show_zone(session["domain"])
        if not session["signed_in"]:
            self.signed_in = False
            self.account_label.setText(self.tr("Not signed in"))
            self.sign_in_button.setText(self.tr("Sign in..."))
            self.monitor.set_client(None)
            self._update_submit()
            self.open_sign_in()
            self.session_opened.emit(False)
            return
        self.signed_in = True
        self.profile = session.get("profile") or {}
        self.account_label.setText(logic.account_text(self.profile, session["domain"]))
        self.sign_in_button.setText(self.tr("Switch account..."))
        self._set_platforms(session.get("platforms") or [], session["platform"])
        self._envs = session.get("envs") or []
        self._hardware = session.get("hardware") or []
        self._apply_envs()
        self._apply_hardware()
        self.monitor.set_client(self.client)
        self.error.clear()
        self._update_submit()
        self.schedule_validation()
        self.session_opened.emit(True)

    def _session_failed(self, error, traceback_text):
        self.signed_in = False
        self.account_label.setText(self.tr("Not connected"))
        self.error.show_error(error, traceback_text)
        self._update_submit()

    def _show_zone(self, domain):
        zone = logic.zone_of(domain)
        index = self.zone_combo.findData(zone or domain)
        if index < 0:
            self.zone_combo.addItem(self.tr("Other: {}").format(domain), domain)
            index = self.zone_combo.count() - 1
        self.zone_combo.setCurrentIndex(index)
        self._domain = domain

    def _set_platforms(self, platforms, current):
        self.platform_combo.clear()
        for item in platforms:
            if isinstance(item, dict) and item.get("platform") is not None:
                name = str(item.get("name") or item["platform"]).replace("query_platform_", "")
                self.platform_combo.addItem(name, str(item["platform"]))
        if self.platform_combo.findData(str(current)) < 0:
            self.platform_combo.addItem(str(current), str(current))
        self.platform_combo.setCurrentIndex(self.platform_combo.findData(str(current)))
        self.platform_combo.setVisible(True)

    def _zone_chosen(self, index):
        from rayvision_dcc.api.config import DOMAINS
        value = self.zone_combo.itemData(index)
        domain = DOMAINS.get(value, value)
        if domain == getattr(self, "_domain", None):
            return
        self.workers.start("zone", save_zone, domain, None)
        self.connect_account(domain=domain)

    def _platform_chosen(self, index):
        platform = self.platform_combo.itemData(index)
        if not platform or (self.client is not None and platform == self.client.platform):
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
                              domain=getattr(self, "_domain", "") or "",
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

    # -- envs and hardware -------------------------------------------------------------
    def _apply_envs(self):
        envs = getattr(self, "_envs", None)
        if envs is None:
            return
        current = self.env_combo.currentIndex()
        keep = ("env_name" in self._touched and 0 <= current < len(self.env_choice.envs)
                and self.env_choice.envs[current].get("editName"))
        self.env_choice = logic.EnvChoice(envs, keep or self.remembered.get("env_name"),
                                          self.scene.host_version)
        self.env_combo.blockSignals(True)
        self.env_combo.clear()
        for label in self.env_choice.labels:
            self.env_combo.addItem(label)
        if not self.env_choice.envs:
            self.env_combo.addItem(self.tr("No render environment: add one on the website"))
        self.env_combo.setCurrentIndex(max(0, self.env_choice.default_index))
        self.env_combo.setEnabled(bool(self.env_choice.envs))
        self.env_combo.blockSignals(False)

    def _apply_hardware(self):
        configs = getattr(self, "_hardware", None)
        if configs is None:
            return
        self.hardware_choice = logic.HardwareChoice(configs,
                                                    self.remembered.get("hardware_config_id"))
        self.hardware_combo.blockSignals(True)
        self.hardware_combo.clear()
        for label in self.hardware_choice.labels:
            self.hardware_combo.addItem(label)
        self.hardware_combo.setCurrentIndex(max(0, self.hardware_choice.default_index))
        self.hardware_combo.setEnabled(bool(self.hardware_choice.configs))
        self.hardware_combo.blockSignals(False)

    # -- fields ------------------------------------------------------------------------
    def _field_changed(self, name):
        if not self._applying:
            self._touched.add(name)
        self._update_submit()
        self.schedule_validation()

    def _frames_changed(self, text):
        state = self.frames_field.check(text)
        self.frames_status.setText(self.tr(state.summary) if state.valid else
                                   "{} ({})".format(state.message, state.hint))
        self.frames_status.setProperty("state", "ok" if state.valid else "error")
        self.frames_status.style().unpolish(self.frames_status)
        self.frames_status.style().polish(self.frames_status)
        self._field_changed("frames")

    def _cameras_changed(self, item):
        self._field_changed("cameras")

    def _browse_output(self):
        folder = QtWidgets.QFileDialog.getExistingDirectory(
            self, self.tr("Download the rendered frames to"), self.output_edit.text())
        if folder:
            self.output_edit.setText(folder)

    def checked_cameras(self):
        return [self.camera_list.item(row).text() for row in range(self.camera_list.count())
                if self.camera_list.item(row).checkState() == QtCore.Qt.Checked]

    def priority(self):
        return logic.PriorityFrames(self.pre_first.isChecked(), self.pre_middle.isChecked(),
                                    self.pre_last.isChecked(), self.pre_custom.text())

    def field_values(self):
        """The fields remembered for this scene."""
        env = self.env_choice.env(self.env_combo.currentIndex())
        config = self.hardware_choice.config(self.hardware_combo.currentIndex())
        return {
            "project_name": self.project_edit.text().strip(),
            "cameras": self.checked_cameras(),
            "frames": self.frames_edit.text().strip(),
            "env_name": env.get("editName") if env else None,
            "hardware_config_id": config.get("id") if config else None,
            "pre_frames": self.priority().value,
            "stop_after_test": "1" if self.stop_after_test.isChecked() else "2",
            "labels": logic.parse_labels(self.labels_edit.text()),
            "output_dir": self.output_edit.text().strip(),
        }

    def build_spec(self):
        """The JobSpec of what the form shows now (cheap: no disk, no network)."""
        from rayvision_dcc.job.spec import JobSpec
        values = self.field_values()
        env = self.env_choice.env(self.env_combo.currentIndex())
        config = self.hardware_choice.config(self.hardware_combo.currentIndex()) or {}
        gpu = str(config.get("gpuNum") or "")
        return JobSpec(
            scene=self.scene, cameras=values["cameras"], frames=values["frames"],
            render_env=dict(env or {}),
            hardware_config_id=str(config.get("id") or ""),
            ram=str(config.get("ram") or "64").upper().replace("GB", "").strip() or "64",
            gpu_num=gpu[:1] if gpu[:1].isdigit() else "",
            pre_frames=values["pre_frames"], stop_after_test=values["stop_after_test"],
            labels=values["labels"], project_name=values["project_name"],
            ignored_missing=list(self.ignored), output_dir=values["output_dir"])

    # -- validation --------------------------------------------------------------------
    def rescan(self):
        """Read the scene from the host again and check it (after the user fixed it)."""
        self.scene = self.adapter.read_scene()
        self._scanned = False
        remembered_fields = self.field_values()
        self._fill_from_scene()
        self.project_edit.setText(remembered_fields["project_name"])
        self.frames_edit.setText(remembered_fields["frames"])
        self.validation = None
        self.check_summary.setText(self.tr("Checking the scene..."))
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
        self.check_summary.setText(self.tr("The scene could not be read"))
        self.error.show_error(error, traceback_text)

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
        self.issue_list.setUpdatesEnabled(False)
        self.issue_list.clear()
        for issue in validation.issues[:500]:
            item = QtWidgets.QTreeWidgetItem([issue.text])
            item.setIcon(0, style.icon(issue.severity))
            item.setData(0, QtCore.Qt.UserRole, issue.path)
            tip = issue.text + ("\n" + self.tr("What to do: ") + issue.hint if issue.hint else "")
            item.setToolTip(0, tip)
            if issue.hint:
                child = QtWidgets.QTreeWidgetItem([issue.hint])
                child.setData(0, QtCore.Qt.UserRole, issue.path)
                item.addChild(child)
                item.setExpanded(issue.severity == "error")
            self.issue_list.addTopLevelItem(item)
        if not validation.issues:
            item = QtWidgets.QTreeWidgetItem([self.tr("No problems found")])
            item.setIcon(0, style.icon("ok"))
            self.issue_list.addTopLevelItem(item)
        self.issue_list.setRootIsDecorated(any(i.hint for i in validation.issues))
        self.issue_list.setUpdatesEnabled(True)
        self.check_summary.setText(self.tr(validation.summary))
        self._update_submit()
        self.checked.emit(validation)

    def _issue_selected(self):
        items = self.issue_list.selectedItems()
        path = items[0].data(0, QtCore.Qt.UserRole) if items else ""
        self.ignore_button.setEnabled(bool(path) and path not in self.ignored)

    def ignore_selected(self):
        items = self.issue_list.selectedItems()
        path = items[0].data(0, QtCore.Qt.UserRole) if items else ""
        if not path:
            return
        self.ignored.append(path)
        self.ignore_button.setEnabled(False)
        self.workers.start("memory-save", save_memory, self.memory, self.scene.scene_path,
                           self.field_values(), list(self.ignored))
        self.schedule_validation(now=True)

    # -- submit ------------------------------------------------------------------------
    def blockers(self):
        env = self.env_choice.env(self.env_combo.currentIndex())
        return logic.submit_blockers(
            self.frames_field.state, self.checked_cameras(), env, self.validation,
            signed_in=self.signed_in, busy=self.workers.is_busy("submit"),
            priority_error=self.priority().error)

    def _update_submit(self):
        reasons = self.blockers()
        self.submit_button.setEnabled(not reasons)
        self.blockers_label.setText(self.tr("To submit: ") + "; ".join(
            self.tr(reason) for reason in reasons) if reasons else "")

    def submit(self):
        """Start the submission in a worker (the button's click)."""
        if self.blockers():
            return None
        if self.save_first.isVisible() and self.save_first.isChecked():
            self.adapter.save_scene()  # the host's own save, on its main thread
        spec = self.build_spec()
        self.workers.start("memory-save", save_memory, self.memory, self.scene.scene_path,
                           self.field_values())
        self.error.clear()
        self.status_label.clear()
        self.task_row.setVisible(False)
        self.progress_box.setVisible(True)
        self.phase_label.setText(self.tr("Preparing"))
        self.progress_detail.clear()
        self.progress.setRange(0, 0)
        self.cancel_button.setEnabled(True)
        self.cancel_button.setText(self.tr("Cancel"))
        self.form_page.setEnabled(False)
        request = self.workers.start("submit", run_submit, spec, self.client,
                                     on_progress=self._progress, on_result=self._submitted,
                                     on_error=self._submit_failed, on_done=self._submit_done)
        self._update_submit()
        return request

    def cancel(self):
        if self.workers.cancel("submit"):
            self.cancel_button.setEnabled(False)
            self.cancel_button.setText(self.tr("Cancelling..."))
            self.phase_label.setText(self.tr("Cancelling..."))

    def _progress(self, event):
        text = logic.ProgressText(event)
        self.phase_label.setText(self.tr(text.phase))
        if text.per_mille < 0:
            self.progress.setRange(0, 0)
        else:
            self.progress.setRange(0, 1000)
            self.progress.setValue(text.per_mille)
        self.progress_detail.setText(text.detail or text.message)
        if text.task_id:
            self._show_task_id(text.task_id)
        self.progressed.emit(text)

    def _show_task_id(self, task_id):
        self.task_id_field.setText(str(task_id))
        self.task_row.setVisible(True)

    def _submitted(self, task_ref):
        self.task_ref = task_ref
        self._show_task_id(task_ref.task_id)
        self.progress.setRange(0, 1000)
        self.progress.setValue(1000)
        self.phase_label.setText(self.tr("Submitted"))
        self.progress_box.setVisible(False)
        self.status_label.setText(self.tr("Task {} is on the farm. Follow it under Tasks.").format(
            task_ref.task_id))
        self.monitor.download_folder = self.output_edit.text().strip()
        self.monitor.show_task(task_ref.task_id)
        self.tabs.setCurrentWidget(self.monitor)
        self.monitor.refresh()
        self.submitted.emit(task_ref)

    def _submit_failed(self, error, traceback_text):
        self.progress_box.setVisible(False)
        if isinstance(error, Cancelled):
            self.status_label.setText(self.tr(
                "Submission cancelled. What was uploaded is kept: submitting again goes faster."))
        else:
            self.error.show_error(error, traceback_text)
        self.submit_failed.emit(error)

    def _submit_done(self):
        self.cancel_button.setEnabled(False)
        self.cancel_button.setText(self.tr("Cancel"))
        self.form_page.setEnabled(True)
        self._update_submit()
        self.schedule_validation()

    def copy_task_id(self):
        QtWidgets.QApplication.clipboard().setText(self.task_id_field.text())

    # -- lifetime ----------------------------------------------------------------------
    def shutdown(self, timeout_ms=5000):
        """Stop polling and every worker (cancelling a running submission)."""
        self.monitor.timer.stop()
        self._read_timer.stop()
        self._validate_timer.stop()
        return self.workers.shutdown(timeout_ms)


_PANELS = {}


def show_panel(adapter, parent=None, client_factory=None, **options):
    """Open the panel for ``adapter``'s host, or raise the one already open (one per
    host session). Parented to ``parent`` or the host's main window."""
    key = adapter.host_name or type(adapter).__name__
    panel = _PANELS.get(key)
    if panel is not None:
        try:
            panel.isVisible()  # raises when Qt deleted it
        except RuntimeError:
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
