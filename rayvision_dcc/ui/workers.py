"""One generic worker for every network call, disk scan and transfer of the panel.

``Workers.start(key, fn, ...)`` runs ``fn(job, *args)`` on a private ``QThreadPool``;
``fn`` reports progress with ``job.report(payload)`` (which returns False once cancelled,
the core's callback contract) and its result or error comes back to the UI thread by
signal. A newer request under the same ``key`` supersedes the older one: the older is
cancelled and whatever it still delivers is dropped (it is "stale"). Results reach the
callbacks on the UI thread only.
"""
from __future__ import annotations

import itertools
import logging
import time
import traceback

from Qt import QtCore

from rayvision_dcc.job.progress import CancelToken

log = logging.getLogger("rayvision_dcc.ui")

_ids = itertools.count(1)


class _Signals(QtCore.QObject):
    """Created on the UI thread, emitted from a pool thread: queued to the UI thread.

    Each signal carries one tuple ``(request id, value)``: a bare ``None`` sent through a
    queued ``object`` argument crashes some PySide6 releases, a tuple holding it does not.
    """

    progress = QtCore.Signal(object)   # (request id, payload)
    finished = QtCore.Signal(object)   # (request id, result)
    failed = QtCore.Signal(object)     # (request id, (error, traceback text))


class WorkerHandle(CancelToken):
    """The handle a function running in a worker gets as its ``job`` argument: its
    request id, ``report`` and ``cancelled``. ``report`` coalesces progress to one signal per
    ``min_interval`` seconds (a phase change always goes through), so a transfer that
    calls it per chunk cannot flood the UI thread."""

    def __init__(self, request_id, signals, min_interval=0.05):
        super(WorkerHandle, self).__init__()
        self.request_id = request_id
        self._signals = signals
        self._min_interval = min_interval
        self._last_emit = 0.0
        self._last_phase = None

    def report(self, payload=None, force=False):
        """Send ``payload`` to the UI (maybe coalesced); False once the job is cancelled."""
        if self._cancel.is_set():
            return False
        now = time.monotonic()
        phase = getattr(payload, "phase", None)
        if force or phase != self._last_phase or now - self._last_emit >= self._min_interval:
            self._last_emit = now
            self._last_phase = phase
            self._signals.progress.emit((self.request_id, payload))
        return not self._cancel.is_set()

    def progress_callback(self):
        """A ``progress(event) -> bool`` for the core's functions (False cancels)."""
        return self.report


class _Runnable(QtCore.QRunnable):
    def __init__(self, job, signals, fn, args, kwargs):
        super(_Runnable, self).__init__()
        self.setAutoDelete(False)  # Python keeps it (Workers._running) until it reports
        self.job, self.signals, self.fn, self.args, self.kwargs = job, signals, fn, args, kwargs

    def run(self):
        try:
            result = self.fn(self.job, *self.args, **self.kwargs)
        except BaseException as exc:  # everything goes back to the UI as a value
            text = traceback.format_exc()
            log.debug("worker %s failed: %s", self.job.request_id, text)
            self.signals.failed.emit((self.job.request_id, (exc, text)))
        else:
            self.signals.finished.emit((self.job.request_id, result))


class _Request(object):
    __slots__ = ("key", "job", "runnable", "signals", "on_result", "on_error", "on_progress",
                 "on_done")

    def __init__(self, **values):
        for name in self.__slots__:
            setattr(self, name, values.get(name))


class Workers(QtCore.QObject):
    """The panel's worker pool. One instance per panel; ``shutdown()`` on close."""

    #: Emitted whenever the set of running keys changes (for busy indicators).
    busy_changed = QtCore.Signal()

    def __init__(self, parent=None, max_threads=4, progress_interval=0.05):
        super(Workers, self).__init__(parent)
        self.pool = QtCore.QThreadPool(self)
        self.pool.setMaxThreadCount(max_threads)
        self.progress_interval = progress_interval
        self._latest = {}     # key -> request id of the newest request
        self._running = {}    # request id -> _Request
        self._retired = []    # finished runnables kept until their thread has let go
        self.dropped = 0      # stale results dropped (tests look at this)

    # -- starting and stopping ---------------------------------------------------------
    def start(self, key, fn, *args, **kwargs):
        """Run ``fn(job, *args, **kwargs)`` in the pool; returns the request id.

        Callbacks (keyword arguments, all optional, all called on the UI thread):
        ``on_result(result)``, ``on_error(error, traceback_text)``,
        ``on_progress(payload)``, ``on_done()`` (after either result or error).
        """
        callbacks = {name: kwargs.pop(name, None)
                     for name in ("on_result", "on_error", "on_progress", "on_done")}
        previous = self._latest.get(key)
        if previous in self._running:
            self._running[previous].job.cancel()
        request_id = next(_ids)
        signals = _Signals()
        signals.progress.connect(self._on_progress)
        signals.finished.connect(self._on_finished)
        signals.failed.connect(self._on_failed)
        job = WorkerHandle(request_id, signals, self.progress_interval)
        runnable = _Runnable(job, signals, fn, args, kwargs)
        self._latest[key] = request_id
        self._running[request_id] = _Request(key=key, job=job, runnable=runnable,
                                             signals=signals, **callbacks)
        del self._retired[:-8]
        self.pool.start(runnable)
        self.busy_changed.emit()
        return request_id

    def cancel(self, key):
        """Ask the newest request under ``key`` to stop (its ``report`` returns False)."""
        request_id = self._latest.get(key)
        if request_id in self._running:
            self._running[request_id].job.cancel()
            return True
        return False

    def forget(self, key):
        """Cancel ``key`` and drop whatever it delivers from now on."""
        self.cancel(key)
        self._latest.pop(key, None)

    def is_busy(self, key=None):
        if key is None:
            return bool(self._running)
        return any(req.key == key for req in self._running.values())

    def is_current(self, request_id):
        request = self._running.get(request_id)
        return request is not None and self._latest.get(request.key) == request_id

    def wait(self, timeout_ms=30000):
        """Block until every worker has returned (for shutdown and tests)."""
        return self.pool.waitForDone(int(timeout_ms))

    def shutdown(self, timeout_ms=5000):
        for request in list(self._running.values()):
            request.job.cancel()
        self._latest.clear()
        return self.wait(timeout_ms)

    # -- delivery (UI thread) ----------------------------------------------------------
    def _request(self, request_id):
        request = self._running.get(request_id)
        if request is None:
            return None, False
        return request, self._latest.get(request.key) == request_id

    @QtCore.Slot(object)
    def _on_progress(self, message):
        request_id, payload = message
        request, current = self._request(request_id)
        if request is None or not current or request.job.cancelled:
            return
        if request.on_progress is not None:
            request.on_progress(payload)

    @QtCore.Slot(object)
    def _on_finished(self, message):
        request_id, result = message
        self._finish(request_id, "on_result", (result,))

    @QtCore.Slot(object)
    def _on_failed(self, message):
        request_id, failure = message
        self._finish(request_id, "on_error", failure)

    def _finish(self, request_id, which, arguments):
        request = self._running.pop(request_id, None)
        if request is None:
            return
        self._retired.append(request.runnable)
        current = self._latest.get(request.key) == request_id
        if current:
            del self._latest[request.key]
        self.busy_changed.emit()
        if not current:
            self.dropped += 1
            log.debug("dropped the stale result of request %s (%s)", request_id, request.key)
            return
        callback = getattr(request, which)
        try:
            if callback is not None:
                callback(*arguments)
            elif which == "on_error":
                log.warning("worker %s failed: %s", request.key, arguments[0])
        finally:
            if request.on_done is not None:
                request.on_done()


def binding_problem():
    """A sentence when the Qt binding is known to corrupt memory here, else "".

    PySide6 6.12.0 on Python < 3.12 drops a reference to None/True on every call that
    returns them (it assumes the immortal objects of Python 3.12), so a session crashes
    after a few thousand signals. Found while testing this panel; 6.11.x is fine.
    """
    import sys
    from Qt import __binding__, __binding_version__
    if __binding__ == "PySide6" and __binding_version__.startswith("6.12.0") \
            and sys.version_info < (3, 12):
        return ("PySide6 {} on Python {}.{} corrupts reference counts and crashes; install "
                "PySide6-Essentials<6.12 (or use Python 3.12+)".format(
                    __binding_version__, *sys.version_info[:2]))
    return ""
