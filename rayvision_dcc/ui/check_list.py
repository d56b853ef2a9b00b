"""The panel's check list: what the validation found, each line with what to do.

Shows a ``logic.ValidationList``; "Check again" asks the panel to read the scene again
(``recheck_clicked``); "Submit without this file" hands the selected missing file's
path to the panel (``ignore_clicked``).
"""
from __future__ import annotations

from Qt import QtCore, QtWidgets

from rayvision_dcc.ui import style

#: At most this many lines are shown (a scene with thousands of missing files).
MAX_LINES = 500


class CheckList(QtWidgets.QGroupBox):

    recheck_clicked = QtCore.Signal()
    ignore_clicked = QtCore.Signal(str)

    def __init__(self, parent=None):
        super(CheckList, self).__init__(parent)
        self.setTitle(self.tr("Check"))
        em = self.fontMetrics().height()
        self.ignored = []
        self.check_summary = QtWidgets.QLabel(self.tr("Checking the scene..."))
        self.check_summary.setObjectName("rvCheckSummary")
        self.issue_list = QtWidgets.QTreeWidget()
        self.issue_list.setObjectName("rvIssues")
        self.issue_list.setHeaderHidden(True)
        self.issue_list.setRootIsDecorated(False)
        self.issue_list.setWordWrap(True)
        self.issue_list.setMinimumHeight(em * 5)
        self.issue_list.itemSelectionChanged.connect(self._selection_changed)
        self.recheck_button = QtWidgets.QPushButton(style.icon("refresh"), self.tr("Check again"))
        self.recheck_button.setObjectName("rvRecheck")
        self.recheck_button.clicked.connect(self.recheck_clicked)
        self.ignore_button = QtWidgets.QPushButton(self.tr("Submit without this file"))
        self.ignore_button.setObjectName("rvIgnore")
        self.ignore_button.setToolTip(self.tr(
            "Render without the selected missing file (remembered for this scene)"))
        self.ignore_button.setEnabled(False)
        self.ignore_button.clicked.connect(self._ignore)
        buttons = QtWidgets.QHBoxLayout()
        buttons.addWidget(self.check_summary, 1)
        buttons.addWidget(self.ignore_button)
        buttons.addWidget(self.recheck_button)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.issue_list)

    def show_checking(self):
        self.check_summary.setText(self.tr("Checking the scene..."))

    def show_unreadable(self):
        self.check_summary.setText(self.tr("The scene could not be read"))

    def show_issues(self, validation):
        self.issue_list.setUpdatesEnabled(False)
        self.issue_list.clear()
        for issue in validation.issues[:MAX_LINES]:
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

    def selected_path(self):
        """The missing file of the selected line, or ""."""
        items = self.issue_list.selectedItems()
        return (items[0].data(0, QtCore.Qt.UserRole) if items else "") or ""

    def _selection_changed(self):
        path = self.selected_path()
        self.ignore_button.setEnabled(bool(path) and path not in self.ignored)

    def _ignore(self):
        path = self.selected_path()
        if path:
            self.ignore_button.setEnabled(False)
            self.ignore_clicked.emit(path)
