"""The panel's account bar: who is signed in, on which service and platform.

A view: it shows what the panel tells it and says what the user chose by signal; the
panel opens the session in a worker (``panel.open_session``).
"""
from __future__ import annotations

from Qt import QtCore, QtWidgets

from rayvision_dcc.ui import logic, style


class AccountBar(QtWidgets.QWidget):
    """Account line, service (zone) and platform combos, the sign-in button."""

    zone_chosen = QtCore.Signal(str)      # the domain the user picked
    platform_chosen = QtCore.Signal(str)  # the platform id the user picked
    sign_in_clicked = QtCore.Signal()

    def __init__(self, parent=None):
        super(AccountBar, self).__init__(parent)
        self.domain = None
        self.account_label = QtWidgets.QLabel(self.tr("Connecting..."))
        self.account_label.setObjectName("rvAccount")
        self.zone_combo = QtWidgets.QComboBox()
        self.zone_combo.setObjectName("rvZoneCombo")
        for key, label in logic.ZONES:
            self.zone_combo.addItem(self.tr(label), key)
        self.zone_combo.activated.connect(self._zone_activated)
        self.platform_combo = QtWidgets.QComboBox()
        self.platform_combo.setObjectName("rvPlatformCombo")
        self.platform_combo.setToolTip(self.tr("Render platform"))
        self.platform_combo.activated.connect(self._platform_activated)
        self.platform_combo.setVisible(False)
        self.sign_in_button = QtWidgets.QPushButton(style.icon("signin"), self.tr("Sign in..."))
        self.sign_in_button.setObjectName("rvSignInOpen")
        self.sign_in_button.clicked.connect(self.sign_in_clicked)
        layout = QtWidgets.QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.account_label, 1)
        layout.addWidget(self.zone_combo)
        layout.addWidget(self.platform_combo)
        layout.addWidget(self.sign_in_button)

    def show_connecting(self):
        self.account_label.setText(self.tr("Connecting..."))

    def show_signed_out(self, domain):
        self.show_zone(domain)
        self.account_label.setText(self.tr("Not signed in"))
        self.sign_in_button.setText(self.tr("Sign in..."))

    def show_signed_in(self, profile, domain, platforms, platform):
        self.show_zone(domain)
        self.account_label.setText(logic.account_text(profile, domain))
        self.sign_in_button.setText(self.tr("Switch account..."))
        self.set_platforms(platforms, platform)

    def show_not_connected(self):
        self.account_label.setText(self.tr("Not connected"))

    def show_zone(self, domain):
        zone = logic.zone_of(domain)
        index = self.zone_combo.findData(zone or domain)
        if index < 0:
            self.zone_combo.addItem(self.tr("Other: {}").format(domain), domain)
            index = self.zone_combo.count() - 1
        self.zone_combo.setCurrentIndex(index)
        self.domain = domain

    def set_platforms(self, platforms, current):
        self.platform_combo.clear()
        for item in platforms:
            if isinstance(item, dict) and item.get("platform") is not None:
                name = str(item.get("name") or item["platform"]).replace("query_platform_", "")
                self.platform_combo.addItem(name, str(item["platform"]))
        if self.platform_combo.findData(str(current)) < 0:
            self.platform_combo.addItem(str(current), str(current))
        self.platform_combo.setCurrentIndex(self.platform_combo.findData(str(current)))
        self.platform_combo.setVisible(True)

    def _zone_activated(self, index):
        from rayvision_dcc.api.config import DOMAINS
        value = self.zone_combo.itemData(index)
        domain = DOMAINS.get(value, value)
        if domain != self.domain:
            self.zone_chosen.emit(domain)

    def _platform_activated(self, index):
        platform = self.platform_combo.itemData(index)
        if platform:
            self.platform_chosen.emit(platform)
