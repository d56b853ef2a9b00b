"""Writing a file whole or not at all: the one atomic write of the package.

The text goes to a temporary file beside the target (a unique name, so two writers never
share it), is flushed to disk, and is renamed over the target: a reader sees the old
file or the new one, never half of one. Standard library only; every layer may use it.
"""
from __future__ import annotations

import contextlib
import json
import os
import sys
import tempfile


def write_text_atomic(path, text, private=False):
    """Write ``text`` (UTF-8) to ``path`` atomically, creating its folder. ``private``
    files are readable by their owner only (0600 on POSIX): configs, sign-ins."""
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".", suffix=".tmp",
                               dir=folder)
    with replacing(tmp, path):
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if sys.platform != "win32":
            os.chmod(tmp, 0o600 if private else 0o644)


@contextlib.contextmanager
def replacing(tmp, path):
    """The block writes ``tmp``; when it ends ``tmp`` is renamed over ``path``, when it
    raises ``tmp`` is removed (and the exception goes on): ``path`` is never half written."""
    try:
        yield tmp
        os.replace(tmp, path)
    except BaseException:
        try:
            os.remove(tmp)
        except OSError:
            pass
        raise


def write_json_atomic(path, data, private=False, **dump_options):
    """``json.dumps(data, **dump_options)`` written with ``write_text_atomic``."""
    write_text_atomic(path, json.dumps(data, **dump_options), private=private)
