"""Running the official ``rayvision_transmitter`` binary: found, made runnable, watched, stopped.

- :func:`find_transmitter` finds the binary (setting, ``RAYVISION_TRANSMITTER``, the
  ``rayvision_sync`` package) and, when it is not runnable as it is (the wheel installs it
  without execute permission) or sits in a folder others may write, makes a private copy in
  our data folder with mode 0755; nothing is ever made world-writable.
- :func:`run` starts one transmitter in a session (process group) of its own, reads every
  line it prints as it comes, and on Cancel or Ctrl-C stops the whole group (the transmitter
  with its ``ascp`` / ``raysyncproxy`` children) within a second; ``taskkill /T`` on Windows.
  It never uses ``killall``.
- :class:`UserLock` lets one transmitter run at a time per user, across processes (the CLI
  and the panel in a host): a second one waits and says so.
- :class:`LineParser` turns the binary's lines into per-file progress.

Facts about the binary: ``docs/transfer.md`` and ``shared/spec/transfer-engines.md``.
"""
from __future__ import annotations

import locale
import logging
import os
import queue
import re
import shutil
import signal
import stat
import subprocess
import sys
import threading
import time

from rayvision_dcc.errors import Cancelled, TransferError

log = logging.getLogger("rayvision_dcc.transfer")

EXE_NAME = "rayvision_transmitter.exe" if sys.platform == "win32" else "rayvision_transmitter"
#: What a private copy takes beside the transmitter (the rest of the folder is not used).
COMPANIONS = ("aspera", "raysync")
#: Seconds a stopped transmitter gets between SIGTERM and SIGKILL.
STOP_GRACE = 0.3


def data_folder(*parts):
    from rayvision_dcc.api.config import data_dir
    return os.path.join(data_dir(), *parts)


def log_folder():
    """Where the transmitter writes its logs (``RAYVISION_LOG``): under our data folder."""
    return data_folder("logs", "transmitter")


# -- finding and preparing the binary ------------------------------------------------------
def _package_folder():
    """The ``transmission/<platform>`` folder of an installed ``rayvision_sync``, or None.

    Found without importing the package (its ``__init__`` needs the SDK's own pins)."""
    import importlib.util
    try:
        spec = importlib.util.find_spec("rayvision_sync")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    if sys.platform == "darwin":
        return None   # rayvision_sync 3.1.8 ships Linux and Windows binaries only
    platform = "windows" if sys.platform == "win32" else "linux"
    for root in spec.submodule_search_locations:
        folder = os.path.join(root, "transmission", platform)
        if os.path.isfile(os.path.join(folder, EXE_NAME)):
            return folder
    return None


def _writable_by_others(path):
    if sys.platform == "win32":
        return False
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return True
    return bool(mode & (stat.S_IWGRP | stat.S_IWOTH))


def _runnable_as_is(path):
    return (os.path.isfile(path) and os.access(path, os.X_OK)
            and not _writable_by_others(path) and not _writable_by_others(os.path.dirname(path)))


def find_transmitter(configured=None, private_root=None):
    """The path of a transmitter we may run, or a TransferError that says where we looked."""
    looked = []
    candidates = []
    for source in (configured, os.environ.get("RAYVISION_TRANSMITTER")):
        if source:
            candidates.append(source)
    package = _package_folder()
    if package:
        candidates.append(os.path.join(package, EXE_NAME))
    for path in candidates:
        looked.append(path)
        if not os.path.isfile(path):
            continue
        if sys.platform == "win32" or _runnable_as_is(path):
            return path
        return private_copy(path, private_root)
    raise TransferError(
        "rayvision_transmitter was not found{}".format(
            " (looked at {})".format(", ".join(looked)) if looked else ""),
        hint="install the rayvision_sync package without its pins (pip install "
             "rayvision_sync==3.1.8 --no-deps), or set transmitter_path in the config (or "
             "RAYVISION_TRANSMITTER) to the executable")


def private_copy(exe, root=None):
    """A copy of ``exe`` (and its aspera/raysync folders) only this user can change, 0755.

    Kept under ``<data>/transmitter/<size>-<mtime>/``; made once, atomically (a folder
    renamed into place), and reused while the source is unchanged."""
    source = os.path.dirname(os.path.abspath(exe))
    info = os.stat(exe)
    root = root or data_folder("transmitter")
    target = os.path.join(root, "{}-{}".format(info.st_size, int(info.st_mtime)))
    copied = os.path.join(target, os.path.basename(exe))
    if os.path.isfile(copied) and os.path.getsize(copied) == info.st_size:
        return copied
    os.makedirs(root, mode=0o700, exist_ok=True)
    partial = "{}.partial-{}".format(target, os.getpid())
    shutil.rmtree(partial, ignore_errors=True)
    os.makedirs(partial, mode=0o755)
    try:
        _copy_private(exe, os.path.join(partial, os.path.basename(exe)))
        for name in COMPANIONS:
            folder = os.path.join(source, name)
            if os.path.isdir(folder):
                for base, _dirs, files in os.walk(folder):
                    out = os.path.join(partial, os.path.relpath(base, source))
                    os.makedirs(out, mode=0o755, exist_ok=True)
                    os.chmod(out, 0o755)
                    for file_name in files:
                        _copy_private(os.path.join(base, file_name), os.path.join(out, file_name))
        os.chmod(partial, 0o755)
        try:
            os.rename(partial, target)
        except OSError:  # another process made it meanwhile
            shutil.rmtree(partial, ignore_errors=True)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    if not (os.path.isfile(copied) and os.path.getsize(copied) == info.st_size):
        raise TransferError("could not prepare a runnable copy of {} in {}".format(exe, root),
                            hint="check the free space and the rights of that folder")
    log.info("transmitter copied to %s (0755, private)", target)
    return copied


def _copy_private(source, target):
    shutil.copyfile(source, target)
    os.chmod(target, 0o755)


def transmitter_environment(exe, logs=None):
    """The binary's environment: its folder on LD_LIBRARY_PATH, its logs under our folder."""
    env = dict(os.environ)
    folder = os.path.dirname(os.path.abspath(exe))
    if sys.platform != "win32":
        variable = "DYLD_LIBRARY_PATH" if sys.platform == "darwin" else "LD_LIBRARY_PATH"
        env[variable] = os.pathsep.join(p for p in (folder, env.get(variable, "")) if p)
    logs = logs or log_folder()
    os.makedirs(logs, exist_ok=True)
    env["RAYVISION_LOG"] = logs
    env.pop("RAYVISION_LOG_INI", None)
    return env


# -- one user, one transmitter -------------------------------------------------------------
class UserLock(object):
    """An exclusive per-user lock file shared by every process of this user (CLI, panel).

    ``acquire(reporter)`` waits, telling the reporter once, and stays cancellable."""

    def __init__(self, user_id, folder=None, poll=0.2):
        self.path = os.path.join(folder or data_folder("locks"),
                                 "transmitter-{}.lock".format(user_id))
        self.poll = poll
        self._handle = None

    def _try(self):
        handle = open(self.path, "a+")
        try:
            if sys.platform == "win32":
                import msvcrt
                handle.seek(0)
                msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
            else:
                import fcntl
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            return False
        self._handle = handle
        return True

    def acquire(self, reporter=None, message="waiting for another transfer of this account "
                                                 "(CLI or panel) to finish"):
        os.makedirs(os.path.dirname(self.path), exist_ok=True)
        told = False
        while not self._try():
            if reporter is not None:
                if not told:
                    reporter.emit(message, notice=True)
                    told = True
                reporter.sleep(self.poll)
            else:
                time.sleep(self.poll)
        return self

    def release(self):
        handle, self._handle = self._handle, None
        if handle is not None:
            if sys.platform == "win32":
                import msvcrt
                try:
                    handle.seek(0)
                    msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
                except OSError:
                    pass
            handle.close()  # flock is released with the descriptor

    def __enter__(self):
        return self.acquire()

    def __exit__(self, *exc):
        self.release()


# -- what the binary prints ----------------------------------------------------------------
_FILE_LINE = re.compile(r"^(upload|download) file (begin|progress|done|fail|interrupt) \((.*?)\)"
                        r"(.*)$")
_SPEED = re.compile(r"speed:\s*([\d.]+)\s*KB/S", re.I)
_PROGRESS = re.compile(r"progress:\s*([\d.]+)\s*(%?)")
#: Lines that say why a run failed, best first (the binary's own words are quoted).
_REASONS = (
    re.compile(r"get path \(.*\) info failed"),
    re.compile(r"(load|parse|read|open) local-path-(pairs|list) \(.*"),
    re.compile(r"file fail \(.*"),
    re.compile(r"^ascp: .*"),
    re.compile(r"^arg \[.*"),
    re.compile(r"^the argument .*"),
    re.compile(r"^unrecognised option .*|^unrecognized option .*"),
    re.compile(r".*engine init failure.*"),
    re.compile(r".*failure.*"),
)
_NOISE = ("rayvision transmitter", "run state is", "need_retry", "'--help' gives usage")


class LineParser(object):
    """Per-file state from the transmitter's lines: what began, how far, done, failed."""

    def __init__(self, sizes=None):
        # local path -> size, to turn percents into bytes; the listing has "/" separators
        self.sizes = {_slashes(path): size for path, size in (sizes or {}).items()}
        self.done = []
        self.failed = []
        self.rate = 0.0                  # bytes per second, last reported
        self._bytes = {}                 # local path -> bytes counted so far
        self.lines = []

    def feed(self, line):
        """Read one line. Returns ``(path, bytes_delta, files_delta)`` or None."""
        line = line.strip()
        if not line:
            return None
        self.lines.append(line)
        if len(self.lines) > 400:
            del self.lines[:200]
        match = _FILE_LINE.match(line)
        if not match:
            if line.startswith("total_speed:"):
                self._speed(line)
            return None
        _kind, what, path, rest = match.groups()
        path = _slashes(path)
        size = self.sizes.get(path, 0)
        before = self._bytes.get(path, 0)
        if what == "progress":
            self._speed(rest)
            found = _PROGRESS.search(rest)
            if not found:
                return None
            value = float(found.group(1))
            if found.group(2) or value <= 100.0:   # a percent of the file
                now = int(size * min(value, 100.0) / 100.0)
            else:                                   # a byte count
                now = int(value)
            if size:
                now = min(now, size)
            self._bytes[path] = max(now, before)
            return path, self._bytes[path] - before, 0
        if what == "done":
            self.done.append(path)
            self._bytes[path] = size
            return path, size - before, 1
        if what == "fail":
            self.failed.append(line)
            return path, 0, 0
        return path, 0, 0

    def finished(self, path):
        """True when the binary said it finished ``path``."""
        return _slashes(path) in self.done

    def counted(self, path):
        """Bytes of ``path`` already reported."""
        return self._bytes.get(_slashes(path), 0)

    def _speed(self, text):
        found = _SPEED.search(text)
        if found:
            self.rate = float(found.group(1)) * 1024.0

    def reason(self):
        """The binary's own line that best says why it failed ("" when none)."""
        for pattern in _REASONS:
            for line in reversed(self.lines):
                if pattern.search(line) and not line.startswith(_NOISE):
                    return line
        for line in reversed(self.lines):
            if not line.startswith(_NOISE):
                return line
        return ""


def _slashes(path):
    return path.replace("\\", "/")


# -- running it ----------------------------------------------------------------------------
def _decode(raw):
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode(locale.getpreferredencoding(False) or "latin-1", "replace")


def _reader(stream, lines):
    try:
        for raw in iter(stream.readline, b""):
            lines.put(_decode(raw).rstrip("\r\n"))
    except (OSError, ValueError):
        pass   # the pipe was closed after a stop
    finally:
        lines.put(None)


def stop_group(process, grace=STOP_GRACE):
    """Stop ``process`` and everything it started (its process group / job tree)."""
    if sys.platform == "win32":
        subprocess.call(["taskkill", "/T", "/F", "/PID", str(process.pid)],
                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except (ProcessLookupError, PermissionError):
        return
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        process.poll()
        if not _group_alive(process.pid):
            return
        time.sleep(0.02)
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _group_alive(pgid):
    try:
        os.killpg(pgid, 0)
    except (ProcessLookupError, PermissionError):
        return False
    return True


def run(args, reporter, on_line=None, env=None, cwd=None):
    """Run one transmitter; every line goes to ``on_line`` as it comes. Returns the exit code.

    A cancel (the reporter's flag, a False from the progress callback) or Ctrl-C stops the
    whole process group and raises; the group is also swept when the transmitter exits, so
    nothing it started outlives it."""
    reporter.check()
    options = {}
    if sys.platform == "win32":
        options["creationflags"] = subprocess.CREATE_NEW_PROCESS_GROUP
    else:
        options["start_new_session"] = True
    try:
        process = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, env=env, cwd=cwd, **options)
    except OSError as exc:
        raise TransferError("cannot run {}: {}".format(args[0], exc.strerror or exc),
                            hint="install the transmitter for this system (rayvision_sync), or "
                                 "set transmitter_path in the config to one that runs here")
    lines = queue.Queue()
    reader = threading.Thread(target=_reader, args=(process.stdout, lines),
                              name="transmitter-output", daemon=True)
    reader.start()
    try:
        while True:
            if reporter.cancelled:
                raise Cancelled("cancelled by the user; what was sent is kept",
                                hint="`rayvision-dcc resume` goes on where it stopped")
            try:
                line = lines.get(timeout=0.1)
            except queue.Empty:
                continue
            if line is None:
                break
            log.debug("transmitter: %s", line)
            if on_line is not None:
                on_line(line)
        code = process.wait()
        if sys.platform != "win32" and _group_alive(process.pid):
            stop_group(process)   # a child left behind (ascp, raysyncproxy)
        return code
    except BaseException:
        stop_group(process)
        process.wait()
        raise
    finally:
        reader.join(2.0)
        if process.stdout is not None:
            process.stdout.close()
