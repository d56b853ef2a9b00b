"""The submission's progress and errors as the panel shows them."""
from __future__ import annotations

from rayvision_dcc.errors import RayvisionError
from rayvision_dcc.ui.logic.values import field

def format_bytes(count):
    count = float(count or 0)
    for unit in ("B", "KB", "MB", "GB"):
        if abs(count) < 1024.0 or unit == "GB":
            if unit == "B":
                return "{:d} B".format(int(count))
            return "{:.1f} {}".format(count, unit)
        count /= 1024.0
    return "{:.1f} TB".format(count)


def format_rate(bytes_per_second):
    if not bytes_per_second or bytes_per_second <= 0:
        return ""
    return format_bytes(bytes_per_second) + "/s"


def format_duration(seconds):
    """``"45 s"``, ``"3 min 05 s"``, ``"2 h 07 min"``; ``""`` when unknown."""
    if seconds is None or seconds < 0:
        return ""
    seconds = int(round(seconds))
    if seconds < 60:
        return "{} s".format(seconds)
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return "{} min {:02d} s".format(minutes, seconds)
    hours, minutes = divmod(minutes, 60)
    return "{} h {:02d} min".format(hours, minutes)


PHASES = {
    "prepare": "Preparing", "scan": "Checking the scene", "check": "Checking the scene", "validate": "Checking the scene",
    "create": "Creating the task", "create_task": "Creating the task",
    "jobfiles": "Writing the job files", "job_files": "Writing the job files",
    "config": "Uploading the job files", "upload_config": "Uploading the job files",
    "upload": "Uploading files", "upload_assets": "Uploading files", "hash": "Hashing files",
    "submit": "Submitting", "done": "Submitted", "download": "Downloading",
    "monitor": "Rendering",
}


class ProgressText(object):
    """How one ``ProgressEvent`` reads in the panel: phase, files, bytes, rate and ETA,
    and the bar's value in per-mille (``-1``: unknown, show a busy bar)."""

    def __init__(self, event):
        phase = field(event, "phase", "") or ""
        self.phase = PHASES.get(phase, phase.replace("_", " ").capitalize())
        self.message = field(event, "message", "") or ""
        files_done, files_total = field(event, "files_done", 0), field(event, "files_total", 0)
        bytes_done, bytes_total = field(event, "bytes_done", 0), field(event, "bytes_total", 0)
        self.files = "{} of {} files".format(files_done or 0, files_total) if files_total else ""
        self.bytes = ("{} of {}".format(format_bytes(bytes_done), format_bytes(bytes_total))
                      if bytes_total else "")
        self.rate = format_rate(field(event, "rate", 0))
        eta = field(event, "eta", None)
        self.eta = "{} left".format(format_duration(eta)) if eta is not None and eta >= 0 else ""
        if bytes_total:
            self.per_mille = int(1000 * min(1.0, float(bytes_done or 0) / bytes_total))
        elif files_total:
            self.per_mille = int(1000 * min(1.0, float(files_done or 0) / files_total))
        else:
            self.per_mille = -1
        self.task_id = field(event, "task_id", None)

    @property
    def detail(self):
        return "  |  ".join(part for part in (self.files, self.bytes, self.rate, self.eta) if part)


class ErrorText(object):
    """An error as the panel shows it: a message for people, a hint, and details
    (kind, code, operation, request id; a traceback only for an unexpected error)."""

    def __init__(self, error, traceback_text=""):
        if isinstance(error, RayvisionError):
            self.message = error.message
            self.hint = error.hint or ""
            details = ["{}.{}".format(type(error).__module__, type(error).__name__)]
            for name in ("code", "operation", "request_id"):
                value = getattr(error, name, None)
                if value not in (None, ""):
                    details.append("{}: {}".format(name, value))
            self.details = "\n".join(details)
        else:
            self.message = "Something unexpected went wrong: {}".format(
                str(error) or type(error).__name__)
            self.hint = "try again; if it happens again, send the details to support"
            self.details = traceback_text or "{}: {}".format(type(error).__name__, error)
