"""Operations on tasks and frames: create, job files, submit, the state machine, queries."""
from __future__ import annotations

import math
import time

from rayvision_dcc.errors import JobError
from rayvision_dcc.job.frames import parse_frames
from rayvision_dcc.localfarm import store as st
from rayvision_dcc.localfarm.jobcheck import JOB_FILES, check_task
from rayvision_dcc.localfarm.protocol import Refusal, is_int, op
from rayvision_dcc.localfarm.storage import PathRefused

MAX_CREATE = 100


def _task_ids(ctx):
    key = "taskParam" if ctx.version == "v1" and "taskParam" in ctx.body else "taskIds"
    return list(ctx.body.get(key) or [])


def task_or_404(ctx, task_id):
    task = ctx.farm.store.task(ctx.user["user_id"], task_id)
    if task is None:
        raise Refusal(404, "task {} not found".format(task_id))
    return task


def _tasks_or_404(ctx, ids):
    if not ids:
        raise Refusal(601, "{}: the task id list is empty".format(ctx.operation))
    return [task_or_404(ctx, task_id) for task_id in ids]


def paged(ctx, items, default_size=20):
    page = ctx.body.get("pageNum") or 1
    size = ctx.body.get("pageSize") or default_size
    if page < 1 or size < 1:
        raise Refusal(600, "{}: pageNum and pageSize must be at least 1".format(ctx.operation))
    total = len(items)
    return {"pageCount": int(math.ceil(total / float(size))), "pageNum": page, "total": total,
            "size": size, "items": items[(page - 1) * size:page * size]}


def stamp(ms):
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(ms / 1000.0)) if ms else None


def task_item(ctx, task):
    """One queryTaskInfo / getTaskList item: the protocol's fields only (what the farm knows
    beyond them, e.g. whether a task was submitted, shows only as the service shows it:
    ``submitDate`` set, frames counted)."""
    counts = ctx.farm.store.frame_counts(task["id"])
    end = task["completed_ms"] or (ctx.now_ms if task["start_ms"] else None)
    return {
        "sceneName": task["scene_name"], "id": task["id"], "taskAlias": task["alias"],
        "taskStatus": task["status"], "statusText": "render_task_status_{}".format(task["status"]),
        "preTaskStatus": None, "preStatusText": None, "totalFrames": sum(counts.values()),
        "abortFrames": counts.get(st.F_STOPPED, 0),
        "executingFrames": counts.get(st.F_RUNNING, 0), "doneFrames": counts.get(st.F_DONE, 0),
        "failedFrames": counts.get(st.F_FAILED, 0),
        "framesRange": task["frames_range"], "projectName": task["project_name"],
        "renderConsume": 0, "taskArrears": 0, "submitDate": task["submit_ms"],
        "startTime": task["start_ms"], "completedDate": task["completed_ms"],
        "renderDuration": (end - task["start_ms"]) // 1000 if task["start_ms"] and end else None,
        "userName": ctx.user["user_name"], "producer": task["producer"], "taskLevel": 60,
        "taskUserLevel": task["task_user_level"], "taskLimit": None,
        "taskOverTime": task["over_time_sec"], "userId": task["user_id"],
        "outputFileName": task["output_file_name"], "munuTaskId": "", "layerParentId": 0,
        "cgId": task["cg_id"],
        "taskKeyValueVo": {"tiles": None, "allCamera": None, "renderableCamera": None},
        "userAccountConsume": 0, "couponConsume": 0, "isOpen": 0,
        "taskType": "Render" if task["submitted"] else "", "renderCamera": task["render_camera"],
        "cloneParentId": 0, "cloneOriginalId": 0, "shareMainCapital": 0, "taskRam": 64,
        "respRenderingTaskList": None, "layerName": None,
        "taskTypeText": "render_major_picture_task" if task["submitted"] else None,
        "isDelete": 1,
    }


@op("createTask")
def create_task(ctx):
    count = ctx.body["count"]
    if not 1 <= count <= MAX_CREATE:
        raise Refusal(600, "createTask: count must be between 1 and {}, got {}".format(
            MAX_CREATE, count))
    level = ctx.body.get("taskUserLevel", 50)
    ids = ctx.farm.store.create_tasks(ctx.user["user_id"], count, level,
                                      ctx.body.get("outUserId"), ctx.platform)
    for label in ctx.body.get("labels") or []:
        _tag(ctx, str(label), ids)
    return {"taskIdList": ids, "aliasTaskIdList": ["P{}".format(i) for i in ids],
            "userId": ctx.user["user_id"]}


@op("taskJsonFile")
def task_json_file(ctx):
    task_id, name = ctx.body["taskId"], ctx.body["fileName"]
    if name not in JOB_FILES:
        raise Refusal(600, "taskJsonFile: fileName must be one of {}, got {!r}".format(
            ", ".join(JOB_FILES), name))
    task_or_404(ctx, task_id)
    storage = ctx.farm.storage
    target = storage.resolve(ctx.user["user_id"], ctx.user["config_bid"],
                             "/{}/cfg/{}".format(task_id, name))
    storage.write_bytes(target, ctx.body["content"].encode("utf-8"))
    return None


@op("submitTask")
def submit_task(ctx):
    task_id = ctx.body["taskId"]
    task = task_or_404(ctx, task_id)
    if task["submitted"]:
        raise Refusal(100, "task {} is already submitted (status {}); use queryTaskInfo to follow "
                           "it".format(task_id, task["status"]))
    try:
        fields, frames = check_task(ctx.farm.storage, ctx.user, task_id)
    except PathRefused as exc:
        raise Refusal(100, "submitTask: {}".format(exc))
    if ctx.body.get("producer"):
        fields["producer"] = ctx.body["producer"]
    fields["over_time_sec"] = ctx.user["task_over_time_sec"]
    ctx.farm.store.submit(ctx.user["user_id"], task_id, fields, frames)
    ctx.farm.scheduler.wake()
    return None


@op("getTaskList")
def get_task_list(ctx):
    statuses = ctx.body.get("statusList") or []
    sql = "SELECT * FROM tasks WHERE user_id=? AND deleted=0"
    args = [ctx.user["user_id"]]
    if statuses:
        sql += " AND status IN ({})".format(",".join("?" * len(statuses)))
        args.extend(statuses)
    keyword = (ctx.body.get("searchKeyword") or "").strip().lower()
    rows = [row for row in ctx.farm.store.all(sql + " ORDER BY id DESC", args)
            if not keyword or keyword in str(row["id"]) or keyword in (row["scene_name"] or "").lower()]
    return paged(ctx, [task_item(ctx, row) for row in rows])


@op("queryTaskInfo")
def query_task_info(ctx):
    ids = ctx.body["taskIds"]
    items = []
    for task_id in ids:
        task = ctx.farm.store.task(ctx.user["user_id"], task_id)
        if task is not None:  # unknown ids are left out, as the service does
            items.append(task_item(ctx, task))
    return {"pageCount": 1, "pageNum": 1, "total": len(items), "size": max(100, len(items)),
            "items": items}


def _change(ctx, task_ids, action):
    """Apply ``action(db, task) -> [frame ids to cancel]`` to each task in one transaction."""
    tasks = _tasks_or_404(ctx, task_ids)
    cancel = []
    with ctx.farm.store.tx() as db:
        for task in tasks:
            task = db.execute("SELECT * FROM tasks WHERE id=?", (task["id"],)).fetchone()
            cancel.extend(action(db, task) or [])
            ctx.farm.store.log_event(db, ctx.user["user_id"], task["id"], ctx.operation)
    ctx.farm.scheduler.cancel(cancel)
    ctx.farm.scheduler.wake()


def _halt(db, task_id, status):
    running = [r["id"] for r in db.execute("SELECT id FROM frames WHERE task_id=? AND status=?",
                                           (task_id, st.F_RUNNING))]
    db.execute("UPDATE frames SET status=?, end_ms=NULL WHERE task_id=? AND status IN (?, ?)",
               (st.F_STOPPED, task_id, st.F_WAITING, st.F_RUNNING))
    db.execute("UPDATE tasks SET status=?, completed_ms=? WHERE id=?", (status, st.now_ms(), task_id))
    return running


@op("stopTask")
def stop_task(ctx):
    def action(db, task):
        if task["submitted"] and task["status"] not in st.TERMINAL:
            return _halt(db, task["id"], st.STOP)
    _change(ctx, _task_ids(ctx), action)
    return None


def _resume(db, task):
    """startTask / fullSpeed: a stopped task goes back to waiting, a paused test goes on."""
    if not task["submitted"]:
        return
    if task["status"] == st.STOP:
        db.execute("UPDATE frames SET status=? WHERE task_id=? AND status=?",
                   (st.F_WAITING, task["id"], st.F_STOPPED))
        db.execute("UPDATE tasks SET status=?, completed_ms=NULL WHERE id=?",
                   (st.RENDERING if task["start_ms"] else st.WAITING, task["id"]))
    db.execute("UPDATE tasks SET test_gate=0 WHERE id=?", (task["id"],))
    if task["status"] == st.FINISHED_TEST:
        db.execute("UPDATE tasks SET status=? WHERE id=?", (st.RENDERING, task["id"]))
    if task["status"] in (st.STOP, st.FINISHED_TEST):
        st.recompute(db, task["id"])


@op("startTask")
def start_task(ctx):
    _change(ctx, _task_ids(ctx), _resume)
    return None


@op("fullSpeed")
def full_speed(ctx):
    _change(ctx, ctx.body["taskIds"], _resume)
    return "success"


@op("abortTask")
def abort_task(ctx):
    def action(db, task):
        if task["status"] not in (st.ABANDON,):
            return _halt(db, task["id"], st.ABANDON)
    _change(ctx, _task_ids(ctx), action)
    return None


@op("deleteTask")
def delete_task(ctx):
    def action(db, task):
        running = _halt(db, task["id"], task["status"]) if task["status"] not in st.TERMINAL else []
        db.execute("UPDATE tasks SET deleted=1 WHERE id=?", (task["id"],))
        return running
    _change(ctx, _task_ids(ctx), action)
    return None


def _requeue(db, task, where, args):
    """Put the frames matched by ``where`` back to waiting; returns the running ones."""
    rows = db.execute("SELECT id, status FROM frames WHERE task_id=? AND " + where,
                      [task["id"]] + list(args)).fetchall()
    running = [r["id"] for r in rows if r["status"] == st.F_RUNNING]
    ids = [r["id"] for r in rows]
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    db.execute("UPDATE frames SET status=?, recommit=recommit+1, start_ms=NULL, end_ms=NULL, "
               "output=NULL WHERE id IN ({})".format(marks), [st.F_WAITING] + ids)
    db.execute("UPDATE tasks SET status=?, completed_ms=NULL WHERE id=?",
               (st.RENDERING if task["start_ms"] else st.WAITING, task["id"]))
    st.recompute(db, task["id"])
    return running


@op("restartFailedFrames")
def restart_failed_frames(ctx):
    statuses = ctx.body.get("status") or [st.F_FAILED]

    def action(db, task):
        if task["submitted"] and task["status"] != st.ABANDON:
            return _requeue(db, task, "status IN ({})".format(",".join("?" * len(statuses))),
                            statuses)
    _change(ctx, _task_ids(ctx), action)
    return None


def _frame_filter(ctx):
    """SQL and args selecting the frames of a restartFrame / stopTaskFrames body."""
    if ctx.body["selectAll"] == 1:
        where, args = "1=1", []
    else:
        ids = ctx.body.get("ids") or []
        frame_ids = [i for i in ids if is_int(i)]
        indexes = []
        for item in ids:
            if isinstance(item, str):
                try:
                    indexes.extend(parse_frames(item))
                except JobError as exc:
                    raise Refusal(600, "{}: ids item {!r}: {}".format(ctx.operation, item, exc.message))
            elif not is_int(item):
                raise Refusal(600, "{}: ids must hold frame ids (integers) or frame strings like "
                                   "\"7-9[1]\", got {!r}".format(ctx.operation, item))
        if not frame_ids and not indexes:
            raise Refusal(601, "{}: selectAll is 0 and ids is empty".format(ctx.operation))
        where = "(id IN ({}) OR frame_index IN ({}))".format(
            ",".join("?" * len(frame_ids)) or "NULL", ",".join("?" * len(indexes)) or "NULL")
        args = frame_ids + indexes
    statuses = ctx.body.get("status") or []
    if statuses:
        where += " AND status IN ({})".format(",".join("?" * len(statuses)))
        args = args + list(statuses)
    return where, args


@op("restartFrame")
def restart_frame(ctx):
    task_id = ctx.body["taskIds"] if ctx.version == "v1" else ctx.body["taskId"]
    where, args = _frame_filter(ctx)
    where += " AND status<>?"
    args = args + [st.F_RUNNING]

    def action(db, task):
        if task["submitted"] and task["status"] != st.ABANDON:
            return _requeue(db, task, where, args)
    _change(ctx, [task_id], action)
    return None


@op("stopTaskFrames")
def stop_task_frames(ctx):
    where, args = _frame_filter(ctx)

    def action(db, task):
        rows = db.execute("SELECT id, status FROM frames WHERE task_id=? AND status IN (?, ?) AND "
                          + where, [task["id"], st.F_WAITING, st.F_RUNNING] + args).fetchall()
        for row in rows:
            db.execute("UPDATE frames SET status=? WHERE id=?", (st.F_STOPPED, row["id"]))
        st.recompute(db, task["id"])
        return [r["id"] for r in rows if r["status"] == st.F_RUNNING]
    _change(ctx, [ctx.body["taskId"]], action)
    return None


@op("setOverTimeStop")
def set_over_time_stop(ctx):
    if ctx.body["overTime"] < 0:
        raise Refusal(600, "setOverTimeStop: overTime must not be negative")
    for task in _tasks_or_404(ctx, ctx.body["taskIds"]):
        ctx.farm.store.update_task(task["id"], over_time_sec=ctx.body["overTime"])
    return None


@op("editTaskHardwareConfig")
def edit_task_hardware_config(ctx):
    from rayvision_dcc.localfarm.ops_account import HARDWARE
    if ctx.body["hardwareConfigId"] not in [item["id"] for item in HARDWARE]:
        raise Refusal(404, "hardware config {} does not exist (hardwareConfig/list)".format(
            ctx.body["hardwareConfigId"]))
    for task in _tasks_or_404(ctx, ctx.body["taskIds"]):
        ctx.farm.store.update_task(task["id"], hardware_config_id=ctx.body["hardwareConfigId"])
    return None


@op("updateTaskUserLevel")
def update_task_user_level(ctx):
    task = task_or_404(ctx, ctx.body["taskId"])
    ctx.farm.store.update_task(task["id"], task_user_level=ctx.body["taskUserLevel"])
    return None


def _tag(ctx, name, task_ids):
    uid = ctx.user["user_id"]
    with ctx.farm.store.tx() as db:
        row = db.execute("SELECT id FROM labels WHERE user_id=? AND name=?", (uid, name)).fetchone()
        label_id = row["id"] if row else db.execute(
            "INSERT INTO labels (user_id, name) VALUES (?, ?)", (uid, name)).lastrowid
        for task_id in task_ids:
            db.execute("INSERT OR IGNORE INTO task_labels (task_id, label_id) VALUES (?, ?)",
                       (task_id, label_id))
        db.execute("UPDATE tasks SET project_name=? WHERE id IN ({}) AND project_name=''".format(
            ",".join("?" * len(task_ids))), [name] + list(task_ids))


@op("addTaskLabel")
def add_task_label(ctx):
    tasks = _tasks_or_404(ctx, ctx.body["taskIds"])
    _tag(ctx, ctx.body["label"], [t["id"] for t in tasks])
    return None


@op("deleteTaskLabel")
def delete_task_label(ctx):
    ids = ctx.body["labelIds"]
    with ctx.farm.store.tx() as db:
        for label_id in ids:
            db.execute("DELETE FROM task_labels WHERE label_id=? AND label_id IN (SELECT id FROM "
                       "labels WHERE user_id=?)", (label_id, ctx.user["user_id"]))
    return None


@op("taskRecord")
def task_record(ctx):
    rows = ctx.farm.store.all("SELECT * FROM events WHERE user_id=? ORDER BY id DESC",
                              (ctx.user["user_id"],))
    return paged(ctx, [{"taskId": row["task_id"], "operation": row["action"],
                        "operateTime": stamp(row["at_ms"])} for row in rows])
