"""What the UI benchmarks share: a heartbeat on the UI thread and an event pump.

Not a benchmark itself (``run.py`` runs ``bench_*.py`` only).
"""
from __future__ import annotations

import time

HEARTBEAT_MS = 5


class Heartbeat(object):
    def __init__(self, interval_ms=HEARTBEAT_MS):
        from Qt import QtCore
        self.timer = QtCore.QTimer()
        self.timer.setTimerType(QtCore.Qt.PreciseTimer)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.beat)
        self.last = None
        self.longest = 0.0

    def beat(self):
        now = time.perf_counter()
        if self.last is not None:
            self.longest = max(self.longest, now - self.last)
        self.last = now

    def start(self):
        self.last = None
        self.longest = 0.0
        self.timer.start()

    def stop(self):
        self.timer.stop()
        return self.longest


def pump(app, until, timeout):
    from Qt import QtCore
    deadline = time.monotonic() + timeout
    while not until():
        if time.monotonic() > deadline:
            raise RuntimeError("timed out after {} s".format(timeout))
        app.processEvents(QtCore.QEventLoop.AllEvents, 20)
        time.sleep(0.0005)
