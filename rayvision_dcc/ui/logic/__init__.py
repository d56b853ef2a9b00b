"""What the panel's fields accept and what its clicks mean, without a single widget.

Plain Python (no Qt), tested without a display, one module per part of the panel:
``form`` (frames, priority, labels, render environment and hardware choice, submit
blockers), ``memory`` (the fields remembered per scene), ``account`` (zones, the account
line), ``checks`` (the validation list), ``progress`` (progress and error texts),
``tasks`` (the monitor's rows, actions and polling). Every name is also here, so
``logic.FramesField`` reads as before.
"""
from __future__ import annotations

from rayvision_dcc.ui.logic.account import ZONES, account_text, zone_of
from rayvision_dcc.ui.logic.checks import (MISSING_FILE_CODES, TIP_TEXTS, Issue,
                                           ValidationList, issues_from_tips)
from rayvision_dcc.ui.logic.form import (EnvChoice, FramesField, FramesState, HardwareChoice,
                                         PriorityFrames, env_label, hardware_label,
                                         parse_labels, submit_blockers)
from rayvision_dcc.ui.logic.memory import REMEMBERED, SceneMemory
from rayvision_dcc.ui.logic.progress import (PHASES, ErrorText, ProgressText, format_bytes,
                                             format_duration, format_rate)
from rayvision_dcc.ui.logic.tasks import (ACTIONS, FrameRow, PollPolicy, TaskPage, TaskRow,
                                          allowed_actions, frame_rows)

__all__ = [
    "ZONES", "account_text", "zone_of",
    "MISSING_FILE_CODES", "TIP_TEXTS", "Issue", "ValidationList", "issues_from_tips",
    "EnvChoice", "FramesField", "FramesState", "HardwareChoice", "PriorityFrames", "env_label",
    "hardware_label", "parse_labels", "submit_blockers",
    "REMEMBERED", "SceneMemory",
    "PHASES", "ErrorText", "ProgressText", "format_bytes", "format_duration", "format_rate",
    "ACTIONS", "FrameRow", "PollPolicy",
    "TaskPage", "TaskRow", "allowed_actions", "frame_rows",
]
