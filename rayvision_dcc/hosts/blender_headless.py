"""Analyse a .blend without Blender's UI: the Blender adapter in a ``bpy`` subprocess.

``scan_blend(path)`` starts ``<python> -c <script> <path> <sys.path additions>`` with a
Python that can ``import bpy`` (``RAYVISION_BPY_PYTHON``, else this interpreter), which
opens the file, asks ``rayvision_blender``'s adapter for the SceneInfo and prints it as
one JSON line after a marker (bpy prints its own chatter on stdout too). No bpy is
imported in this process.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys

from rayvision_dcc.errors import JobError
from rayvision_dcc.job.scene import SceneInfo

#: Environment variable naming the Python interpreter that has ``bpy``.
BPY_PYTHON_ENV = "RAYVISION_BPY_PYTHON"
#: Environment variable naming the folder that holds the ``rayvision_blender`` package.
ADDON_PATH_ENV = "RAYVISION_BLENDER_ADDON_PATH"

MARKER = "@@RAYVISION_SCENE_INFO@@"
ERROR_MARKER = "@@RAYVISION_SCAN_ERROR@@"
NO_BPY_EXIT = 3
SCAN_FAILED_EXIT = 4

_SCRIPT = r"""
import json, sys, traceback
for _path in reversed(json.loads(sys.argv[2])):
    if _path not in sys.path:
        sys.path.insert(0, _path)
try:
    import bpy
except Exception as exc:
    sys.stdout.write("\n{err}" + json.dumps({{"message": "%s: %s" % (type(exc).__name__, exc)}}) + "\n")
    sys.stdout.flush()
    sys.exit({no_bpy})
try:
    from rayvision_blender.adapter import scan_file
    info = scan_file(sys.argv[1], scan=sys.argv[3] == "1")
    text = json.dumps(info.to_dict())
except Exception as exc:
    sys.stdout.write("\n{err}" + json.dumps({{"message": "%s: %s" % (type(exc).__name__, exc),
                                              "traceback": traceback.format_exc()}}) + "\n")
    sys.stdout.flush()
    sys.exit({failed})
sys.stdout.write("\n{marker}" + text + "\n")
sys.stdout.flush()
""".format(marker=MARKER, err=ERROR_MARKER, no_bpy=NO_BPY_EXIT, failed=SCAN_FAILED_EXIT)


def bpy_python(python=None):
    """The interpreter that runs the scan: the argument, ``RAYVISION_BPY_PYTHON``, or
    this one."""
    return python or os.environ.get(BPY_PYTHON_ENV) or sys.executable


def addon_search_paths():
    """Folders the subprocess adds to ``sys.path``: the one holding ``rayvision_blender``
    (``RAYVISION_BLENDER_ADDON_PATH``, an installed copy, or ``blender/`` of this
    checkout) and the one holding ``rayvision_dcc``."""
    package_root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    paths = []
    if os.environ.get(ADDON_PATH_ENV):
        paths.append(os.environ[ADDON_PATH_ENV])
    checkout = os.path.join(package_root, "blender")
    if os.path.isdir(os.path.join(checkout, "rayvision_blender")):
        paths.append(checkout)
    else:
        import importlib.util
        spec = importlib.util.find_spec("rayvision_blender")
        if spec is not None and spec.origin:
            paths.append(os.path.dirname(os.path.dirname(spec.origin)))
    paths.append(package_root)
    return paths


def _tail(text, lines=15):
    return "\n".join(text.strip().splitlines()[-lines:])


def _marked(stdout, marker):
    for line in reversed(stdout.splitlines()):
        if line.startswith(marker):
            return json.loads(line[len(marker):])
    return None


def scan_blend(path, python=None, timeout=300.0, scan=True):
    """The SceneInfo of the .blend at ``path``, read by the Blender adapter in a ``bpy``
    subprocess; with ``scan`` the dependency scan too. JobError (with a hint) when the
    file is missing, no ``bpy`` is found, the scan fails or takes over ``timeout`` s."""
    path = os.path.abspath(path)
    if not os.path.isfile(path):
        raise JobError("no Blender scene at {}".format(path), hint="check the path")
    interpreter = bpy_python(python)
    command = [interpreter, "-c", _SCRIPT, path, json.dumps(addon_search_paths()),
               "1" if scan else "0"]
    try:
        done = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              stdin=subprocess.DEVNULL, timeout=timeout,
                              universal_newlines=True, encoding="utf-8", errors="replace")
    except FileNotFoundError as exc:
        raise JobError("cannot run {} to read the .blend".format(interpreter),
                       hint="set {} to a Python that has the bpy module".format(
                           BPY_PYTHON_ENV)) from exc
    except subprocess.TimeoutExpired as exc:
        raise JobError("reading {} took more than {:.0f} s".format(path, timeout),
                       hint="open the scene in Blender and submit from the add-on, or allow "
                            "more time") from exc
    found = _marked(done.stdout, MARKER)
    if done.returncode == 0 and found is not None:
        return SceneInfo.from_dict(found)
    problem = _marked(done.stdout, ERROR_MARKER) or {}
    if done.returncode == NO_BPY_EXIT:
        raise JobError("{} has no bpy module ({})".format(interpreter,
                                                          problem.get("message", "")),
                       hint="pip install bpy into it, or set {} to a Python that has bpy"
                       .format(BPY_PYTHON_ENV))
    detail = problem.get("traceback") or _tail(done.stderr) or _tail(done.stdout)
    raise JobError("reading {} failed: {}".format(
        path, problem.get("message") or "exit code {}".format(done.returncode)),
        hint="open it in Blender to check it is a valid scene; details:\n" + _tail(detail))
