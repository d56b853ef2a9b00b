"""Frame lists in the farm's syntax: ``1-10[1]``, ``0``, ``1,3-4[1]``, ``2-4[1],10``.

A list is comma-separated items; an item is a frame ``N`` or a range ``A-B[S]`` (A to B
inclusive, step S; ``[S]`` may be left out when typing and means 1). Negative frames are
allowed (``-5--1[1]``).
"""
from __future__ import annotations

import re

from rayvision_dcc.errors import JobError

# ASCII digits only: ``\d`` would take any script's digits (a typed ``٣``) into task.json.
_ITEM = re.compile(r"^\s*(-?[0-9]+)\s*(?:-\s*(-?[0-9]+)\s*(?:\[\s*([0-9]+)\s*\])?)?\s*$")

#: Above this many frames a list is almost certainly a typo (e.g. 1-1000000).
MAX_FRAMES = 1000000
#: Frame numbers are the protocol's Integer (32 bits, signed).
INT_MIN, INT_MAX = -2 ** 31, 2 ** 31 - 1
#: More frames than this (and than the scene has), or a frame this far outside the scene's
#: range, needs a confirmation (panel) or --confirm-frames (CLI).
LARGE_FRAME_COUNT = 1000
FAR_OUTSIDE = 1000


def frame_items(text):
    """``[(start, end, step)]`` of a frame list, checked (syntax, ASCII digits, the
    protocol's integer range, order, step) without expanding it. Raises JobError."""
    if text is None or not str(text).strip():
        raise JobError("the frame list is empty", hint="type frames like 1-10[1] or 1,3-4[1]")
    items = []
    for raw in str(text).split(","):
        match = _ITEM.match(raw)
        if not match:
            raise JobError("bad frame item {!r} in {!r}".format(raw.strip(), text),
                           hint="use N or A-B[S] with the digits 0-9, separated by commas, "
                                "e.g. 1-10[1],15")
        start = int(match.group(1))
        end = int(match.group(2)) if match.group(2) is not None else start
        step = int(match.group(3)) if match.group(3) is not None else 1
        for value in (start, end, step):
            if not INT_MIN <= value <= INT_MAX:
                raise JobError("frame number {} in {!r} is out of range".format(
                    value, raw.strip()), hint="frames go from {} to {}".format(INT_MIN, INT_MAX))
        if step < 1:
            raise JobError("frame step must be at least 1 in {!r}".format(raw.strip()),
                           hint="write the range as A-B[1]")
        if end < start:
            raise JobError("range {!r} ends before it starts".format(raw.strip()),
                           hint="write the smaller frame first, e.g. 1-10[1]")
        items.append((start, end, step))
    return items


def _item_count(item):
    start, end, step = item
    return (end - start) // step + 1


def parse_frames(text):
    """Frame numbers of ``text`` in order, without repeats. Raises JobError on a bad string."""
    items = frame_items(text)
    if sum(_item_count(item) for item in items) > MAX_FRAMES:
        raise JobError("{!r} has more than {} frames".format(text, MAX_FRAMES),
                       hint="check the range for a typo")
    frames = []
    seen = set()
    for start, end, step in items:
        for frame in range(start, end + 1, step):
            if frame not in seen:
                seen.add(frame)
                frames.append(frame)
    return frames


def unusual_frames(text, scene=None):
    """Why a (valid) frame list needs a confirmation, or "": very many frames, or frames far
    outside the scene's range. Raises JobError on a bad list."""
    items = frame_items(text)
    count = sum(_item_count(item) for item in items)
    if count > MAX_FRAMES:
        raise JobError("{!r} has more than {} frames".format(text, MAX_FRAMES),
                       hint="check the range for a typo")
    low = min(item[0] for item in items)
    high = max(item[0] + (_item_count(item) - 1) * item[2] for item in items)
    if scene is None:
        if count > LARGE_FRAME_COUNT:
            return "{} asks for {} frames".format(text, count)
        return ""
    first, last = int(scene.frame_start), int(scene.frame_end)
    scene_count = max(1, (last - first) // max(1, int(scene.frame_step or 1)) + 1)
    shown = "{}-{}".format(first, last)
    if count > LARGE_FRAME_COUNT and count > scene_count:
        return "{} asks for {} frames; the scene has {} ({})".format(
            text, count, scene_count, shown)
    if low < first - FAR_OUTSIDE or high > last + FAR_OUTSIDE:
        return "{} is far outside the scene's frame range {}".format(text, shown)
    return ""


def format_frames(frames):
    """The shortest list of items for ``frames``: consecutive runs with one step become
    ``A-B[S]``, lone frames stay ``N``. ``format_frames(parse_frames(s))`` keeps the frames."""
    values = sorted(set(int(f) for f in frames))
    if not values:
        raise JobError("no frames to write", hint="choose at least one frame")
    items = []
    index = 0
    while index < len(values):
        start = values[index]
        if index + 1 < len(values):
            step = values[index + 1] - start
            end_index = index + 1
            while end_index + 1 < len(values) and values[end_index + 1] - values[end_index] == step:
                end_index += 1
            if end_index - index >= 2 or (end_index - index == 1 and step == 1):
                items.append("{}-{}[{}]".format(start, values[end_index], step))
                index = end_index + 1
                continue
        items.append(str(start))
        index += 1
    return ",".join(items)


def frame_range(start, end, step=1):
    """``"start-end[step]"`` as the job files write a scene's range."""
    return "{}-{}[{}]".format(int(start), int(end), int(step))


def count_frames(text):
    return len(parse_frames(text))
