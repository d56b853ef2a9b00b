"""Injected faults, and the per-request record that tells what the farm did."""
from __future__ import annotations

import os

import pytest
import requests

from farm_kit import put, transfer_url
from rayvision_dcc.errors import ApiError, CreateTaskLost, TransportError
from rayvision_dcc.localfarm import Faults, FaultSpecError
from rayvision_dcc.localfarm.faults import parse


@pytest.mark.parametrize("spec,word", [
    ("explode:createTask", "explode"), ("drop_after:createTask:x", "'x'"),
    ("slow:*:*:fast", "fast"), ("cut:createTask", "transfer"), ("seed=abc", "abc"),
    ("color=red", "color"), ("error500:*:3-1", "backwards"), ("error500:*:p2", "between"),
])
def test_bad_specs_name_the_problem(spec, word):
    with pytest.raises(FaultSpecError) as caught:
        parse(spec)
    assert word in str(caught.value)


def test_which_counts_and_seeded_probability():
    faults = Faults("error500:queryTaskInfo:2,4-5; drop_before:createTask:3+")
    fired = [faults.decide("queryTaskInfo") is not None for _ in range(6)]
    assert fired == [False, True, False, True, True, False]
    assert [faults.decide("createTask") is not None for _ in range(4)] == [False, False, True, True]
    assert faults.decide("queryUserProfile") is None
    runs = []
    for _ in range(2):
        chance = Faults("seed=3; error500:*:p0.5")
        runs.append([chance.decide("x") is not None for _ in range(20)])
    assert runs[0] == runs[1] and 0 < sum(runs[0]) < 20


def test_drop_after_create_task_is_told_apart_from_drop_before(make_farm):
    farm = make_farm(faults="drop_after:createTask:1; drop_before:createTask:2")
    client = farm.client("v1", retry_backoff=0.01)
    with pytest.raises(CreateTaskLost):
        client.create_task()
    with pytest.raises(CreateTaskLost):
        client.create_task()
    first, second = farm.request_log(operation="createTask")
    assert first["acted"] is True and first["fault"] == "drop_after:createTask:1"
    assert second["acted"] is False and second["fault"] == "drop_before:createTask:2"
    # The answered-but-lost task exists; the other never did.
    tasks = client.task_list()["items"]
    assert len(tasks) == 1 and tasks[0]["taskStatus"] == 0
    assert client.create_task()["taskIdList"][0] == tasks[0]["id"] + 1


def test_server_errors_are_retried_for_safe_operations(make_farm):
    farm = make_farm(faults="error500:queryUserProfile:1; http503:queryUserProfile:2")
    client = farm.client("v2", retry_backoff=0.01)
    assert client.user_profile()["userId"]
    codes = [r["code"] for r in farm.request_log(operation="queryUserProfile")]
    assert codes == [500, 503, 200]


def test_error500_on_create_task_is_not_retried(make_farm):
    farm = make_farm(faults="error500:createTask:1")
    with pytest.raises(ApiError) as caught:
        farm.client("v1").create_task()
    assert caught.value.code == 500 and "injected" in caught.value.server_message
    assert [r["acted"] for r in farm.request_log(operation="createTask")] == [False]


def test_slow_answers_and_timeouts(make_farm):
    farm = make_farm(faults="slow:getTransferBid:1:0.6")
    client = farm.client("v1", timeout=0.2, max_retries=0)
    with pytest.raises(TransportError):
        client.transfer_bids()
    assert farm.client("v1").transfer_bids()["input_bid"]
    first, second = farm.request_log(operation="getTransferBid")
    assert first["fault"] == "slow:getTransferBid:1:0.6" and first["acted"] is True
    assert second["fault"] is None


def test_clock_skew_is_corrected_by_the_client(make_farm):
    farm = make_farm(faults="skew=900")
    client = farm.client("v1")
    assert client.user_profile()["userId"]
    assert [r["code"] for r in farm.request_log(operation="queryUserProfile")] == [610, 200]
    assert 850 < client.clock_offset < 950


def test_set_faults_at_run_time(farm):
    client = farm.client("v1", retry_backoff=0.01, max_retries=0)
    farm.set_faults("error500:queryUserProfile")
    with pytest.raises(ApiError):
        client.user_profile()
    farm.set_faults(None)
    assert client.user_profile()["userId"]


def test_cut_upload_keeps_nothing_and_cut_download_is_short(make_farm):
    farm = make_farm(faults="cut:PUT:1; cut:GET:1")
    row = farm.user_row()
    data = os.urandom(200000)
    with pytest.raises(requests.ConnectionError):
        put(farm, row["input_bid"], "/big.bin", data)
    assert farm.request_log(operation="transfer.PUT")[0]["acted"] is False
    folder = farm.storage.bid_root(row["user_id"], row["input_bid"])
    assert not os.path.exists(os.path.join(folder, "big.bin"))
    assert not os.path.exists(folder) or os.listdir(folder) == []
    assert put(farm, row["input_bid"], "/big.bin", data).status_code == 201
    url = transfer_url(farm, row["input_bid"], "/big.bin")
    with pytest.raises((requests.exceptions.ChunkedEncodingError, requests.ConnectionError)):
        requests.get(url, headers=farm.transfer_headers(), timeout=10).content
    whole = requests.get(url, headers=farm.transfer_headers(), timeout=10)
    assert whole.content == data


def test_transfer_drop_and_503(make_farm):
    farm = make_farm(faults="http503:transfer:1; drop_before:HEAD:1")
    row = farm.user_row()
    assert put(farm, row["input_bid"], "/a.bin", b"abc").status_code == 503
    assert put(farm, row["input_bid"], "/a.bin", b"abc").status_code == 201
    with pytest.raises(requests.ConnectionError):
        requests.head(transfer_url(farm, row["input_bid"], "/a.bin"),
                      headers=farm.transfer_headers(), timeout=10)
    ops = [(r["operation"], r["code"], r["acted"]) for r in farm.request_log()]
    assert ops == [("transfer.PUT", 503, False), ("transfer.PUT", 201, True),
                   ("transfer.HEAD", None, False)]


def test_upload_dropped_after_writing_is_kept(make_farm):
    farm = make_farm(faults="drop_after:PUT:1")
    row = farm.user_row()
    with pytest.raises(requests.ConnectionError):
        put(farm, row["input_bid"], "/kept.bin", b"abc")
    record = farm.request_log(operation="transfer.PUT")[0]
    assert record["acted"] is True and record["fault"] == "drop_after:PUT:1"
    head = requests.head(transfer_url(farm, row["input_bid"], "/kept.bin"),
                         headers=farm.transfer_headers(), timeout=10)
    assert head.status_code == 200 and head.headers["Content-Length"] == "3"
