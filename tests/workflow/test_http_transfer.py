"""The http transfer engine against the local farm's transfer service."""
from __future__ import annotations

import os

import pytest

from farmsupport import storage_files
from rayvision_dcc.errors import Cancelled, TransferError
from rayvision_dcc.job import workflow
from rayvision_dcc.job.progress import Reporter
from rayvision_dcc.job.transfer import HttpTransfer, UploadCache


@pytest.fixture
def engine(farm, tmp_path):
    client = farm.client()
    transfer = workflow.make_transfer(client, retry_backoff=0.01,
                                      cache_path=str(tmp_path / "cache.sqlite"))
    return transfer, workflow.account(client)


def write(path, data):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return str(path)


def test_a_file_on_the_server_is_not_sent_again_even_without_the_cache(engine, farm, tmp_path):
    transfer, acct = engine
    local = write(tmp_path / "a" / "tex.png", os.urandom(4096))
    first = transfer.upload([(local, "/proj/tex.png")], acct.storage("input"))
    assert first.uploaded == [local]
    fresh = HttpTransfer(transfer.base_url, transfer.user_id, transfer._key,
                         cache=UploadCache(str(tmp_path / "other.sqlite")))
    again = fresh.upload([(local, "/proj/tex.png")], acct.storage("input"))
    assert again.skipped == [local], "same hash on the server: HEAD, no PUT"


def test_a_changed_file_is_sent_again(engine, tmp_path):
    transfer, acct = engine
    path = tmp_path / "tex.png"
    write(path, b"one")
    transfer.upload([(str(path), "/proj/tex.png")], acct.storage("input"))
    write(path, b"two, longer")
    result = transfer.upload([(str(path), "/proj/tex.png")], acct.storage("input"))
    assert result.uploaded == [str(path)]


def test_a_wrong_transfer_key_says_sign_in_again(engine, tmp_path):
    transfer, acct = engine
    wrong = HttpTransfer(transfer.base_url, transfer.user_id, "not-the-key", retries=0)
    local = write(tmp_path / "x.png", b"x")
    with pytest.raises(TransferError) as info:
        wrong.upload([(local, "/x.png")], acct.storage("input"))
    assert "401" in info.value.message and "not-the-key" not in info.value.message
    assert "not-the-key" not in repr(wrong)


def test_a_path_that_escapes_the_storage_is_refused(engine, tmp_path):
    transfer, acct = engine
    local = write(tmp_path / "x.png", b"x")
    with pytest.raises(TransferError) as info:
        transfer.upload([(local, "/proj/../../../etc/x.png")], acct.storage("input"))
    assert "leaves its storage" in info.value.message
    assert "'..'" in info.value.hint


def test_cancel_in_the_middle_of_a_file_keeps_nothing_half_written(engine, farm, tmp_path):
    transfer, acct = engine
    local = write(tmp_path / "big.bin", os.urandom(6 * 1024 * 1024))
    reporter = Reporter(lambda event: event.bytes_done < 2 * 1024 * 1024)
    with pytest.raises(Cancelled):
        transfer.upload([(local, "/proj/big.bin")], acct.storage("input"), reporter)
    assert not any(f.endswith("proj/big.bin") for f in storage_files(farm))


def test_download_resumes_a_partial_file_and_checks_it(engine, tmp_path):
    transfer, acct = engine
    data = os.urandom(300 * 1024)
    local = write(tmp_path / "src" / "frame_0001.png", data)
    output = acct.storage("output")
    transfer.upload([(local, "/7_shot/frame_0001.png")], output)
    target = tmp_path / "dl" / "frame_0001.png"
    write(tmp_path / "dl" / "frame_0001.png.part", data[:1000])  # a dropped earlier download
    got = transfer.download("7_shot", str(tmp_path / "dl"), output)
    assert got == [str(target)] and target.read_bytes() == data
    assert not os.path.exists(str(target) + ".part")
    assert transfer.download("7_shot", str(tmp_path / "dl"), output) == []


def test_cut_downloads_are_retried(faulty_farm, tmp_path):
    farm = faulty_farm("cut:GET:1")
    client = farm.client()
    transfer = workflow.make_transfer(client, retry_backoff=0.01)
    output = workflow.account(client).storage("output")
    data = os.urandom(200 * 1024)
    transfer.upload([(write(tmp_path / "f.png", data), "/9_s/f.png")], output)
    transfer.download("9_s", str(tmp_path / "dl"), output)
    assert (tmp_path / "dl" / "f.png").read_bytes() == data
