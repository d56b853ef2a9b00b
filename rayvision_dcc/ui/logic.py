"""What the panel's fields accept and what its clicks mean, without a single widget.

Everything here is plain Python (no Qt), so it is tested without a display and reused by
any front end. The widgets in ``panel.py`` and ``monitor.py`` only show these objects.
"""
from __future__ import annotations

import json
import os
import time

from rayvision_dcc.errors import JobError, RayvisionError
from rayvision_dcc.job.frames import parse_frames

# -- frames --------------------------------------------------------------------------


class FramesState(object):
    """The verdict on one frames text: valid or not, how many frames, what is wrong."""

    __slots__ = ("text", "valid", "count", "message", "hint")

    def __init__(self, text, valid, count=0, message="", hint=""):
        self.text = text
        self.valid = valid
        self.count = count
        self.message = message
        self.hint = hint

    @property
    def summary(self):
        if not self.valid:
            return self.message
        return "1 frame" if self.count == 1 else "{} frames".format(self.count)


class FramesField(object):
    """The frames field: accepts the farm's syntax (``1-10[1]``, ``1,3-4[1]``) as typed.

    ``check(text)`` is cheap enough for every keystroke; the last verdict is kept so a
    repeated text is not parsed twice.
    """

    def __init__(self, text=""):
        self._last = None
        self.state = self.check(text) if text else FramesState("", False, 0,
                                                                 "the frame list is empty",
                                                                 "type frames like 1-10[1]")

    def check(self, text):
        text = (text or "").strip()
        if self._last is not None and self._last.text == text:
            return self._last
        try:
            count = len(parse_frames(text))
            state = FramesState(text, True, count)
        except JobError as exc:
            state = FramesState(text, False, 0, exc.message, exc.hint)
        self._last = state
        self.state = state
        return state

    @staticmethod
    def default_text(start, end, step=1):
        """The scene's range written the way the field expects it."""
        start, end, step = int(start), int(end), max(1, int(step or 1))
        if start == end:
            return str(start)
        return "{}-{}[{}]".format(start, end, step)


class PriorityFrames(object):
    """Priority (test) frames: first/middle/last flags plus an optional custom list.

    ``value`` is the job files' ``pre_frames`` string (``"000"``, ``"111"``,
    ``"000:1,3-4[1]"``); ``error`` says what is wrong with the custom list, or "".
    """

    def __init__(self, first=False, middle=False, last=False, custom=""):
        self.first, self.middle, self.last = bool(first), bool(middle), bool(last)
        self.custom = (custom or "").strip()

    @property
    def error(self):
        if not self.custom:
            return ""
        try:
            parse_frames(self.custom)
        except JobError as exc:
            return exc.message
        return ""

    @property
    def value(self):
        flags = "".join("1" if flag else "0" for flag in (self.first, self.middle, self.last))
        if self.custom and not self.error:
            return flags + ":" + self.custom
        return flags

    @property
    def any(self):
        return self.first or self.middle or self.last or bool(self.custom and not self.error)

    @classmethod
    def parse(cls, value):
        value = value or "000"
        flags, _, custom = value.partition(":")
        flags = (flags + "000")[:3]
        return cls(flags[0] == "1", flags[1] == "1", flags[2] == "1", custom)


def parse_labels(text):
    """``"a, b ,,c"`` -> ``["a", "b", "c"]`` (order kept, repeats dropped)."""
    labels = []
    for part in (text or "").split(","):
        part = part.strip()
        if part and part not in labels:
            labels.append(part)
    return labels


# -- remembered fields ----------------------------------------------------------------

#: The fields remembered per scene (what the artist chose last time for this scene).
REMEMBERED = ("project_name", "cameras", "frames", "env_name", "hardware_config_id",
              "pre_frames", "stop_after_test", "labels", "output_dir", "frames_per_task")


def _scene_key(scene_path):
    path = os.path.normpath(os.path.abspath(scene_path or "untitled"))
    return os.path.normcase(path).replace("\\", "/")


class SceneMemory(object):
    """The fields chosen last time, per scene, in the user config folder (never next to
    the scene). A small JSON file; the oldest scenes are forgotten past ``limit``.

    Reading and writing touch the disk: call ``load`` and ``save`` from a worker.
    """

    def __init__(self, path=None, limit=200):
        if path is None:
            from rayvision_dcc.api.config import config_dir
            path = os.path.join(config_dir(), "panel-fields.json")
        self.path = path
        self.limit = limit

    def _read(self):
        try:
            with open(self.path, "r", encoding="utf-8") as handle:
                data = json.load(handle)
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def load(self, scene_path):
        entry = self._read().get(_scene_key(scene_path)) or {}
        values = entry.get("fields") if isinstance(entry, dict) else None
        if not isinstance(values, dict):
            return {}
        return {key: value for key, value in values.items() if key in REMEMBERED}

    def save(self, scene_path, values):
        data = self._read()
        data[_scene_key(scene_path)] = {
            "fields": {key: value for key, value in values.items() if key in REMEMBERED},
            "saved": time.time()}
        if len(data) > self.limit:
            oldest = sorted(data, key=lambda k: (data[k] or {}).get("saved", 0))
            for key in oldest[:len(data) - self.limit]:
                del data[key]
        folder = os.path.dirname(self.path)
        if folder:
            os.makedirs(folder, exist_ok=True)
        tmp = self.path + ".tmp"
        with open(tmp, "w", encoding="utf-8") as handle:
            json.dump(data, handle, indent=1, sort_keys=True)
        os.replace(tmp, self.path)


# -- render environments and hardware -----------------------------------------------


def env_label(env):
    name = env.get("editName") or ""
    software = " ".join(str(part) for part in (env.get("cgName"), env.get("cgVersion")) if part)
    if name and software:
        label = "{} ({})".format(name, software)
    else:
        label = name or software or "environment"
    if env.get("isDefault") in (1, "1", True):
        label += " - default"
    return label


class EnvChoice(object):
    """The render environments of ``getRenderEnv`` and which one to preselect.

    Order of preference: the one remembered for this scene (by ``editName``), the user's
    default (``isDefault`` 1), one whose ``cgVersion`` is the host's version, the first.
    """

    def __init__(self, envs, remembered_name=None, host_version=None):
        self.envs = [env for env in (envs or []) if isinstance(env, dict)]
        self.labels = [env_label(env) for env in self.envs]
        self.default_index = self._pick(remembered_name, host_version)

    def _pick(self, remembered_name, host_version):
        if not self.envs:
            return -1
        if remembered_name:
            for index, env in enumerate(self.envs):
                if env.get("editName") == remembered_name:
                    return index
        for index, env in enumerate(self.envs):
            if env.get("isDefault") in (1, "1", True):
                return index
        if host_version:
            for index, env in enumerate(self.envs):
                if str(env.get("cgVersion")) == str(host_version):
                    return index
        return 0

    def env(self, index):
        return self.envs[index] if 0 <= index < len(self.envs) else None


def hardware_label(config):
    kind = {1: "CPU", 2: "GPU"}.get(config.get("type"), "")
    parts = [kind, config.get("model") or "", config.get("gpuNum") or "", config.get("ram") or ""]
    return " ".join(str(part) for part in parts if part) or "config {}".format(config.get("id"))


class HardwareChoice(object):
    """Enabled hardware configs (``status`` 1); preselects the remembered id, else the
    one marked ``current``, else the first."""

    def __init__(self, configs, remembered_id=None):
        self.configs = [c for c in (configs or []) if isinstance(c, dict)
                        and c.get("status", 1) in (1, "1", None)]
        self.labels = [hardware_label(c) for c in self.configs]
        self.default_index = -1
        if self.configs:
            self.default_index = 0
            for index, config in enumerate(self.configs):
                if config.get("current") in (1, "1", True):
                    self.default_index = index
            if remembered_id is not None:
                for index, config in enumerate(self.configs):
                    if str(config.get("id")) == str(remembered_id):
                        self.default_index = index

    def config(self, index):
        return self.configs[index] if 0 <= index < len(self.configs) else None


# -- account --------------------------------------------------------------------------

ZONES = (("renderbus", "Renderbus"), ("foxrenderfarm", "Fox Renderfarm"))


def zone_of(domain):
    """``"renderbus"``, ``"foxrenderfarm"`` or ``""`` (another domain, e.g. a local farm)."""
    from rayvision_dcc.api.config import DOMAINS
    for key, value in DOMAINS.items():
        if domain in (key, value):
            return key
    return ""


def account_text(profile, domain=""):
    """``"rayvision - balance 12.50 CNY + coupon 49.93"`` from a ``queryUserProfile`` answer."""
    profile = profile or {}
    name = profile.get("userName") or profile.get("name") or str(profile.get("userId") or "?")
    fox = zone_of(domain) == "foxrenderfarm" or profile.get("zone") == 2
    balance = profile.get("usdbalance" if fox else "rmbbalance")
    text = name
    if balance is not None:
        text += " - balance {:.2f} {}".format(float(balance), "USD" if fox else "CNY")
    coupon = profile.get("coupon")
    if coupon:
        text += " + coupon {:.2f}".format(float(coupon))
    return text


# -- validation -----------------------------------------------------------------------

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


def _attr(obj, name, default=None):
    if isinstance(obj, dict):
        return obj.get(name, default)
    return getattr(obj, name, default)


def issues_from_tips(tips):
    """``Tip(code, severity, detail, hint)`` objects (``validate(spec)``) -> ``[Issue]``."""
    issues = []
    for tip in tips or []:
        code = str(_attr(tip, "code", "") or "")
        detail = _attr(tip, "detail", "")
        if isinstance(detail, (list, tuple)):
            detail = ", ".join(str(d) for d in detail)
        detail = str(detail or "")
        title = TIP_TEXTS.get(code) or _attr(tip, "title", None) or ""
        if not title:
            title, detail = (detail, "") if detail else ("Check {}".format(code), "")
        title = title[:1].upper() + title[1:]
        severity = _attr(tip, "severity", "warning")
        path = detail if code in MISSING_FILE_CODES and detail else ""
        issues.append(Issue(severity, code, title, detail, _attr(tip, "hint", "") or "", path))
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


# -- submit readiness -----------------------------------------------------------------


def submit_blockers(frames_state, cameras, env, validation, signed_in=True, busy=False,
                    priority_error=""):
    """Why Submit is disabled, as a list of short reasons ([] means it is enabled)."""
    reasons = []
    if busy:
        reasons.append("a submission is running")
    if not signed_in:
        reasons.append("sign in first")
    if frames_state is None or not frames_state.valid:
        reasons.append("fix the frame list")
    if not cameras:
        reasons.append("check at least one camera")
    if env is None:
        reasons.append("choose a render environment")
    if priority_error:
        reasons.append("fix the priority frames")
    if validation is None:
        reasons.append("wait for the check to finish")
    elif validation.has_errors:
        reasons.append("fix the errors in the list")
    return reasons


# -- progress -------------------------------------------------------------------------


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
        phase = _attr(event, "phase", "") or ""
        self.phase = PHASES.get(phase, phase.replace("_", " ").capitalize())
        self.message = _attr(event, "message", "") or ""
        files_done, files_total = _attr(event, "files_done", 0), _attr(event, "files_total", 0)
        bytes_done, bytes_total = _attr(event, "bytes_done", 0), _attr(event, "bytes_total", 0)
        self.files = "{} of {} files".format(files_done or 0, files_total) if files_total else ""
        self.bytes = ("{} of {}".format(format_bytes(bytes_done), format_bytes(bytes_total))
                      if bytes_total else "")
        self.rate = format_rate(_attr(event, "rate", 0))
        eta = _attr(event, "eta", None)
        self.eta = "{} left".format(format_duration(eta)) if eta is not None and eta >= 0 else ""
        if bytes_total:
            self.per_mille = int(1000 * min(1.0, float(bytes_done or 0) / bytes_total))
        elif files_total:
            self.per_mille = int(1000 * min(1.0, float(files_done or 0) / files_total))
        else:
            self.per_mille = -1
        self.task_id = _attr(event, "task_id", None)

    @property
    def detail(self):
        return "  |  ".join(part for part in (self.files, self.bytes, self.rate, self.eta) if part)


# -- errors ---------------------------------------------------------------------------


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


# -- monitor --------------------------------------------------------------------------

#: taskStatus -> (label, colour). Colours read on light and dark themes.
TASK_STATUS = {
    0: ("Waiting", "#8a8f98"), 1: ("Waiting", "#8a8f98"), 5: ("Rendering", "#2d7ff9"),
    8: ("Preprocessing", "#2d7ff9"), 10: ("Stopped", "#d9822b"), 15: ("Stopped", "#d9822b"),
    20: ("Stopped (arrears)", "#d64545"), 23: ("Stopped (timeout)", "#d64545"),
    25: ("Done", "#2f9e5b"), 30: ("Done, some failed", "#d9822b"), 35: ("Abandoned", "#8a8f98"),
    40: ("Test done", "#8e5bd9"), 45: ("Failed", "#d64545"), 50: ("Analysing", "#2d7ff9"),
    100: ("Updating", "#8a8f98"),
}
TERMINAL = frozenset((10, 20, 23, 25, 30, 35, 45))
ACTIVE = frozenset((0, 1, 5, 8, 50, 100))

#: frameStatus -> (label, colour).
FRAME_STATUS = {
    1: ("Waiting", "#8a8f98"), 2: ("Rendering", "#2d7ff9"), 3: ("Stopped", "#d9822b"),
    4: ("Done", "#2f9e5b"), 5: ("Failed", "#d64545"), 6: ("Waiting (preprocess)", "#8a8f98"),
    7: ("Waiting (photon)", "#8a8f98"), 8: ("Waiting (priority)", "#8a8f98"),
    9: ("Waiting (photon job)", "#8a8f98"), 10: ("Waiting (simulation)", "#8a8f98"),
    11: ("Timed out", "#d64545"),
}


def _int(value, default=0):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


class TaskRow(object):
    """One task of ``getTaskList`` as the monitor shows it."""

    def __init__(self, item):
        self.raw = item
        self.id = _int(item.get("id"))
        self.name = item.get("taskAlias") or "T{}".format(self.id)
        self.scene = item.get("sceneName") or ""
        self.project = item.get("projectName") or ""
        self.status = _int(item.get("taskStatus"), -1)
        self.status_text, self.colour = TASK_STATUS.get(
            self.status, (item.get("statusText") or "Status {}".format(self.status), "#8a8f98"))
        self.total = _int(item.get("totalFrames"))
        self.done = _int(item.get("doneFrames"))
        self.failed = _int(item.get("failedFrames"))
        self.running = _int(item.get("executingFrames"))
        self.output_name = item.get("outputFileName") or ""
        submitted = item.get("submitDate")
        self.submitted = (time.strftime("%Y-%m-%d %H:%M", time.localtime(_int(submitted) / 1000.0))
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
        self.page = _int(data.get("pageNum"), page) if isinstance(data, dict) else page
        self.total = _int(data.get("total"), len(self.rows)) if isinstance(data, dict) else len(self.rows)
        size = page_size or 20
        self.page_count = max(1, _int(data.get("pageCount"), 0) if isinstance(data, dict) else 0,
                              (self.total + size - 1) // size)

    @property
    def any_active(self):
        return any(row.status in ACTIVE or row.status == 5 for row in self.rows)


class FrameRow(object):
    """One frame of ``queryTaskFrames``."""

    def __init__(self, item):
        self.raw = item
        self.id = _int(item.get("id"))
        self.index = str(item.get("frameIndex") or item.get("frameBlock") or "")
        self.status = _int(item.get("frameStatus"), -1)
        self.status_text, self.colour = FRAME_STATUS.get(
            self.status, ("Status {}".format(self.status), "#8a8f98"))
        seconds = item.get("frameExecuteTime")
        self.render_time = format_duration(_int(seconds)) if seconds is not None else ""
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
