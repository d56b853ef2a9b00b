"""The task monitor: rows of tasks and frames, the actions they allow, when to poll.

Status names and colours come from the API layer's one table (``api.statuses``)."""
from __future__ import annotations

import time

from rayvision_dcc.api.statuses import ACTIVE, TERMINAL, frame_status, task_status
from rayvision_dcc.ui.logic.progress import format_duration
from rayvision_dcc.ui.logic.values import as_int

class TaskRow(object):
    """One task of ``getTaskList`` as the monitor shows it."""

    def __init__(self, item):
        self.raw = item
        self.id = as_int(item.get("id"))
        self.name = item.get("taskAlias") or "T{}".format(self.id)
        self.scene = item.get("sceneName") or ""
        self.project = item.get("projectName") or ""
        status = task_status(item.get("taskStatus"))  # the API layer's one table
        self.status = as_int(item.get("taskStatus"), -1)
        self.status_text, self.colour = status.label, status.colour
        if status.name == "UNKNOWN" and item.get("statusText"):
            self.status_text = item["statusText"]
        self.total = as_int(item.get("totalFrames"))
        self.done = as_int(item.get("doneFrames"))
        self.failed = as_int(item.get("failedFrames"))
        self.running = as_int(item.get("executingFrames"))
        self.output_name = item.get("outputFileName") or ""
        submitted = item.get("submitDate")
        self.submitted = (time.strftime("%Y-%m-%d %H:%M", time.localtime(as_int(submitted) / 1000.0))
                          if submitted else "")
        self.children = [TaskRow(child) for child in (item.get("respRenderingTaskList") or [])
                         if isinstance(child, dict)]

    @property
    def progress_text(self):
        if not self.total:
            return ""
        text = "{}/{}".format(self.done, self.total)
        if self.failed:
            text += " ({} failed)".format(self.failed)
        return text

    @property
    def per_mille(self):
        return int(1000 * self.done / self.total) if self.total else 0

    @property
    def terminal(self):
        return self.status in TERMINAL


class TaskPage(object):
    """One page of ``getTaskList``: rows, page number and count."""

    def __init__(self, data, page=1, page_size=20):
        data = data or {}
        items = data.get("items") if isinstance(data, dict) else data
        self.rows = [TaskRow(item) for item in (items or []) if isinstance(item, dict)]
        self.page = as_int(data.get("pageNum"), page) if isinstance(data, dict) else page
        self.total = as_int(data.get("total"), len(self.rows)) if isinstance(data, dict) else len(self.rows)
        size = page_size or 20
        self.page_count = max(1, as_int(data.get("pageCount"), 0) if isinstance(data, dict) else 0,
                              (self.total + size - 1) // size)

    @property
    def any_active(self):
        return any(row.status in ACTIVE or row.status == 5 for row in self.rows)


class FrameRow(object):
    """One frame of ``queryTaskFrames``."""

    def __init__(self, item):
        self.raw = item
        self.id = as_int(item.get("id"))
        self.index = str(item.get("frameIndex") or item.get("frameBlock") or "")
        status = frame_status(item.get("frameStatus"))
        self.status = as_int(item.get("frameStatus"), -1)
        self.status_text, self.colour = status.label, status.colour
        seconds = item.get("frameExecuteTime")
        self.render_time = format_duration(as_int(seconds)) if seconds is not None else ""
        self.has_thumbnail = self.status == 4


def frame_rows(data):
    data = data or {}
    items = data.get("items") if isinstance(data, dict) else data
    return [FrameRow(item) for item in (items or []) if isinstance(item, dict)]


#: The monitor's actions: name -> (label, RenderClient method).
ACTIONS = (
    ("stop", "Stop", "stop_tasks"),
    ("start", "Start", "start_tasks"),
    ("abandon", "Abandon", "abandon_tasks"),
    ("restart_failed", "Restart failed frames", "restart_failed_frames"),
    ("full_speed", "Full speed", "full_speed"),
)


def allowed_actions(rows):
    """The actions that make sense for the selected tasks (a set of action names)."""
    allowed = set()
    for row in rows:
        if row.status in (0, 1, 5, 8, 50):
            allowed.update(("stop", "abandon"))
        if row.status in (10, 15, 23, 40):
            allowed.update(("start", "abandon"))
        if row.status == 40:
            allowed.add("full_speed")
        if row.failed or row.status in (30, 45):
            allowed.add("restart_failed")
    return allowed


class PollPolicy(object):
    """When the monitor asks the farm again.

    Every ``interval`` seconds while tasks are active, ``idle_interval`` when all shown
    tasks have ended, doubling after each failure up to ``max_interval``; never while the
    monitor is hidden (``visible`` False).
    """

    def __init__(self, interval=10.0, idle_interval=30.0, max_interval=120.0):
        self.interval = float(interval)
        self.idle_interval = max(float(idle_interval), self.interval)
        self.max_interval = max(float(max_interval), self.idle_interval)
        self.failures = 0
        self.active = True
        self.visible = False

    def succeeded(self, any_active):
        self.failures = 0
        self.active = bool(any_active)

    def failed(self):
        self.failures += 1

    @property
    def delay(self):
        """Seconds until the next poll, or None when polling is paused."""
        if not self.visible:
            return None
        base = self.interval if self.active else self.idle_interval
        if self.failures:
            base = min(self.max_interval, self.interval * (2 ** self.failures))
        return base
