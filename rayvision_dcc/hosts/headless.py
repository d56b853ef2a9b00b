"""Reading a scene file without its host's UI: a host plugin's scanner in a subprocess.

A host plugin that can open its scenes without a UI (Blender's ``bpy`` module) ships a
scanner module and declares a ``HeadlessScanner`` for it; the host registry finds it
by the scene file's extension (``registry.find_scanner``, fed by the plugin's
``rayvision_dcc.scanners`` entry point). ``scan_scene(path)`` runs
``<python> -m <scanner module> <path>`` with a Python that has the host module (the
scanner's ``python_env`` variable, else this interpreter); the module calls
``serve(scanner, describe)``, which prints the SceneInfo as one JSON line after a marker
(hosts print their own chatter on stdout too). No host module is imported here.
"""
from __future__ import annotations

import importlib
import importlib.util
import json
import os
import subprocess
import sys
import traceback

from rayvision_dcc.errors import JobError
from rayvision_dcc.job.scene import SceneInfo

MARKER = "@@RAYVISION_SCENE_INFO@@"
ERROR_MARKER = "@@RAYVISION_SCAN_ERROR@@"
NO_HOST_MODULE_EXIT = 3
SCAN_FAILED_EXIT = 4
#: Argument that asks for the settings only (no dependency scan).
SETTINGS_ONLY = "--settings-only"


class HeadlessScanner(object):
    """What the core needs to run a plugin's scanner: the module to run with ``-m``, the
    scene file extensions it reads, the host modules it needs (``requires``), the
    environment variable naming a Python that has them (``python_env``) and what to do
    when the Python run lacks them (``install_hint``; default: pip install ``requires``
    into it, or set ``python_env``, which suits modules on PyPI such as ``bpy``)."""

    def __init__(self, host, module, extensions, python_env="", requires=(),
                 install_hint=""):
        self.host = host
        self.module = module
        self.extensions = tuple(ext.lower() for ext in extensions)
        self.python_env = python_env
        self.requires = tuple(requires)
        self.install_hint = install_hint

    def python(self, python=None):
        """The interpreter to run: the argument, the scanner's variable, or this one."""
        return python or (os.environ.get(self.python_env) if self.python_env else "") \
            or sys.executable

    def __repr__(self):
        return "<HeadlessScanner {} {}>".format(self.host, self.module)


# -- the scanner's side (in the subprocess) ---------------------------------------------

def _say(marker, text):
    sys.stdout.write("\n" + marker + text + "\n")
    sys.stdout.flush()


def serve(scanner, describe, argv=None):
    """The scanner module's main: ``describe(path, scan) -> SceneInfo`` on the scene named
    by ``argv``; prints the result (or the error) after its marker. Returns the exit code."""
    argv = sys.argv[1:] if argv is None else list(argv)
    if not argv:
        _say(ERROR_MARKER, json.dumps({"message": "no scene path given"}))
        return SCAN_FAILED_EXIT
    for name in scanner.requires:
        try:
            importlib.import_module(name)
        except Exception as exc:
            _say(ERROR_MARKER, json.dumps({"message": "{}: {}".format(type(exc).__name__, exc)}))
            return NO_HOST_MODULE_EXIT
    try:
        info = describe(argv[0], SETTINGS_ONLY not in argv)
        text = json.dumps(info.to_dict())
    except Exception as exc:  # reported to the caller, with the traceback
        _say(ERROR_MARKER, json.dumps({"message": "{}: {}".format(type(exc).__name__, exc),
                                       "traceback": traceback.format_exc()}))
        return SCAN_FAILED_EXIT
    _say(MARKER, text)
    return 0


# -- the caller's side ------------------------------------------------------------------

def _package_folder(module):
    """The folder holding ``module``'s top package, found without importing it."""
    spec = importlib.util.find_spec(module.split(".")[0])
    if spec is None or not spec.origin:
        return ""
    return os.path.dirname(os.path.dirname(os.path.abspath(spec.origin)))


def _environment(scanner):
    """This process's environment, with the folders of ``rayvision_dcc`` and of the scanner's
    package first on PYTHONPATH (the other interpreter may not have them installed)."""
    env = dict(os.environ)
    folders = []
    for module in ("rayvision_dcc", scanner.module):
        folder = _package_folder(module)
        if folder and folder not in folders:
            folders.append(folder)
    if env.get("PYTHONPATH"):
        folders.append(env["PYTHONPATH"])
    env["PYTHONPATH"] = os.pathsep.join(folders)
    return env


def _tail(text, lines=15):
    return "\n".join(text.strip().splitlines()[-lines:])


def _marked(stdout, marker):
    for line in reversed(stdout.splitlines()):
        if line.startswith(marker):
            return json.loads(line[len(marker):])
    return None


def scan_scene(path, python=None, timeout=300.0, scan=True):
    """The SceneInfo of the scene file at ``path``, read by its host plugin's scanner in
    a subprocess; with ``scan`` the dependencies too. JobError (with a hint) when the
    file is missing, no scanner reads its kind, the interpreter lacks the host module,
    or the scan fails or takes over ``timeout`` s."""
    from rayvision_dcc.hosts.registry import find_scanner, registered_scanners
    path = os.path.abspath(path)
    if not os.path.isfile(path):
        raise JobError("no scene at {}".format(path), hint="check the path")
    scanner = find_scanner(path)
    if scanner is None:
        known = sorted(ext for item in registered_scanners() for ext in item.extensions)
        raise JobError("{} cannot be analysed here".format(path),
                       hint="files read without their host: {}; for other scenes submit "
                            "from the host, or pass --scene-info written by its adapter".format(
                                ", ".join(known) or "none (no host plugin installed)"))
    interpreter = scanner.python(python)
    command = [interpreter, "-m", scanner.module, path] + ([] if scan else [SETTINGS_ONLY])
    where = scanner.install_hint or ("set {} to a Python that has {}".format(
        scanner.python_env, " and ".join(scanner.requires) or "the host module")
        if scanner.python_env else "install the {} plugin".format(scanner.host))
    try:
        done = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              stdin=subprocess.DEVNULL, timeout=timeout,
                              universal_newlines=True, encoding="utf-8", errors="replace",
                              env=_environment(scanner))
    except (FileNotFoundError, PermissionError) as exc:
        raise JobError("cannot run {} to read the scene".format(interpreter),
                       hint=where) from exc
    except subprocess.TimeoutExpired as exc:
        raise JobError("reading {} took more than {:.0f} s".format(path, timeout),
                       hint="open the scene in {} and submit from the plugin, or allow "
                            "more time".format(scanner.host)) from exc
    found = _marked(done.stdout, MARKER)
    if done.returncode == 0 and found is not None:
        return SceneInfo.from_dict(found)
    problem = _marked(done.stdout, ERROR_MARKER) or {}
    if done.returncode == NO_HOST_MODULE_EXIT:
        raise JobError("{} cannot read {} scenes ({})".format(
            interpreter, scanner.host, problem.get("message", "")),
            hint=scanner.install_hint or "pip install {} into it, or {}".format(
                " ".join(scanner.requires), where))
    detail = problem.get("traceback") or _tail(done.stderr) or _tail(done.stdout)
    raise JobError("reading {} failed: {}".format(
        path, problem.get("message") or "exit code {}".format(done.returncode)),
        hint="open it in {} to check it is a valid scene; details:\n{}".format(
            scanner.host, _tail(detail)))
