"""Operations about the account, software, environments, labels and transfer settings."""
from __future__ import annotations

import json

from rayvision_dcc.localfarm.protocol import Refusal, op


SOFTWARE = (
    {"cgId": 2000, "cgName": "Maya", "cgType": "ma;mb", "iconPath": "/img/softimage/maya.png",
     "isNeedProjectPath": 3, "isNeedAnalyse": 1, "isSupportLinux": 1},
    {"cgId": 2001, "cgName": "3ds Max", "cgType": "max", "iconPath": "/img/softimage/max.png",
     "isNeedProjectPath": 0, "isNeedAnalyse": 1, "isSupportLinux": 0},
    {"cgId": 2007, "cgName": "Blender", "cgType": "blend", "iconPath": "/img/softimage/blender.png",
     "isNeedProjectPath": 0, "isNeedAnalyse": 1, "isSupportLinux": 1},
)
VERSIONS = {2000: ("2022", "2023", "2024", "2025"), 2001: ("2022", "2023", "2024", "2025"),
            2007: ("3.6", "4.2", "4.5")}
# (pluginId, cgId, pluginName, pluginVersion)
PLUGINS = (
    (1001, 2000, "mtoa", "mtoa 5.1.0"), (1002, 2000, "redshift", "redshift 3.5.19"),
    (1003, 2000, "vrayformaya", "vrayformaya 6.00.04"), (2001, 2001, "vray", "vray 6.00.04"),
    (2002, 2001, "corona", "corona 10"), (3001, 2007, "flip_fluids", "flip_fluids 1.8.0"),
)
PLATFORMS = ((2, "query_platform_w2"), (3, "query_platform_w3"), (6, "query_platform_w6"),
             (21, "query_platform_gpu"))
HARDWARE = (
    {"id": 301, "type": 1, "model": "Default", "ram": "64GB", "gpuNum": None},
    {"id": 302, "type": 1, "model": "28C", "ram": "128GB", "gpuNum": None},
    {"id": 303, "type": 2, "model": "2080Ti", "ram": "64GB", "gpuNum": "2*GPU"},
)
ERROR_CODES = {
    "999": (1, "Unknown error or analysis failure"),
    "10012": (1, "Missing texture, map or HDRI file"),
    "10013": (0, "Gamma correction enabled"),
    "15000": (1, "3ds Max hung or failed to start"),
    "15002": (1, "Scene info unreadable"),
    "15006": (1, "No camera"),
    "15013": (0, "Scene version does not match the configured software version"),
    "15024": (1, "Scene file not found"),
    "35001": (1, "Missing file"),
    "46000": (1, "Movie output format not allowed: render image sequences"),
    "46001": (0, "Frame step is not 1"),
    "46002": (0, "Eevee renderer on a non-GPU platform"),
    "46003": (1, "Scene has no camera"),
}


@op("queryPlatforms")
def query_platforms(ctx):
    return [{"platform": number, "name": name} for number, name in PLATFORMS]


@op("queryUserProfile")
def query_user_profile(ctx):
    user = ctx.user
    return {
        "userId": user["user_id"], "userName": user["user_name"], "platform": ctx.platform,
        "phone": "", "email": "", "company": "local farm", "name": "", "job": "",
        "communicationNumber": "", "softType": 2007, "softStatus": 1, "businessType": 1,
        "status": 1, "infoStatus": 0, "accountType": 1, "userType": 1, "mainUserId": 0,
        "level": 49, "pictureLever": None, "zone": 1, "rmbbalance": 1000.0, "usdbalance": 150.0,
        "rmbCumulative": 0, "usdCumulative": 0, "credit": 0, "coupon": 0, "description": "",
        "country": "", "city": "", "address": "", "cpuPrice": 0.0, "gpuPrice": 0.0,
        "shareMainCapital": 0, "subDeleteTask": 0, "useMainBalance": 0, "hideBalance": 0,
        "hideJobCharge": 0, "useLevelDirectory": 1, "downloadDisable": 0, "displaySubaccount": 1,
        "subaccountLimits": 5, "houdiniFlag": 0, "c4dFlag": 0, "blenderFlag": 1, "keyshotFlag": 0,
        "studentEndTime": None,
    }


@op("queryUserSetting")
def query_user_setting(ctx):
    seconds = ctx.user["task_over_time_sec"]
    return {"infoStatus": None, "accountType": None, "shareMainCapital": 0, "subDeleteTask": 0,
            "useMainBalance": 0, "singleNodeRenderFrames": "1", "maxIgnoreMapFlag": "1",
            "autoCommit": "2", "separateAccountFlag": 0, "mifileSwitchFlag": 0,
            "assfileSwitchFlag": 0, "manuallyStartAnalysisFlag": 0, "downloadDisable": 0,
            "taskOverTime": seconds // 3600, "taskOverTimeSec": seconds}


@op("updateUserSetting")
def update_user_setting(ctx):
    if ctx.version == "v1":
        seconds = ctx.body["taskOverTime"] * 3600
    else:
        seconds = ctx.body["taskOverTimeSec"]
    if seconds < 0:
        raise Refusal(600, "updateUserSetting: the overtime must not be negative")
    ctx.farm.store.set_user_overtime(ctx.user["user_id"], seconds)
    ctx.farm.refresh_user(ctx.user["access_id"])
    return None


def _bids(user):
    return {"config_bid": user["config_bid"], "output_bid": user["output_bid"],
            "input_bid": user["input_bid"]}


@op("getTransferBid")
def get_transfer_bid(ctx):
    data = _bids(ctx.user)
    data.update(parent_input_bid=ctx.user["input_bid"], sub_user_output_bids=[])
    return data


def _farm_address(ctx):
    host, _, port = ctx.host.partition(":")
    return host, int(port or 80)


@op("getTransferServerMsg")
def get_transfer_server_msg(ctx):
    # As the protocol's example: the line's own view (serverIp 127.0.0.1) beside the public
    # proxy address. The local farm runs no raysync server; clients take lines from getConfig.
    host, port = _farm_address(ctx)
    return {"clientVersion": "3.2.8.2", "protocolVersion": "3.2.8.2",
            "raysyncTransfer": {"serverIp": "127.0.0.1", "serverPort": 2121, "proxyIp": host,
                                "proxyPort": 32001, "sslPort": 2443, "port": 2442}}


def _engine(name, line_name, server, port):
    line = {"name": line_name, "server": server, "port": port, "isDefault": 1}
    return {"engineName": name, "checkServer": server, "checkPort": port,
            "respTaskEngineLines": [line]}


@op("getConfig")
def get_config(ctx):
    """The engines and lines, as the service lists them. The farm's own engine is "Http",
    its transfer service (docs/architecture.md); the real service never lists it. A farm
    started with ``aspera_line`` (tests) lists that Aspera line first, as the service does."""
    host, port = _farm_address(ctx)
    user = ctx.user
    engines = [_engine("Http", "local", host, port)]
    aspera = ctx.farm.aspera_line
    if aspera:
        aspera_host, _, aspera_port = aspera.rpartition(":")
        engines.insert(0, _engine("Aspera", "test", aspera_host, int(aspera_port)))
    return {"inputBid": user["input_bid"], "outputBid": user["output_bid"],
            "configBid": user["config_bid"], "parentInputBid": user["input_bid"],
            "resqEngines": engines, "resqEngineAccounts": [], "subUserOutputBids": []}


@op("getRaySyncUserKey")
def get_raysync_user_key(ctx):
    user = ctx.user
    return {"channel": 4, "platform": ctx.platform, "signature": "rayvision2017",
            "version": "1.0.0", "userKey": user["transfer_key"][:32], "id": user["user_id"],
            "userName": user["user_name"], "zone": 1, "phone": "", "email": "",
            "loginTime": ctx.now_ms, "infoStatus": 0, "accountType": 1, "shareMainCapital": 0,
            "subDeleteTask": 0, "subDeleteCapital": 1, "useMainBalance": 0, "downloadDisable": 0,
            "raySyncUserKey": user["transfer_key"]}


@op("queryErrorDetail")
def query_error_detail(ctx):
    codes = []
    if ctx.body.get("code") is not None:
        codes.append(str(ctx.body["code"]))
    codes.extend(str(code) for code in ctx.body.get("codes") or [])
    if not codes:
        raise Refusal(601, "queryErrorDetail: missing required parameter code (or codes)")
    language = str(ctx.body.get("language", "0"))
    items = []
    for code in codes:
        if code not in ERROR_CODES:
            continue
        kind, text = ERROR_CODES[code]
        items.append({"id": int(code), "code": code, "type": kind, "languageFlag": int(language == "1"),
                      "desDescriptionCn": text, "desDescriptionEn": text,
                      "desSolutionCn": "", "desSolutionEn": "", "solutionPath": "", "isRepair": 0,
                      "isDelete": 1, "isOpen": 1, "lastModifyAdmin": "", "updateTime": 0})
    return items


@op("querySupportedSoftware")
def query_supported_software(ctx):
    return {"isAutoCommit": 2, "renderInfoList": [dict(s) for s in SOFTWARE], "defaultCgId": 2007}


def _software_name(cg_id):
    for soft in SOFTWARE:
        if soft["cgId"] == cg_id:
            return soft["cgName"]
    raise Refusal(404, "cgId {} is not a software of the local farm (2000, 2001, 2007)".format(cg_id))


@op("querySupportedPlugin")
def query_supported_plugin(ctx):
    cg_id = ctx.body["cgId"]
    name = _software_name(cg_id)
    versions = [{"id": cg_id * 10 + index, "cgId": cg_id, "cgName": name, "cgVersion": version}
                for index, version in enumerate(VERSIONS[cg_id])]
    plugins = [{"cvId": versions[-1]["id"], "pluginName": plugin_name,
                "pluginVersions": [{"pluginId": pid, "pluginName": plugin_name,
                                    "pluginVersion": plugin_version}]}
               for pid, cg, plugin_name, plugin_version in PLUGINS if cg == cg_id]
    return {"cgPlugin": plugins, "cgVersion": versions}


def _plugin_infos(ids):
    by_id = {pid: (name, version) for pid, cg, name, version in PLUGINS}
    return [{"pluginId": pid, "pluginName": by_id[pid][0], "pluginVersion": by_id[pid][1]}
            for pid in ids if pid in by_id]


def _env_values(ctx):
    body = ctx.body
    cg_id = body["cgId"]
    _software_name(cg_id)
    plugin_ids = body.get("pluginIds") or []
    known = {pid for pid, cg, name, version in PLUGINS if cg == cg_id}
    unknown = [pid for pid in plugin_ids if pid not in known]
    if unknown:
        raise Refusal(600, "pluginIds {} are not plugins of cgId {} (querySupportedPlugin lists "
                           "them)".format(unknown, cg_id))
    try:
        system = int(body.get("renderSystem", 1))
    except (TypeError, ValueError):
        raise Refusal(600, "renderSystem must be 0 (linux) or 1 (windows)")
    return (cg_id, body["cgName"], body["cgVersion"], int(body.get("renderLayerType") or 0),
            system, json.dumps(plugin_ids))


@op("addRenderEnv")
def add_render_env(ctx):
    values = _env_values(ctx)
    uid = ctx.user["user_id"]
    with ctx.farm.store.tx() as db:
        if db.execute("SELECT 1 FROM envs WHERE user_id=? AND edit_name=?",
                      (uid, ctx.body["editName"])).fetchone():
            raise Refusal(600, "a render environment named {!r} already exists".format(
                ctx.body["editName"]))
        db.execute("INSERT INTO envs (user_id, cg_id, cg_name, cg_version, render_layer_type, "
                   "render_system, plugin_ids, edit_name, is_default) VALUES (?,?,?,?,?,?,?,?,0)",
                   (uid,) + values + (ctx.body["editName"],))
    return {"editName": ctx.body["editName"]}


def _env_or_404(db, uid, name):
    row = db.execute("SELECT * FROM envs WHERE user_id=? AND edit_name=?", (uid, name)).fetchone()
    if row is None:
        raise Refusal(404, "no render environment named {!r}".format(name))
    return row


@op("updateRenderEnv")
def update_render_env(ctx):
    values = _env_values(ctx)
    uid = ctx.user["user_id"]
    with ctx.farm.store.tx() as db:
        env = _env_or_404(db, uid, ctx.body["editName"])
        db.execute("UPDATE envs SET cg_id=?, cg_name=?, cg_version=?, render_layer_type=?, "
                   "render_system=?, plugin_ids=? WHERE id=?", values + (env["id"],))
    return None


@op("deleteRenderEnv")
def delete_render_env(ctx):
    uid = ctx.user["user_id"]
    with ctx.farm.store.tx() as db:
        env = _env_or_404(db, uid, ctx.body["editName"])
        db.execute("DELETE FROM envs WHERE id=?", (env["id"],))
        if env["is_default"]:
            # The oldest remaining environment of that software becomes the default.
            db.execute("UPDATE envs SET is_default=1 WHERE id=(SELECT MIN(id) FROM envs WHERE "
                       "user_id=? AND cg_id=?)", (uid, env["cg_id"]))
    return None


@op("setDefaultRenderEnv")
def set_default_render_env(ctx):
    uid = ctx.user["user_id"]
    with ctx.farm.store.tx() as db:
        env = _env_or_404(db, uid, ctx.body["editName"])
        db.execute("UPDATE envs SET is_default=0 WHERE user_id=? AND cg_id=?", (uid, env["cg_id"]))
        db.execute("UPDATE envs SET is_default=1 WHERE id=?", (env["id"],))
    return None


@op("getRenderEnv")
def get_render_env(ctx):
    cg_ids = [ctx.body["cgId"]] if ctx.body.get("cgId") is not None else []
    for value in ctx.body.get("cgIds") or []:
        if isinstance(value, bool) or not str(value).isdigit():
            raise Refusal(600, "getRenderEnv: cgIds must hold software ids, got {!r}".format(value))
        cg_ids.append(int(value))
    sql, args = "SELECT * FROM envs WHERE user_id=?", [ctx.user["user_id"]]
    if cg_ids:  # neither cgId nor cgIds (v2 only): every environment
        sql += " AND cg_id IN ({})".format(",".join("?" * len(cg_ids)))
        args += cg_ids
    rows = ctx.farm.store.all(sql + " ORDER BY id", args)
    return [{"cgId": row["cg_id"], "cglId": row["cg_id"], "editName": row["edit_name"],
             "cgName": row["cg_name"], "cgVersion": row["cg_version"], "osName": row["render_system"],
             "renderLayerType": row["render_layer_type"], "isDefault": row["is_default"],
             "respUserPluginInfoVos": _plugin_infos(json.loads(row["plugin_ids"]))}
            for row in rows]


def _labels(ctx):
    rows = ctx.farm.store.all("SELECT * FROM labels WHERE user_id=? ORDER BY id",
                              (ctx.user["user_id"],))
    return [{"projectId": row["id"], "projectName": row["name"], "status": row["status"]}
            for row in rows]


@op("addLabel")
def add_label(ctx):
    name = ctx.body["newName"].strip()
    if not name:
        raise Refusal(600, "addLabel: newName must not be empty")
    try:
        status = int(ctx.body.get("status") or 0)
    except (TypeError, ValueError):
        raise Refusal(600, "addLabel: status must be 0 or 1")
    with ctx.farm.store.tx() as db:
        if db.execute("SELECT 1 FROM labels WHERE user_id=? AND name=?",
                      (ctx.user["user_id"], name)).fetchone():
            raise Refusal(600, "a label named {!r} already exists".format(name))
        db.execute("INSERT INTO labels (user_id, name, status) VALUES (?,?,?)",
                   (ctx.user["user_id"], name, status))
    return None


@op("deleteLabel")
def delete_label(ctx):
    with ctx.farm.store.tx() as db:
        row = db.execute("SELECT id FROM labels WHERE user_id=? AND name=?",
                         (ctx.user["user_id"], ctx.body["delName"])).fetchone()
        if row is None:
            raise Refusal(404, "no label named {!r}".format(ctx.body["delName"]))
        db.execute("DELETE FROM task_labels WHERE label_id=?", (row["id"],))
        db.execute("DELETE FROM labels WHERE id=?", (row["id"],))
    return None


@op("getLabelList")
def get_label_list(ctx):
    return {"projectNameList": _labels(ctx)}


@op("projectList")
def project_list(ctx):
    return _labels(ctx)


@op("hardwareConfigList")
def hardware_config_list(ctx):
    return [dict(item, platform=ctx.platform, current=1 if item["id"] == 301 else 0, status=1,
                 notSupportCgId=[], notSupportCode=[], notSupportPluginList=[])
            for item in HARDWARE]


@op("getUserPackNodeInfo")
def get_user_pack_node_info(ctx):
    return []


@op("loginRecord")
def login_record(ctx):
    return {"pageCount": 0, "pageNum": ctx.body["pageNum"], "total": 0,
            "size": ctx.body["pageSize"], "items": []}
