"""At DEBUG a request shows operation, path and body keys; never a key, a signature or a value."""
from __future__ import annotations

import logging

import pytest

from rayvision_dcc.errors import AuthError, CreateTaskLost

from api_loopback import ACCESS_KEY, DROP, envelope

TRANSFER_KEY = "tk-5ec2e7-TRANSFER-KEY-VALUE"
JOB_TEXT = "secret-scene-path-D:/projects/private/shot.mb"


def all_text(records):
    parts = []
    for record in records:
        parts.append(record.getMessage())
        parts.append(repr(record.args))
        if record.exc_info:
            parts.append(logging.Formatter().formatException(record.exc_info))
    return "\n".join(parts)


def test_debug_log_never_holds_secrets(server, make_client, caplog):
    caplog.set_level(logging.DEBUG)  # every logger, urllib3 included
    caplog.set_level(logging.DEBUG, logger="rayvision_dcc")
    client = make_client("v2")
    events = []
    client.add_listener(events.append)
    errors = []

    server.answer(envelope(data={"raySyncUserKey": TRANSFER_KEY, "userId": 1}))
    assert client.raysync_user_key()["raySyncUserKey"] == TRANSFER_KEY
    client.call("taskJsonFile", {"taskId": 1, "fileName": "upload.json", "content": JOB_TEXT,
                                 "transferKey": TRANSFER_KEY})
    server.answer(DROP)
    client.user_profile()  # retried after the drop
    server.answer(envelope(code=610, message="signature_expired"))
    client.user_profile()  # clock corrected
    server.answer(envelope(code=611, message="signature_invalid"))
    with pytest.raises(AuthError) as info:
        client.user_profile()
    errors.append(info.value)
    server.answer(DROP)
    with pytest.raises(CreateTaskLost) as info:
        client.create_task()
    errors.append(info.value)

    records = [r for r in caplog.records]
    ours = [r for r in records if r.name.startswith("rayvision_dcc")]
    debug_lines = [r.getMessage() for r in ours if r.levelno == logging.DEBUG]
    # the debug log is useful: operation, path, body keys
    assert any("taskJsonFile" in line and "/api/render/submit/taskJsonFile" in line
               and "content" in line and "transferKey" in line for line in debug_lines)

    signatures = [r.headers["signature"] for r in server.requests]
    assert len(signatures) >= 8
    text = all_text(records)
    text += "\n".join(repr(e) for e in events)
    text += "\n".join(str(e) + e.hint + repr(e.args) for e in errors)
    for secret in [ACCESS_KEY, TRANSFER_KEY, JOB_TEXT] + signatures:
        assert secret not in text


def test_repr_of_client_settings_hides_the_key(make_client):
    client = make_client()
    assert ACCESS_KEY not in repr(client.settings)
    assert ACCESS_KEY not in str(client.settings)
    assert "access_key=<set>" in repr(client.settings)


def test_package_adds_only_a_null_handler():
    import rayvision_dcc  # noqa: F401

    handlers = logging.getLogger("rayvision_dcc").handlers
    assert handlers and all(isinstance(h, logging.NullHandler) for h in handlers)
