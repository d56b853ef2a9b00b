"""The operation table against the protocol document and job-files.md section 5."""
from __future__ import annotations

import pytest

from rayvision_dcc.api import operations
from rayvision_dcc.api.operations import (OPERATIONS, PROTOCOL_OPERATIONS, V2_ONLY_OPERATIONS,
                                          by_path, params_for, path_for, version_for)

# name: (v1 path from the protocol document, v2 path from job-files.md section 5)
EXPECTED = {
    "queryPlatforms": ("/api/render/common/queryPlatforms", "/api/render/common/queryPlatforms"),
    "queryUserProfile": ("/api/render/user/queryUserProfile", "/api/render/setUp/queryUserProfile"),
    "queryUserSetting": ("/api/render/user/queryUserSetting", "/api/render/setUp/queryUserSetting"),
    "updateUserSetting": ("/api/render/user/updateUserSetting",
                          "/api/render/setUp/updateUserSetting"),
    "getTransferBid": ("/api/render/task/getTransferBid", "/api/render/transfer/getBid"),
    "createTask": ("/api/render/task/createTask", "/api/render/submit/createTask"),
    "submitTask": ("/api/render/task/submitTask", "/api/render/submit/task"),
    "queryErrorDetail": ("/api/render/common/queryErrorDetail",
                         "/api/render/submit/queryAnalyseErrorDetail"),
    "getTaskList": ("/api/render/task/getTaskList", "/api/render/handle/getTaskList/v2"),
    "stopTask": ("/api/render/task/stopTask", "/api/rendering/task/renderingTask/stopTask"),
    "startTask": ("/api/render/task/startTask", "/api/rendering/task/renderingTask/startTask"),
    "abortTask": ("/api/render/task/abortTask", "/api/render/handle/abandonTask"),
    "deleteTask": ("/api/render/task/deleteTask", "/api/render/handle/deleteTask"),
    "queryTaskFrames": ("/api/render/task/queryTaskFrames", "/api/render/handle/queryTaskFrames"),
    "queryAllFrameStats": ("/api/render/task/queryAllFrameStats",
                           "/api/render/handle/queryAllFrameStats"),
    "restartFailedFrames": ("/api/render/task/restartFailedFrames",
                            "/api/render/handle/recommitTasks"),
    "restartFrame": ("/api/render/task/restartFrame", "/api/render/handle/recommitTaskFrames"),
    "queryTaskInfo": ("/api/render/task/queryTaskInfo", "/api/render/handle/queryTaskInfo/v2"),
    "addLabel": ("/api/render/common/addLabel", "/api/render/project/add"),
    "deleteLabel": ("/api/render/common/deleteLabel", "/api/render/project/delete"),
    "getLabelList": ("/api/render/common/getLabelList", "/api/render/project/getList"),
    "querySupportedSoftware": ("/api/render/common/querySupportedSoftware",
                               "/api/render/plugin/querySoftwareList"),
    "querySupportedPlugin": ("/api/render/common/querySupportedPlugin",
                             "/api/render/plugin/querySoftwareDetail"),
    "addRenderEnv": ("/api/render/common/addRenderEnv", "/api/render/plugin/addUserPluginConfig"),
    "updateRenderEnv": ("/api/render/common/updateRenderEnv",
                        "/api/render/plugin/editUserPluginConfig"),
    "deleteRenderEnv": ("/api/render/common/deleteRenderEnv",
                        "/api/render/plugin/deleteUserPluginConfig"),
    "setDefaultRenderEnv": ("/api/render/common/setDefaultRenderEnv",
                            "/api/render/plugin/setDefaultUserPluginConfig"),
    "getRenderEnv": ("/api/render/common/getRenderEnv", "/api/render/plugin/getUserPluginConfig"),
    "loadTaskProcessImg": ("/api/render/task/loadTaskProcessImg",
                           "/api/render/handle/loadTaskProcessImg"),
    "setOverTimeStop": ("/api/render/task/setOverTimeStop",
                        "/api/render/handle/setTaskOverTimeStop"),
    "loadingFrameThumbnail": ("/api/render/task/loadingFrameThumbnail",
                              "/api/render/handle/loadingFrameThumbnail"),
    "getTransferServerMsg": ("/api/render/task/getTransferServerMsg",
                             "/api/render/transfer/getServerInfo"),
    "getRaySyncUserKey": ("/api/render/user/getRaySyncUserKey",
                          "/api/render/transfer/getRaySyncUserKey"),
    "fullSpeed": ("/api/render/task/fullSpeed", "/api/render/handle/fullSpeedRendering"),
}

EXPECTED_V2_ONLY = {
    "hardwareConfigList": "/api/render/hardwareConfig/list",
    "editTaskHardwareConfig": "/api/render/handle/editTaskHardwareConfig",
    "taskJsonFile": "/api/render/submit/taskJsonFile",
    "getConfig": "/api/render/transfer/getConfig",
    "getOutputUserDirFile": "/api/render/file/operate/getOutputUserDirFile",
    "stopTaskFrames": "/api/render/handle/stopTaskFrames",
    "updateTaskUserLevel": "/api/rendering/task/renderingTask/updateTaskUserLevel",
    "addTaskLabel": "/api/render/handle/addTaskLabel",
    "deleteTaskLabel": "/api/render/handle/deleteTaskLabel",
    "projectList": "/api/render/project/list",
    "showLog": "/api/render/handle/showLog",
    "getUserPackNodeInfo": "/api/render/submit/getUserPackNodeInfo",
    "taskRecord": "/api/render/handle/operate/sdk/taskRecord",
    "loginRecord": "/api/render/handle/operate/sdk/loginRecord",
}


def test_all_34_protocol_operations_in_document_order():
    assert len(PROTOCOL_OPERATIONS) == 34
    assert list(PROTOCOL_OPERATIONS) == list(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_protocol_operation_paths(name):
    v1, v2 = EXPECTED[name]
    assert OPERATIONS[name].v1_path == v1
    assert OPERATIONS[name].v2_path == v2
    assert path_for(name, "v1") == v1 and version_for(name, "v1") == "v1"
    assert path_for(name, "v2") == v2 and version_for(name, "v2") == "v2"


@pytest.mark.parametrize("name", sorted(EXPECTED_V2_ONLY))
def test_v2_only_operations_go_to_their_v2_path_from_either_version(name):
    assert name in V2_ONLY_OPERATIONS
    assert OPERATIONS[name].v1_path is None
    assert path_for(name, "v1") == path_for(name, "v2") == EXPECTED_V2_ONLY[name]
    assert version_for(name, "v1") == version_for(name, "v2") == "v2"
    assert params_for(name, "v1") == params_for(name, "v2")


def test_no_other_operations():
    assert set(OPERATIONS) == set(EXPECTED) | set(EXPECTED_V2_ONLY)


def test_version_headers():
    assert operations.VERSION_HEADERS == {"v1": "1.0.0", "v2": "2.0.0"}


def test_only_harmless_operations_are_retry_safe():
    never = {"createTask", "submitTask", "restartFrame", "addLabel", "addRenderEnv", "addTaskLabel"}
    for name in never:
        assert not OPERATIONS[name].retry_safe, name
    for name in ("queryPlatforms", "queryUserProfile", "getTaskList", "queryTaskInfo",
                 "stopTask", "startTask", "deleteTask", "getRaySyncUserKey", "getTransferBid"):
        assert OPERATIONS[name].retry_safe, name


def test_body_key_differences_between_versions():
    assert params_for("stopTask", "v1") == {"taskParam": "ints"}
    assert params_for("stopTask", "v2") == {"taskIds": "ints"}
    assert params_for("restartFailedFrames", "v2") == {"taskIds": "ints"}
    assert "taskIds" in params_for("restartFrame", "v1")
    assert "taskId" in params_for("restartFrame", "v2")
    assert params_for("updateUserSetting", "v1") == {"taskOverTime": "int"}
    assert params_for("updateUserSetting", "v2") == {"taskOverTimeSec": "int"}


def test_by_path_maps_every_path_back():
    table = by_path()
    for name, (v1, v2) in EXPECTED.items():
        assert table[v1][0] == name
        assert table[v2][0] == name
    for name, path in EXPECTED_V2_ONLY.items():
        assert table[path] == (name, "v2")
    assert table["/api/render/task/stopTask"] == ("stopTask", "v1")
    assert table["/api/render/handle/abandonTask"] == ("abortTask", "v2")


def test_unknown_operation_names_the_known_ones():
    with pytest.raises(KeyError) as info:
        path_for("queryPlatform", "v1")
    assert "queryPlatforms" in str(info.value)
