"""The sign-in dialog: access id and key, checked with queryUserProfile, then stored the
way the API core stores them (the key in the keyring or a 0600 file, never the config)."""
from __future__ import annotations

from Qt import QtCore, QtWidgets

from rayvision_dcc.ui import style
from rayvision_dcc.ui.logic import ZONES, zone_of
from rayvision_dcc.ui.widgets import ErrorBox


def check_and_store(job, client_factory, access_id, access_key, domain, platform):
    """Worker: sign in the one way (``api.signin.sign_in``): check the keys, store them."""
    from rayvision_dcc.api.signin import sign_in
    done = sign_in(access_id, access_key, domain=domain, platform=platform,
                   client_factory=client_factory)
    return done.client, done.profile


class SignInDialog(QtWidgets.QDialog):
    """``signed_in(client, profile)`` is emitted when the service accepted the keys."""

    signed_in = QtCore.Signal(object, object)

    def __init__(self, workers, client_factory, domain="", platform="", access_id="",
                 parent=None):
        super(SignInDialog, self).__init__(parent)
        self.setObjectName("rvSignIn")
        self.setWindowTitle(self.tr("Sign in to the render farm"))
        self.setWindowIcon(style.icon("app"))
        self.setStyleSheet(style.style_sheet())
        self.workers = workers
        self.client_factory = client_factory
        self.platform = platform
        intro = QtWidgets.QLabel(self.tr(
            "Paste the AccessID and AccessKey from the website (User center > API). "
            "The key is kept in your system's keyring, or a file only you can read."))
        intro.setWordWrap(True)
        self.access_id = QtWidgets.QLineEdit(access_id)
        self.access_id.setObjectName("rvAccessId")
        self.access_key = QtWidgets.QLineEdit()
        self.access_key.setObjectName("rvAccessKey")
        self.access_key.setEchoMode(QtWidgets.QLineEdit.Password)
        self.zone = QtWidgets.QComboBox()
        self.zone.setObjectName("rvZone")
        for key, label in ZONES:
            self.zone.addItem(self.tr(label), key)
        self.custom_domain = ""
        if domain and not zone_of(domain):
            self.custom_domain = domain
            self.zone.addItem(self.tr("Other: {}").format(domain), domain)
            self.zone.setCurrentIndex(self.zone.count() - 1)
        elif domain:
            self.zone.setCurrentIndex(max(0, self.zone.findData(zone_of(domain))))
        form = QtWidgets.QFormLayout()
        form.addRow(self.tr("AccessID"), self.access_id)
        form.addRow(self.tr("AccessKey"), self.access_key)
        form.addRow(self.tr("Service"), self.zone)
        self.error = ErrorBox()
        self.status = QtWidgets.QLabel()
        self.buttons = QtWidgets.QDialogButtonBox(QtWidgets.QDialogButtonBox.Cancel)
        self.sign_in_button = self.buttons.addButton(self.tr("Sign in"),
                                                     QtWidgets.QDialogButtonBox.AcceptRole)
        self.sign_in_button.setObjectName("rvSignInButton")
        self.sign_in_button.setDefault(True)
        self.buttons.accepted.connect(self.check)
        self.buttons.rejected.connect(self.reject)
        self.access_id.textChanged.connect(self._update)
        self.access_key.textChanged.connect(self._update)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(self.fontMetrics().height() * 26)
        self._update()

    def domain(self):
        from rayvision_dcc.api.config import DOMAINS
        value = self.zone.currentData()
        return DOMAINS.get(value, value)

    def _update(self):
        ready = bool(self.access_id.text().strip() and self.access_key.text().strip())
        self.sign_in_button.setEnabled(ready and not self.workers.is_busy("signin"))

    def check(self):
        if not self.sign_in_button.isEnabled():
            return
        self.error.clear()
        self.status.setText(self.tr("Checking the keys..."))
        self.workers.start("signin", check_and_store, self.client_factory,
                           self.access_id.text().strip(), self.access_key.text().strip(),
                           self.domain(), self.platform or None,
                           on_result=self._accepted, on_error=self._refused,
                           on_done=self._update)
        self._update()

    def _accepted(self, result):
        client, profile = result
        self.status.setText(self.tr("Signed in."))
        self.access_key.clear()
        self.signed_in.emit(client, profile)
        self.accept()

    def _refused(self, error, traceback_text):
        self.status.clear()
        self.error.show_error(error, traceback_text)

    def reject(self):
        self.workers.forget("signin")
        super(SignInDialog, self).reject()
