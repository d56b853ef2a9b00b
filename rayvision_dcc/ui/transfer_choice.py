"""The panel's transfer setting: which engine the submissions use (docs/transfer.md).

The ``transfer_engine`` setting the CLI reads too; "Automatic" follows what the service
announces. The panel reads it with the account and stores it when it submits (both in a
worker: this widget does no disk work). An engine the service does not announce is refused
at submit time with the list of those it does.
"""
from __future__ import annotations

from Qt import QtWidgets

from rayvision_dcc.job.engines import CHOICES

LABELS = {"auto": "Automatic (the service's default line)", "aspera": "Aspera",
          "raysync": "Raysync", "http": "HTTP (local farm)"}


class TransferChoice(QtWidgets.QComboBox):

    def __init__(self, parent=None):
        super(TransferChoice, self).__init__(parent)
        self.setObjectName("rvTransferEngine")
        self.setToolTip(self.tr("How files go to the farm; kept for the next submissions"))
        for engine in CHOICES:
            self.addItem(self.tr(LABELS[engine]), engine)

    def engine(self):
        return self.currentData()

    def set_engine(self, engine):
        index = self.findData(engine or "auto")
        self.setCurrentIndex(index if index >= 0 else 0)


def stored_engine():
    """The setting (worker side)."""
    from rayvision_dcc.api.config import read_config
    return read_config().get("transfer_engine") or "auto"


def store_engine(engine):
    """Keep ``engine`` as the setting when it changed (worker side)."""
    if engine and engine != stored_engine():
        from rayvision_dcc.api.config import update_config
        update_config(transfer_engine=engine)
