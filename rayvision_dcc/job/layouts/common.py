"""What the three hosts' task.json layouts and checks share: scalars as task.json writes
them, the frame bounds of a job, the missing-file codes and movie checks of Maya/3ds Max."""
from __future__ import annotations

import re

from rayvision_dcc.job.frames import parse_frames
from rayvision_dcc.job.tips import ERROR, Tip

#: Output file extensions that are movies (Maya, 3ds Max).
MOVIE_EXTENSIONS = frozenset(["avi", "mov", "mp4", "mkv", "webm", "ogv", "flv", "wmv", "mpg",
                              "mpeg", "m4v"])


def scalar(value):
    """A scalar as task.json writes it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


def strings(value):
    if isinstance(value, dict):
        return {str(k): strings(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [strings(v) for v in value]
    return scalar(value)


def frame_bounds(spec):
    frames = parse_frames(spec.frames)
    steps = item_steps(spec.frames)
    step = steps[0] if len(steps) == 1 else (spec.scene.frame_step or 1)
    return min(frames), max(frames), step, frames


def item_steps(text):
    return [int(step) for step in re.findall(r"\[\s*(\d+)\s*\]", str(text))] or [1]


def missing_code_by_kind(kind, path):
    """The tip code of a missing file in Maya and 3ds Max: Alembic, OpenVDB, else a map."""
    lower = str(path).lower()
    if kind == "cache" and lower.endswith(".abc"):
        return "10018"
    if kind == "volume" or lower.endswith(".vdb"):
        return "10028"
    return "10012"


def movie_output_tips(spec, frames):
    """Maya and 3ds Max render image sequences: a movie output format is an error."""
    fmt = spec.scene.output_format
    if fmt.lower().lstrip(".") in MOVIE_EXTENSIONS:
        return [Tip("", ERROR, "movie output " + fmt,
                    "render an image sequence instead of a movie")]
    return []
