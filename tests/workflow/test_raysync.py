"""The raysync engine against a stand-in transmitter that honours the documented contract."""
import json
import os
import stat
import sys

import pytest

from rayvision_dcc.errors import Cancelled, TransferError
from rayvision_dcc.job.progress import Reporter
from rayvision_dcc.job.raysync import RaysyncTransfer, find_transmitter
from rayvision_dcc.job.transfer import Storage

HERE = os.path.dirname(os.path.abspath(__file__))


@pytest.fixture
def transmitter(tmp_path, monkeypatch):
    exe = tmp_path / "bin" / "rayvision_transmitter"
    exe.parent.mkdir()
    exe.write_text("#!/bin/sh\nexec '{}' '{}' \"$@\"\n".format(
        sys.executable, os.path.join(HERE, "fake_transmitter.py")))
    exe.chmod(exe.stat().st_mode | stat.S_IXUSR)
    root = tmp_path / "remote"
    monkeypatch.setenv("FAKE_TRANSMITTER_ROOT", str(root))
    monkeypatch.setenv("FAKE_TRANSMITTER_LOG", str(tmp_path / "runs.log"))
    return {"exe": str(exe), "root": root, "log": tmp_path / "runs.log", "tmp": tmp_path}


def runs(env):
    return [json.loads(line) for line in env["log"].read_text().splitlines()]


def engine(env, **kw):
    return RaysyncTransfer(env["exe"], "10.0.0.1", 2442, "100", retry_backoff=0.001, **kw)


def test_find_transmitter_from_environment(transmitter, monkeypatch):
    monkeypatch.setenv("RAYVISION_TRANSMITTER", transmitter["exe"])
    assert find_transmitter() == transmitter["exe"]


def test_find_transmitter_says_where_to_set_it(monkeypatch):
    monkeypatch.delenv("RAYVISION_TRANSMITTER", raising=False)
    with pytest.raises(TransferError) as info:
        find_transmitter("/nowhere/rayvision_transmitter")
    assert "transmitter_path" in info.value.hint


def test_upload_uses_documented_arguments(transmitter):
    local = transmitter["tmp"] / "tex.png"
    local.write_bytes(b"png")
    result = engine(transmitter).upload([(str(local), "/D/proj/tex.png")],
                                        Storage("input", "10201", "100"))
    assert result.uploaded == [str(local)]
    assert (transmitter["root"] / "100" / "10201" / "D" / "proj" / "tex.png").read_bytes() == b"png"
    args = runs(transmitter)[0]
    pairs = dict(zip(args[::2], args[1::2]))
    assert pairs["-E"] == "raysync" and pairs["-H"] == "10.0.0.1" and pairs["-P"] == "2442"
    assert pairs["-S"] == "10201" and pairs["-U"] == "100" and pairs["-T"] == "upload_json"
    assert pairs["-R"] == "/" and pairs["-K"] == "false" and pairs["-s"] == "1048576"


def test_config_file_goes_to_its_exact_path(transmitter):
    local = transmitter["tmp"] / "task.json"
    local.write_text("{}")
    engine(transmitter).upload_file(str(local), "/5021873/cfg/task.json",
                                    Storage("config", "30201", "100"))
    assert (transmitter["root"] / "100" / "30201" / "5021873" / "cfg" / "task.json").exists()
    assert "upload_path" in runs(transmitter)[0]


def test_exit_10_is_retried_then_succeeds(transmitter, monkeypatch):
    counter = transmitter["tmp"] / "fail"
    counter.write_text("2")
    monkeypatch.setenv("FAKE_TRANSMITTER_FAIL", str(counter))
    local = transmitter["tmp"] / "a.png"
    local.write_bytes(b"a")
    engine(transmitter, attempts=3).upload([(str(local), "/a.png")], Storage("input", "1", "100"))
    assert len(runs(transmitter)) == 3


def test_exit_10_past_the_attempts_is_an_error(transmitter, monkeypatch):
    counter = transmitter["tmp"] / "fail"
    counter.write_text("5")
    monkeypatch.setenv("FAKE_TRANSMITTER_FAIL", str(counter))
    local = transmitter["tmp"] / "a.png"
    local.write_bytes(b"a")
    with pytest.raises(TransferError) as info:
        engine(transmitter, attempts=2).upload([(str(local), "/a.png")],
                                               Storage("input", "1", "100"))
    assert "exit 10" in info.value.message


def test_exit_11_names_missing_files(transmitter):
    with pytest.raises(TransferError) as info:
        engine(transmitter).upload([("/no/such/file.png", "/no/such/file.png")],
                                   Storage("input", "1", "100"))
    assert "missing" in info.value.message and "/no/such/file.png" in info.value.message


def test_bad_arguments_are_reported(transmitter):
    with pytest.raises(TransferError) as info:
        RaysyncTransfer(transmitter["exe"], "h", 1, "100", engine="ftp").upload(
            [], Storage("input", "1", "100"))
    assert "refused its arguments" in info.value.message


def test_download_keeps_the_task_folder(transmitter):
    remote = transmitter["root"] / "100" / "20201" / "7_shot"
    remote.mkdir(parents=True)
    (remote / "frame_0001.png").write_bytes(b"f1")
    folder = transmitter["tmp"] / "out"
    got = engine(transmitter).download("7_shot", str(folder), Storage("output", "20201", "100"))
    assert got == [str(folder / "7_shot" / "frame_0001.png")]


def test_cancel_before_a_run_stops_it(transmitter):
    reporter = Reporter(lambda event: False)
    with pytest.raises(Cancelled):
        engine(transmitter).upload([], Storage("input", "1", "100"), reporter)
    assert not transmitter["log"].exists()
