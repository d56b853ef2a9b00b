"""Wheel sets for the hosts' Pythons, and unpacking a wheel the way an installer does.

A wheelhouse is a folder of sets, one per Python the hosts run, made by ``make bundle``:
``py37/``, ``py39/``, ... (our own wheel and the core's dependencies, urllib3 < 2),
``py311-qt/``, ``py313-qt/`` (PySide6 for Blender, which ships no Qt) and ``transmitter/``
(the ``rayvision_sync`` wheel: the transfer engine's binaries). ``index.json`` says the
platform the sets were made for.
"""
import hashlib
import json
import os
import zipfile

CHUNK = 1024 * 1024
KEEP = 256 * 1024   # members up to this size are read once, kept from measuring to writing
TRANSMITTER_SET = "transmitter"
#: rayvision_sync's folder per platform (it ships no macOS binaries).
TRANSMITTER_PLATFORMS = {"windows": "windows", "linux": "linux"}


class Wheelhouse(object):
    def __init__(self, root):
        self.root = root
        self.info = {}
        try:
            with open(os.path.join(root, "index.json"), "r", encoding="utf-8") as handle:
                self.info = json.load(handle)
        except (OSError, ValueError):
            self.info = {}

    @property
    def platform(self):
        return self.info.get("platform")

    def exists(self):
        return os.path.isdir(self.root)

    def wheels(self, name):
        """The wheel files of a set, sorted; [] when the set is missing."""
        folder = os.path.join(self.root, name)
        try:
            names = os.listdir(folder)
        except OSError:
            return []
        return [os.path.join(folder, n) for n in sorted(names) if n.endswith(".whl")]

    def sets(self):
        try:
            return sorted(n for n in os.listdir(self.root) if self.wheels(n))
        except OSError:
            return []


class Member(object):
    """One file to write, read from a zip member or a file on disk."""

    def __init__(self, rel, archive=None, name=None, path=None, data=None, executable=False):
        self.rel = rel
        self.archive = archive      # path of a zip
        self.name = name            # member name in it
        self.path = path            # or a file on disk
        self.data = data            # or bytes made here
        self.executable = executable
        self.sha256 = None
        self.size = None

    def chunks(self, archives):
        if self.data is not None:
            yield self.data
            return
        if self.path is not None:
            with open(self.path, "rb") as handle:
                for chunk in iter(lambda: handle.read(CHUNK), b""):
                    yield chunk
            return
        with archives.open(self.archive).open(self.name) as handle:
            for chunk in iter(lambda: handle.read(CHUNK), b""):
                yield chunk

    def measure(self, archives):
        digest = hashlib.sha256()
        size = 0
        kept = []
        for chunk in self.chunks(archives):
            digest.update(chunk)
            size += len(chunk)
            if size <= KEEP:
                kept.append(chunk)
        self.sha256 = digest.hexdigest()
        self.size = size
        if size <= KEEP and self.data is None:
            self.data = b"".join(kept)
        return self


class Archives(object):
    """Open zips, kept open while a plan is measured and staged."""

    def __init__(self):
        self._open = {}

    def open(self, path):
        if path not in self._open:
            self._open[path] = zipfile.ZipFile(path)
        return self._open[path]

    def close(self):
        for archive in self._open.values():
            archive.close()
        self._open.clear()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def wheel_members(path, prefix, archives):
    """The files a wheel installs, as Members under ``prefix`` (a site-packages folder):
    purelib and platlib from ``*.data`` go to the top, scripts/headers/data are left out
    (nothing of ours runs them), ``.dist-info`` is kept (keyring finds its backends
    through its entry points)."""
    archive = archives.open(path)
    members = []
    for info in archive.infolist():
        name = info.filename
        if name.endswith("/"):
            continue
        top, _, rest = name.partition("/")
        if top.endswith(".data"):
            kind, _, inner = rest.partition("/")
            if kind not in ("purelib", "platlib") or not inner:
                continue
            name = inner
        mode = (info.external_attr >> 16) & 0o777
        members.append(Member(prefix + name, archive=path, name=info.filename,
                              executable=bool(mode & 0o111)))
    return members


def transmitter_members(path, platform, prefix, archives):
    """The rayvision_sync wheel as rayvision_dcc's transfer code looks for it (it finds the
    package's ``transmission/<platform>`` folder without importing it): unpacked whole but for
    the other platforms' binaries and its tests, the binaries made executable (the wheel
    stores them without the bit). Nothing where rayvision_sync has no binaries (macOS)."""
    folder = TRANSMITTER_PLATFORMS.get(platform)
    if folder is None:
        return []
    ours = "rayvision_sync/transmission/{}/".format(folder)
    members = []
    for member in wheel_members(path, prefix, archives):
        rel = member.rel[len(prefix):]
        if rel.startswith("rayvision_sync/tests/"):
            continue
        if rel.startswith("rayvision_sync/transmission/"):
            if not rel.startswith(ours):
                continue
            member.executable = not rel.lower().endswith(".dll")
        members.append(member)
    return members


def wheel_name(path):
    """'requests' from 'requests-2.31.0-py3-none-any.whl' (normalised)."""
    return os.path.basename(path).split("-")[0].lower().replace("_", "-").replace(".", "-")
