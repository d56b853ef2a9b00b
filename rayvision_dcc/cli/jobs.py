"""submit, resume, tasks, status, frames, download, stop, start, abandon, restart-failed."""
from __future__ import annotations

import json
import os
import sys

from rayvision_dcc.errors import JobError, RayvisionError


def add_engine_options(parser):
    from rayvision_dcc.job.engines import CHOICES
    parser.add_argument("--engine", choices=CHOICES, default=None,
                        help="transfer engine among those the service announces (default: the "
                             "transfer_engine setting, else the service's first; docs/transfer.md)")
    parser.add_argument("--line", default=None,
                        help="transfer line by name (default: the transfer_line setting, else "
                             "the line the service marks default)")


def register(subparsers):
    from rayvision_dcc.cli import add_connection_options

    def command(name, help_text, func, **kw):
        parser = subparsers.add_parser(name, help=help_text, **kw)
        add_connection_options(parser)
        parser.add_argument("--json", action="store_true", help="print results as JSON")
        parser.set_defaults(func=func)
        return parser

    submit = command("submit", "submit a scene (a .blend is analysed headless)", cmd_submit,
                     description="Analyse the scene, create the task, upload the job files and "
                                 "the scene's files, and submit. Every step is journalled: if it "
                                 "stops, `rayvision-dcc resume` finishes the same task.")
    submit.add_argument("scene", nargs="?", help="the scene file (.blend analysed with bpy)")
    submit.add_argument("--scene-info", help="a SceneInfo JSON file written by any host adapter")
    submit.add_argument("--frames", help="frames to render, e.g. 1-10[1] or 1,3-4[1] "
                                         "(default: the scene's range)")
    submit.add_argument("--camera", action="append", help="camera to render (repeatable)")
    submit.add_argument("--env", help="render environment name (default: your default one)")
    submit.add_argument("--project", default="", help="project name (label)")
    submit.add_argument("--pre-frames", default="000", help="priority frames, e.g. 100 or 000:1,5")
    submit.add_argument("--allow-missing", action="store_true",
                        help="go on although some files the scene uses are missing")
    submit.add_argument("--dry-run", action="store_true",
                        help="write the job folder and list what would be uploaded; create "
                             "nothing (exits 1 when something would block the submission)")
    submit.add_argument("--new", action="store_true",
                        help="start a new task although the scene has an unfinished submission "
                             "(without it, submit stops and names the resume command)")
    submit.add_argument("--confirm-frames", action="store_true", dest="confirm_frames",
                        help="submit a frame list of very many frames, or far outside the "
                             "scene's range")
    submit.add_argument("--wait", action="store_true", help="wait until the task has ended")
    submit.add_argument("--download", metavar="DIR", help="download the frames into DIR "
                                                          "(as they finish, with --wait)")
    add_engine_options(submit)
    submit.add_argument("--interval", type=float, default=10.0, help="seconds between polls")

    resume = command("resume", "finish a submission that stopped", cmd_resume)
    resume.add_argument("submission", nargs="?", help="submission id (default: the latest "
                                                      "unfinished one)")
    resume.add_argument("--list", action="store_true", help="list unfinished submissions")
    resume.add_argument("--task", type=int, metavar="ID",
                        help="after a lost createTask answer: this new empty task is the one "
                             "it made (when resume cannot tell which)")
    resume.add_argument("--create-again", action="store_true",
                        help="after a lost createTask answer you checked: create the task anew")
    resume.add_argument("--allow-missing", action="store_true", default=None,
                        help="go on although some files to upload are missing")
    add_engine_options(resume)

    tasks = command("tasks", "list your tasks", cmd_tasks)
    tasks.add_argument("--page", type=int, default=1)
    tasks.add_argument("--size", type=int, default=20)

    command("status", "show one task", cmd_status).add_argument("task", type=int)
    frames = command("frames", "list a task's frames", cmd_frames)
    frames.add_argument("task", type=int)

    download = command("download", "download a task's outputs", cmd_download)
    download.add_argument("task", type=int)
    download.add_argument("folder")
    add_engine_options(download)

    for name, help_text, method in (
            ("stop", "stop tasks", "stop_tasks"), ("start", "start stopped tasks", "start_tasks"),
            ("restart-failed", "render the failed frames again", "restart_failed_frames"),
            ("full-speed", "render the rest at full speed after test frames", "full_speed")):
        parser = command(name, help_text, cmd_task_action)
        parser.add_argument("tasks", type=int, nargs="+")
        parser.set_defaults(method=method)

    abandon = command("abandon", "abandon a task (or the task of a submission)", cmd_abandon)
    abandon.add_argument("target", help="task id or submission id")


# -- output helpers ---------------------------------------------------------------------
class ProgressPrinter(object):
    """A tqdm bar on a terminal; one line per phase otherwise (quiet in logs and CI)."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stderr
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.bar = None
        self.phase = None

    def __call__(self, event):
        if event.phase != self.phase:
            self.close()
            self.phase = event.phase
            if self.tty and event.bytes_total:
                from tqdm import tqdm
                self.bar = tqdm(total=event.bytes_total, unit="B", unit_scale=True,
                                desc=event.phase, file=self.stream, leave=False)
            else:
                print("{}: {}".format(event.phase, event.message), file=self.stream)
        elif getattr(event, "notice", False):   # a wait or a retry: always shown
            if self.bar is not None:
                self.bar.write("{}: {}".format(event.phase, event.message), file=self.stream)
            else:
                print("{}: {}".format(event.phase, event.message), file=self.stream)
        if self.bar is not None:
            self.bar.n = max(event.bytes_done, 0)
            self.bar.set_postfix_str("{}/{} files".format(event.files_done, event.files_total),
                                     refresh=False)
            self.bar.refresh()
        elif self.tty and event.phase == "monitor":
            print("\r" + event.message, end="", file=self.stream)
        return True

    def close(self):
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def _print(args, value, text_lines):
    if getattr(args, "json", False):
        json.dump(value, sys.stdout, indent=2, sort_keys=True, ensure_ascii=False)
        print()
    else:
        for line in text_lines:
            print(line)


# -- commands ---------------------------------------------------------------------------
def scene_from_args(args):
    if args.scene_info:
        from rayvision_dcc.hosts import PlainFileAdapter
        return PlainFileAdapter.from_file(args.scene_info).scene_info()
    if not args.scene:
        raise JobError("no scene given", hint="pass a .blend file, or --scene-info FILE.json")
    if not os.path.isfile(args.scene):
        raise JobError("scene file not found: {}".format(args.scene),
                       hint="check the path; a relative path is read from the current folder")
    from rayvision_dcc.hosts.headless import scan_scene
    return scan_scene(os.path.abspath(args.scene))  # through the host plugin's scanner


def spec_from_args(args, scene):
    from rayvision_dcc.job.spec import JobSpec
    return JobSpec(scene=scene, cameras=args.camera or None, frames=args.frames or "",
                   project_name=args.project, pre_frames=args.pre_frames,
                   render_env_name=getattr(args, "env", None) or "")


def cmd_submit(args):
    from rayvision_dcc.cli import client_from_args
    from rayvision_dcc.job import workflow
    from rayvision_dcc.job.renderenv import fill_render_env
    from rayvision_dcc.job.journal import Journal

    scene = scene_from_args(args)
    spec = spec_from_args(args, scene)
    client = client_from_args(args)
    printer = ProgressPrinter()
    fill_render_env(spec, client)  # the one rule, with --env as the wanted name
    if args.dry_run:
        return _dry_run(args, spec, client)
    if not args.new:
        pending = Journal.unfinished_for(scene.scene_path)
        if pending:  # before the transfer connects: nothing to wait for
            raise workflow.UnfinishedSubmission(pending[-1])
    workflow.check_frame_request(spec, args.confirm_frames)
    transfer = workflow.make_transfer(client, args.engine, line=args.line)
    try:
        ref = workflow.submit(spec, client, transfer, printer, allow_missing=args.allow_missing,
                              new=args.new, confirm_frames=args.confirm_frames)
    finally:
        printer.close()
    return _after_submit(args, client, transfer, ref, printer)


def _after_submit(args, client, transfer, ref, printer):
    from rayvision_dcc.job import workflow
    result = {"task_id": ref.task_id, "submission_id": ref.submission_id,
              "job_folder": ref.job_folder}
    if not args.json:
        print("submitted task {} (job folder {})".format(ref.task_id, ref.job_folder))
    downloaded = []
    if getattr(args, "wait", False):
        folder = getattr(args, "download", None)

        def on_poll(items):
            if folder:
                downloaded.extend(workflow.download(client, ref.task_id, folder, transfer,
                                                    items=items))
        items = workflow.monitor(client, ref.task_id, printer, interval=args.interval,
                                 on_poll=on_poll)
        printer.close()
        if folder:
            downloaded.extend(workflow.download(client, ref.task_id, folder, transfer, items=items))
        leaves = workflow.leaves(items)
        result["status"] = [leaf.get("taskStatus") for leaf in leaves]
        result["downloaded"] = downloaded
        if not args.json:
            print("\ntask {} ended: {}".format(ref.task_id, ended_text(leaves)))
            for path in downloaded:
                print(path)
    elif getattr(args, "download", None) and not args.json:
        print("use --wait with --download, or `rayvision-dcc download {} DIR` later".format(
            ref.task_id))
    if args.json:
        _print(args, result, [])
    return 0


def _dry_run(args, spec, client):
    from rayvision_dcc.job import jobfiles, workflow
    from rayvision_dcc.job.journal import Journal
    reason = ""
    if spec.frames:
        reason = "" if args.confirm_frames else _frames_reason(spec)
    journal = Journal.create(spec.scene.scene_path, dry_run=True)
    journal.write_json("spec.json", spec.to_dict())
    tips = jobfiles.validate(spec)
    user_id = workflow.account(client).user_id if client.settings.access_key else "0"
    jobfiles.write_job_files(spec, journal.folder, 0, user_id, client.platform)
    pairs = workflow.upload_pairs(journal.read_json("upload.json"))
    rows = []
    for local, server in pairs:
        size = os.path.getsize(local) if os.path.isfile(local) else None
        rows.append({"local": local, "server": server, "size": size})
    blocking = workflow.blocking_tips(tips, args.allow_missing)
    value = {"job_folder": journal.folder, "upload": rows,
             "tips": [{"code": t.code, "severity": t.severity, "detail": t.detail,
                       "hint": t.hint} for t in tips],
             "blocked": bool(blocking or reason)}
    lines = ["job folder: {}".format(journal.folder), "would upload {} files:".format(len(rows))]
    lines += ["  {:>10}  {}  ->  {}".format("MISSING" if r["size"] is None else r["size"],
                                           r["local"], r["server"]) for r in rows]
    lines += ["{}: {} {}".format(t.severity, t.code, t.detail) for t in tips]
    _print(args, value, lines)
    if blocking:
        raise JobError(workflow.blocking_message(blocking),
                       hint="fix them in the scene, or ignore missing files explicitly "
                            "(--allow-missing); the dry run created nothing")
    if reason:
        raise JobError(reason, hint="check the frame list for a typo; if you mean it, add "
                                    "--confirm-frames")
    return 0


def _frames_reason(spec):
    from rayvision_dcc.job.frames import unusual_frames
    return unusual_frames(spec.frames, spec.scene)


def cmd_resume(args):
    from rayvision_dcc.cli import client_from_args
    from rayvision_dcc.job import workflow
    from rayvision_dcc.job.journal import Journal

    if args.list or not args.submission:
        pending = Journal.unfinished()
        if args.list:
            _print(args, [{"submission_id": j.submission_id, "task_id": j.task_id,
                           "last_step": j.last_step, "scene": j.data.get("scene")} for j in pending],
                   ["{}  task {}  last step {}  {}".format(j.submission_id, j.task_id,
                                                          j.last_step, j.data.get("scene"))
                    for j in pending] or ["no unfinished submissions"])
            return 0
        if not pending:
            print("no unfinished submissions")
            return 0
        args.submission = pending[-1].submission_id
    journal = Journal.load(args.submission)
    client = client_from_args(args)
    printer = ProgressPrinter()
    try:
        transfer = workflow.make_transfer(client, args.engine, line=args.line)
    except RayvisionError as exc:  # the same resume is the way on, not "try again"
        workflow.name_the_next_step(exc, journal)
        raise
    try:
        ref = workflow.resume(journal, client, transfer, printer,
                              create_again=args.create_again, task_id=args.task,
                              allow_missing=args.allow_missing)
    finally:
        printer.close()
    return _after_submit(args, client, transfer, ref, printer)


def ended_text(leaves):
    """How the leaf tasks of a submission ended: the status alone for one task (its id is
    on the line already), ``id status`` for each when there are several."""
    if len(leaves) == 1:
        return _status_text(leaves[0].get("taskStatus"))
    return ", ".join("{} {}".format(leaf.get("id"), _status_text(leaf.get("taskStatus")))
                     for leaf in leaves)


def _status_text(code):
    from rayvision_dcc.api.statuses import task_label
    return task_label(code)


def _task_line(item):
    return "{:>10}  {:<24}  {:>4}/{:<4} done  {:>3} failed  {}".format(
        item.get("id"), _status_text(item.get("taskStatus")), item.get("doneFrames") or 0,
        item.get("totalFrames") or 0, item.get("failedFrames") or 0, item.get("sceneName") or "")


def cmd_tasks(args):
    from rayvision_dcc.cli import client_from_args
    if args.page < 1 or not 1 <= args.size <= 1000:
        raise JobError("--page must be at least 1 and --size between 1 and 1000",
                       hint="e.g. `rayvision-dcc tasks --page 2 --size 50`")
    data = client_from_args(args).task_list(args.page, args.size) or {}
    items = [i for i in data.get("items") or [] if isinstance(i, dict)]
    _print(args, data, [_task_line(i) for i in items] or ["no tasks"])
    return 0


def cmd_status(args):
    from rayvision_dcc.cli import client_from_args
    from rayvision_dcc.job import workflow
    items = workflow.task_items(client_from_args(args).task_info([args.task]))
    if not items:
        raise JobError("task {} not found".format(args.task),
                       hint="`rayvision-dcc tasks` lists yours")
    lines = []
    for item in items:
        lines.append(_task_line(item))
        for child in item.get("respRenderingTaskList") or []:
            lines.append("  " + _task_line(child))
    _print(args, items, lines)
    return 0


def cmd_frames(args):
    from rayvision_dcc.api.statuses import frame_label
    from rayvision_dcc.cli import client_from_args
    client = client_from_args(args)
    frames, page = [], 1
    while True:
        data = client.task_frames(args.task, page, 100) or {}
        frames.extend(data.get("items") or [])
        if page >= int(data.get("pageCount") or 1):
            break
        page += 1
    _print(args, frames, ["{:>8}  frame {:<8} {:<20} {:>6}s".format(
        f.get("id"), f.get("frameIndex"), frame_label(f.get("frameStatus")),
        f.get("frameExecuteTime") or 0) for f in frames] or ["no frames"])
    return 0


def cmd_download(args):
    from rayvision_dcc.cli import client_from_args
    from rayvision_dcc.job import workflow
    if os.path.exists(args.folder) and not os.path.isdir(args.folder):
        raise JobError("{} is a file, not a folder".format(args.folder),
                       hint="give a folder to download into (it is made when missing)")
    client = client_from_args(args)
    items = workflow.task_items(client.task_info([args.task]))
    if not items:
        raise JobError("task {} not found: it does not exist or is not yours".format(args.task),
                       hint="`rayvision-dcc tasks` lists yours")
    printer = ProgressPrinter()
    try:
        transfer = workflow.make_transfer(client, args.engine, line=args.line)
        paths = workflow.download(client, args.task, args.folder, transfer, printer,
                                  items=items)
    finally:
        printer.close()
    _print(args, paths, paths or ["nothing new to download"])
    return 0


def cmd_task_action(args):
    from rayvision_dcc.cli import client_from_args
    getattr(client_from_args(args), args.method)(args.tasks)
    _print(args, {"tasks": args.tasks, "action": args.command},
           ["{}: {}".format(args.command, " ".join(str(t) for t in args.tasks))])
    return 0


def cmd_abandon(args):
    from rayvision_dcc.cli import client_from_args
    from rayvision_dcc.job import workflow
    task_id = workflow.abandon(args.target, client_from_args(args))
    if task_id is None:
        _print(args, {"abandoned": None, "submission_id": args.target},
               ["submission {} made no task: nothing was abandoned on the service; the "
                "submission is marked abandoned and no longer offered for resume".format(
                    args.target)])
        return 0
    _print(args, {"abandoned": task_id}, ["abandoned task {}".format(task_id)])
    return 0
