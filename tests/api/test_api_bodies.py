"""No request body the project sends carries a JSON true, false or null.

The protocol does not say how the service writes them into the string it signs, and the
official SDK never sends them: optional fields are left out, flags are integer or string
codes. Every typed method of RenderClient is called here (v1 and v2 paths) against the
scripted server and each body that reached the wire is checked; the client itself refuses
such a body for any other caller (``RenderClient.call``).
"""
from __future__ import annotations

import inspect
import json

import pytest

from api_loopback import envelope
from rayvision_dcc.api import RenderClient
from rayvision_dcc.errors import ParameterError

#: Plumbing, not operations.
NOT_OPERATIONS = {"call", "signed_headers", "add_listener", "remove_listener", "close",
                  "transfer"}

ARGUMENTS = {"task_ids": [5000001], "task_id": 5000001, "frame_ids": [7], "content": "{}",
             "file_name": "task.json", "name": "shots", "edit_name": "env", "cg_name": "Maya",
             "cg_version": "2022", "plugin_ids": [1], "tree_path": "/", "keyword": "1",
             "statuses": [25], "labels": ["a"], "code": "15000", "seconds": 60,
             "task_over_time_sec": 3600}


def operations():
    for name, member in inspect.getmembers(RenderClient, inspect.isfunction):
        if not name.startswith("_") and name not in NOT_OPERATIONS:
            yield name, member


def walk(value):
    if isinstance(value, dict):
        for child in value.values():
            yield from walk(child)
    elif isinstance(value, list):
        for child in value:
            yield from walk(child)
    else:
        yield value


def call_every_operation(client, **overrides):
    for name, function in operations():
        kwargs = {}
        for param in list(inspect.signature(function).parameters.values())[1:]:
            if param.name in overrides:
                kwargs[param.name] = overrides[param.name]
            elif param.default is inspect.Parameter.empty:
                kwargs[param.name] = ARGUMENTS.get(param.name, 1)
        getattr(client, name)(**kwargs)


@pytest.mark.parametrize("api_version", ["v1", "v2"])
def test_no_body_holds_a_json_boolean_or_null(server, make_client, api_version):
    server.default = lambda recorded: envelope(data=None)
    client = make_client(api_version)
    call_every_operation(client)
    # The optional arguments given too, where the body may grow.
    client.create_task(count=1, out_user_id=7, labels=["x"], task_user_level=60)
    client.restart_frames(5000001, select_all=True)
    client.task_progress(5000001, frame_type=5)
    client.task_frames(5000001, keyword="3")
    client.output_files("/", task_id=5000001)
    bodies = [json.loads(r.raw.decode("utf-8") or "{}") for r in server.requests]
    assert len(bodies) >= len(list(operations()))
    for recorded, body in zip(server.requests, bodies):
        for leaf in walk(body):
            assert leaf is not None and not isinstance(leaf, bool), (recorded.path, body)


@pytest.mark.parametrize("body", [{"flag": True}, {"a": {"b": None}}, {"ids": [1, False]}])
def test_the_client_refuses_a_body_with_a_json_boolean_or_null(server, make_client, body):
    with pytest.raises(ParameterError) as caught:
        make_client().call("queryPlatforms", dict(body, zone=1))
    assert "never sends" in caught.value.message and caught.value.hint
    assert server.requests == []
