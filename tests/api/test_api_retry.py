"""Retries where a repeat cannot harm, none for createTask, and the 610 clock correction."""
from __future__ import annotations

import threading
import time

import pytest

from rayvision_dcc.errors import (ApiError, CreateTaskLost, SignatureExpired, TransportError)

from api_loopback import DROP, Hold, Raw, envelope, free_port


def ok(data=None):
    return envelope(data=data)


@pytest.mark.parametrize("failure", [
    Raw(503, b"<html>Service Unavailable</html>"),
    Raw(502, b"bad gateway"),
    envelope(code=500, message="internal_error"),
    envelope(code=503),
    DROP,
], ids=["http-503", "http-502", "code-500", "code-503", "dropped"])
def test_retry_safe_query_is_retried_and_succeeds(server, make_client, failure):
    server.answer(failure, ok({"fine": 1}))
    assert make_client().user_profile() == {"fine": 1}
    assert server.paths() == ["/api/render/user/queryUserProfile"] * 2
    # each attempt is signed again, with a fresh nonce
    first, second = server.requests
    assert first.headers["nonce"] != second.headers["nonce"]
    assert second.verifies()


def test_idempotent_task_action_is_retried(server, make_client):
    server.answer(DROP, Raw(504, b"gateway timeout"), ok(None))
    assert make_client("v2").stop_tasks([5]) is None
    assert len(server.requests) == 3
    assert all(r.body == {"taskIds": [5]} for r in server.requests)


def test_retries_give_up_after_max_retries(server, make_client):
    server.default = lambda recorded: envelope(code=500, message="internal_error")
    client = make_client(max_retries=2)
    with pytest.raises(ApiError) as info:
        client.task_info([1])
    assert info.value.code == 500
    assert len(server.requests) == 3


def test_dropped_retries_end_in_transport_error(server, make_client):
    server.default = lambda recorded: DROP
    with pytest.raises(TransportError) as info:
        make_client(max_retries=1).user_profile()
    assert info.value.sent is True
    assert not isinstance(info.value, CreateTaskLost)
    assert len(server.requests) == 2


def test_business_errors_are_not_retried(server, make_client):
    server.answer(envelope(code=600, message="parameter_invalid"))
    with pytest.raises(ApiError):
        make_client().task_info([1])
    assert len(server.requests) == 1


def test_create_task_dropped_after_receipt_is_create_task_lost(server, make_client):
    server.answer(DROP)
    with pytest.raises(CreateTaskLost) as info:
        make_client().create_task()
    assert server.paths() == ["/api/render/task/createTask"]
    error = info.value
    assert isinstance(error, TransportError)
    assert error.sent is True and error.operation == "createTask"
    assert "may have been created" in error.message
    assert "resume" in error.hint


def test_create_task_gateway_error_is_create_task_lost(server, make_client):
    server.answer(Raw(502, b"bad gateway"))
    with pytest.raises(CreateTaskLost):
        make_client("v2").create_task()
    assert server.paths() == ["/api/render/submit/createTask"]


def test_create_task_error_envelope_is_not_retried(server, make_client):
    server.answer(envelope(code=500, message="internal_error"))
    with pytest.raises(ApiError) as info:
        make_client().create_task()
    assert not isinstance(info.value, CreateTaskLost)
    assert len(server.requests) == 1


def test_create_task_connection_refused_is_plain_transport_error(make_client):
    client = make_client(domain="127.0.0.1:{}".format(free_port()))
    with pytest.raises(TransportError) as info:
        client.create_task()
    assert type(info.value) is TransportError
    assert info.value.sent is False
    assert "could not connect" in info.value.message


def test_connection_refused_query_is_retried_then_reported(make_client):
    client = make_client(domain="127.0.0.1:{}".format(free_port()), max_retries=2)
    with pytest.raises(TransportError) as info:
        client.user_profile()
    assert info.value.sent is False
    assert "network" in info.value.hint


def test_submit_task_is_not_retried(server, make_client):
    server.answer(DROP, ok())
    with pytest.raises(TransportError) as info:
        make_client().submit_task(5)
    assert not isinstance(info.value, CreateTaskLost)
    assert len(server.requests) == 1


def test_read_timeout_of_create_task_is_create_task_lost(server, make_client):
    release = threading.Event()
    server.answer(Hold(release))
    try:
        with pytest.raises(CreateTaskLost) as info:
            make_client(timeout=0.2).create_task()
        assert "timed out" in info.value.message
    finally:
        release.set()
    assert len(server.requests) == 1


def test_read_timeout_of_query_is_retried(server, make_client):
    release = threading.Event()
    server.answer(Hold(release), ok({"n": "second"}))
    try:
        assert make_client(timeout=0.2).user_profile() == {"n": "second"}
    finally:
        release.set()
    assert len(server.requests) == 2


def test_clock_skew_is_corrected_from_server_time(server, make_client):
    behind = 3600.0  # this computer's clock is an hour late
    client = make_client(clock=lambda: time.time() - behind)
    server_time = {}

    def expired(recorded):
        server_time["ms"] = int(time.time() * 1000)
        return envelope(code=610, message="signature_expired", server_time=server_time["ms"])

    server.answer(expired, ok({"n": "after correction"}))
    assert client.user_profile() == {"n": "after correction"}
    first, second = server.requests
    # whole seconds: the first was truncated before the server's clock was read
    assert abs(int(first.headers["UTCTimestamp"]) - (server_time["ms"] / 1000.0 - behind)) < 2
    # the corrected one is the server's time truncated (plus the few ms since)
    assert abs(int(second.headers["UTCTimestamp"]) - server_time["ms"] / 1000.0) <= 1
    assert second.verifies()
    assert client.clock_offset == pytest.approx(behind, abs=1)
    # later requests keep the corrected clock
    client.user_profile()
    assert abs(int(server.requests[2].headers["UTCTimestamp"]) - time.time()) < 2


def test_clock_skew_retry_happens_once(server, make_client):
    def expired(recorded):
        return envelope(code=610, message="signature_expired")

    server.default = expired
    with pytest.raises(SignatureExpired) as info:
        make_client().user_profile()
    assert len(server.requests) == 2
    assert "clock" in info.value.hint


def test_signature_expired_without_server_time_is_raised(server, make_client):
    answer = envelope(code=610, message="signature_expired")
    del answer["serverTime"]
    server.answer(answer)
    with pytest.raises(SignatureExpired):
        make_client().user_profile()
    assert len(server.requests) == 1


def test_create_task_is_repeated_after_610(server, make_client):
    """A 610 means the server refused the request unread: repeating it creates nothing twice."""
    server.answer(envelope(code=610, message="signature_expired"), ok({"taskIdList": [77]}))
    assert make_client().create_task() == {"taskIdList": [77]}
    assert len(server.requests) == 2
