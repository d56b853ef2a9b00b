"""The bottom of the panel: the submission's progress, its result, errors, Submit/Cancel.

A view under both tabs: the panel runs the submission in a worker and tells this bar
what to show; the buttons are announced by ``submit_clicked`` / ``cancel_clicked``.
"""
from __future__ import annotations

from Qt import QtCore, QtWidgets

from rayvision_dcc.ui import style
from rayvision_dcc.ui.widgets import ErrorBox


class SubmitBar(QtWidgets.QWidget):

    submit_clicked = QtCore.Signal()
    cancel_clicked = QtCore.Signal()

    def __init__(self, parent=None):
        super(SubmitBar, self).__init__(parent)
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
        self.submit_button.clicked.connect(self.submit_clicked)
        self.cancel_button = QtWidgets.QPushButton(style.icon("cancel"), self.tr("Cancel"))
        self.cancel_button.setObjectName("rvCancelButton")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel_clicked)
        buttons = QtWidgets.QHBoxLayout()
        buttons.addWidget(self.blockers_label, 1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.submit_button)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.progress_box)
        layout.addWidget(self.task_row)
        layout.addWidget(self.status_label)
        layout.addWidget(self.error)
        layout.addLayout(buttons)

    def show_blockers(self, reasons):
        """Enable Submit when ``reasons`` is empty, else say what is missing."""
        self.submit_button.setEnabled(not reasons)
        self.blockers_label.setText(self.tr("To submit: ") + "; ".join(
            self.tr(reason) for reason in reasons) if reasons else "")

    def show_started(self):
        self.error.clear()
        self.status_label.clear()
        self.task_row.setVisible(False)
        self.progress_box.setVisible(True)
        self.phase_label.setText(self.tr("Preparing"))
        self.progress_detail.clear()
        self.progress.setRange(0, 0)
        self.cancel_button.setEnabled(True)
        self.cancel_button.setText(self.tr("Cancel"))

    def show_cancelling(self):
        self.cancel_button.setEnabled(False)
        self.cancel_button.setText(self.tr("Cancelling..."))
        self.phase_label.setText(self.tr("Cancelling..."))

    def show_progress(self, text):
        """Show one ``logic.ProgressText``."""
        self.phase_label.setText(self.tr(text.phase))
        if text.per_mille < 0:
            self.progress.setRange(0, 0)
        else:
            self.progress.setRange(0, 1000)
            self.progress.setValue(text.per_mille)
        self.progress_detail.setText(text.detail or text.message)
        if text.task_id:
            self.show_task_id(text.task_id)

    def show_task_id(self, task_id):
        self.task_id_field.setText(str(task_id))
        self.task_row.setVisible(True)

    def show_submitted(self, task_id):
        self.show_task_id(task_id)
        self.progress.setRange(0, 1000)
        self.progress.setValue(1000)
        self.phase_label.setText(self.tr("Submitted"))
        self.progress_box.setVisible(False)
        self.status_label.setText(self.tr(
            "Task {} is on the farm. Follow it under Tasks.").format(task_id))

    def show_failed(self, error, traceback_text, cancelled=False):
        self.progress_box.setVisible(False)
        if cancelled:
            self.status_label.setText(self.tr(
                "Submission cancelled. What was sent is kept: Submit offers to resume it."))
        else:
            self.error.show_error(error, traceback_text)

    def show_finished(self):
        self.cancel_button.setEnabled(False)
        self.cancel_button.setText(self.tr("Cancel"))

    def copy_task_id(self):
        QtWidgets.QApplication.clipboard().setText(self.task_id_field.text())
