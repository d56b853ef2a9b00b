"""The panel's transfer setting: which engine the submissions use (docs/transfer.md).

Stored as the ``transfer_engine`` setting the CLI reads too; "Automatic" follows what the
service announces. An engine the service does not announce is refused at submit time with
the list of those it does.
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
        self.setToolTip(self.tr("How files go to the farm; saved for every submission"))
        for engine in CHOICES:
            self.addItem(self.tr(LABELS[engine]), engine)
        from rayvision_dcc.api.config import read_config
        try:
            current = read_config().get("transfer_engine") or "auto"
        except Exception:  # a broken config file is reported where it is used
            current = "auto"
        index = self.findData(current)
        self.setCurrentIndex(index if index >= 0 else 0)
        self.currentIndexChanged.connect(self._save)

    def engine(self):
        return self.currentData()

    def _save(self, index):
        from rayvision_dcc.api.config import update_config
        update_config(transfer_engine=self.itemData(index))
