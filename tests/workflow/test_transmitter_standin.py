"""The aspera engine's success path against a stand-in transmitter that prints the real
binary's lines (no real transfer server is reachable here)."""
import json
import os
import stat
import sys

import pytest

from rayvision_dcc.errors import Cancelled, TransferError
from rayvision_dcc.job.aspera import TransmitterTransfer
from rayvision_dcc.job.progress import Reporter
from rayvision_dcc.job.transfer import Storage, UploadCache
from rayvision_dcc.job.transmitter import LineParser, find_transmitter
from rayvision_dcc.job.workflow import Account

HERE = os.path.dirname(os.path.abspath(__file__))


@pytest.fixture
def transmitter(tmp_path, monkeypatch):
    exe = tmp_path / "bin" / "rayvision_transmitter"
    exe.parent.mkdir()
    exe.write_text("#!/bin/sh\nexec '{}' '{}' \"$@\"\n".format(
        sys.executable, os.path.join(HERE, "fake_transmitter.py")))
    exe.chmod(0o755)
    root = tmp_path / "remote"
    monkeypatch.setenv("FAKE_TRANSMITTER_ROOT", str(root))
    monkeypatch.setenv("FAKE_TRANSMITTER_LOG", str(tmp_path / "runs.log"))
    return {"exe": str(exe), "root": root, "log": tmp_path / "runs.log", "tmp": tmp_path}


def runs(env):
    if not env["log"].exists():
        return []
    return [json.loads(line) for line in env["log"].read_text().splitlines()]


def failing_upload(env, monkeypatch, failures):
    """The stand-in exits 1 for its next ``failures`` runs; returns a file to upload."""
    counter = env["tmp"] / "fail"
    counter.write_text(str(failures))
    monkeypatch.setenv("FAKE_TRANSMITTER_FAIL", str(counter))
    local = env["tmp"] / "a.png"
    local.write_bytes(b"a")
    return local


def engine(env, **kw):
    kw.setdefault("backoff", (0, 0))
    return TransmitterTransfer(env["exe"], "10.0.0.1", 2442, "100", line_name="HK", **kw)


def events_reporter():
    events = []
    return events, Reporter(lambda event: events.append(event) or True)


def test_find_transmitter_from_environment(transmitter, monkeypatch):
    monkeypatch.setenv("RAYVISION_TRANSMITTER", transmitter["exe"])
    assert find_transmitter() == transmitter["exe"]


def test_a_group_writable_binary_is_copied_not_run(transmitter, monkeypatch):
    os.chmod(transmitter["exe"], 0o775)
    monkeypatch.setenv("RAYVISION_TRANSMITTER", transmitter["exe"])
    found = find_transmitter()
    assert found != transmitter["exe"] and found.startswith(os.environ["XDG_DATA_HOME"])
    assert stat.S_IMODE(os.stat(found).st_mode) == 0o755


def test_find_transmitter_says_where_to_set_it(monkeypatch):
    monkeypatch.setattr("rayvision_dcc.job.transmitter._package_folder", lambda: None)
    with pytest.raises(TransferError) as info:
        find_transmitter("/nowhere/rayvision_transmitter")
    assert "transmitter_path" in info.value.hint and "/nowhere" in info.value.message


def test_upload_uses_the_sdk_arguments_and_reports_each_line(transmitter):
    files = []
    for name, size in (("tex.png", 3000), ("a b é.exr", 1000)):
        local = transmitter["tmp"] / name
        local.write_bytes(b"x" * size)
        files.append((str(local), "/D/proj/" + name))
    events, reporter = events_reporter()
    result = engine(transmitter).upload(files, Storage("input", "10201", "100"), reporter)
    assert sorted(result.uploaded) == sorted(f[0] for f in files)
    assert (transmitter["root"] / "100" / "10201" / "D" / "proj" / "a b é.exr").stat().st_size == 1000
    args = runs(transmitter)[0]
    pairs = dict(zip(args[::2], args[1::2]))
    assert pairs["-E"] == "aspera" and pairs["-H"] == "10.0.0.1" and pairs["-P"] == "2442"
    assert pairs["-S"] == "10201" and pairs["-U"] == "100" and pairs["-T"] == "upload_json"
    assert pairs["-R"] == "/" and pairs["-K"] == "false" and pairs["-s"] == "1048576"
    assert pairs["-r"] == "2" and pairs["-p"] == "0"
    # progress from the binary's own lines: half of tex.png, then all of it
    assert any(e.bytes_done == 1500 and e.files_done == 0 and "tex.png" in e.message
               for e in events)
    last = events[-1]
    assert (last.files_done, last.files_total, last.bytes_done, last.bytes_total) == \
        (2, 2, 4000, 4000)


def test_job_files_go_one_by_one_to_their_exact_path(transmitter):
    local = transmitter["tmp"] / "task.json"
    local.write_text("{}")
    engine(transmitter).upload([(str(local), "/5021873/cfg/task.json")],
                               Storage("config", "30201", "100"))
    assert (transmitter["root"] / "100" / "30201" / "5021873" / "cfg" / "task.json").exists()
    args = runs(transmitter)[0]
    assert args[args.index("-T") + 1] == "upload_path"
    assert args[args.index("-R") + 1] == "/5021873/cfg/task.json"


def test_a_sub_account_uploads_into_the_main_accounts_input(transmitter):
    acct = Account({"userId": 200, "shareMainCapital": 1, "mainUserId": 100},
                   {"input_bid": "10299", "parent_input_bid": "10201", "config_bid": "30201",
                    "output_bid": "20201"})
    local = transmitter["tmp"] / "a.png"
    local.write_bytes(b"a")
    engine(transmitter).upload([(str(local), "/a.png")], acct.storage("input"))
    args = runs(transmitter)[0]
    assert args[args.index("-S") + 1] == "10201" and args[args.index("-U") + 1] == "100"


def test_the_upload_cache_applies(transmitter):
    local = transmitter["tmp"] / "a.png"
    local.write_bytes(b"abc")
    cache = UploadCache(str(transmitter["tmp"] / "cache.sqlite"))
    storage = Storage("input", "10201", "100")
    engine(transmitter, cache=cache).upload([(str(local), "/a.png")], storage)
    again = engine(transmitter, cache=cache).upload([(str(local), "/a.png")], storage)
    assert again.skipped == [str(local)] and len(runs(transmitter)) == 1
    os.utime(str(local), (1, 1))   # changed since it was sent: sent again
    engine(transmitter, cache=cache).upload([(str(local), "/a.png")], storage)
    assert len(runs(transmitter)) == 2


def test_exit_1_is_retried_with_the_backoff_then_succeeds(transmitter, monkeypatch):
    local = failing_upload(transmitter, monkeypatch, 2)
    events, reporter = events_reporter()
    engine(transmitter, backoff=(0, 0)).upload([(str(local), "/a.png")],
                                               Storage("input", "1", "100"), reporter)
    assert len(runs(transmitter)) == 3
    assert any("need retry" in e.message and "try 3 of 3" in e.message for e in events)


def test_exit_1_past_the_backoff_is_a_network_error(transmitter, monkeypatch):
    local = failing_upload(transmitter, monkeypatch, 5)
    with pytest.raises(TransferError) as info:
        engine(transmitter, backoff=(0,)).upload([(str(local), "/a.png")],
                                                 Storage("input", "1", "100"))
    assert "after 2 attempts" in info.value.message and "aspera line HK" in info.value.message
    assert "check the network" in info.value.hint


def test_download_keeps_the_task_folder_and_skips_what_is_there(transmitter):
    remote = transmitter["root"] / "100" / "20201" / "7_shot"
    remote.mkdir(parents=True)
    (remote / "frame_0001.png").write_bytes(b"f1")
    (remote / "frame_0002.png").write_bytes(b"f2")
    folder = transmitter["tmp"] / "out"
    (folder / "7_shot").mkdir(parents=True)
    (folder / "7_shot" / "frame_0001.png").write_bytes(b"f1")
    events, reporter = events_reporter()
    got = engine(transmitter).download("7_shot", str(folder), Storage("output", "20201", "100"),
                                       reporter)
    assert got == [str(folder / "7_shot" / "frame_0002.png")]
    args = runs(transmitter)[0]
    assert args[args.index("-T") + 1] == "download_path" and args[args.index("-K") + 1] == "true"
    assert events[-1].files_done == 1


def test_cancel_before_a_run_stops_it(transmitter):
    reporter = Reporter(lambda event: False)
    local = transmitter["tmp"] / "a.png"
    local.write_bytes(b"a")
    with pytest.raises(Cancelled):
        engine(transmitter).upload([(str(local), "/a.png")], Storage("input", "1", "100"),
                                   reporter)
    assert runs(transmitter) == []


def test_line_parser_reads_the_binarys_lines():
    parser = LineParser({"/p/a b.png": 2048})
    assert parser.feed("upload file begin (/p/a b.png)") == ("/p/a b.png", 0, 0)
    assert parser.feed("upload file progress (/p/a b.png) speed: 100 KB/S, progress: 25%") == \
        ("/p/a b.png", 512, 0)
    assert parser.rate == 100 * 1024
    assert parser.feed("upload file done (/p/a b.png)") == ("/p/a b.png", 1536, 1)
    parser.feed("upload file fail (/p/c.png), error-3")
    parser.feed("run state is 0")
    assert parser.reason() == "upload file fail (/p/c.png), error-3"


def test_line_parser_matches_windows_paths_written_with_slashes():
    parser = LineParser({"C:\\proj\\a.png": 100})
    assert parser.feed("upload file done (C:/proj/a.png)") == ("C:/proj/a.png", 100, 1)
    assert parser.finished("C:\\proj\\a.png") and parser.counted("C:\\proj\\a.png") == 100


def test_what_was_sent_before_a_failure_is_not_sent_again(transmitter, monkeypatch):
    files = []
    for name in ("a.png", "b.png", "c.png"):
        local = transmitter["tmp"] / name
        local.write_bytes(b"x" * 10)
        files.append((str(local), "/p/" + name))
    cache = UploadCache(str(transmitter["tmp"] / "cache.sqlite"))
    storage = Storage("input", "10201", "100")
    monkeypatch.setenv("FAKE_TRANSMITTER_STOP_AFTER", "1")
    with pytest.raises(TransferError):
        engine(transmitter, cache=cache, backoff=()).upload(files, storage)
    monkeypatch.delenv("FAKE_TRANSMITTER_STOP_AFTER")
    result = engine(transmitter, cache=cache).upload(files, storage)   # the resume
    assert result.skipped == [files[0][0]] and sorted(result.uploaded) == [files[1][0], files[2][0]]
    assert len(runs(transmitter)) == 2


def test_a_binary_that_cannot_run_here_is_a_clear_error(tmp_path):
    exe = tmp_path / "rayvision_transmitter"
    exe.write_bytes(b"\x7fELF-not-really")
    exe.chmod(0o755)
    local = tmp_path / "a.png"
    local.write_bytes(b"a")
    with pytest.raises(TransferError) as info:
        TransmitterTransfer(str(exe), "h", 1, "100", backoff=()).upload(
            [(str(local), "/a.png")], Storage("input", "1", "100"))
    assert "cannot run" in info.value.message and "transmitter_path" in info.value.hint


HOLD_LOCK = """
import sys
from rayvision_dcc.job.transmitter import UserLock
lock = UserLock("100").acquire()
print("held", flush=True)
sys.stdin.read()
lock.release()
"""


def test_the_lock_is_shared_with_other_processes(transmitter):
    """A panel in a host and the CLI are two processes: the second waits for the first."""
    import subprocess
    import threading
    from farmsupport import ROOT, wait_until
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, env=dict(os.environ, PYTHONPATH=ROOT))
    try:
        assert holder.stdout.readline() == b"held\n"
        local = transmitter["tmp"] / "a.png"
        local.write_bytes(b"a")
        events, reporter = events_reporter()
        done = []
        worker = threading.Thread(target=lambda: done.append(engine(transmitter).upload(
            [(str(local), "/a.png")], Storage("input", "1", "100"), reporter)))
        worker.start()
        wait_until(lambda: any(e.notice and "waiting for another transfer" in e.message
                               for e in events), timeout=60, message="the upload to wait")
        assert runs(transmitter) == []
        holder.stdin.close()
        worker.join(60)
        assert done and len(runs(transmitter)) == 1
    finally:
        if holder.poll() is None:
            holder.kill()
        holder.wait()
