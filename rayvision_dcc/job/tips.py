"""``Tip``: one finding of validation (a farm tip code, or one of ours without a code)."""
from __future__ import annotations

from dataclasses import dataclass

#: Tip codes we emit and their titles (for messages; the farm's error-detail endpoint
#: has the authoritative text).
TIP_TITLES = {
    "10012": "missing texture or map",
    "10018": "Alembic cache missing",
    "10027": "frames of a texture sequence missing",
    "10028": "OpenVDB cache missing",
    "10035": "no active or renderable camera",
    "15006": "no camera",
    "15013": "scene version does not match the render environment",
    "15024": "scene file not found",
    "35001": "missing file",
    "46000": "movie output format",
    "46001": "frame step is not 1",
    "46002": "EEVEE needs a GPU",
    "46003": "scene has no camera",
}

ERROR = "error"
WARNING = "warning"


@dataclass
class Tip:
    """One finding of ``validate``. ``code`` "" means a check of ours with no farm code:
    it is shown, but not written to tips.json."""

    code: str
    severity: str
    detail: str = ""
    hint: str = ""

    @property
    def is_error(self):
        return self.severity == ERROR

    @property
    def title(self):
        return TIP_TITLES.get(self.code, "")

    def to_dict(self):
        return {"code": self.code, "severity": self.severity, "detail": self.detail,
                "hint": self.hint, "title": self.title}
