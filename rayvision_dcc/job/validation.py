"""Validation: what stops or may spoil a job, as Tips, and tips.json from them.

Rules every host shares are here; each host's own rules are in its module of
``rayvision_dcc.job.layouts``. Codes and severities: docs/job-files.md.
"""
from __future__ import annotations

import os

from rayvision_dcc.errors import JobError
from rayvision_dcc.job import layouts
from rayvision_dcc.job.deps import DependencyReport
from rayvision_dcc.job.paths import slashes
from rayvision_dcc.job.renderenv import software_config, versions_match
from rayvision_dcc.job.tips import ERROR, WARNING, Tip

#: Files outside the project named in the warning (the rest are counted).
OUTSIDE_SHOWN = 5

#: Tips that mean "a file the scene uses is missing": the user may go on without them.
MISSING_FILE_CODES = frozenset(["35001", "10012", "10018", "10027", "10028", "50001"])


def validate(spec):
    """What stops or may spoil this job, as Tips: errors block, warnings are shown.

    Also the source of tips.json. Missing files the user ignored are warnings."""
    tips = []
    scene = spec.scene
    host = scene.host
    layout = layouts.for_host(host)

    # the scene itself
    if not scene.scene_path:
        tips.append(Tip("15024", ERROR, "", "save the scene to a file first"))
    elif not os.path.isfile(scene.scene_path):
        tips.append(Tip("15024", ERROR, slashes(scene.scene_path),
                        "save the scene, or check the path"))

    # frames and settings that cannot be written at all
    try:
        spec.check()
        frames = spec.frame_list()
    except JobError as exc:
        tips.append(Tip("", ERROR, exc.message, exc.hint))
        frames = []

    # render environment
    if not spec.render_env:
        tips.append(Tip("", ERROR, "no render environment chosen",
                        "pick one of your account's render environments (--env NAME)"))
    elif not versions_match(spec.render_env.get("cgVersion"), scene.host_version):
        allowed = bool(spec.host_settings.get("allow_version_mismatch"))
        tips.append(Tip("15013", WARNING if allowed else ERROR,
                        "scene {} {}, render environment {} {}".format(
                            host, scene.host_version, spec.render_env.get("editName", ""),
                            spec.render_env.get("cgVersion", "")),
                        "choose a render environment of the scene's version"))
    needed = str((scene.extra or {}).get("renderer_plugin") or "")
    if spec.render_env and needed and needed not in software_config(spec)["plugins"]:
        tips.append(Tip("", WARNING, "the render environment {} has no {} (the scene renders "
                        "with {})".format(spec.render_env.get("editName", ""), needed,
                                          scene.renderer),
                        "add {} to it on the website, or choose one that has it".format(
                            needed)))

    # cameras
    no_camera = layout.NO_CAMERA_CODE
    if not scene.cameras:
        tips.append(Tip(no_camera, ERROR, "", "add a camera to the scene"))
    elif not spec.cameras:
        tips.append(Tip(no_camera, ERROR, "no camera chosen", layout.CAMERA_HINT))
    else:
        unknown = [name for name in spec.cameras if name not in scene.camera_names]
        if unknown:
            tips.append(Tip(no_camera, ERROR, ", ".join(unknown),
                            "these cameras are not in the scene; choose from: "
                            + ", ".join(scene.camera_names)))

    # render layers
    if scene.render_layers and spec.layers is not None:
        known = set(layer.name for layer in scene.render_layers)
        unknown = [name for name in spec.layers if name not in known]
        if unknown:
            tips.append(Tip("", ERROR, "unknown render layers: " + ", ".join(unknown),
                            "choose from: " + ", ".join(sorted(known))))
        elif not spec.layers:
            tips.append(Tip("", ERROR, "no render layer chosen", "choose a layer to render"))

    # the host's own rules (output format, camera count, ...)
    tips.extend(layout.check(spec, frames))

    # files: the dependency report (missing, ignored, gaps, outside the project)
    report = DependencyReport.from_scene(scene, spec.ignored_missing)
    for dep in report.missing + report.ignored:
        code = layout.missing_code(dep.kind, dep.path)
        detail = slashes(dep.path)
        if dep in report.ignored:
            tips.append(Tip(code, WARNING, detail, "ignored by you: the render goes on without it"))
        else:
            owner = " (used by {})".format(dep.owner) if dep.owner else ""
            tips.append(Tip(code, ERROR, detail,
                            "find the {} file{}, fix the path in the scene, or ignore it "
                            "to submit without it".format(dep.kind, owner)))
    for gap in report.sequence_gaps:
        tips.append(Tip("10027", WARNING, gap.describe(),
                        "render the missing frames/tiles, or check the sequence is complete"))
    outside = [dep for dep in report.outside_project if dep.exists]
    if outside:
        names = ", ".join(slashes(dep.path) for dep in outside[:OUTSIDE_SHOWN])
        more = " and {} more".format(len(outside) - OUTSIDE_SHOWN) \
            if len(outside) > OUTSIDE_SHOWN else ""
        tips.append(Tip("", WARNING, "{} file{} outside the project folder {}: {}{}".format(
            len(outside), "" if len(outside) == 1 else "s", slashes(report.project_folder),
            names, more),
            "they are uploaded with their full paths and render; move them into the project "
            "to keep it whole"))

    for warning in scene.warnings:
        tips.append(Tip("", WARNING, warning, "the scan went on; check this by hand"))
    return tips


def errors(tips):
    return [tip for tip in tips if tip.is_error]


def build_tips(spec, tips=None):
    """tips.json: ``{code: [details]}`` of what validation found, codes only (our own
    checks without a farm code stay local); ignored missing files are left out."""
    result = {}
    for tip in validate(spec) if tips is None else tips:
        if not tip.code:
            continue
        if tip.code in ("35001", "10012", "10018", "10028") and not tip.is_error:
            continue
        details = result.setdefault(tip.code, [])
        if tip.detail and tip.detail not in details:
            details.append(tip.detail)
    return result
