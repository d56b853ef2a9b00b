"""Reading a host's scene on its main thread without freezing it.

``SliceReader`` drives an adapter in time slices: each ``step()`` reads until its budget
is spent and returns, so the panel can call it from a zero-interval QTimer on the UI
thread (the host's main thread) and the host repaints between slices. ``read_all`` reads
everything in one go for headless callers. Neither resolves anything: the references go
to ``rayvision_dcc.job.resolve_references`` on a worker.
"""
from __future__ import annotations

import time


class SliceReader(object):
    """Reads ``adapter.read_scene()`` then ``adapter.iter_references()`` in slices of
    about ``budget`` seconds (one reference may overrun it: the adapter's items are
    small by contract).

    After each ``step()``: ``scene`` (the SceneInfo, once read), ``references`` (read so
    far), ``done``. An exception from the adapter propagates from ``step()`` and ends
    the reading (``done`` stays False, ``error`` holds it)."""

    def __init__(self, adapter, budget=0.02, clock=time.monotonic):
        self.adapter = adapter
        self.budget = budget
        self.clock = clock
        self.scene = None
        self.references = []
        self.done = False
        self.error = None
        self.slices = 0
        self.longest = 0.0
        self._items = None

    def step(self):
        """Read until the budget is spent; True when everything is read."""
        if self.done:
            return True
        if self.error is not None:
            raise self.error
        start = self.clock()
        self.slices += 1
        try:
            self._read(start)
        except Exception as exc:
            self.error = exc
            raise
        finally:
            self.longest = max(self.longest, self.clock() - start)
        return self.done

    def _read(self, start):
        if self.scene is None:
            self.scene = self.adapter.read_scene()
            self._items = iter(self.adapter.iter_references())
            if self.clock() - start >= self.budget:
                return
        append = self.references.append
        for reference in self._items:
            append(reference)
            if self.clock() - start >= self.budget:
                return
        self.done = True


def read_all(adapter):
    """``(SceneInfo, [FileReference])`` read in one go (headless: the CLI, batch scripts)."""
    return adapter.read_scene(), list(adapter.iter_references())
