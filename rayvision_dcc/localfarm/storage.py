"""Per-user storage on disk: ``<data>/storage/<userId>/<bid>/<server path>``.

Server paths are the ``server`` of upload.json (``/D/proj/a.png``, ``home/u/a.blend``),
with or without the leading slash. A path that would leave the bid's root is refused.
Files are written to a temporary name beside the target and renamed into place, so a
reader never sees half a file.
"""
from __future__ import annotations

import hashlib
import os
import secrets
import threading

from rayvision_dcc.files import replacing

TMP_PREFIX = ".rvtmp-"
CHUNK = 1024 * 256


class PathRefused(Exception):
    """A server path with ``..``, a NUL, or one that resolves outside the user's root."""


def clean_segments(path):
    """The segments of a server path; raises PathRefused for ``..``, NUL or empty."""
    text = str(path).replace("\\", "/")
    if "\x00" in text:
        raise PathRefused("the path contains a NUL character")
    segments = [seg for seg in text.split("/") if seg not in ("", ".")]
    if any(seg == ".." for seg in segments):
        raise PathRefused("the path {!r} contains '..'".format(path))
    return segments


class FarmStorage(object):
    """The farm's files on disk, per user and bid (not to be confused with
    ``rayvision_dcc.job.transfer.Storage``, the client's name for one bid to send to)."""

    def __init__(self, root):
        self.root = os.path.abspath(root)
        os.makedirs(self.root, exist_ok=True)
        self._hashes = {}
        self._lock = threading.Lock()

    def bid_root(self, user_id, bid):
        return os.path.join(self.root, str(user_id), str(bid))

    def resolve(self, user_id, bid, path):
        """Absolute file path of ``path`` under the user's bid root (PathRefused when it escapes)."""
        base = self.bid_root(user_id, bid)
        segments = clean_segments(path)
        target = os.path.join(base, *segments) if segments else base
        real_base = os.path.realpath(base)
        real = os.path.realpath(target)
        if real != real_base and not real.startswith(real_base + os.sep):
            raise PathRefused("the path {!r} leaves the storage root".format(path))
        return target

    def relative(self, user_id, bid, absolute):
        """``/a/b.png`` for a file under the bid root."""
        rel = os.path.relpath(absolute, self.bid_root(user_id, bid))
        return "/" + rel.replace(os.sep, "/")

    def sha256(self, absolute):
        """Hex SHA-256 of a file, cached by (path, size, mtime)."""
        stat = os.stat(absolute)
        key = (absolute, stat.st_size, stat.st_mtime_ns)
        with self._lock:
            cached = self._hashes.get(key)
        if cached:
            return cached
        digest = hashlib.sha256()
        with open(absolute, "rb") as handle:
            for block in iter(lambda: handle.read(CHUNK), b""):
                digest.update(block)
        value = digest.hexdigest()
        with self._lock:
            if len(self._hashes) > 50000:
                self._hashes.clear()
            self._hashes[key] = value
        return value

    def write_stream(self, target, chunks, expected_size=None, expected_sha=None):
        """Write ``chunks`` (an iterable of bytes) to ``target`` atomically.

        Returns (size, sha256). Raises ValueError (nothing kept) when the size or hash
        differ from what was announced.
        """
        folder = os.path.dirname(target)
        if os.path.isfile(folder):
            raise ValueError("a file is in the way of the folder {}".format(os.path.basename(folder)))
        os.makedirs(folder, exist_ok=True)
        if os.path.isdir(target):
            raise ValueError("the path is a folder")
        tmp = os.path.join(folder, TMP_PREFIX + secrets.token_hex(6) + "-" + os.path.basename(target))
        digest = hashlib.sha256()
        size = 0
        with replacing(tmp, target):
            with open(tmp, "wb") as handle:
                for chunk in chunks:
                    handle.write(chunk)
                    digest.update(chunk)
                    size += len(chunk)
            if expected_size is not None and size != expected_size:
                raise ValueError("received {} bytes of {}".format(size, expected_size))
            sha = digest.hexdigest()
            if expected_sha and sha != expected_sha.lower():
                raise ValueError("SHA-256 of the received bytes is {}, not {}".format(sha, expected_sha))
        with self._lock:
            stat = os.stat(target)
            self._hashes[(target, stat.st_size, stat.st_mtime_ns)] = sha
        return size, sha

    def write_bytes(self, target, data):
        return self.write_stream(target, [data], len(data))

    def list_files(self, user_id, bid, folder):
        """Every file under ``folder`` (recursive), as the transfer service lists them."""
        base = self.resolve(user_id, bid, folder)
        files = []
        if os.path.isfile(base):
            paths = [base]
        else:
            paths = []
            for dirpath, dirnames, filenames in os.walk(base):
                dirnames.sort()
                for name in sorted(filenames):
                    if not name.startswith(TMP_PREFIX):
                        paths.append(os.path.join(dirpath, name))
        for path in paths:
            try:
                stat = os.stat(path)
                files.append({"path": self.relative(user_id, bid, path), "size": stat.st_size,
                              "sha256": self.sha256(path), "mtime": stat.st_mtime})
            except OSError:  # removed while listing
                continue
        return files

    def list_dir(self, user_id, bid, folder):
        """One folder level: [(name, absolute path, is_dir, size, mtime_ms)]."""
        base = self.resolve(user_id, bid, folder)
        entries = []
        if not os.path.isdir(base):
            return entries
        for name in sorted(os.listdir(base)):
            if name.startswith(TMP_PREFIX):
                continue
            path = os.path.join(base, name)
            stat = os.stat(path)
            entries.append((name, path, os.path.isdir(path), stat.st_size, int(stat.st_mtime * 1000)))
        return entries
