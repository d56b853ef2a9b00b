"""Progress events: what every long step reports, to the CLI's bar and the panel's signals.

A progress callback is ``progress(event) -> bool``; returning False cancels the work
(the step raises :class:`rayvision_dcc.errors.Cancelled` at the next safe point).
"""
from __future__ import annotations

import threading
import time

from rayvision_dcc.errors import Cancelled

PHASES = ("prepare", "validate", "create", "job_files", "upload_config", "upload_assets",
          "submit", "monitor", "download", "done")


class ProgressEvent(object):
    __slots__ = ("phase", "message", "files_done", "files_total", "bytes_done", "bytes_total",
                 "rate", "eta", "task_id", "notice")

    def __init__(self, phase, message="", files_done=0, files_total=0, bytes_done=0,
                 bytes_total=0, rate=0.0, eta=None, task_id=None, notice=False):
        self.phase = phase
        self.message = message
        self.files_done = files_done
        self.files_total = files_total
        self.bytes_done = bytes_done
        self.bytes_total = bytes_total
        self.rate = rate
        self.eta = eta
        self.task_id = task_id
        #: True for a message the user must see even under a progress bar (a wait, a retry).
        self.notice = notice

    def to_dict(self):
        return {name: getattr(self, name) for name in self.__slots__}

    def __repr__(self):
        return "ProgressEvent({})".format(", ".join(
            "{}={!r}".format(k, v) for k, v in self.to_dict().items() if v))


class CancelToken(object):
    """A cancel flag shared between the thread that asks and the worker that checks.

    The one cancel token of the bundle: :class:`Reporter`, the panel's worker handle and
    the Blender tool's jobs are all one. ``cancel()`` may be called from any thread.
    """

    def __init__(self):
        self._cancel = threading.Event()

    @property
    def cancelled(self):
        return self._cancel.is_set()

    def cancel(self):
        self._cancel.set()

    def sleep(self, seconds):
        """Wait ``seconds``, or less when cancelled (then raise :class:`Cancelled`)."""
        self._cancel.wait(seconds)
        self.check()

    def check(self):
        """Raise :class:`Cancelled` once cancelled."""
        if self._cancel.is_set():
            raise Cancelled("cancelled by the user; what was done is kept",
                            hint="`rayvision-dcc resume` goes on where it stopped")


class Reporter(CancelToken):
    """Thread-safe bridge from worker threads to one progress callback.

    Keeps the counters of a phase, computes rate and ETA, and turns a False answer
    (or :meth:`cancel`) into a cancel flag every worker checks with :meth:`check`.
    """

    def __init__(self, callback=None, task_id=None):
        super(Reporter, self).__init__()
        self.callback = callback
        self.task_id = task_id
        self._lock = threading.Lock()
        self._phase = "prepare"
        self._started = time.monotonic()
        self.files_done = self.files_total = self.bytes_done = self.bytes_total = 0

    def phase(self, phase, message="", files_total=0, bytes_total=0):
        with self._lock:
            self._phase = phase
            self._started = time.monotonic()
            self.files_done = self.bytes_done = 0
            self.files_total = files_total
            self.bytes_total = bytes_total
        self.emit(message)

    def expect(self, files_total, bytes_total, message=""):
        """Set the totals of the current phase (a transfer knows them once it has listed)."""
        with self._lock:
            self.files_total = files_total
            self.bytes_total = bytes_total
        self.emit(message)

    def add(self, files=0, nbytes=0, message=""):
        with self._lock:
            self.files_done += files
            self.bytes_done += nbytes
        self.emit(message)

    def emit(self, message="", notice=False):
        with self._lock:
            elapsed = max(time.monotonic() - self._started, 1e-6)
            rate = self.bytes_done / elapsed
            eta = None
            if rate > 0 and self.bytes_total:
                eta = max(self.bytes_total - self.bytes_done, 0) / rate
            event = ProgressEvent(self._phase, message, self.files_done, self.files_total,
                                  self.bytes_done, self.bytes_total, rate, eta, self.task_id,
                                  notice)
            if self.callback is not None and self.callback(event) is False:
                self._cancel.set()
        self.check()
