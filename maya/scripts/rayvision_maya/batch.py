"""The Maya submission without UI, for ``mayapy``: read a scene, print the job, submit it.

    mayapy <module>/scripts/rayvision_maya/batch.py /shots/sh010.ma            # print only
    mayapy <module>/scripts/rayvision_maya/batch.py /shots/sh010.ma --submit \\
        --frames "1-10[1]" --env "Maya 2024 default"
    mayapy <module>/scripts/rayvision_maya/batch.py /shots/sh010.ma --scene-info sh010.json

Without ``--submit`` nothing is sent: it prints, as JSON, the scene as read, the problems
the farm would block on, and the task.json and upload list the submission would write
(the render environment's plug-ins come from the account at submit time). With
``--submit`` it signs in as ``rayvision-dcc login`` stored (or ``RAYVISION_*``), submits,
and prints the task id. Exit code 1 and one line on stderr for an error.
"""
import argparse
import json
import os
import sys

_HERE = os.path.dirname(os.path.abspath(__file__))


def add_module_paths():
    """Put the module's ``scripts`` and ``site-packages/py<XY>`` on sys.path (mayapy
    running this file directly has neither)."""
    scripts = os.path.dirname(_HERE)
    packages = os.path.join(os.path.dirname(scripts), "site-packages",
                            "py{}{}".format(*sys.version_info[:2]))
    for path in (packages, scripts):
        if os.path.isdir(path) and path not in sys.path:
            sys.path.insert(0, path)


def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog="mayapy batch.py", description="Read a Maya scene and print or submit its "
                                            "render farm job.")
    parser.add_argument("scene", help="the .ma / .mb file")
    parser.add_argument("--submit", action="store_true", help="submit it (default: print only)")
    parser.add_argument("--frames", default="", help='frames to render, e.g. "1-10[1]" '
                                                     "(default: the scene's range)")
    parser.add_argument("--cameras", default="", help="comma-separated camera shapes "
                                                      "(default: the renderable ones)")
    parser.add_argument("--layers", default="", help="comma-separated render layers "
                                                     "(default: the renderable ones)")
    parser.add_argument("--env", default="", help="render environment name (default: the "
                                                  "account's default)")
    parser.add_argument("--allow-missing", action="store_true",
                        help="submit even when files the scene uses are missing")
    parser.add_argument("--scene-info", metavar="FILE", default="",
                        help="also write the scene as read to FILE (JSON), for "
                             "`rayvision-dcc submit --scene-info FILE` outside Maya")
    parser.add_argument("--in-maya", action="store_true",
                        help="Maya is already initialised (run from inside Maya)")
    return parser.parse_args(argv)


def _names(text):
    return [name.strip() for name in text.split(",") if name.strip()] or None


def build_spec(args):
    from rayvision_dcc.job import JobSpec

    from rayvision_maya import headless
    if not args.in_maya:
        headless.start_maya()
    info = headless.describe(os.path.abspath(args.scene), scan=True)
    return JobSpec(scene=info, frames=args.frames, cameras=_names(args.cameras),
                   layers=_names(args.layers), render_env_name=args.env)


def preview(spec):
    """What would be sent, as one JSON-ready dict (no network)."""
    from rayvision_dcc.job import build_task_json, build_upload_json, validate
    tips = validate(spec)
    return {
        "scene": spec.scene.to_dict(),
        "problems": [tip.to_dict() for tip in tips],
        "task.json": build_task_json(spec, "", "", ""),
        "upload.json": build_upload_json(spec, hash_scene=False),
    }


def write_scene_info(scene, path):
    import io
    with io.open(path, "w", encoding="utf-8") as handle:
        handle.write(json.dumps(scene.to_dict(), indent=2, sort_keys=True))


def submit(spec, allow_missing=False, client=None, err=None):
    from rayvision_dcc.api import RenderClient
    from rayvision_dcc.job import workflow
    err = err or sys.stderr

    def progress(event):
        err.write("{}: {}\n".format(event.phase, event.message))
        return True

    client = client or RenderClient()
    ref = workflow.submit(spec, client, progress=progress, allow_missing=allow_missing)
    return {"task_id": ref.task_id, "submission": ref.submission_id,
            "job_folder": ref.job_folder}


def main(argv=None, out=None, err=None):
    out, err = out or sys.stdout, err or sys.stderr
    args = parse_args(sys.argv[1:] if argv is None else argv)
    add_module_paths()
    from rayvision_dcc.errors import RayvisionError

    from rayvision_maya import headless
    try:
        try:
            spec = build_spec(args)
        finally:
            if not args.in_maya:
                headless.stop_maya()  # what follows needs no Maya
        if args.scene_info:
            write_scene_info(spec.scene, args.scene_info)
        result = submit(spec, args.allow_missing, err=err) if args.submit else preview(spec)
    except RayvisionError as exc:
        err.write("error: {}\n".format(exc.message))
        if exc.hint:
            err.write("what to do: {}\n".format(exc.hint))
        return 1
    out.write(json.dumps(result, indent=2, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
