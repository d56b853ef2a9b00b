"""File references as a host stores them, and their resolution into Dependencies.

An adapter reads its host on the host's main thread and reports each file path it finds
as a ``FileReference``: the path as written (tokens kept, relative paths kept), the node
that uses it, whether the host says it is a frame sequence. ``resolve_references`` then
does the slow, host-independent part on a worker: it resolves relative paths, expands
frame sequences and UDIM/tile sets on disk, checks existence and sizes. Every host's
scan shares this code; no host module is imported here.

Tokens understood in a file name:

- frame numbers: ``<f>`` / ``<f4>`` / ``<frame>`` (Maya, Arnold), ``####`` (one ``#``
  per digit), ``%04d`` / ``%d`` (printf style), ``$F`` / ``$F4``;
- tiles: ``<UDIM>`` (1001, 1002, ...), ``<UVTILE>`` (``u1_v1``), ``u<U>_v<V>`` (any
  numbers in place of ``<U>`` and ``<V>``).

An image file list (3ds Max ``.ifl``) that exists brings the images it names too.

A reference flagged ``sequence`` without a token (Maya's useFrameExtension, Blender's
image source SEQUENCE) names one file of the sequence: its last number is the frame.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass

from rayvision_dcc.job.scene import Dependency

#: Kinds whose token paths are tile sets when the adapter said only "file"/"image".
_GENERIC_KINDS = ("", "file", "image")

_FRAME_TOKEN = re.compile(r"<f(?:rame)?(\d*)>|#+|%(0?\d*)d|\$F(\d*)", re.IGNORECASE)
_TILE_TOKEN = re.compile(r"<UDIM>|<UVTILE>|<U>|<V>", re.IGNORECASE)
_ANY_TOKEN = re.compile(_FRAME_TOKEN.pattern + "|" + _TILE_TOKEN.pattern, re.IGNORECASE)
_LAST_NUMBER = re.compile(r"^(.*?)(\d+)(\D*)$")
_TILE_NUMBER = re.compile(r"(?<!\d)1\d{3}(?!\d)")


@dataclass
class FileReference:
    """One file path as the host stores it, and what uses it.

    ``path`` keeps the host's tokens (``<UDIM>``, ``<f>``, ``####``, ...) and its relative
    form (Blender ``//tex/a.png``, a Maya/Max path relative to the project). ``base`` is
    the folder a relative path is relative to ("" = the project, else the scene's
    folder). ``sequence`` says the host treats the file as a frame sequence even without
    a token; ``frames`` is the ``(first, last)`` the scene uses when the host knows it.
    ``packed`` files live inside the scene file (nothing to upload). A non-empty
    ``warning`` means the node could not be read; it becomes a scene warning.
    """

    path: str
    owner: str = ""
    kind: str = "file"
    base: str = ""
    sequence: bool = False
    frames: tuple = ()
    packed: bool = False
    warning: str = ""

    def to_dict(self):
        return {"path": self.path, "owner": self.owner, "kind": self.kind, "base": self.base,
                "sequence": bool(self.sequence), "frames": list(self.frames),
                "packed": bool(self.packed), "warning": self.warning}

    @classmethod
    def from_dict(cls, data):
        if isinstance(data, str):
            return cls(path=data)
        frames = data.get("frames") or ()
        return cls(path=str(data.get("path") or ""), owner=str(data.get("owner") or ""),
                   kind=str(data.get("kind") or "file"), base=str(data.get("base") or ""),
                   sequence=bool(data.get("sequence", False)),
                   frames=tuple(int(frame) for frame in frames),
                   packed=bool(data.get("packed", False)),
                   warning=str(data.get("warning") or ""))


# -- tokens --------------------------------------------------------------------------------

def has_tokens(path):
    """True when the file name of ``path`` holds a frame or tile token."""
    return bool(_ANY_TOKEN.search(os.path.basename(_native(path))))


def has_tile_token(path):
    return bool(_TILE_TOKEN.search(os.path.basename(_native(path))))


def tile_path(path, number):
    """``path`` for UDIM tile ``number``: ``<UDIM>`` -> 1012, ``<UVTILE>`` -> u2_v2,
    ``u<U>_v<V>`` -> u1_v1 (zero-based, as Mudbox/ZBrush name them); a path without a
    token has its last 1xxx number replaced."""
    index = number - 1001
    u, v = index % 10, index // 10
    if re.search("<UDIM>", path, re.IGNORECASE):
        return re.sub("<UDIM>", str(number), path, flags=re.IGNORECASE)
    if re.search("<UVTILE>", path, re.IGNORECASE):
        return re.sub("<UVTILE>", "u{}_v{}".format(u + 1, v + 1), path, flags=re.IGNORECASE)
    if re.search("<U>", path, re.IGNORECASE):
        path = re.sub("<U>", str(u), path, flags=re.IGNORECASE)
        return re.sub("<V>", str(v), path, flags=re.IGNORECASE)
    folder, name = os.path.split(path)
    found = list(_TILE_NUMBER.finditer(name))
    if not found:
        return path
    last = found[-1]
    return os.path.join(folder, name[:last.start()] + str(number) + name[last.end():])


def _token_regex(name):
    """(regex of the file name with each token as a group, True when a group is a frame)."""
    parts = []
    frame_group = False
    position = 0
    for match in _ANY_TOKEN.finditer(name):
        parts.append(re.escape(name[position:match.start()]))
        token = match.group(0)
        upper = token.upper()
        if upper == "<UDIM>":
            parts.append(r"(?P<udim>1\d{3})")
        elif upper == "<UVTILE>":
            parts.append(r"u\d+_v\d+")
        elif upper in ("<U>", "<V>"):
            parts.append(r"\d+")
        else:
            width = len(token) if token.startswith("#") else int(
                next((g for g in match.groups()[:3] if g), "") or 1)
            if not frame_group:
                parts.append(r"(?P<frame>-?\d{%d,})" % max(1, width))
                frame_group = True
            else:
                parts.append(r"-?\d{%d,}" % max(1, width))
        position = match.end()
    parts.append(re.escape(name[position:]))
    return re.compile("^" + "".join(parts) + "$"), frame_group


def _sequence_regex(name):
    """The file name of one frame of a sequence with its last number as the frame."""
    match = _LAST_NUMBER.match(name)
    if not match:
        return None
    prefix, _digits, suffix = match.groups()
    return re.compile("^" + re.escape(prefix) + r"(?P<frame>\d+)" + re.escape(suffix) + "$")


# -- resolving -----------------------------------------------------------------------------

def _native(path):
    return path.replace("\\", "/") if os.sep == "/" else path.replace("/", os.sep)


def _candidates(reference, scene_folder, project_path):
    """Absolute paths ``reference.path`` may mean, the preferred first."""
    raw = reference.path
    if raw.startswith("//"):  # Blender: relative to the .blend (or the library) folder
        folder = reference.base or scene_folder
        return [os.path.normpath(os.path.join(folder, _native(raw[2:])))]
    path = _native(raw)
    if os.path.isabs(path) or re.match(r"^[A-Za-z]:[\\/]", raw):
        return [os.path.normpath(path)]
    folders = [reference.base] if reference.base else [project_path, scene_folder]
    found = []
    for folder in folders:
        if folder:
            candidate = os.path.normpath(os.path.join(folder, path))
            if candidate not in found:
                found.append(candidate)
    return found or [os.path.abspath(path)]


class _Disk(object):
    """Folder listings and file stats, each asked of the disk once per resolution."""

    def __init__(self):
        self._listings = {}

    def names(self, folder):
        names = self._listings.get(folder)
        if names is None:
            try:
                names = sorted(os.listdir(folder))
            except OSError:
                names = []
            self._listings[folder] = names
        return names

    @staticmethod
    def size(path):
        """The file's size, or None when there is no file there."""
        try:
            stat = os.stat(path)
        except (OSError, ValueError):
            return None
        if not os.path.isfile(path):
            return None
        return stat.st_size


def _within(frames, number):
    return not frames or frames[0] <= number <= frames[-1]


def _expand(pattern_path, regex, frames, disk):
    """The existing files of the folder of ``pattern_path`` whose names match ``regex``
    (and whose frame is within ``frames``), sorted: [(path, size)]."""
    folder = os.path.dirname(pattern_path)
    found = []
    for name in disk.names(folder):
        match = regex.match(name)
        if not match:
            continue
        groups = match.groupdict()
        if frames and groups.get("frame") is not None and not _within(frames,
                                                                        int(groups["frame"])):
            continue
        path = os.path.join(folder, name)
        size = disk.size(path)
        if size is not None:
            found.append((path, size))
    return found


def _kind(reference, tiles):
    if reference.kind in _GENERIC_KINDS:
        if tiles:
            return "udim"
        if reference.kind == "image" and (reference.sequence or has_tokens(reference.path)):
            return "image_sequence"
    return reference.kind or "file"


def _image_list_files(path, disk):
    """The images an image file list (3ds Max ``.ifl``: one file name per line, relative
    to the list's folder, optionally followed by how many frames it holds; ``;``
    comments) names, each once: [(path, exists, size)]. [] for any other file."""
    if not path.lower().endswith(".ifl"):
        return []
    try:
        with open(path, "r", encoding="utf-8", errors="replace") as handle:
            lines = handle.read(1 << 20).splitlines()
    except OSError:
        return []
    folder = os.path.dirname(path)
    found = []
    seen = set()
    for line in lines:
        line = line.strip()
        if not line or line.startswith(";"):
            continue
        parts = line.rsplit(None, 1)
        if len(parts) == 2 and parts[1].isdigit():
            line = parts[0]
        image = os.path.normpath(os.path.join(folder, _native(line)))
        if image in seen:
            continue
        seen.add(image)
        size = disk.size(image)
        found.append((image, size is not None, size or 0))
    return found


def _files_of(reference, scene_folder, project_path, disk):
    """[(path, exists, size)] of one reference."""
    candidates = _candidates(reference, scene_folder, project_path)
    name = os.path.basename(candidates[0])
    if has_tokens(name):
        regex, _ = _token_regex(name)
    elif reference.sequence:
        regex = _sequence_regex(name)
    else:
        regex = None
    if regex is None:
        for candidate in candidates:
            size = disk.size(candidate)
            if size is not None:
                return [(candidate, True, size)] + _image_list_files(candidate, disk)
        return [(candidates[0], False, 0)]
    for candidate in candidates:
        found = _expand(candidate, regex, tuple(reference.frames), disk)
        if found:
            return [(path, True, size) for path, size in found]
    return [(candidates[0], False, 0)]


def resolve_references(references, scene_path="", project_path="", progress=None):
    """On a worker (never the host's main thread): resolve relative paths, expand
    sequences and UDIM/tile sets on disk, check existence and sizes.

    Returns ``(dependencies, warnings)``: one Dependency per file (a file used by several
    nodes once, its owners joined), packed references left out, and the warnings of
    the references that could not be read. A token path matching nothing is one
    Dependency with ``exists=False`` and the pattern as written (made absolute).
    ``progress(done, total)`` is called after each reference."""
    references = list(references)
    scene_folder = os.path.dirname(scene_path) if scene_path else ""
    disk = _Disk()
    dependencies = []
    warnings = []
    by_path = {}
    total = len(references)
    for index, reference in enumerate(references):
        if reference.warning and reference.warning not in warnings:
            warnings.append(reference.warning)
        if reference.path and not reference.packed:
            kind = _kind(reference, has_tile_token(reference.path))
            for path, exists, size in _files_of(reference, scene_folder, project_path, disk):
                known = by_path.get(path)
                if known is None:
                    dep = Dependency(path=path, kind=kind, exists=exists, owner=reference.owner,
                                     size=size)
                    by_path[path] = dep
                    dependencies.append(dep)
                elif reference.owner and reference.owner not in known.owner.split(", "):
                    known.owner = (known.owner + ", " + reference.owner) if known.owner \
                        else reference.owner
        if progress is not None:
            progress(index + 1, total)
    return dependencies, warnings
