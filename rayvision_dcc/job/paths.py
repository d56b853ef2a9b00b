"""Local paths as the job files write them, and the server path of a file (one rule)."""
from __future__ import annotations

import hashlib

from rayvision_dcc.errors import JobError


def slashes(path):
    """A local path as the job files write it: forward slashes."""
    return str(path).replace("\\", "/")


def server_path(local):
    """The server path of a local path by the SDK's rule (job-files.md section 4):
    backslashes become ``/``; a drive path loses every ``:`` and gains a leading ``/``
    (``D:\\a\\b.png`` -> ``/D/a/b.png``); anything else loses its first character
    (``\\\\nas\\s\\x.exr`` -> ``/nas/s/x.exr``, ``/home/u/x`` -> ``home/u/x``)."""
    path = slashes(local)
    if not path:
        raise JobError("an empty path has no server path", hint="report this as a bug")
    if len(path) > 1 and path[1] == ":":
        return "/" + path.replace(":", "")
    return path[1:]


def file_digest(path, algorithm="md5", chunk=1 << 20, on_chunk=None):
    """Hex digest of a file read in chunks (never whole into memory); ``on_chunk()`` runs
    after each chunk (the transfer's cancel check)."""
    digest = hashlib.new(algorithm)
    with open(path, "rb") as handle:
        while True:
            block = handle.read(chunk)
            if not block:
                break
            digest.update(block)
            if on_chunk is not None:
                on_chunk()
    return digest.hexdigest()


def file_md5(path):
    return file_digest(path, "md5")
