"""The aspera engine running the REAL rayvision_transmitter of the rayvision_sync 3.1.8 wheel.

No transfer server is reachable here, so these are the failure paths, each against
127.0.0.1 or a name under the reserved .invalid TLD: argument errors, a closed port, a
name that does not resolve, a missing file, a listing with spaces and non-ASCII names,
Cancel mid-run, two uploads at once. The success path is the stand-in's
(test_transmitter_standin.py).
"""
from __future__ import annotations

import glob
import os
import stat
import threading
import time

import pytest

from farmsupport import wait_until
from rayvision_dcc.errors import Cancelled, TransferError
from rayvision_dcc.job.aspera import TransmitterTransfer
from rayvision_dcc.job.progress import Reporter
from rayvision_dcc.job.transfer import Storage
from rayvision_dcc.job import transmitter
from transmittersupport import (SilentListener, closed_port, in_session,
                                real_transmitter_copy, transmitters_of)

USER = "100001"
INPUT = Storage("input", "10201", USER)


@pytest.fixture(scope="module")
def binary(tmp_path_factory):
    return real_transmitter_copy(tmp_path_factory.mktemp("transmitter"))


def engine(binary, host="127.0.0.1", port=None, **options):
    options.setdefault("backoff", ())
    options.setdefault("retries", 0)
    return TransmitterTransfer(binary, host, port or closed_port(), USER, line_name="test",
                               **options)


def collect():
    events = []
    return events, Reporter(lambda event: events.append(event) or True)


def test_the_wheel_binary_is_made_runnable_privately(tmp_path):
    source_folder = transmitter._package_folder()
    if source_folder is None:
        pytest.skip("rayvision_sync is not installed")
    source = os.path.join(source_folder, transmitter.EXE_NAME)
    assert not os.access(source, os.X_OK)        # the wheel installs it 0644
    found = transmitter.find_transmitter()
    assert found.startswith(os.environ["XDG_DATA_HOME"])
    for path in [found] + glob.glob(os.path.join(os.path.dirname(found), "*", "*")):
        mode = stat.S_IMODE(os.stat(path).st_mode)
        assert mode & 0o022 == 0, path           # nothing group- or world-writable
    assert stat.S_IMODE(os.stat(found).st_mode) == 0o755
    assert os.path.isfile(os.path.join(os.path.dirname(found), "aspera", "ascp"))
    assert not os.access(source, os.X_OK)        # the package is left as it was
    assert transmitter.find_transmitter() == found   # made once, then reused
    import subprocess
    out = subprocess.run([found, "-v"], stdout=subprocess.PIPE,
                         env=transmitter.transmitter_environment(found)).stdout
    assert b"1.1.5" in out


def test_argument_errors_are_final_and_quoted(binary, tmp_path):
    local = tmp_path / "a.txt"
    local.write_text("a")
    with pytest.raises(TransferError) as info:
        engine(binary, engine="ftp", backoff=(0, 0)).upload([(str(local), "/a.txt")], INPUT)
    assert "exit 255" in info.value.message and "not supprot ftp" in info.value.message
    with pytest.raises(TransferError) as info:
        engine(binary, port="not-a-port").upload([(str(local), "/a.txt")], INPUT)
    assert "the argument ('not-a-port') for option '--port' is invalid" in info.value.message
    assert transmitter.log_folder() in info.value.hint


def test_closed_port_is_retried_then_a_network_error(binary, tmp_path):
    local = tmp_path / "a.txt"
    local.write_text("a")
    events, reporter = collect()
    with pytest.raises(TransferError) as info:
        engine(binary, backoff=(0,)).upload([(str(local), "/a.txt")], INPUT, reporter)
    error = info.value
    assert "after 2 attempts" in error.message and "aspera line test 127.0.0.1" in error.message
    assert "Failed to open TCP connection" in error.message
    assert "check the network" in error.hint and "resume" in error.hint
    assert transmitter.log_folder() in error.hint
    assert any("try 2 of 2" in event.message for event in events)


def test_a_name_that_does_not_resolve(binary, tmp_path):
    local = tmp_path / "a.txt"
    local.write_text("a")
    with pytest.raises(TransferError) as info:
        engine(binary, host="transfer.rayvision-dcc.invalid", port=33001).upload(
            [(str(local), "/a.txt")], INPUT)
    assert "Cannot resolve target host" in info.value.message
    assert "transfer.rayvision-dcc.invalid" in info.value.message


def test_a_missing_file_names_the_file_and_is_not_retried(binary, tmp_path):
    missing = str(tmp_path / "gone" / "texture.png")
    events, reporter = collect()
    with pytest.raises(TransferError) as info:
        engine(binary, backoff=(0, 0, 0)).upload([(missing, "/gone/texture.png")],
                                                 Storage("config", "30201", USER), reporter)
    assert "get path ({}) info failed".format(missing) in info.value.message
    assert "exit 255" in info.value.message and "restore the file" in info.value.hint
    assert not any("try 2" in event.message for event in events)


def test_listing_with_spaces_and_non_ascii_names(binary, tmp_path):
    folder = tmp_path / "my project" / "テクスチャ"
    folder.mkdir(parents=True)
    # One file: the binary tries the listing in order and stops at the first failure.
    path = folder / "木 a file é.png"
    path.write_bytes(b"x" * 10)
    files = [(str(path), "/" + str(path).lstrip("/"))]
    with pytest.raises(TransferError):
        engine(binary).upload(files, INPUT)
    text = ""
    for path in glob.glob(os.path.join(transmitter.log_folder(), "**", "*.log"), recursive=True):
        with open(path, encoding="utf-8", errors="replace") as handle:
            text += handle.read()
    for local, server in files:
        # The binary maps the user's folder to /<userId rounded down to 500>/<userId>/.
        assert "({}) -> (/100000/{}{})".format(local, USER, server) in text


def test_cancel_mid_run_leaves_no_process(binary, tmp_path):
    listener = SilentListener()   # accepts and never answers: the transfer hangs
    local = tmp_path / "a.txt"
    local.write_text("a")
    reporter = Reporter()
    outcome = []

    def upload():
        try:
            engine(binary, port=listener.port).upload([(str(local), "/a.txt")], INPUT, reporter)
        except BaseException as exc:  # noqa: B902 - handed to the test thread
            outcome.append(exc)

    worker = threading.Thread(target=upload)
    worker.start()
    try:
        running = wait_until(lambda: transmitters_of(os.getpid()), timeout=60,
                             message="the transmitter to start")
        session = running[0][0]
        wait_until(lambda: len(in_session(session)) > 1, timeout=60,
                   message="the transmitter's child (ascp) to start")
        started = time.monotonic()
        reporter.cancel()
        worker.join(30)
        elapsed = time.monotonic() - started
    finally:
        listener.close()
    assert isinstance(outcome[0], Cancelled)
    assert elapsed < 1.5, elapsed
    assert in_session(session) == []


def test_two_uploads_at_once_are_serialised(binary, tmp_path):
    listener = SilentListener()
    local = tmp_path / "a.txt"
    local.write_text("a")
    first, second = Reporter(), None
    second_events = []
    second = Reporter(lambda event: second_events.append(event.message) or True)
    outcomes = {}

    def upload(key, reporter):
        try:
            engine(binary, port=listener.port).upload([(str(local), "/a.txt")], INPUT, reporter)
        except BaseException as exc:  # noqa: B902
            outcomes[key] = exc

    a = threading.Thread(target=upload, args=("a", first))
    a.start()
    try:
        wait_until(lambda: transmitters_of(os.getpid()), timeout=60, message="the first run")
        b = threading.Thread(target=upload, args=("b", second))
        b.start()
        wait_until(lambda: any("waiting for another transfer" in m for m in second_events),
                   timeout=60, message="the second upload to say it waits")
        assert len(transmitters_of(os.getpid())) == 1
        first.cancel()
        a.join(30)
        wait_until(lambda: transmitters_of(os.getpid()), timeout=60, message="the second run")
        assert len(transmitters_of(os.getpid())) == 1
        second.cancel()
        b.join(30)
    finally:
        first.cancel()
        second.cancel()
        listener.close()
    assert isinstance(outcomes["a"], Cancelled) and isinstance(outcomes["b"], Cancelled)
    assert transmitters_of(os.getpid()) == []


CTRL_C_SCRIPT = """
import signal, sys
# A terminal's process gets Ctrl-C; a child of a shell that ran us in the background starts
# with SIGINT ignored, and Python then installs no KeyboardInterrupt handler.
signal.signal(signal.SIGINT, signal.default_int_handler)
from rayvision_dcc.job.aspera import TransmitterTransfer
from rayvision_dcc.job.transfer import Storage
engine = TransmitterTransfer(sys.argv[1], "127.0.0.1", sys.argv[2], "100001", backoff=())
try:
    engine.upload([(sys.argv[3], "/a.txt")], Storage("input", "10201", "100001"))
except KeyboardInterrupt:
    sys.exit(130)
"""


def test_ctrl_c_stops_the_whole_group(binary, tmp_path):
    import signal
    import subprocess
    import sys
    from farmsupport import ROOT
    listener = SilentListener()
    local = tmp_path / "a.txt"
    local.write_text("a")
    env = dict(os.environ, PYTHONPATH=ROOT)
    process = subprocess.Popen([sys.executable, "-c", CTRL_C_SCRIPT, binary,
                                str(listener.port), str(local)], env=env)
    try:
        running = wait_until(lambda: transmitters_of(process.pid), timeout=60,
                             message="the transmitter to start")
        session = running[0][0]
        wait_until(lambda: len(in_session(session)) > 1, timeout=60,
                   message="the transmitter's child (ascp) to start")
        started = time.monotonic()
        process.send_signal(signal.SIGINT)   # what Ctrl-C in a terminal sends the CLI
        code = process.wait(30)
        elapsed = time.monotonic() - started
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        listener.close()
    assert code == 130
    assert elapsed < 1.5, elapsed
    assert in_session(session) == []
