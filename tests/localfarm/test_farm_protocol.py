"""Every operation on both path sets, and every refusal of the strict checks."""
from __future__ import annotations

import json
import secrets
import time

import pytest
import requests

from farm_kit import ALICE, prepare_task
from rayvision_dcc.api import operations
from rayvision_dcc.api.signer import sign
from rayvision_dcc.errors import ApiError, AuthError, ParameterError


def bodies(version, task_id, frame_id):
    """A valid body for every operation in ``version``."""
    tasks = {"taskParam" if version == "v1" else "taskIds": [task_id]}
    env = {"cgId": 2000, "cgName": "Maya", "cgVersion": "2023", "editName": "env-" + version,
           "renderSystem": 1, "renderLayerType": 0, "pluginIds": [1001]}
    return [
        ("queryPlatforms", {"zone": 1}),
        ("queryUserProfile", {}),
        ("queryUserSetting", {}),
        ("updateUserSetting", {"taskOverTime": 12} if version == "v1" else {"taskOverTimeSec": 3600}),
        ("getTransferBid", {}),
        ("createTask", {"count": 1}),
        ("queryErrorDetail", {"code": "15000", "language": "1"}),
        ("getTaskList", {"pageNum": 1, "pageSize": 10, "statusList": [0, 5]}),
        ("queryTaskInfo", {"taskIds": [task_id]}),
        ("queryTaskFrames", {"taskId": task_id, "pageNum": 1, "pageSize": 2}),
        ("queryAllFrameStats", {}),
        ("addLabel", {"newName": "label-" + version, "status": 0}),
        ("getLabelList", {}),
        ("deleteLabel", {"delName": "label-" + version}),
        ("querySupportedSoftware", {}),
        ("querySupportedPlugin", {"cgId": 2000}),
        ("addRenderEnv", env),
        ("updateRenderEnv", dict(env, cgVersion="2024")),
        ("setDefaultRenderEnv", {"editName": env["editName"]}),
        ("getRenderEnv", {"cgId": 2000}),
        ("deleteRenderEnv", {"editName": env["editName"]}),
        ("loadTaskProcessImg", {"taskId": task_id}),
        ("setOverTimeStop", {"taskIds": [task_id], "overTime": 1800}),
        ("loadingFrameThumbnail", {"id": frame_id, "frameStatus": 4}),
        ("getTransferServerMsg", {"zone": 1}),
        ("getRaySyncUserKey", {}),
        ("stopTask", tasks),
        ("startTask", tasks),
        ("fullSpeed", {"taskIds": [task_id]}),
        ("restartFailedFrames", tasks),
        ("restartFrame", {"taskIds" if version == "v1" else "taskId": task_id, "selectAll": 1}),
        ("hardwareConfigList", {"cloneTask": "false"}),
        ("editTaskHardwareConfig", {"taskIds": [task_id], "hardwareConfigId": 302}),
        ("taskJsonFile", {"taskId": task_id, "fileName": "tips.json", "content": "{}"}),
        ("getConfig", {}),
        ("getOutputUserDirFile", {"treePath": "/"}),
        ("stopTaskFrames", {"taskId": task_id, "selectAll": 0, "ids": [frame_id]}),
        ("updateTaskUserLevel", {"taskId": task_id, "taskUserLevel": 60}),
        ("addTaskLabel", {"label": "tagged", "taskIds": [task_id]}),
        ("deleteTaskLabel", {"labelIds": [1]}),
        ("projectList", {"flag": 0}),
        ("showLog", {"id": frame_id, "renderingType": "render", "pageNum": 1, "pageSize": 50}),
        ("getUserPackNodeInfo", {}),
        ("taskRecord", {"platform": 2, "pageNum": 1, "pageSize": 10}),
        ("loginRecord", {"pageNum": 1, "pageSize": 10}),
        ("abortTask", tasks),
        ("deleteTask", tasks),
    ]


def test_every_operation_answers_on_its_path(farm, client, api_version):
    task_id = prepare_task(farm, client, frames="1-2[1]")[0]
    client.submit_task(task_id)
    farm.wait_idle(30)
    frame_id = client.task_frames(task_id)["items"][0]["id"]
    table = bodies(api_version, task_id, frame_id)
    assert {name for name, _ in table} | {"submitTask"} == set(operations.OPERATIONS)
    farm.clear_request_log()
    for name, body in table:
        client.call(name, body)
    seen = {(r["operation"], r["path"]) for r in farm.request_log() if r["code"] == 200}
    for name, _body in table:
        assert (name, operations.path_for(name, api_version)) in seen, name


def test_v2_only_operations_have_no_v1_path_and_v1_paths_differ(farm):
    routes = operations.by_path()
    for name in operations.V2_ONLY_OPERATIONS:
        assert routes[operations.OPERATIONS[name].v2_path] == (name, "v2")
    assert routes["/api/render/task/createTask"] == ("createTask", "v1")
    assert routes["/api/render/submit/createTask"] == ("createTask", "v2")


def test_envelope_shape(farm):
    client = farm.client("v2")
    headers = client.signed_headers("/api/render/setUp/queryUserProfile", {})
    reply = requests.post(farm.url + "/api/render/setUp/queryUserProfile", data=b"{}",
                          headers=headers, timeout=10)
    assert reply.status_code == 200
    env = reply.json()
    assert set(env) == {"version", "result", "message", "code", "data", "serverTime", "requestId"}
    assert env["code"] == 200 and env["result"] is True and env["version"] == "2.0.0"
    assert abs(env["serverTime"] - time.time() * 1000) < 60000
    assert farm.request_log(request_id=env["requestId"])[0]["operation"] == "queryUserProfile"


def raw_call(farm, path, body, access=ALICE, host=None, timestamp=None, nonce=None, drop=(),
             sign_domain=None, headers_extra=None):
    """POST a hand-signed request; returns the envelope."""
    headers = {"accessId": access[0], "channel": "4", "platform": "2",
               "UTCTimestamp": str(int(timestamp if timestamp is not None else time.time())),
               "nonce": nonce or str(100000 + secrets.randbelow(10 ** 9)), "version": "1.0.0"}
    headers["signature"] = sign(access[1], sign_domain or farm.domain, path, headers, body)
    for name in drop:
        headers.pop(name)
    headers["Content-Type"] = "application/json"
    if host:
        headers["Host"] = host
    headers.update(headers_extra or {})
    reply = requests.post(farm.url + path, data=json.dumps(body), headers=headers, timeout=10)
    return reply.json()


PROFILE = "/api/render/user/queryUserProfile"


def test_unknown_access_id_is_refused_by_name(farm):
    env = raw_call(farm, PROFILE, {}, access=("nobody-id", "x"))
    assert env["code"] == 611 and "nobody-id" in env["message"] and env["result"] is False


def test_wrong_key_is_611(farm):
    with pytest.raises(AuthError) as caught:
        _client_with_key(farm, "wrong").user_profile()
    assert caught.value.code == 611 and "signature" in caught.value.server_message


def _client_with_key(farm, key):
    from rayvision_dcc.api import RenderClient
    return RenderClient(access_id=ALICE[0], access_key=key, domain=farm.domain, protocol="http",
                        platform="2")


def test_signature_is_checked_against_the_host_it_was_sent_to(farm):
    good = raw_call(farm, PROFILE, {})
    assert good["code"] == 200
    env = raw_call(farm, PROFILE, {}, sign_domain="task.renderbus.com")
    assert env["code"] == 611 and farm.domain in env["message"]
    # Signed for "localhost:PORT" and sent with that Host: accepted.
    other = "localhost:{}".format(farm.port)
    assert raw_call(farm, PROFILE, {}, sign_domain=other, host=other)["code"] == 200


def test_body_values_are_signed(farm):
    path = "/api/render/common/queryPlatforms"
    headers = {"accessId": ALICE[0], "channel": "4", "platform": "2",
               "UTCTimestamp": str(int(time.time())), "nonce": "11", "version": "1.0.0"}
    headers["signature"] = sign(ALICE[1], farm.domain, path, headers, {"zone": 1})
    reply = requests.post(farm.url + path, data=json.dumps({"zone": 2}), headers=headers, timeout=10)
    assert reply.json()["code"] == 611


def test_stale_timestamp_is_610_with_server_time(farm):
    env = raw_call(farm, PROFILE, {}, timestamp=time.time() - 301 - 5)
    assert env["code"] == 610 and "UTCTimestamp" in env["message"]
    assert abs(env["serverTime"] / 1000.0 - time.time()) < 60
    assert raw_call(farm, PROFILE, {}, timestamp=time.time() + 400)["code"] == 610
    assert raw_call(farm, PROFILE, {}, timestamp=time.time() - 200)["code"] == 200


def test_client_corrects_its_clock_from_a_610(farm):
    client = farm.client("v1")
    client._clock = lambda: time.time() - 3600
    assert client.user_profile()["userId"]
    codes = [r["code"] for r in farm.request_log(operation="queryUserProfile")]
    assert codes == [610, 200]


def test_replayed_nonce_is_603(farm):
    assert raw_call(farm, PROFILE, {}, nonce="4242424")["code"] == 200
    env = raw_call(farm, PROFILE, {}, nonce="4242424")
    assert env["code"] == 603 and "4242424" in env["message"]


@pytest.mark.parametrize("nonce", ["a1b2c3d4e5f60718", "12.5", "-12", "1e6"])
def test_a_nonce_that_is_not_a_number_is_refused(farm, nonce):
    env = raw_call(farm, PROFILE, {}, nonce=nonce)
    assert env["code"] == 600 and "nonce" in env["message"]


def test_missing_header_is_601(farm):
    env = raw_call(farm, PROFILE, {}, drop=("nonce",))
    assert env["code"] == 601 and "nonce" in env["message"]


@pytest.mark.parametrize("version,operation,body,code,word", [
    ("v1", "createTask", {}, 601, "count"),
    ("v1", "createTask", {"count": "1"}, 600, "count"),
    ("v1", "createTask", {"count": True}, 600, "count"),
    ("v1", "queryTaskInfo", {"taskIds": ["1"]}, 600, "taskIds"),
    ("v1", "queryTaskInfo", {"taskIds": 5}, 600, "taskIds"),
    ("v1", "stopTask", {"taskIds": [1]}, 601, "taskParam"),
    ("v2", "stopTask", {"taskParam": [1]}, 601, "taskIds"),
    ("v1", "updateUserSetting", {"taskOverTimeSec": 5}, 601, "taskOverTime"),
    ("v2", "restartFrame", {"taskIds": 1, "selectAll": 1}, 601, "taskId"),
    ("v2", "taskJsonFile", {"taskId": 1, "fileName": "task.json"}, 601, "content"),
    ("v1", "getTaskList", {"pageNum": 1, "pageSize": 1, "statusList": "0"}, 600, "statusList"),
    ("v1", "addLabel", {"newName": 7}, 600, "newName"),
])
def test_parameter_refusals(farm, version, operation, body, code, word):
    client = farm.client(version)
    with pytest.raises(ParameterError) as caught:
        client.call(operation, body)
    assert caught.value.code == code
    assert word in caught.value.server_message


def test_body_that_is_not_json_is_600(farm):
    path = PROFILE
    headers = farm.client("v1").signed_headers(path, {})
    reply = requests.post(farm.url + path, data=b"{not json", headers=headers, timeout=10)
    assert reply.json()["code"] == 600


def test_unknown_path_and_wrong_method(farm):
    reply = requests.post(farm.url + "/api/render/nothing", data=b"{}", timeout=10)
    assert reply.status_code == 404 and reply.json()["code"] == 404
    assert requests.get(farm.url + PROFILE, timeout=10).status_code == 405


def test_keep_alive_connection_is_reused(farm):
    client = farm.client("v1")
    for _ in range(5):
        client.user_profile()
    assert len(farm._connections) == 1  # one HTTP/1.1 connection carried all five


def test_unknown_operation_values_name_the_problem(farm, client):
    with pytest.raises(ApiError) as caught:
        client.call("queryTaskFrames", {"taskId": 999, "pageNum": 1, "pageSize": 10})
    assert caught.value.code == 404 and "999" in caught.value.server_message
    with pytest.raises(ApiError) as caught:
        client.call("createTask", {"count": 0})
    assert caught.value.code == 600 and "count" in caught.value.server_message


def test_render_envs_are_seeded_and_editable(farm, client):
    envs = client.render_envs(2007)
    assert [(e["cgVersion"], e["isDefault"]) for e in envs] == [("4.5", 1)]
    assert client.render_envs(2000)[0]["cgName"] == "Maya"
    assert client.render_envs(2001)[0]["cgName"] == "3ds Max"
    client.add_render_env(2007, "Blender", "4.2", "mine", plugin_ids=[3001])
    client.set_default_render_env("mine")
    envs = {e["editName"]: e for e in client.render_envs(2007)}
    assert envs["mine"]["isDefault"] == 1 and envs["Blender 4.5 default"]["isDefault"] == 0
    assert envs["mine"]["respUserPluginInfoVos"][0]["pluginName"] == "flip_fluids"
    with pytest.raises(ApiError) as caught:
        client.add_render_env(2007, "Blender", "4.2", "mine")
    assert caught.value.code == 600 and "mine" in caught.value.server_message
    with pytest.raises(ApiError) as caught:
        client.add_render_env(2007, "Blender", "4.2", "other", plugin_ids=[1001])
    assert caught.value.code == 600
    client.delete_render_env("mine")
    assert [e["isDefault"] for e in client.render_envs(2007)] == [1]
    with pytest.raises(ApiError) as caught:
        client.delete_render_env("mine")
    assert caught.value.code == 404


def test_settings_both_versions(farm):
    v1, v2 = farm.client("v1"), farm.client("v2")
    v1.update_user_settings(7200)
    assert v2.user_settings()["taskOverTimeSec"] == 7200
    v2.update_user_settings(10800)
    assert v1.user_settings()["taskOverTime"] == 3


def test_labels_and_error_detail(farm, client):
    client.add_label("shots")
    assert [l["projectName"] for l in client.labels()["projectNameList"]] == ["shots"]
    client.delete_label("shots")
    assert client.labels()["projectNameList"] == []
    detail = client.error_detail(46003)
    assert detail[0]["type"] == 1 and detail[0]["code"] == "46003"


def test_booleans_signed_the_official_sdks_way_are_accepted(farm):
    """The official SDK spells True/None as Python does in the string it signs."""
    import base64
    import hashlib
    import hmac
    path = "/api/render/hardwareConfig/list"
    body = {"cloneTask": False, "note": None}
    headers = {"accessId": ALICE[0], "channel": "4", "platform": "2",
               "UTCTimestamp": str(int(time.time())), "nonce": "123456", "version": "2.0.0"}
    flat = dict(headers, cloneTask="False", note="None")
    text = "[POST]{}:{}&{}".format(farm.domain, path,
                                   "&".join("{}={}".format(k, flat[k]) for k in sorted(flat)))
    headers["signature"] = base64.b64encode(hmac.new(ALICE[1].encode(), text.encode(),
                                                     hashlib.sha256).digest()).decode()
    reply = requests.post(farm.url + path, data=json.dumps(body), headers=headers, timeout=10)
    assert reply.json()["code"] == 200
    headers["nonce"] = "654321"
    reply = requests.post(farm.url + path, data=json.dumps({"cloneTask": True, "note": None}),
                          headers=headers, timeout=10)
    assert reply.json()["code"] == 611
