"""The per-host rules of the job files, one module per host: ``scene_info_render(spec)``
(task.json's host block), ``task_info(spec, env)`` (the host's own task_info values),
``check(spec, frames)`` (the host's own validation tips), ``missing_code(kind, path)``,
``NO_CAMERA_CODE`` and ``CAMERA_HINT``. A new host is one more module here."""
from __future__ import annotations

from rayvision_dcc.errors import JobError
from rayvision_dcc.job.layouts import blender_layout, max_layout, maya_layout

#: Host name -> its module.
LAYOUTS = {module.HOST: module for module in (blender_layout, maya_layout, max_layout)}


def for_host(host):
    """The rules module of ``host`` (``"Blender"``, ``"Maya"``, ``"3ds Max"``)."""
    layout = LAYOUTS.get(host)
    if layout is None:
        raise JobError("no task.json layout for {}".format(host),
                       hint="the hosts are: {}".format(", ".join(sorted(LAYOUTS))))
    return layout
