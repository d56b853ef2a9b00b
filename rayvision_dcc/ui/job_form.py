"""The panel's job form: the scene as the host reports it (read-only) and the job fields.

It fills itself from a SceneInfo and from the fields remembered for the scene (without
overwriting what the user already typed), and turns what it shows into a JobSpec. Every
change is announced by ``changed(field name)``; the panel re-checks on it.
"""
from __future__ import annotations

from Qt import QtCore, QtWidgets

from rayvision_dcc.ui import logic, style
from rayvision_dcc.ui.transfer_choice import TransferChoice


class JobForm(QtWidgets.QWidget):
    """Scene box and job box. ``remembered`` holds the fields loaded for this scene."""

    changed = QtCore.Signal(str)

    def __init__(self, parent=None):
        super(JobForm, self).__init__(parent)
        self.frames_field = logic.FramesField()
        self.env_choice = logic.EnvChoice([])
        self.hardware_choice = logic.HardwareChoice([])
        self.remembered = {}
        self._envs = None
        self._hardware = None
        self._host_version = ""
        self._renderer_plugin = ""
        self._touched = set()
        self._applying = 0  # > 0 while the panel (not the user) fills fields
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._build_scene_box())
        layout.addWidget(self._build_job_box())

    # -- layout ------------------------------------------------------------------------
    def _build_scene_box(self):
        """The scene, read-only: where to change it is the host's render settings."""
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
        box = QtWidgets.QGroupBox(self.tr("Scene"))
        form = QtWidgets.QFormLayout(box)
        form.addRow(self.tr("File"), self.scene_label)
        form.addRow(self.tr("Renderer"), self.renderer_label)
        form.addRow(self.tr("Resolution"), self.resolution_label)
        form.addRow(self.tr("Output"), self.output_label)
        form.addRow(self.host_note)
        form.addRow(self.save_first)
        return box

    def _combo(self, name):
        combo = QtWidgets.QComboBox()
        combo.setObjectName(name)
        combo.setSizeAdjustPolicy(QtWidgets.QComboBox.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(12)
        combo.setSizePolicy(QtWidgets.QSizePolicy.Expanding, QtWidgets.QSizePolicy.Fixed)
        return combo

    def _line(self, name, field, placeholder):
        edit = QtWidgets.QLineEdit()
        edit.setObjectName(name)
        edit.setPlaceholderText(placeholder)
        edit.textChanged.connect(lambda text: self._field_changed(field))
        return edit

    def _build_job_box(self):
        em = self.fontMetrics().height()
        self.project_edit = self._line("rvProject", "project_name",
                                       self.tr("Project or job name"))
        self.camera_list = QtWidgets.QListWidget()
        self.camera_list.setObjectName("rvCameras")
        self.camera_list.setUniformItemSizes(True)
        self.camera_list.setMaximumHeight(em * 7)
        self.camera_list.itemChanged.connect(lambda item: self._field_changed("cameras"))
        self.frames_edit = QtWidgets.QLineEdit()
        self.frames_edit.setObjectName("rvFrames")
        self.frames_edit.setPlaceholderText("1-100[1]")
        self.frames_edit.setToolTip(self.tr(
            "Frames as N or A-B[S], separated by commas, e.g. 1-100[1],120"))
        self.frames_edit.textChanged.connect(self._frames_changed)
        self.frames_status = QtWidgets.QLabel()
        self.frames_status.setObjectName("rvFramesStatus")
        self.frames_status.setWordWrap(True)
        self.env_combo = self._combo("rvEnv")
        self.env_combo.currentIndexChanged.connect(lambda i: self._field_changed("env_name"))
        self.hardware_combo = self._combo("rvHardware")
        self.hardware_combo.currentIndexChanged.connect(
            lambda i: self._field_changed("hardware_config_id"))
        self.pre_first = QtWidgets.QCheckBox(self.tr("First"))
        self.pre_middle = QtWidgets.QCheckBox(self.tr("Middle"))
        self.pre_last = QtWidgets.QCheckBox(self.tr("Last"))
        self.pre_custom = self._line("rvPriorityCustom", "pre_frames",
                                     self.tr("or frames, e.g. 1,50"))
        priority = QtWidgets.QHBoxLayout()
        for box in (self.pre_first, self.pre_middle, self.pre_last):
            box.toggled.connect(lambda on: self._field_changed("pre_frames"))
            priority.addWidget(box)
        priority.addWidget(self.pre_custom, 1)
        self.stop_after_test = QtWidgets.QCheckBox(
            self.tr("Pause after the priority frames (test, then full speed)"))
        self.stop_after_test.setObjectName("rvStopAfterTest")
        self.stop_after_test.toggled.connect(lambda on: self._field_changed("stop_after_test"))
        self.labels_edit = self._line("rvLabels", "labels", self.tr("comma-separated"))
        self.output_edit = self._line("rvOutputDir", "output_dir",
                                      self.tr("Folder for downloaded frames"))
        browse = QtWidgets.QToolButton()
        browse.setIcon(style.icon("folder"))
        browse.setToolTip(self.tr("Choose a folder"))
        browse.clicked.connect(self._browse_output)
        output_row = QtWidgets.QHBoxLayout()
        output_row.addWidget(self.output_edit, 1)
        output_row.addWidget(browse)
        box = QtWidgets.QGroupBox(self.tr("Job"))
        form = QtWidgets.QFormLayout(box)
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
        self.transfer_choice = TransferChoice()
        form.addRow(self.tr("Transfer"), self.transfer_choice)
        return box

    # -- filling -----------------------------------------------------------------------
    def _filling(self, fill, *args):
        self._applying += 1
        try:
            fill(*args)
        finally:
            self._applying -= 1

    def fill_from_scene(self, scene, dirty=False):
        """Show ``scene`` and reset the fields to its values (cameras, frames, name)."""
        self._host_version = scene.host_version
        self._renderer_plugin = str((scene.extra or {}).get("renderer_plugin") or "")
        self._filling(self._fill_scene, scene, dirty)

    def _fill_scene(self, scene, dirty):
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
        self.save_first.setVisible(dirty)
        self.camera_list.blockSignals(True)
        self.camera_list.clear()
        for camera in scene.cameras:
            item = QtWidgets.QListWidgetItem(camera.name)
            item.setFlags(item.flags() | QtCore.Qt.ItemIsUserCheckable)
            item.setCheckState(QtCore.Qt.Checked if camera.renderable else QtCore.Qt.Unchecked)
            self.camera_list.addItem(item)
        self.camera_list.blockSignals(False)
        self.frames_edit.setText(scene.frame_list or logic.FramesField.default_text(
            scene.frame_start, scene.frame_end, scene.frame_step))
        self.project_edit.setText(scene.scene_name or "")

    def apply_memory(self, values):
        """Fill the fields remembered for this scene that the user has not touched yet."""
        self._filling(self._apply_memory, values)

    def _apply_memory(self, values):
        self.remembered = values
        untouched = lambda name: name not in self._touched and name in values
        if untouched("project_name"):
            self.project_edit.setText(values["project_name"])
        if untouched("frames"):
            self.frames_edit.setText(values["frames"])
        if untouched("cameras"):
            wanted = set(values["cameras"] or [])
            items = [self.camera_list.item(row) for row in range(self.camera_list.count())]
            if wanted & set(item.text() for item in items):
                self.camera_list.blockSignals(True)
                for item in items:
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
        self._show_envs()
        self._show_hardware()

    def keep_typed(self, scene, dirty):
        """After the scene was read again: its values, but the name and frames as typed."""
        typed = self.field_values()
        self.fill_from_scene(scene, dirty)
        self.project_edit.setText(typed["project_name"])
        self.frames_edit.setText(typed["frames"])

    def set_envs(self, envs):
        self._envs = envs
        self._filling(self._show_envs)

    def set_hardware(self, configs):
        self._hardware = configs
        self._filling(self._show_hardware)

    def _show_envs(self):
        if self._envs is None:
            return
        current = self.env_combo.currentIndex()
        keep = ("env_name" in self._touched and 0 <= current < len(self.env_choice.envs)
                and self.env_choice.envs[current].get("editName"))
        self.env_choice = logic.EnvChoice(self._envs, keep or self.remembered.get("env_name"),
                                          self._host_version, self._renderer_plugin)
        self.env_combo.blockSignals(True)
        self.env_combo.clear()
        for label in self.env_choice.labels:
            self.env_combo.addItem(label)
        if not self.env_choice.envs:
            self.env_combo.addItem(self.tr("No render environment: add one on the website"))
        if self.env_choice.envs:  # -1 when none stands out: the user chooses
            self.env_combo.setCurrentIndex(self.env_choice.default_index)
        self.env_combo.setEnabled(bool(self.env_choice.envs))
        problem = self.env_choice.problem
        self.env_combo.setToolTip(problem.hint if problem is not None else "")
        if hasattr(self.env_combo, "setPlaceholderText"):  # Qt 5.15+
            self.env_combo.setPlaceholderText(self.tr("Choose a render environment"))
        self.env_combo.blockSignals(False)

    def _show_hardware(self):
        if self._hardware is None:
            return
        self.hardware_choice = logic.HardwareChoice(self._hardware,
                                                    self.remembered.get("hardware_config_id"))
        self.hardware_combo.blockSignals(True)
        self.hardware_combo.clear()
        for label in self.hardware_choice.labels:
            self.hardware_combo.addItem(label)
        self.hardware_combo.setCurrentIndex(max(0, self.hardware_choice.default_index))
        self.hardware_combo.setEnabled(bool(self.hardware_choice.configs))
        self.hardware_combo.blockSignals(False)

    # -- the user's changes ------------------------------------------------------------
    def _field_changed(self, name):
        if not self._applying:
            self._touched.add(name)
        self.changed.emit(name)

    def _frames_changed(self, text):
        state = self.frames_field.check(text)
        self.frames_status.setText(self.tr(state.summary) if state.valid else
                                   "{} ({})".format(state.message, state.hint))
        self.frames_status.setProperty("state", "ok" if state.valid else "error")
        self.frames_status.style().unpolish(self.frames_status)
        self.frames_status.style().polish(self.frames_status)
        self._field_changed("frames")

    def _browse_output(self):
        folder = QtWidgets.QFileDialog.getExistingDirectory(
            self, self.tr("Download the rendered frames to"), self.output_edit.text())
        if folder:
            self.output_edit.setText(folder)

    # -- what the form says ------------------------------------------------------------
    def checked_cameras(self):
        return [self.camera_list.item(row).text() for row in range(self.camera_list.count())
                if self.camera_list.item(row).checkState() == QtCore.Qt.Checked]

    def priority(self):
        return logic.PriorityFrames(self.pre_first.isChecked(), self.pre_middle.isChecked(),
                                    self.pre_last.isChecked(), self.pre_custom.text())

    def env(self):
        """The chosen render environment (a getRenderEnv dict) or None."""
        return self.env_choice.env(self.env_combo.currentIndex())

    def hardware_config(self):
        return self.hardware_choice.config(self.hardware_combo.currentIndex())

    def field_values(self):
        """The fields remembered for this scene."""
        env = self.env()
        config = self.hardware_config()
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

    def build_spec(self, scene, ignored=()):
        """The JobSpec of what the form shows now (cheap: no disk, no network)."""
        from rayvision_dcc.job.spec import JobSpec
        values = self.field_values()
        config = self.hardware_config() or {}
        gpu = str(config.get("gpuNum") or "")
        return JobSpec(
            scene=scene, cameras=values["cameras"], frames=values["frames"],
            render_env=dict(self.env() or {}),
            hardware_config_id=str(config.get("id") or ""),
            ram=str(config.get("ram") or "64").upper().replace("GB", "").strip() or "64",
            gpu_num=gpu[:1] if gpu[:1].isdigit() else "",
            pre_frames=values["pre_frames"], stop_after_test=values["stop_after_test"],
            labels=values["labels"], project_name=values["project_name"],
            ignored_missing=list(ignored), output_dir=values["output_dir"])

    def blockers(self, validation, signed_in, busy):
        """Why Submit is disabled ([] when it is not)."""
        return logic.submit_blockers(
            self.frames_field.state, self.checked_cameras(), self.env(), validation,
            signed_in=signed_in, busy=busy, priority_error=self.priority().error)
