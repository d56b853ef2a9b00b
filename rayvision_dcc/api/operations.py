"""Every operation of the render API, under its protocol name, with both path sets.

v1 paths are the protocol document's (version header ``1.0.0``); v2 paths are the ones
the maintained SDK calls (version header ``2.0.0``, job-files.md section 5). Operations
that exist only in API 2.0 have no v1 path: a v1 client sends them to their v2 path
(docs/api.md says why). ``params`` lists the body keys the server requires, with
their wire type, per version; the client does not check them (the server does), the
local farm enforces them with codes 601 and 600.
"""
from __future__ import annotations

from collections import namedtuple

#: Wire types used in ``params``: "int", "str", "ints" (list of int), "list".
Operation = namedtuple("Operation", "name v1_path v2_path retry_safe v1_params v2_params")

VERSION_HEADERS = {"v1": "1.0.0", "v2": "2.0.0"}

_TASKS_V1 = {"taskParam": "ints"}
_TASKS_V2 = {"taskIds": "ints"}
_ENV = {"cgId": "int", "cgName": "str", "cgVersion": "str", "editName": "str"}


def _op(name, v1_path, v2_path, retry_safe, v1_params=None, v2_params=None):
    v1 = dict(v1_params or {})
    v2 = dict(v1 if v2_params is None else v2_params)
    return Operation(name, v1_path, v2_path, retry_safe, v1, v2)


# retry_safe: a repeat cannot do harm (queries, idempotent task actions). createTask,
# submitTask, restartFrame and the add* operations are never retried blindly.
OPERATIONS = dict((op.name, op) for op in [
    _op("queryPlatforms", "/api/render/common/queryPlatforms",
        "/api/render/common/queryPlatforms", True, {"zone": "int"}),
    _op("queryUserProfile", "/api/render/user/queryUserProfile",
        "/api/render/setUp/queryUserProfile", True),
    _op("queryUserSetting", "/api/render/user/queryUserSetting",
        "/api/render/setUp/queryUserSetting", True),
    _op("updateUserSetting", "/api/render/user/updateUserSetting",
        "/api/render/setUp/updateUserSetting", True,
        {"taskOverTime": "int"}, {"taskOverTimeSec": "int"}),
    _op("getTransferBid", "/api/render/task/getTransferBid",
        "/api/render/transfer/getBid", True),
    _op("createTask", "/api/render/task/createTask",
        "/api/render/submit/createTask", False, {"count": "int"}),
    _op("submitTask", "/api/render/task/submitTask",
        "/api/render/submit/task", False, {"taskId": "int"}),
    _op("queryErrorDetail", "/api/render/common/queryErrorDetail",
        "/api/render/submit/queryAnalyseErrorDetail", True, {"code": "str"}, {}),
    _op("getTaskList", "/api/render/task/getTaskList",
        "/api/render/handle/getTaskList/v2", True, {"pageNum": "int", "pageSize": "int"}),
    _op("stopTask", "/api/render/task/stopTask",
        "/api/rendering/task/renderingTask/stopTask", True, _TASKS_V1, _TASKS_V2),
    _op("startTask", "/api/render/task/startTask",
        "/api/rendering/task/renderingTask/startTask", True, _TASKS_V1, _TASKS_V2),
    _op("abortTask", "/api/render/task/abortTask",
        "/api/render/handle/abandonTask", True, _TASKS_V1, _TASKS_V2),
    _op("deleteTask", "/api/render/task/deleteTask",
        "/api/render/handle/deleteTask", True, _TASKS_V1, _TASKS_V2),
    _op("queryTaskFrames", "/api/render/task/queryTaskFrames",
        "/api/render/handle/queryTaskFrames", True, {"taskId": "int"}),
    _op("queryAllFrameStats", "/api/render/task/queryAllFrameStats",
        "/api/render/handle/queryAllFrameStats", True),
    _op("restartFailedFrames", "/api/render/task/restartFailedFrames",
        "/api/render/handle/recommitTasks", True, _TASKS_V1, _TASKS_V2),
    _op("restartFrame", "/api/render/task/restartFrame",
        "/api/render/handle/recommitTaskFrames", False,
        {"taskIds": "int", "selectAll": "int"}, {"taskId": "int", "selectAll": "int"}),
    _op("queryTaskInfo", "/api/render/task/queryTaskInfo",
        "/api/render/handle/queryTaskInfo/v2", True, {"taskIds": "ints"}),
    _op("addLabel", "/api/render/common/addLabel",
        "/api/render/project/add", False, {"newName": "str"}),
    _op("deleteLabel", "/api/render/common/deleteLabel",
        "/api/render/project/delete", True, {"delName": "str"}),
    _op("getLabelList", "/api/render/common/getLabelList",
        "/api/render/project/getList", True),
    _op("querySupportedSoftware", "/api/render/common/querySupportedSoftware",
        "/api/render/plugin/querySoftwareList", True),
    _op("querySupportedPlugin", "/api/render/common/querySupportedPlugin",
        "/api/render/plugin/querySoftwareDetail", True, {"cgId": "int"}),
    _op("addRenderEnv", "/api/render/common/addRenderEnv",
        "/api/render/plugin/addUserPluginConfig", False, _ENV),
    _op("updateRenderEnv", "/api/render/common/updateRenderEnv",
        "/api/render/plugin/editUserPluginConfig", True, _ENV),
    _op("deleteRenderEnv", "/api/render/common/deleteRenderEnv",
        "/api/render/plugin/deleteUserPluginConfig", True, {"editName": "str"}),
    _op("setDefaultRenderEnv", "/api/render/common/setDefaultRenderEnv",
        "/api/render/plugin/setDefaultUserPluginConfig", True, {"editName": "str"}),
    _op("getRenderEnv", "/api/render/common/getRenderEnv",
        "/api/render/plugin/getUserPluginConfig", True, {"cgId": "int"}),
    _op("loadTaskProcessImg", "/api/render/task/loadTaskProcessImg",
        "/api/render/handle/loadTaskProcessImg", True, {"taskId": "int"}),
    _op("setOverTimeStop", "/api/render/task/setOverTimeStop",
        "/api/render/handle/setTaskOverTimeStop", True, {"taskIds": "ints", "overTime": "int"}),
    _op("loadingFrameThumbnail", "/api/render/task/loadingFrameThumbnail",
        "/api/render/handle/loadingFrameThumbnail", True, {"id": "int", "frameStatus": "int"}),
    _op("getTransferServerMsg", "/api/render/task/getTransferServerMsg",
        "/api/render/transfer/getServerInfo", True, {"zone": "int"}),
    _op("getRaySyncUserKey", "/api/render/user/getRaySyncUserKey",
        "/api/render/transfer/getRaySyncUserKey", True),
    _op("fullSpeed", "/api/render/task/fullSpeed",
        "/api/render/handle/fullSpeedRendering", True, {"taskIds": "ints"}),
])

#: The 34 operations of the protocol document, in its order.
PROTOCOL_OPERATIONS = tuple(OPERATIONS)

# Operations that exist only in API 2.0 (job-files.md section 5).
OPERATIONS.update((op.name, op) for op in [
    _op("hardwareConfigList", None, "/api/render/hardwareConfig/list", True),
    _op("editTaskHardwareConfig", None, "/api/render/handle/editTaskHardwareConfig", True,
        None, {"taskIds": "ints", "hardwareConfigId": "int"}),
    _op("taskJsonFile", None, "/api/render/submit/taskJsonFile", True,
        None, {"taskId": "int", "fileName": "str", "content": "str"}),
    _op("getConfig", None, "/api/render/transfer/getConfig", True),
    _op("getOutputUserDirFile", None, "/api/render/file/operate/getOutputUserDirFile", True),
    _op("stopTaskFrames", None, "/api/render/handle/stopTaskFrames", True,
        None, {"taskId": "int", "selectAll": "int"}),
    _op("updateTaskUserLevel", None, "/api/rendering/task/renderingTask/updateTaskUserLevel",
        True, None, {"taskId": "int", "taskUserLevel": "int"}),
    _op("addTaskLabel", None, "/api/render/handle/addTaskLabel", False,
        None, {"label": "str", "taskIds": "ints"}),
    _op("deleteTaskLabel", None, "/api/render/handle/deleteTaskLabel", True,
        None, {"labelIds": "ints"}),
    _op("projectList", None, "/api/render/project/list", True, None, {"flag": "int"}),
    _op("showLog", None, "/api/render/handle/showLog", True, None, {"id": "int"}),
    _op("getUserPackNodeInfo", None, "/api/render/submit/getUserPackNodeInfo", True),
    _op("taskRecord", None, "/api/render/handle/operate/sdk/taskRecord", True,
        None, {"pageNum": "int", "pageSize": "int"}),
    _op("loginRecord", None, "/api/render/handle/operate/sdk/loginRecord", True,
        None, {"pageNum": "int", "pageSize": "int"}),
])

V2_ONLY_OPERATIONS = tuple(name for name in OPERATIONS if name not in PROTOCOL_OPERATIONS)


def path_for(operation, api_version):
    """The URL path of ``operation`` in ``api_version`` ("v1" or "v2")."""
    op = get(operation)
    return op.v1_path if version_for(operation, api_version) == "v1" else op.v2_path


def version_for(operation, api_version):
    """The path set ``operation`` is sent to: "v1" or "v2".

    An API 2.0-only operation goes to its v2 path, with the version header 2.0.0, even
    from a v1 client: the version header always matches the path.
    """
    op = get(operation)
    return "v1" if api_version == "v1" and op.v1_path else "v2"


def params_for(operation, api_version):
    """``{key: wire type}`` of the body keys ``operation`` requires in ``api_version``."""
    op = get(operation)
    return op.v1_params if version_for(operation, api_version) == "v1" else op.v2_params


def get(operation):
    """The :class:`Operation` called ``operation``; KeyError names the known ones."""
    try:
        return OPERATIONS[operation]
    except KeyError:
        raise KeyError("unknown operation {!r}; known operations: {}".format(
            operation, ", ".join(sorted(OPERATIONS)))) from None


def by_path():
    """``{path: (operation name, api version)}`` for both path sets (used by the local farm)."""
    table = {}
    for op in OPERATIONS.values():
        table[op.v2_path] = (op.name, "v2")
        if op.v1_path:
            table[op.v1_path] = (op.name, "v1")
    return table
