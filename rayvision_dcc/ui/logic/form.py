"""The job form's fields: frames, priority frames, labels, render environment, hardware,
and why Submit is disabled."""
from __future__ import annotations

from rayvision_dcc.errors import JobError
from rayvision_dcc.job.frames import parse_frames


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
    """The render environments of ``getRenderEnv`` and which one to preselect: the one
    remembered for this scene (by ``editName``) when it still exists, else the core's
    rule (``job.renderenv.find_render_env``: the default when it fits the scene's version
    and renderer ``plugin``, another that fits, the default, the only one). When none
    stands out nothing is preselected (``default_index`` -1) and ``problem`` says why:
    the user chooses, the panel never guesses."""

    def __init__(self, envs, remembered_name=None, host_version=None, plugin=None):
        from rayvision_dcc.job.renderenv import find_render_env
        self.envs = [env for env in (envs or []) if isinstance(env, dict)]
        self.labels = [env_label(env) for env in self.envs]
        env, problem = find_render_env(self.envs, None, host_version, remembered_name,
                                       plugin or "")
        if env is None and remembered_name:
            env, problem = find_render_env(self.envs, None, host_version, None, plugin or "")
        self.problem = problem
        self.default_index = next((index for index, item in enumerate(self.envs)
                                   if item is env), -1)

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
