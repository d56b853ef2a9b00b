"""Task and frame statuses by name: the one table the CLI, the panel and the demo read.

Codes from render-api-protocol.txt ("Task status description", the ``taskStatus`` memo of
queryTaskInfo, and the frame statuses of queryTaskFrames / job-files.md). A code the table
does not know reads "status N" (never a bare number where a word belongs).
"""
from __future__ import annotations

from collections import namedtuple

#: ``label`` for people, ``colour`` for the panel (reads on light and dark themes),
#: ``terminal``: nothing more happens to the task by itself.
Status = namedtuple("Status", "code name label colour terminal")

_GREY, _BLUE, _ORANGE, _RED, _GREEN, _PURPLE = (
    "#8a8f98", "#2d7ff9", "#d9822b", "#d64545", "#2f9e5b", "#8e5bd9")

TASK_STATUSES = (
    Status(0, "WAITING", "Waiting", _GREY, False),
    Status(1, "WAITING", "Waiting", _GREY, False),
    Status(5, "RENDERING", "Rendering", _BLUE, False),
    Status(8, "PRE_RENDERING", "Preprocessing", _BLUE, False),
    Status(10, "STOP", "Stopped", _ORANGE, True),
    Status(15, "USER_STOP", "Stopped", _ORANGE, True),
    Status(20, "ARREARAGE_STOP", "Stopped (arrears)", _RED, True),
    Status(23, "TIME_OUT_STOP", "Stopped (timeout)", _RED, True),
    Status(25, "FINISHED", "Done", _GREEN, True),
    Status(30, "FINISHED_HAS_FAILED", "Done, some failed", _ORANGE, True),
    Status(35, "ABANDON", "Abandoned", _GREY, True),
    Status(40, "FINISHED_TEST", "Test done", _PURPLE, False),
    Status(45, "FAILED", "Failed", _RED, True),
    Status(50, "ANALYSE", "Analysing", _BLUE, False),
    Status(100, "UPDATING", "Updating", _GREY, False),
)

FRAME_STATUSES = (
    Status(1, "WAITING", "Waiting", _GREY, False),
    Status(2, "RENDERING", "Rendering", _BLUE, False),
    Status(3, "STOPPED", "Stopped", _ORANGE, True),
    Status(4, "DONE", "Done", _GREEN, True),
    Status(5, "FAILED", "Failed", _RED, True),
    Status(6, "WAITING_PREPROCESS", "Waiting (preprocess)", _GREY, False),
    Status(7, "WAITING_PHOTON", "Waiting (photon)", _GREY, False),
    Status(8, "WAITING_PRIORITY", "Waiting (priority)", _GREY, False),
    Status(9, "WAITING_PHOTON_JOB", "Waiting (photon job)", _GREY, False),
    Status(10, "WAITING_SOLVE", "Waiting (simulation)", _GREY, False),
    Status(11, "TIMED_OUT", "Timed out", _RED, True),
)

TASK = {status.code: status for status in TASK_STATUSES}
FRAME = {status.code: status for status in FRAME_STATUSES}

#: Task statuses after which nothing more happens (40, "test done", waits for the user).
TERMINAL = frozenset(status.code for status in TASK_STATUSES if status.terminal)
TEST_DONE = 40
#: Statuses of a task that is still on its way (the monitor keeps polling).
ACTIVE = frozenset((0, 1, 5, 8, 50, 100))
FINISHED_OK = 25


def _code(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _unknown(value, colour=_GREY):
    return Status(_code(value), "UNKNOWN",
                  "unknown" if value is None else "status {}".format(value), colour, False)


def task_status(value):
    """The :class:`Status` of a ``taskStatus`` (an int, a numeric string or None)."""
    return TASK.get(_code(value)) or _unknown(value)


def frame_status(value):
    """The :class:`Status` of a ``frameStatus``."""
    return FRAME.get(_code(value)) or _unknown(value)


def task_label(value):
    """``"Done"``, ``"Rendering"``...; ``"status 77"`` for a code not in the table."""
    return task_status(value).label


def frame_label(value):
    return frame_status(value).label
