"""Operations that read frames and outputs: frames, stats, progress, thumbnails, logs."""
from __future__ import annotations

import os

from rayvision_dcc.localfarm import store as st
from rayvision_dcc.localfarm.ops_tasks import paged, stamp, task_or_404
from rayvision_dcc.localfarm.protocol import Refusal, op
from rayvision_dcc.localfarm.storage import PathRefused


def frame_item(ctx, task, frame):
    used = ((frame["end_ms"] or ctx.now_ms) - frame["start_ms"]) // 1000 if frame["start_ms"] else 0
    return {"id": frame["id"], "userId": task["user_id"], "framePrice": 0, "feeType": 0,
            "platform": task["platform"], "frameIndex": str(frame["frame_index"]),
            "frameBlock": "1", "frameStatus": frame["status"],
            "frameStatusText": "task_frame_status_{}".format(frame["status"]),
            "feeAmount": 0, "couponFee": 0, "startTime": frame["start_ms"], "endTime": frame["end_ms"],
            "frameExecuteTime": used, "arrearsFee": 0, "munuJobId": str(frame["seq"]),
            "taskId": task["id"], "munuTaskId": "", "frameType": frame["frame_type"],
            "recommitFlag": frame["recommit"], "isCopy": None,
            "taskOverTime": task["over_time_sec"], "gopName": None, "frameRam": None,
            "outputFile": frame["output"]}


@op("queryTaskFrames")
def query_task_frames(ctx):
    task = task_or_404(ctx, ctx.body["taskId"])
    keyword = (ctx.body.get("searchKeyword") or "").strip()
    frames = [f for f in ctx.farm.store.frames_of(task["id"])
              if not keyword or keyword in str(f["frame_index"])]
    return paged(ctx, [frame_item(ctx, task, f) for f in frames])


@op("queryAllFrameStats")
def query_all_frame_stats(ctx):
    rows = ctx.farm.store.all("SELECT f.status, COUNT(*) AS n FROM frames f JOIN tasks t ON "
                              "t.id=f.task_id WHERE t.user_id=? AND t.deleted=0 GROUP BY f.status",
                              (ctx.user["user_id"],))
    counts = {row["status"]: row["n"] for row in rows}
    return {"executingFramesTotal": counts.get(st.F_RUNNING, 0),
            "doneFramesTotal": counts.get(st.F_DONE, 0),
            "failedFramesTotal": counts.get(st.F_FAILED, 0),
            "waitingFramesTotal": counts.get(st.F_WAITING, 0),
            "totalFrames": sum(counts.values())}


def _output_path(task, frame):
    return "/{}/{}".format(task["output_file_name"], frame["output"]) if frame["output"] else None


@op("loadTaskProcessImg")
def load_task_process_img(ctx):
    task = task_or_404(ctx, ctx.body["taskId"])
    grab = []
    for frame in ctx.farm.store.frames_of(task["id"]):
        used = ((frame["end_ms"] or ctx.now_ms) - frame["start_ms"]) // 1000 if frame["start_ms"] else 0
        grab.append([{"startTime": stamp(frame["start_ms"]), "endTime": stamp(frame["end_ms"]),
                      "frameStatus": str(frame["status"]), "isMaxPrice": "0", "feeAmount": "0.00",
                      "couponFee": "0.00", "frameIndex": str(frame["frame_index"]),
                      "frameBlock": "1",
                      "framePercent": "100" if frame["status"] == st.F_DONE else "0",
                      "frameUsed": str(used), "frameEst": "0", "renderInfo": "",
                      "grabUrl": _output_path(task, frame) or ""}])
    return {"width": task["width"], "height": task["height"], "block": 1, "isRenderPhoton": False,
            "currentTaskType": "Render",
            "sceneName": "{}-{}".format(task["scene_name"], task["render_camera"] or ""),
            "startTime": stamp(task["start_ms"]), "endTime": stamp(task["completed_ms"]),
            "grabInfo": grab}


@op("loadingFrameThumbnail")
def loading_frame_thumbnail(ctx):
    frame = ctx.farm.store.frame(ctx.user["user_id"], ctx.body["id"])
    if frame is None:
        raise Refusal(404, "frame {} not found".format(ctx.body["id"]))
    if frame["status"] != st.F_DONE:
        return []
    task = ctx.farm.store.task(ctx.user["user_id"], frame["task_id"])
    return [_output_path(task, frame)]


@op("showLog")
def show_log(ctx):
    frame = ctx.farm.store.frame(ctx.user["user_id"], ctx.body["id"])
    if frame is None:
        raise Refusal(404, "frame {} not found".format(ctx.body["id"]))
    text = ""
    if frame["log_path"] and os.path.isfile(frame["log_path"]):
        with open(frame["log_path"], "r", encoding="utf-8", errors="replace") as handle:
            text = handle.read()
    page = paged(ctx, text.splitlines(), default_size=1000)
    page.update(frameId=frame["id"], frameStatus=frame["status"], content=text)
    return page


@op("getOutputUserDirFile")
def get_output_user_dir_file(ctx):
    user = ctx.user
    tree = ctx.body.get("treePath") or "/"
    if ctx.body.get("taskId") is not None:
        task = task_or_404(ctx, ctx.body["taskId"])
        tree = "/" + (task["output_file_name"] or "{}_".format(task["id"]))
    try:
        entries = ctx.farm.storage.list_dir(user["user_id"], user["output_bid"], tree)
    except PathRefused as exc:
        raise Refusal(403, "getOutputUserDirFile: {}".format(exc))
    base = "/" + tree.strip("/")
    return [{"fileName": name, "filePath": (base.rstrip("/") + "/" + name),
             "directory": is_dir, "fileSize": 0 if is_dir else size, "lastModify": mtime,
             "isArrears": 0} for name, path, is_dir, size, mtime in entries]
