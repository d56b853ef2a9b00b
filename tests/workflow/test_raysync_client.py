"""The raysync engine: fetching and checking the service's Raysync client, and transfers
through a stand-in client that answers the official package's requests (the real client and
the real service are not reachable here)."""
from __future__ import annotations

import http.server
import io
import json
import os
import stat
import sys
import threading
import time
import zipfile

import pytest

from farmsupport import wait_until
from rayvision_dcc.errors import Cancelled, TransferError
from rayvision_dcc.job import raysync
from rayvision_dcc.job.progress import Reporter
from rayvision_dcc.job.transfer import Storage, UploadCache
from transmittersupport import HERE, closed_port, in_session

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="the stand-in is a sh script")


def client_zip(port, evil=False):
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as bundle:
        program = zipfile.ZipInfo("RaysyncCmd/Raysync-sdk")
        program.external_attr = 0o755 << 16
        bundle.writestr(program, "#!/bin/sh\nexec '{}' '{}'\n".format(
            sys.executable, os.path.join(HERE, "fake_raysync_sdk.py")))
        bundle.writestr("RaysyncCmd/cluster.xml",
                        '<cluster><http><port value="{}"/></http></cluster>'.format(port))
        bundle.writestr("RaysyncCmd/start.sh", "#!/bin/sh\n")
        if evil:
            bundle.writestr("RaysyncCmd/../../evil.sh", "#!/bin/sh\n")
    return data.getvalue()


@pytest.fixture
def served(tmp_path):
    """A web server on 127.0.0.1 that serves /download/RaysyncCmd.zip as the service does."""
    content = {"body": client_zip(closed_port())}

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            body = content["body"]
            self.send_response(200 if self.path == "/download/RaysyncCmd.zip" else 404)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield {"url": "http://127.0.0.1:{}/download/RaysyncCmd.zip".format(server.server_port),
           "content": content}
    server.shutdown()
    server.server_close()


@pytest.fixture
def standin(tmp_path, monkeypatch, served):
    monkeypatch.setenv("FAKE_RAYSYNC_ROOT", str(tmp_path / "remote"))
    monkeypatch.setenv("FAKE_RAYSYNC_LOG", str(tmp_path / "requests.log"))
    raysync.fetch(served["url"])
    program, _manifest = raysync.installed()
    return {"program": program, "tmp": tmp_path, "log": tmp_path / "requests.log"}


def requests_made(env):
    return [json.loads(line) for line in env["log"].read_text().splitlines()]


def engine(env, **options):
    options.setdefault("poll", 0.05)
    return raysync.RaysyncTransfer(env["program"], "rs.example.invalid", 32001, "100", "alice",
                                   "KEY", "2", line_name="HK", **options)


def test_fetch_checks_and_records_what_came(served):
    said = []
    manifest = raysync.fetch(served["url"], say=said.append)
    program, recorded = raysync.installed()
    assert recorded["sha256"] == manifest["sha256"] and manifest["sha256"] in said[-1]
    assert program.startswith(os.environ["XDG_DATA_HOME"])
    assert stat.S_IMODE(os.stat(program).st_mode) == 0o755
    assert set(manifest["files"]) == {"Raysync-sdk", "cluster.xml", "start.sh"}
    with open(program, "a") as handle:   # changed after the check: refused
        handle.write("# changed\n")
    with pytest.raises(TransferError) as info:
        raysync.installed()
    assert "changed since it was fetched" in info.value.message


def test_a_bad_archive_is_refused(served):
    served["content"]["body"] = b"<html>not a zip</html>"
    with pytest.raises(TransferError) as info:
        raysync.fetch(served["url"])
    assert "not a zip" in info.value.message and raysync.installed() is None
    served["content"]["body"] = client_zip(1, evil=True)
    with pytest.raises(TransferError) as info:
        raysync.fetch(served["url"])
    assert "outside its folder" in info.value.message and raysync.installed() is None


def test_upload_through_the_client_as_the_official_package_asks_it(standin):
    files = []
    for name in ("a.png", "b c é.exr"):
        path = standin["tmp"] / name
        path.write_bytes(b"x" * 100)
        files.append((str(path), "/D/proj/" + name))
    events = []
    transfer = engine(standin, cache=UploadCache(str(standin["tmp"] / "cache.sqlite")))
    try:
        result = transfer.upload(files, Storage("input", "10201", "100"),
                                 Reporter(lambda e: events.append(e) or True))
        assert len(result.uploaded) == 2
        assert (standin["tmp"] / "remote" / "100" / "10201" / "D" / "proj" / "b c é.exr").exists()
        create = [r["body"] for r in requests_made(standin) if r["path"] == "/create-task"][0]
        assert create["server-ip"] == "rs.example.invalid" and create["server-port"] == 10201
        assert create["proxy-port"] == 32001 and create["account"] == "alice"
        assert create["password"] == "KEY&1&2&12345678" and create["task-type"] == "upload-list"
        assert events[-1].files_done == 2 and events[-1].bytes_done == 200
        again = transfer.upload(files, Storage("input", "10201", "100"))
        assert len(again.skipped) == 2
        assert "KEY" not in repr(transfer)
    finally:
        transfer.close()


def test_a_failed_task_quotes_the_client(standin, monkeypatch):
    monkeypatch.setenv("FAKE_RAYSYNC_FAIL", "1")
    path = standin["tmp"] / "a.png"
    path.write_bytes(b"x")
    transfer = engine(standin)
    try:
        with pytest.raises(TransferError) as info:
            transfer.upload([(str(path), "/a.png")], Storage("input", "10201", "100"))
    finally:
        transfer.close()
    assert "failed on line HK" in info.value.message and "/scene/a.png" in info.value.message
    assert "raysync.log" in info.value.hint


def test_cancel_stops_the_client_group(standin, monkeypatch):
    monkeypatch.setenv("FAKE_RAYSYNC_HOLD", "1")
    path = standin["tmp"] / "a.png"
    path.write_bytes(b"x")
    transfer = engine(standin)
    reporter = Reporter()
    outcome = []

    def upload():
        try:
            transfer.upload([(str(path), "/a.png")], Storage("input", "10201", "100"), reporter)
        except BaseException as exc:  # noqa: B902
            outcome.append(exc)

    worker = threading.Thread(target=upload)
    worker.start()
    wait_until(lambda: standin["log"].exists() and any(
        r["path"] == "/get-task-status" for r in requests_made(standin)), timeout=60,
        message="the task to run")
    session = transfer._process.pid
    started = time.monotonic()
    reporter.cancel()
    worker.join(30)
    assert isinstance(outcome[0], Cancelled) and time.monotonic() - started < 1.5
    assert in_session(session) == []


def test_download_through_the_client(standin):
    remote = standin["tmp"] / "remote" / "100" / "20201" / "7_shot"
    remote.mkdir(parents=True)
    (remote / "f1.png").write_bytes(b"1")
    transfer = engine(standin)
    try:
        got = transfer.download("7_shot", str(standin["tmp"] / "out" / "7_shot"),
                                Storage("output", "20201", "100"))
    finally:
        transfer.close()
    assert got == [str(standin["tmp"] / "out" / "7_shot" / "f1.png")]
    create = [r["body"] for r in requests_made(standin) if r["path"] == "/create-task"][0]
    assert create["source-path"] == "/output/20201-100/7_shot"


def test_without_the_client_the_user_is_told_before_anything_is_fetched(farm):
    from rayvision_dcc.job import workflow
    from rayvision_dcc.job.engines import Line
    client = farm.client()
    line = Line("raysync", "RaySync", "HK", "rs.example.invalid", 32001, True)
    with pytest.raises(TransferError) as info:
        raysync.connect_raysync(client, workflow.account(client), line)
    assert "http://{}/download/RaysyncCmd.zip".format(farm.domain) in info.value.message
    assert "fetch-raysync" in info.value.hint and raysync.installed() is None


def test_the_transfer_commands(farm, served, monkeypatch, capsys):
    from rayvision_dcc.cli import main
    monkeypatch.setenv("RAYVISION_ACCESS_KEY", farm.users[0][1])
    assert main(["transfer", "lines", "--domain", farm.domain, "--protocol", "http",
                 "--access-id", farm.users[0][0]]) == 0
    out = capsys.readouterr().out
    assert "* http local ({})".format(farm.domain) in out
    domain = served["url"].split("/")[2]
    assert main(["transfer", "fetch-raysync", "--domain", domain, "--protocol", "http"]) == 0
    out = capsys.readouterr().out
    assert served["url"] in out and "SHA-256" in out and raysync.installed() is not None
