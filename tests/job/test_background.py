"""The core's Qt-free hand-back (job.Background): work on threads, callbacks on the thread
that drains, one job per key, newest progress kept, and the shared cancel token."""
import threading

import pytest

from farmsupport import wait_until
from rayvision_dcc.errors import Cancelled
from rayvision_dcc.job import Background, CancelToken, Reporter


def test_results_progress_and_errors_come_back_on_the_draining_thread():
    background = Background()
    release, reported = threading.Event(), threading.Event()
    seen = []

    def work(job, value):
        for step in range(5):
            job.report(step)
        reported.set()
        release.wait(30)
        return value * 2

    background.start("double", work, 21, on_progress=lambda p: seen.append(("progress", p)),
                     on_result=lambda r: seen.append(("result", r, threading.current_thread())),
                     on_done=lambda: seen.append(("done",)))
    assert background.busy("double") and background.busy()
    # all five reports before the first drain: only the newest is handed back
    assert reported.wait(30)
    background.drain()
    assert seen == [("progress", 4)]
    release.set()
    wait_until(lambda: background.drain() or len(seen) > 1, message="the result")
    assert seen[1] == ("result", 42, threading.current_thread())
    assert seen[2] == ("done",)
    assert not background.busy()

    errors = []
    background.start("fail", lambda job: 1 / 0,
                     on_error=lambda error, text: errors.append((error, text)))
    wait_until(lambda: background.drain() or errors, message="the error")
    assert isinstance(errors[0][0], ZeroDivisionError)
    assert "ZeroDivisionError" in errors[0][1]


def test_a_newer_job_under_the_same_key_cancels_the_older_and_drops_its_result():
    background = Background()
    release = threading.Event()
    results = []

    def slow(job, name):
        release.wait(30)
        return name, job.report("late")

    first = background.start("scan", slow, "first", on_result=results.append)
    second = background.start("scan", slow, "second", on_result=results.append)
    assert first.cancelled and not second.cancelled
    release.set()
    first.thread.join(30)
    second.thread.join(30)
    wait_until(lambda: background.drain() or results, message="the newer result")
    background.drain()
    assert results == [("second", True)]  # the first's report said False and was dropped
    assert background.shutdown(30)


def test_one_cancel_token_for_reporter_and_jobs():
    token = CancelToken()
    assert not token.cancelled
    token.check()
    token.cancel()
    assert token.cancelled
    with pytest.raises(Cancelled):
        token.sleep(30)  # returns at once once cancelled
    reporter = Reporter(lambda event: False)
    assert isinstance(reporter, CancelToken)
    with pytest.raises(Cancelled):
        reporter.emit("stop")
    assert reporter.cancelled
