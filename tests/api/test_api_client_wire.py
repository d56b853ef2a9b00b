"""What the client puts on the wire, checked by a real server on loopback."""
from __future__ import annotations

import json
import time

import pytest

from rayvision_dcc.api import OPERATIONS, RenderClient, path_for
from rayvision_dcc.api.operations import params_for
from rayvision_dcc.errors import ApiError, ConfigError

from api_loopback import ACCESS_ID, ACCESS_KEY, envelope

SAMPLES = {"int": 7, "str": "text", "ints": [1, 2], "list": [{"a": 1}]}


def sample_body(name, api_version):
    body = {key: SAMPLES[kind] for key, kind in params_for(name, api_version).items()}
    body["extra"] = {"nested": [1, {"deep": "é", "flag": 1, "zero": 0}], "empty": []}
    return body


@pytest.mark.parametrize("api_version", ["v1", "v2"])
@pytest.mark.parametrize("name", sorted(OPERATIONS))
def test_every_operation_path_headers_and_signature(server, make_client, name, api_version):
    client = make_client(api_version)
    body = sample_body(name, api_version)
    before = int(time.time())
    data = client.call(name, body)
    after = int(time.time())

    [request] = server.requests
    op = OPERATIONS[name]
    expected_path = op.v1_path if (api_version == "v1" and op.v1_path) else op.v2_path
    assert request.path == expected_path == path_for(name, api_version)
    assert data == {"path": expected_path}
    # The version header follows the path set: 2.0.0 for every v2 path.
    assert request.headers["version"] == ("1.0.0" if expected_path == op.v1_path
                                          and api_version == "v1" else "2.0.0")
    assert request.headers["accessId"] == ACCESS_ID
    assert request.headers["channel"] == "4"
    assert request.headers["platform"] == "2"
    assert before <= int(request.headers["UTCTimestamp"]) <= after
    assert request.headers["nonce"]
    assert request.headers["signature"]
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers["Host"] == server.domain
    assert request.body == body
    assert request.verifies()
    assert not request.verifies("another key")


def test_v2_only_operation_from_a_v1_client(server, make_client):
    make_client("v1").call("hardwareConfigList", {"cloneTask": "false"})
    [request] = server.requests
    assert request.path == "/api/render/hardwareConfig/list"
    assert request.headers["version"] == "2.0.0"
    assert request.verifies()


def test_shared_path_uses_the_clients_version(server, make_client):
    make_client("v1").platforms(zone=1)
    make_client("v2").platforms(zone=1)
    assert server.paths() == ["/api/render/common/queryPlatforms"] * 2
    assert [r.headers["version"] for r in server.requests] == ["1.0.0", "2.0.0"]


def test_signature_covers_the_body(server, make_client):
    """A body changed on the way no longer verifies."""
    make_client().call("queryTaskInfo", {"taskIds": [1, 2]})
    [request] = server.requests
    request.raw = json.dumps({"taskIds": [1, 3]}).encode("utf-8")
    assert not request.verifies()


def test_nonce_fresh_per_request_and_one_keepalive_connection(server, make_client):
    client = make_client()
    for _ in range(5):
        client.user_profile()
    nonces = [r.headers["nonce"] for r in server.requests]
    assert len(set(nonces)) == 5
    assert all(n.isdigit() and len(n) >= 6 for n in nonces)
    # every request came over the same TCP connection
    assert len({r.client_port for r in server.requests}) == 1
    assert all(r.verifies() for r in server.requests)


def test_platform_and_domain_settings_reach_the_wire(server, make_client):
    make_client(platform=9).user_profile()
    [request] = server.requests
    assert request.headers["platform"] == "9"
    assert request.verifies()


def test_url_shaped_domain_is_normalised(server, make_client):
    client = make_client(domain="http://{}/".format(server.domain), protocol="https")
    assert client.domain == server.domain
    client.user_profile()
    assert server.requests[0].verifies()


def test_constructor_does_no_io(server):
    client = RenderClient(access_id=ACCESS_ID, access_key=ACCESS_KEY, domain=server.domain,
                          protocol="http")
    assert server.requests == []
    assert client._transport is None
    client.close()


def test_missing_credentials_fail_before_sending(server, make_client):
    client = make_client(access_id="", access_key="")
    with pytest.raises(ConfigError) as info:
        client.user_profile()
    assert "rayvision-dcc login" in info.value.hint
    assert server.requests == []


def test_listener_gets_one_event_per_request_without_values(server, make_client):
    client = make_client()
    events = []
    client.add_listener(events.append)
    server.answer(envelope(data={"ok": 1}, request_id="R-9"))
    client.call("taskJsonFile", {"taskId": 5, "fileName": "task.json", "content": "SECRET-CONTENT"})
    assert len(events) == 1
    event = events[0]
    assert event["operation"] == "taskJsonFile"
    assert event["path"] == "/api/render/submit/taskJsonFile"
    assert event["body_keys"] == ["content", "fileName", "taskId"]
    assert event["code"] == 200 and event["request_id"] == "R-9" and event["error"] == ""
    assert event["seconds"] >= 0
    assert "SECRET-CONTENT" not in repr(event)

    def broken(event):
        raise RuntimeError("listener bug")

    client.add_listener(broken)
    assert client.user_profile() == {"path": "/api/render/user/queryUserProfile"}
    client.remove_listener(broken)
    client.remove_listener(events.append)
    client.user_profile()
    assert len(events) == 2


# method, args, operation, v1 body, v2 body (None: same as v1)
TYPED = [
    ("platforms", (2,), "queryPlatforms", {"zone": 2}, None),
    ("user_profile", (), "queryUserProfile", {}, None),
    ("user_settings", (), "queryUserSetting", {}, None),
    ("update_user_settings", (7200,), "updateUserSetting", {"taskOverTime": 2},
     {"taskOverTimeSec": 7200}),
    ("transfer_bids", (), "getTransferBid", {}, None),
    ("create_task", (1, 5, ["lbl"], 60), "createTask", {"count": 1, "outUserId": 5},
     {"count": 1, "outUserId": 5, "labels": ["lbl"], "taskUserLevel": 60}),
    ("submit_task", ("42",), "submitTask", {"taskId": 42}, None),
    ("error_detail", (15000,), "queryErrorDetail", {"code": "15000", "language": "1"}, None),
    ("task_list", (2, 10, [1, 2]), "getTaskList", {"pageNum": 2, "pageSize": 10,
                                                   "statusList": [1, 2]}, None),
    ("stop_tasks", ([1, "2"],), "stopTask", {"taskParam": [1, 2]}, {"taskIds": [1, 2]}),
    ("start_tasks", ([3],), "startTask", {"taskParam": [3]}, {"taskIds": [3]}),
    ("abandon_tasks", ([3],), "abortTask", {"taskParam": [3]}, {"taskIds": [3]}),
    ("delete_tasks", ([3],), "deleteTask", {"taskParam": [3]}, {"taskIds": [3]}),
    ("restart_failed_frames", ([3],), "restartFailedFrames", {"taskParam": [3]},
     {"taskIds": [3]}),
    ("restart_frames", (42, [7, 8]), "restartFrame",
     {"taskIds": 42, "selectAll": 0, "ids": [7, 8]}, {"taskId": 42, "selectAll": 0, "ids": [7, 8]}),
    ("restart_frames", (42, None, True), "restartFrame", {"taskIds": 42, "selectAll": 1},
     {"taskId": 42, "selectAll": 1}),
    ("task_frames", (42, 1, 50), "queryTaskFrames", {"taskId": 42, "pageNum": 1, "pageSize": 50},
     None),
    ("all_frame_stats", (), "queryAllFrameStats", {}, None),
    ("task_info", ([42, "43"],), "queryTaskInfo", {"taskIds": [42, 43]}, None),
    ("add_label", ("shots",), "addLabel", {"newName": "shots", "status": 0}, None),
    ("delete_label", ("shots",), "deleteLabel", {"delName": "shots"}, None),
    ("labels", (), "getLabelList", {}, None),
    ("supported_software", (), "querySupportedSoftware", {}, None),
    ("supported_plugins", (2000,), "querySupportedPlugin", {"cgId": 2000}, None),
    ("add_render_env", (2000, "3ds Max", "2020", "env", [1, 2]), "addRenderEnv",
     {"cgId": 2000, "cgName": "3ds Max", "cgVersion": "2020", "editName": "env",
      "renderSystem": 1, "renderLayerType": 0, "pluginIds": [1, 2]}, None),
    ("update_render_env", (2000, "3ds Max", "2020", "env"), "updateRenderEnv",
     {"cgId": 2000, "cgName": "3ds Max", "cgVersion": "2020", "editName": "env",
      "renderSystem": 1, "renderLayerType": 0, "pluginIds": []}, None),
    ("delete_render_env", ("env",), "deleteRenderEnv", {"editName": "env"}, None),
    ("set_default_render_env", ("env",), "setDefaultRenderEnv", {"editName": "env"}, None),
    ("render_envs", (2000,), "getRenderEnv", {"cgId": 2000}, None),
    ("task_progress", (42,), "loadTaskProcessImg", {"taskId": 42}, None),
    ("set_overtime_stop", ([42], 3600), "setOverTimeStop", {"taskIds": [42], "overTime": 3600},
     None),
    ("frame_thumbnail", (9,), "loadingFrameThumbnail", {"id": 9, "frameStatus": 4}, None),
    ("transfer_server_info", (2,), "getTransferServerMsg", {"zone": 2}, None),
    ("raysync_user_key", (), "getRaySyncUserKey", {}, None),
    ("full_speed", ([42],), "fullSpeed", {"taskIds": [42]}, None),
    ("hardware_configs", (), "hardwareConfigList", {"cloneTask": "false"}, None),
    ("upload_job_file", (42, "task.json", "{}"), "taskJsonFile",
     {"taskId": 42, "fileName": "task.json", "content": "{}"}, None),
    ("transfer_config", (), "getConfig", {}, None),
    ("output_files", ("/", 42), "getOutputUserDirFile", {"treePath": "/", "taskId": 42}, None),
]


@pytest.mark.parametrize("api_version", ["v1", "v2"])
@pytest.mark.parametrize("method,args,name,v1_body,v2_body", TYPED,
                         ids=["{}-{}".format(t[0], i) for i, t in enumerate(TYPED)])
def test_typed_methods_write_the_versions_body(server, make_client, api_version, method, args,
                                               name, v1_body, v2_body):
    server.default = lambda recorded: envelope(data=None)
    client = make_client(api_version)
    getattr(client, method)(*args)
    [request] = server.requests
    assert request.path == path_for(name, api_version)
    expected = v1_body if api_version == "v1" or v2_body is None else v2_body
    assert request.body == expected
    assert request.verifies()


def test_render_envs_none_becomes_empty_list(server, make_client):
    server.answer(envelope(data=None))
    assert make_client().render_envs(2000) == []


@pytest.mark.parametrize("method,args,data", [
    ("user_profile", (), [1, 2]), ("task_list", (), "oops"), ("task_info", ([1],), 5),
    ("render_envs", (2000,), {"a": 1}), ("create_task", (), [])])
def test_data_of_the_wrong_shape_is_an_api_error(server, make_client, method, args, data):
    server.answer(envelope(data=data))
    with pytest.raises(ApiError) as caught:
        getattr(make_client(), method)(*args)
    assert "the protocol documents" in caught.value.message and caught.value.hint


def test_data_is_returned_as_sent(server, make_client):
    data = {"userId": 10001136, "userName": "rayvision", "coupon": 49.93, "list": [1, None]}
    server.answer(envelope(data=data))
    assert make_client().user_profile() == data


def test_client_as_context_manager(server, make_client):
    with make_client() as client:
        client.user_profile()
    assert len(server.requests) == 1
