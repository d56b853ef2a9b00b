"""Cancel and Ctrl-C stop an http upload mid-file, at once; what was sent before is kept."""
from __future__ import annotations

import os
import signal
import threading
import time

import pytest

from farmsupport import storage_files, wait_until
from rayvision_dcc.errors import Cancelled
from rayvision_dcc.job import workflow
from rayvision_dcc.job.progress import Reporter

BIG = 48 * 1024 * 1024


@pytest.fixture
def engine(farm, tmp_path):
    client = farm.client()
    transfer = workflow.make_transfer(client, retry_backoff=0.01, workers=2,
                                      cache_path=str(tmp_path / "cache.sqlite"))
    return transfer, workflow.account(client)


@pytest.fixture
def files(tmp_path):
    small = tmp_path / "small.png"
    small.write_bytes(os.urandom(4096))
    big = tmp_path / "big.exr"
    with open(str(big), "wb") as handle:
        handle.truncate(BIG)  # sparse: cheap to make, a full 48 MiB to send
    return [(str(small), "/proj/small.png"), (str(big), "/proj/big.exr")]


class SlowLink(object):
    """A progress callback that paces the upload like a slow line (each 64 KiB block
    waits a little), so a cancel surely lands in the middle of the big file."""

    def __init__(self):
        self.sent = 0
        self.cancel_at = None
        self.stop = threading.Event()

    def __call__(self, event):
        self.sent = event.bytes_done
        # Slower once past the point where the test stops it: a loaded machine that takes
        # its time to deliver the stop still finds the big file unfinished (~15 s left).
        self.stop.wait(0.005 if event.bytes_done < 2 * 1024 * 1024 else 0.02)
        if self.cancel_at is None and event.bytes_done > 2 * 1024 * 1024:
            self.cancel_at = time.monotonic()
            return False
        return True


def test_cancel_stops_mid_file_and_keeps_what_was_sent(engine, farm, files):
    transfer, acct = engine
    link = SlowLink()
    with pytest.raises(Cancelled):
        transfer.upload(files, acct.storage("input"), Reporter(link))
    stopped = time.monotonic() - link.cancel_at
    assert stopped < 5.0, "the cancel took {:.1f} s".format(stopped)
    assert link.sent < BIG, "stopped in the middle of the big file"
    held = storage_files(farm)
    assert "big.exr" not in [os.path.basename(f) for f in held], "a half-sent file is not kept"
    assert any(f.endswith("small.png") for f in held)
    # What was sent is in the cache: the next upload skips it.
    again = transfer.upload(files[:1], acct.storage("input"))
    assert again.skipped == [files[0][0]]


def test_ctrl_c_stops_the_upload_mid_file(engine, farm, files):
    if threading.current_thread() is not threading.main_thread():
        pytest.skip("SIGINT reaches the main thread only")
    transfer, acct = engine
    link = SlowLink()
    link.cancel_at = 0.0  # never cancels by itself
    sent_at = {}

    def press_ctrl_c():
        wait_until(lambda: link.sent > 2 * 1024 * 1024, timeout=60, message="the upload")
        sent_at["t"] = time.monotonic()
        os.kill(os.getpid(), signal.SIGINT)
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    presser = threading.Thread(target=press_ctrl_c)
    presser.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            transfer.upload(files, acct.storage("input"), Reporter(link))
        stopped = time.monotonic() - sent_at["t"]
    finally:
        presser.join(60)
        signal.signal(signal.SIGINT, previous)
    assert stopped < 5.0, "Ctrl-C took {:.1f} s to stop the upload".format(stopped)
    assert link.sent < BIG
    assert "big.exr" not in [os.path.basename(f) for f in storage_files(farm)]
