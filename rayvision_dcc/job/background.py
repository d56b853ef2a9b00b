"""Worker threads whose results come back on the thread that asks for them, without Qt.

For a host whose UI is not Qt (Blender): the caller runs :meth:`Background.drain` on its
main thread (from a timer) and the callbacks run there. Nothing here imports a host module.
"""
from __future__ import annotations

import logging
import queue
import threading
import time
import traceback

from rayvision_dcc.job.progress import CancelToken

log = logging.getLogger("rayvision_dcc.job")


class BackgroundJob(CancelToken):
    """One piece of work on a worker thread; ``report`` is its progress callback."""

    def __init__(self, key, post):
        super(BackgroundJob, self).__init__()
        self.key = key
        self._post = post
        self.thread = None

    def report(self, event):
        """A workflow progress callback: forwards the event, False once cancelled."""
        self._post(self, "progress", event)
        return not self._cancel.is_set()


class Background(object):
    """Worker threads whose results are handed back on the thread that calls ``drain``.

    ``start(key, fn, *args, on_result=, on_error=, on_progress=)`` runs ``fn(job, *args)``
    on a new daemon thread; one job per key (a new one replaces the older, whose late
    results are dropped). Progress events are coalesced: only the newest of a job is kept
    until the next ``drain``.
    """

    def __init__(self):
        self._queue = queue.Queue()
        self._jobs = {}
        self._callbacks = {}
        self._latest = {}
        self._lock = threading.Lock()

    def start(self, key, fn, *args, **callbacks):
        job = BackgroundJob(key, self._post)
        with self._lock:
            older = self._jobs.get(key)
            if older is not None:
                older.cancel()
            self._jobs[key] = job
            self._callbacks[job] = callbacks

        def run():
            try:
                result = fn(job, *args)
            except BaseException as exc:  # handed to the main thread, never lost
                self._post(job, "error", (exc, traceback.format_exc()))
            else:
                self._post(job, "result", result)
        job.thread = threading.Thread(target=run, name="rayvision-" + key, daemon=True)
        job.thread.start()
        return job

    def _post(self, job, kind, payload):
        if kind == "progress":
            with self._lock:
                fresh = job not in self._latest
                self._latest[job] = payload
            if fresh:
                self._queue.put((job, "progress", None))
            return
        self._queue.put((job, kind, payload))

    def busy(self, key=None):
        with self._lock:
            if key is None:
                return bool(self._jobs)
            return key in self._jobs

    def job(self, key):
        with self._lock:
            return self._jobs.get(key)

    def cancel(self, key):
        job = self.job(key)
        if job is None:
            return False
        job.cancel()
        return True

    def forget(self, key):
        """Cancel the job of ``key`` and drop whatever it still hands back."""
        with self._lock:
            job = self._jobs.pop(key, None)
            if job is not None:
                self._callbacks.pop(job, None)
                self._latest.pop(job, None)
        if job is not None:
            job.cancel()
        return job is not None

    def drain(self, budget=0.01):
        """Run the callbacks of what finished or progressed, for about ``budget`` seconds.
        Returns how many messages were handled."""
        handled = 0
        deadline = time.monotonic() + budget
        while True:
            try:
                job, kind, payload = self._queue.get_nowait()
            except queue.Empty:
                return handled
            handled += 1
            with self._lock:
                current = self._jobs.get(job.key) is job
                callbacks = self._callbacks.get(job, {})
                if kind == "progress":
                    payload = self._latest.pop(job, None)
                elif current:
                    del self._jobs[job.key]
                    self._callbacks.pop(job, None)
                    self._latest.pop(job, None)
            if current:
                name = {"progress": "on_progress", "result": "on_result",
                        "error": "on_error"}[kind]
                callback = callbacks.get(name)
                try:
                    if callback is None:
                        if kind == "error":
                            log.error("%s failed: %s", job.key, payload[0])
                    elif kind == "error":
                        callback(*payload)
                    else:
                        callback(payload)
                except Exception:  # a broken callback must not stop the tick
                    log.exception("callback of %s failed", job.key)
                if kind != "progress" and callbacks.get("on_done") is not None:
                    callbacks["on_done"]()
            if time.monotonic() > deadline:
                return handled

    def shutdown(self, timeout=5.0):
        """Cancel every job and wait up to ``timeout`` s for their threads; True when all
        stopped."""
        with self._lock:
            jobs = list(self._jobs.values())
            self._jobs.clear()
            self._callbacks.clear()
            self._latest.clear()
        deadline = time.monotonic() + timeout
        for job in jobs:
            job.cancel()
        for job in jobs:
            if job.thread is not None:
                job.thread.join(max(0.0, deadline - time.monotonic()))
        return not any(job.thread is not None and job.thread.is_alive() for job in jobs)
