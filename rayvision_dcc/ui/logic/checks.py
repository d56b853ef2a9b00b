"""The check list: validation tips as lines with a severity, a text and what to do."""
from __future__ import annotations

from rayvision_dcc.ui.logic.values import field

#: Short texts for the tips codes (job-files.md section 3) shown in the validation list.
TIP_TEXTS = {
    "999": "Unknown analysis problem", "10010": "Broken material",
    "10011": "FumeFX cache missing", "10012": "Missing texture or map",
    "10013": "Gamma correction is on", "10018": "Alembic cache missing",
    "10019": "Krakatoa cache missing", "10020": "XMesh cache missing",
    "10021": "RealFlow cache missing", "10022": "Phoenix FD cache missing",
    "10025": "Scene uses XRef scenes", "10026": "Scene uses XRef objects",
    "10027": "Frames of an animated texture missing", "10028": "OpenVDB cache missing",
    "10030": "V-Ray proxy missing", "10032": "Hair cache missing",
    "10035": "No renderable camera", "15002": "Scene info unreadable",
    "15004": "Renderer not supported", "15005": "Renderer missing", "15006": "No camera",
    "15013": "Scene version does not match the software version",
    "15015": "Duplicate camera names", "15023": "Same texture name with different paths",
    "15024": "Scene file not found", "15032": "Texture path too long",
    "35001": "Missing file", "46000": "Movie output is not allowed",
    "46001": "Frame step is not 1", "46002": "Eevee needs a GPU platform",
    "46003": "Scene has no camera", "50001": "Missing file or cache",
}


#: Tips codes that are about one missing file (the detail is its path): the user may
#: choose to submit without it.
MISSING_FILE_CODES = frozenset(("35001", "10012", "10018", "10028", "50001", "10030"))


class Issue(object):
    """One line of the validation list: severity, code, what it is about, what to do.
    ``path`` is set when the line is about one missing file (it can be ignored)."""

    __slots__ = ("severity", "code", "title", "subject", "hint", "path")

    def __init__(self, severity, code, title, subject="", hint="", path=""):
        self.severity = severity if severity in ("error", "warning", "info") else "warning"
        self.code = str(code or "")
        self.title = title
        self.subject = subject
        self.hint = hint
        self.path = path

    @property
    def text(self):
        text = self.title
        if self.code and self.code.isdigit():
            text = "[{}] {}".format(self.code, text)
        if self.subject:
            text += ": " + self.subject
        return text

    def __repr__(self):
        return "Issue({!r}, {!r})".format(self.severity, self.text)


def issues_from_tips(tips):
    """``Tip(code, severity, detail, hint)`` objects (``validate(spec)``) -> ``[Issue]``."""
    issues = []
    for tip in tips or []:
        code = str(field(tip, "code", "") or "")
        detail = field(tip, "detail", "")
        if isinstance(detail, (list, tuple)):
            detail = ", ".join(str(d) for d in detail)
        detail = str(detail or "")
        title = TIP_TEXTS.get(code) or field(tip, "title", None) or ""
        if not title:
            title, detail = (detail, "") if detail else ("Check {}".format(code), "")
        title = title[:1].upper() + title[1:]
        severity = field(tip, "severity", "warning")
        path = detail if code in MISSING_FILE_CODES and detail else ""
        issues.append(Issue(severity, code, title, detail, field(tip, "hint", "") or "", path))
    return issues


class ValidationList(object):
    """The validation list's content; errors first. ``has_errors`` disables Submit."""

    def __init__(self, issues=()):
        order = {"error": 0, "warning": 1, "info": 2}
        self.issues = sorted(issues, key=lambda issue: order[issue.severity])

    @property
    def errors(self):
        return [i for i in self.issues if i.severity == "error"]

    @property
    def warnings(self):
        return [i for i in self.issues if i.severity == "warning"]

    @property
    def has_errors(self):
        return bool(self.errors)

    @property
    def summary(self):
        if not self.issues:
            return "No problems found"
        parts = []
        if self.errors:
            parts.append("{} error{}".format(len(self.errors), "" if len(self.errors) == 1 else "s"))
        if self.warnings:
            parts.append("{} warning{}".format(len(self.warnings),
                                               "" if len(self.warnings) == 1 else "s"))
        return ", ".join(parts) or "{} notes".format(len(self.issues))
