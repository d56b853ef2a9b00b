"""Fixtures of the panel tests: Qt offscreen from the start, a local farm, scenes.

The farm comes from tests/farmsupport.py: in this process on Python 3.11+, as a
subprocess (``RAYVISION_FARM_PYTHON -m rayvision_dcc farm serve --ready-json``) when that
variable is set or this Python is older (the Python 3.7 + PySide2 run).
"""
from __future__ import annotations

import os

import pytest

from farmsupport import make_scene, store_sign_in


def pytest_configure(config):
    # pytest-qt's session-wide QApplication is made before the per-test isolation of
    # tests/conftest.py runs, so offscreen must be set here already.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def _sound_binding():
    """Fail with the reason, not with a random crash, on a binding known to be broken."""
    from rayvision_dcc.ui.workers import binding_problem
    problem = binding_problem()
    if problem:
        pytest.fail(problem, pytrace=False)


@pytest.fixture
def scene_factory(tmp_path):
    def make(**options):
        return make_scene(tmp_path / "project", **options)
    return make


class Recorder(object):
    """Which thread ran each API call (a client listener) and each other recorded step."""

    def __init__(self):
        import threading
        self._lock = threading.Lock()
        self.calls = []   # (what, thread)

    def record(self, what):
        import threading
        with self._lock:
            self.calls.append((what, threading.current_thread()))

    def listener(self, event):
        self.record("api:" + event["operation"])

    def operations(self):
        return [what[4:] for what, _thread in self.calls if what.startswith("api:")]

    def on_thread(self, thread):
        return [what for what, seen in self.calls if seen is thread]


@pytest.fixture
def recorder():
    return Recorder()


@pytest.fixture
def signed_in(farm):
    """The farm's first user stored as the API core stores a sign-in."""
    return store_sign_in(farm)


@pytest.fixture
def open_panel(qtbot, farm, recorder):
    """``open_panel(scene, **options)`` -> a shown SubmitPanel talking to the farm, reading
    ``scene`` through the main-thread-only FakeHost; every client it makes reports its
    calls to ``recorder``."""
    from hosts.fake_host import FakeHost
    from rayvision_dcc.ui.panel import SubmitPanel
    base = farm.client_factory()
    panels = []

    def factory(**kwargs):
        client = base(**kwargs)
        client.retry_backoff = 0.01
        client.add_listener(recorder.listener)
        return client

    def make(scene, adapter=None, **options):
        options.setdefault("poll_interval", 0.3)
        panel = SubmitPanel(adapter or FakeHost.from_scene(scene), client_factory=factory,
                            **options)
        qtbot.addWidget(panel)
        panels.append(panel)
        panel.show()
        return panel

    yield make
    for panel in panels:
        panel.shutdown(10000)
