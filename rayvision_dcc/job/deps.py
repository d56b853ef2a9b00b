"""The dependency report shown before a submission, and the files the user ignores.

Groups: missing files; files outside the scene's project folder; gaps in image
sequences and UDIM sets; missing files the user chose to ignore. The ignore choice is
kept in the user config under ``"ignored_missing": {scene path: [paths]}``, never
next to the scene.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import List

from rayvision_dcc.job.scene import Dependency

#: Kinds whose files may form a numbered frame sequence (gaps are looked for).
SEQUENCE_KINDS = frozenset(["image_sequence", "movie_clip", "volume", "cache"])
#: Kinds whose files are UDIM tiles.
UDIM_KINDS = frozenset(["udim"])

_NUMBERED = re.compile(r"^(.*?)(\d+)(\D*)$")

CONFIG_KEY = "ignored_missing"


def _slashes(path):
    return str(path).replace("\\", "/")


def norm_path(path):
    """A path for comparisons: forward slashes, no trailing slash, drive paths lowercased
    (Windows paths compare case-insensitively)."""
    text = _slashes(path)
    if len(text) > 1 and text[1] == ":":
        text = text.lower()
    if len(text) > 1:
        text = text.rstrip("/")
    return text


def scene_key(scene_path):
    """The key of a scene in the ignore list: its absolute path with forward slashes."""
    text = _slashes(scene_path)
    if not (len(text) > 1 and text[1] == ":") and not text.startswith("/"):
        text = _slashes(os.path.abspath(scene_path))
    return text


@dataclass
class SequenceGap:
    """Numbers missing inside one image sequence or UDIM set.

    ``pattern`` is the file path with the number replaced by ``#`` (one per digit) for
    a sequence, or by ``<UDIM>`` for tiles."""

    pattern: str
    kind: str
    present: List[int] = field(default_factory=list)
    missing: List[int] = field(default_factory=list)

    def describe(self):
        from rayvision_dcc.job.frames import format_frames
        what = "tiles" if self.kind == "udim" else "frames"
        return "{}: {} {} missing".format(self.pattern, what, format_frames(self.missing))

    def to_dict(self):
        return {"pattern": self.pattern, "kind": self.kind, "present": list(self.present),
                "missing": list(self.missing)}


def _udim_gaps(numbers):
    """Missing tiles inside each row of 10 (1001-1010, 1011-1020, ...): between the
    lowest and highest tile present in that row. Whole empty rows are not gaps."""
    rows = {}
    for number in numbers:
        if 1001 <= number <= 2000:
            rows.setdefault((number - 1001) // 10, set()).add(number)
    missing = []
    for row in sorted(rows):
        tiles = rows[row]
        missing.extend(n for n in range(min(tiles), max(tiles) + 1) if n not in tiles)
    return missing


def find_sequence_gaps(dependencies):
    """Gaps in the numbered files of ``dependencies`` (sequence kinds and UDIM tiles).

    Files are grouped by folder, the text before the last number and the text after it;
    a group of two or more files has a gap for each number between its lowest and
    highest that has no file (UDIM: within one row of ten tiles)."""
    groups = {}
    for dep in dependencies:
        if dep.kind not in SEQUENCE_KINDS and dep.kind not in UDIM_KINDS:
            continue
        if not dep.exists:
            continue
        path = _slashes(dep.path)
        folder, _, name = path.rpartition("/")
        match = _NUMBERED.match(name)
        if not match:
            continue
        kind = "udim" if dep.kind in UDIM_KINDS else "sequence"
        prefix, digits, suffix = match.groups()
        key = (kind, folder, prefix, suffix)
        groups.setdefault(key, {"digits": len(digits), "numbers": set()})
        groups[key]["numbers"].add(int(digits))
    gaps = []
    for (kind, folder, prefix, suffix), group in sorted(groups.items()):
        numbers = sorted(group["numbers"])
        if len(numbers) < 2:
            continue
        if kind == "udim":
            missing = _udim_gaps(numbers)
            token = "<UDIM>"
        else:
            wanted = set(range(numbers[0], numbers[-1] + 1))
            missing = sorted(wanted - set(numbers))
            token = "#" * group["digits"]
        if missing:
            pattern = "{}/{}{}{}".format(folder, prefix, token, suffix) if folder else \
                "{}{}{}".format(prefix, token, suffix)
            gaps.append(SequenceGap(pattern=pattern, kind=kind, present=numbers,
                                    missing=missing))
    return gaps


@dataclass
class DependencyReport:
    """The scene's dependencies, grouped for the user."""

    scene_path: str = ""
    project_folder: str = ""
    missing: List[Dependency] = field(default_factory=list)
    outside_project: List[Dependency] = field(default_factory=list)
    sequence_gaps: List[SequenceGap] = field(default_factory=list)
    ignored: List[Dependency] = field(default_factory=list)
    total: int = 0

    @classmethod
    def from_scene(cls, scene, ignored=None):
        """The report of ``scene`` (a SceneInfo). ``ignored``: paths the user chose to
        submit without (an IgnoreList or any iterable of paths)."""
        skip = set(norm_path(path) for path in (ignored or ()))
        folder = scene.project_folder
        folder_norm = norm_path(folder) if folder else ""
        report = cls(scene_path=scene.scene_path, project_folder=folder)
        seen = set()
        for dep in scene.dependencies:
            key = norm_path(dep.path)
            if key in seen:
                continue
            seen.add(key)
            report.total += 1
            if not dep.exists:
                if key in skip:
                    report.ignored.append(dep)
                else:
                    report.missing.append(dep)
            if folder_norm and not _is_under(key, folder_norm):
                report.outside_project.append(dep)
        report.sequence_gaps = find_sequence_gaps(scene.dependencies)
        return report

    @property
    def blocking(self):
        """True while a missing file is neither found nor ignored."""
        return bool(self.missing)

    @property
    def clean(self):
        return not (self.missing or self.outside_project or self.sequence_gaps or self.ignored)

    def to_dict(self):
        return {
            "scene_path": self.scene_path,
            "project_folder": self.project_folder,
            "total": self.total,
            "missing": [dep.to_dict() for dep in self.missing],
            "outside_project": [dep.to_dict() for dep in self.outside_project],
            "sequence_gaps": [gap.to_dict() for gap in self.sequence_gaps],
            "ignored": [dep.to_dict() for dep in self.ignored],
        }

    def lines(self):
        """Plain text lines for a terminal or a log."""
        out = ["{} dependencies".format(self.total)]
        if self.missing:
            out.append("missing ({}):".format(len(self.missing)))
            out.extend("  {}{}".format(_slashes(dep.path), "  [{}]".format(dep.owner)
                                         if dep.owner else "") for dep in self.missing)
        if self.ignored:
            out.append("missing, ignored by you ({}):".format(len(self.ignored)))
            out.extend("  " + _slashes(dep.path) for dep in self.ignored)
        if self.sequence_gaps:
            out.append("gaps in sequences and UDIM sets ({}):".format(len(self.sequence_gaps)))
            out.extend("  " + gap.describe() for gap in self.sequence_gaps)
        if self.outside_project:
            out.append("outside {} ({}):".format(_slashes(self.project_folder),
                                                  len(self.outside_project)))
            out.extend("  " + _slashes(dep.path) for dep in self.outside_project)
        return out


def _is_under(path, folder):
    if folder in ("", "/"):
        return True
    return path == folder or path.startswith(folder + "/")


class IgnoreList(object):
    """Missing files the user chose to submit without, for one scene.

    Stored in the user config (``read_config()["ignored_missing"][scene path]``), so it
    survives between sessions and never touches the scene's folder. ``save()`` rewrites
    only this scene's entry."""

    def __init__(self, scene_path, paths=()):
        self.scene_path = scene_key(scene_path)
        self._paths = {}
        for path in paths:
            self.add(path)

    @classmethod
    def load(cls, scene_path):
        from rayvision_dcc.api.config import read_config
        stored = read_config().get(CONFIG_KEY) or {}
        return cls(scene_path, stored.get(scene_key(scene_path)) or [])

    def save(self):
        from rayvision_dcc.api.config import read_config, update_config
        stored = dict(read_config().get(CONFIG_KEY) or {})
        if self._paths:
            stored[self.scene_path] = self.paths
        else:
            stored.pop(self.scene_path, None)
        update_config(**{CONFIG_KEY: stored})
        return self

    @property
    def paths(self):
        return sorted(self._paths.values())

    def add(self, *paths):
        for path in paths:
            self._paths[norm_path(path)] = _slashes(path)
        return self

    def discard(self, *paths):
        for path in paths:
            self._paths.pop(norm_path(path), None)
        return self

    def clear(self):
        self._paths.clear()
        return self

    def __contains__(self, path):
        return norm_path(path) in self._paths

    def __iter__(self):
        return iter(self.paths)

    def __len__(self):
        return len(self._paths)

    def __repr__(self):
        return "IgnoreList({!r}, {} paths)".format(self.scene_path, len(self._paths))
