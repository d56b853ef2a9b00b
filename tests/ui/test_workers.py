"""The generic worker: off the UI thread, results by signal, stale results dropped."""
from __future__ import annotations

import threading

import pytest

from rayvision_dcc.errors import Cancelled, TransportError
from rayvision_dcc.ui.workers import Workers


@pytest.fixture
def workers(qtbot):
    pool = Workers()
    yield pool
    pool.shutdown()


def test_result_arrives_on_the_ui_thread_from_a_pool_thread(qtbot, workers):
    ui_thread = threading.current_thread()
    seen = {}

    def work(job, a, b=0):
        seen["thread"] = threading.current_thread()
        return a + b

    def done(result):
        seen["result"] = result
        seen["delivered_on"] = threading.current_thread()

    workers.start("sum", work, 2, b=3, on_result=done)
    qtbot.waitUntil(lambda: "result" in seen, timeout=5000)
    assert seen["result"] == 5
    assert seen["thread"] is not ui_thread and seen["delivered_on"] is ui_thread
    assert not workers.is_busy()


def test_errors_come_back_as_values_with_a_traceback_text(qtbot, workers):
    errors = []

    def work(job):
        raise TransportError("could not connect", hint="check the network")

    workers.start("x", work, on_error=lambda exc, text: errors.append((exc, text)))
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    assert isinstance(errors[0][0], TransportError) and "Traceback" in errors[0][1]


def test_a_newer_request_drops_the_older_result(qtbot, workers):
    release = threading.Event()
    results = []

    def slow(job, value):
        release.wait(5)
        return value

    first = workers.start("envs", slow, "old", on_result=results.append)
    second = workers.start("envs", slow, "new", on_result=results.append)
    assert first != second and workers.is_current(second) and not workers.is_current(first)
    release.set()
    qtbot.waitUntil(lambda: not workers.is_busy(), timeout=5000)
    assert results == ["new"] and workers.dropped == 1


def test_progress_is_delivered_and_cancel_really_stops_the_work(qtbot, workers):
    events = []
    outcome = {}
    stopped_at = []

    def long_work(job):
        for step in range(100000):
            if not job.report(("step", step), force=True):
                stopped_at.append(step)
                raise Cancelled("cancelled by the user")
            threading.Event().wait(0.001)
        return "finished"

    workers.start("submit", long_work, on_progress=events.append,
                  on_result=lambda r: outcome.setdefault("result", r),
                  on_error=lambda exc, text: outcome.setdefault("error", exc))
    qtbot.waitUntil(lambda: len(events) >= 3, timeout=5000)
    assert workers.cancel("submit")
    qtbot.waitUntil(lambda: bool(outcome), timeout=5000)
    assert isinstance(outcome.get("error"), Cancelled)
    assert stopped_at and stopped_at[0] < 100000


def test_report_coalesces_a_flood_of_progress(qtbot):
    workers = Workers(progress_interval=0.2)
    events = []
    done = []

    def flood(job):
        for step in range(20000):
            job.report(step)
        return step

    workers.start("flood", flood, on_progress=events.append, on_result=done.append)
    qtbot.waitUntil(lambda: bool(done), timeout=5000)
    assert done == [19999] and 1 <= len(events) < 100
    workers.shutdown()


def test_forget_drops_everything_a_request_still_sends(qtbot, workers):
    release = threading.Event()
    results = []
    workers.start("monitor", lambda job: release.wait(5) and "late", on_result=results.append)
    workers.forget("monitor")
    release.set()
    assert workers.wait(5000)
    qtbot.waitUntil(lambda: not workers.is_busy(), timeout=5000)
    assert results == []
