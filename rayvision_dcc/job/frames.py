"""Frame lists in the farm's syntax: ``1-10[1]``, ``0``, ``1,3-4[1]``, ``2-4[1],10``.

A list is comma-separated items; an item is a frame ``N`` or a range ``A-B[S]`` (A to B
inclusive, step S; ``[S]`` may be left out when typing and means 1). Negative frames are
allowed (``-5--1[1]``).
"""
from __future__ import annotations

import re

from rayvision_dcc.errors import JobError

_ITEM = re.compile(r"^\s*(-?\d+)\s*(?:-\s*(-?\d+)\s*(?:\[\s*(\d+)\s*\])?)?\s*$")

#: Above this many frames a list is almost certainly a typo (e.g. 1-1000000).
MAX_FRAMES = 1000000


def parse_frames(text):
    """Frame numbers of ``text`` in order, without repeats. Raises JobError on a bad string."""
    if text is None or not str(text).strip():
        raise JobError("the frame list is empty", hint="type frames like 1-10[1] or 1,3-4[1]")
    frames = []
    seen = set()
    for raw in str(text).split(","):
        match = _ITEM.match(raw)
        if not match:
            raise JobError("bad frame item {!r} in {!r}".format(raw.strip(), text),
                           hint="use N or A-B[S], separated by commas, e.g. 1-10[1],15")
        start = int(match.group(1))
        end = int(match.group(2)) if match.group(2) is not None else start
        step = int(match.group(3)) if match.group(3) is not None else 1
        if step < 1:
            raise JobError("frame step must be at least 1 in {!r}".format(raw.strip()),
                           hint="write the range as A-B[1]")
        if end < start:
            raise JobError("range {!r} ends before it starts".format(raw.strip()),
                           hint="write the smaller frame first, e.g. 1-10[1]")
        if (end - start) // step + 1 + len(frames) > MAX_FRAMES:
            raise JobError("{!r} has more than {} frames".format(text, MAX_FRAMES),
                           hint="check the range for a typo")
        for frame in range(start, end + 1, step):
            if frame not in seen:
                seen.add(frame)
                frames.append(frame)
    return frames


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
