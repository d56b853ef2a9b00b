"""Small widgets shared by the panel, the sign-in dialog and the monitor."""
from __future__ import annotations

from Qt import QtCore, QtWidgets

from rayvision_dcc.ui import style
from rayvision_dcc.ui.logic import ErrorText


class ErrorBox(QtWidgets.QFrame):
    """An error as people read it: the message, what to do, and a collapsed "Details"
    part (kind, code, request id). Never a traceback dialog, never a secret."""

    def __init__(self, parent=None):
        super(ErrorBox, self).__init__(parent)
        self.setObjectName("rvErrorBox")
        self.message = QtWidgets.QLabel()
        self.message.setObjectName("rvErrorMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(QtCore.Qt.TextSelectableByMouse)
        self.hint = QtWidgets.QLabel()
        self.hint.setWordWrap(True)
        self.hint.setTextInteractionFlags(QtCore.Qt.TextSelectableByMouse)
        self.toggle = QtWidgets.QToolButton()
        self.toggle.setText(self.tr("Details"))
        self.toggle.setCheckable(True)
        self.toggle.setArrowType(QtCore.Qt.RightArrow)
        self.toggle.setToolButtonStyle(QtCore.Qt.ToolButtonTextBesideIcon)
        self.toggle.setAutoRaise(True)
        self.toggle.toggled.connect(self._toggled)
        self.details = QtWidgets.QPlainTextEdit()
        self.details.setObjectName("rvErrorDetails")
        self.details.setReadOnly(True)
        self.details.setVisible(False)
        self.details.setMaximumHeight(self.fontMetrics().lineSpacing() * 8)
        icon = QtWidgets.QLabel()
        size = self.fontMetrics().height()
        icon.setPixmap(style.icon("error").pixmap(size, size))
        top = QtWidgets.QHBoxLayout()
        top.addWidget(icon, 0, QtCore.Qt.AlignTop)
        top.addWidget(self.message, 1)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.hint)
        layout.addWidget(self.toggle, 0, QtCore.Qt.AlignLeft)
        layout.addWidget(self.details)
        self.setVisible(False)

    def _toggled(self, shown):
        self.toggle.setArrowType(QtCore.Qt.DownArrow if shown else QtCore.Qt.RightArrow)
        self.details.setVisible(shown)

    def show_error(self, error, traceback_text=""):
        text = ErrorText(error, traceback_text)
        self.message.setText(text.message)
        self.hint.setText(text.hint)
        self.hint.setVisible(bool(text.hint))
        self.details.setPlainText(text.details)
        self.toggle.setChecked(False)
        self.setVisible(True)
        return text

    def clear(self):
        self.message.clear()
        self.details.clear()
        self.setVisible(False)
