"""The service's codes become one exception family with messages that say what to do."""
from __future__ import annotations

import pytest

from rayvision_dcc.errors import (ApiError, AuthError, NotFound, ParameterError, RayvisionError,
                                  SignatureExpired)

from api_loopback import ACCESS_ID, ACCESS_KEY, Raw, envelope


def call_and_catch(server, make_client, answer, api_version="v1"):
    server.answer(answer)
    with pytest.raises(ApiError) as info:
        make_client(api_version).task_info([42])
    return info.value


def test_611_is_auth_error_telling_to_check_the_key(server, make_client):
    error = call_and_catch(server, make_client,
                           envelope(code=611, message="signature_invalid", request_id="RQ-611"))
    assert isinstance(error, AuthError) and isinstance(error, RayvisionError)
    assert error.code == 611
    assert error.operation == "queryTaskInfo"
    assert error.request_id == "RQ-611"
    assert error.server_message == "signature_invalid"
    assert "check the access key" in error.hint
    assert ACCESS_ID[:6] in error.hint
    text = str(error)
    assert text == error.message
    assert "queryTaskInfo" in text and "611" in text and "RQ-611" in text
    assert ACCESS_KEY not in text + error.hint


@pytest.mark.parametrize("code,kind", [
    (404, NotFound), (600, ParameterError), (601, ParameterError), (610, SignatureExpired),
    (602, AuthError), (603, AuthError), (403, AuthError), (605, AuthError),
    (608, ApiError), (700, ApiError), (100, ApiError),
])
def test_code_mapping(server, make_client, code, kind):
    answer = envelope(code=code, message="m")
    answer.pop("serverTime")  # no clock correction for 610 here
    error = call_and_catch(server, make_client, answer)
    assert type(error) is kind
    assert error.code == code
    if kind is not ApiError:
        assert error.hint


def test_not_found_hint(server, make_client):
    error = call_and_catch(server, make_client, envelope(code=404, message="resource_not_found"))
    assert "task" in error.hint


def test_parameter_error_names_the_operation(server, make_client):
    error = call_and_catch(server, make_client, envelope(code=601, message="parameter_cant_be_empty"))
    assert "queryTaskInfo" in error.hint
    assert "parameter_cant_be_empty" in error.message


def test_zone_mismatch_hint(server, make_client):
    error = call_and_catch(server, make_client, envelope(code=608, message="user_area_error"))
    assert "Fox Renderfarm" in error.hint


@pytest.mark.parametrize("answer", [
    Raw(200, b"<html>captive portal</html>"),
    Raw(404, b"Not Found"),
    Raw(200, b'{"no": "code"}', "application/json"),
    Raw(200, b"[1, 2]", "application/json"),
    Raw(200, b"\xff\xfe", "application/octet-stream"),
], ids=["html-200", "http-404", "json-without-code", "json-list", "not-utf8"])
def test_non_envelope_answer_is_api_error(server, make_client, answer):
    error = call_and_catch(server, make_client, answer)
    assert type(error) is ApiError
    assert "without an API envelope" in error.message
    assert "domain" in error.hint
    assert len(server.requests) == 1


def test_message_without_text_still_reads(server, make_client):
    answer = envelope(code=600)
    answer["message"] = None
    error = call_and_catch(server, make_client, answer)
    assert "no message" in error.message
