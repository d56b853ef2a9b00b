"""The layers of ../shared/DESIGN.md, enforced: every import of every module (also those
inside functions) is read, and an arrow the layer table forbids fails the test.

| package   | may import (of rayvision_dcc)   | must never import                          |
| api       | api                             | Qt, job, ui, hosts, localfarm              |
| job       | api, job                        | Qt, ui, hosts, a host module               |
| hosts     | api, job, hosts                 | Qt, ui, a host module                      |
| ui        | api, job, hosts, ui             | a host module                              |
| cli       | everything                      | a host module at import time               |
| localfarm | api, job, localfarm             | ui, host plugins; bpy only in render_worker |
| plugins   | rayvision_dcc, their host       | each other                                 |

``rayvision_dcc.errors`` and ``rayvision_dcc.files`` sit under every layer and import the
standard library only.
"""
from __future__ import annotations

import ast
import os

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORE = os.path.join(ROOT, "rayvision_dcc")

QT = ("Qt", "PySide2", "PySide6", "shiboken2", "shiboken6")
HOST_MODULES = ("maya", "pymxs", "qtmax", "MaxPlus", "bpy", "bmesh", "mathutils", "pymel")
PLUGINS = {"rayvision_maya": os.path.join(ROOT, "maya", "scripts", "rayvision_maya"),
           "rayvision_max": os.path.join(ROOT, "max", "Contents", "python", "rayvision_max"),
           "rayvision_blender": os.path.join(ROOT, "blender", "rayvision_blender")}
#: Modules under every layer (``resources`` holds data files only).
BASE = ("rayvision_dcc", "rayvision_dcc.errors", "rayvision_dcc.files", "rayvision_dcc.resources")
#: Layer -> the rayvision_dcc layers it may import.
MAY_IMPORT = {
    "api": {"api"},
    "job": {"api", "job"},
    "hosts": {"api", "job", "hosts"},
    "ui": {"api", "job", "hosts", "ui"},
    "cli": {"api", "job", "hosts", "ui", "cli", "localfarm"},
    "localfarm": {"api", "job", "localfarm"},
    "base": set(),
}
#: Layer -> top-level modules it must never import (anywhere in the module).
NEVER = {
    "api": QT + HOST_MODULES,
    "job": QT + HOST_MODULES,
    "hosts": QT + HOST_MODULES,
    "ui": HOST_MODULES,
    "cli": (),  # host modules only inside functions: checked by AT_IMPORT_TIME
    "localfarm": HOST_MODULES + tuple(PLUGINS),
    "base": QT + HOST_MODULES,
}
AT_IMPORT_TIME = {"cli": HOST_MODULES}


class Import(object):
    __slots__ = ("module", "line", "top_level")

    def __init__(self, module, line, top_level):
        self.module, self.line, self.top_level = module, line, top_level


def module_name(path, root, prefix):
    rel = os.path.relpath(path, root)[:-3].replace(os.sep, ".")
    if rel.endswith(".__init__"):
        rel = rel[:-len(".__init__")]
    elif rel == "__init__":
        rel = ""
    return prefix + ("." + rel if rel else "")


def imports_of(source, module, is_package=False):
    """Every import in ``source`` with its absolute module name; ``top_level`` when it
    runs at import time (not inside a function)."""
    tree = ast.parse(source)
    found = []
    package = module if is_package else module.rpartition(".")[0]

    def visit(node, in_function):
        for child in ast.iter_child_nodes(node):
            inside = in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef,
                                                       ast.Lambda))
            if isinstance(child, ast.Import):
                for alias in child.names:
                    found.append(Import(alias.name, child.lineno, not in_function))
            elif isinstance(child, ast.ImportFrom):
                if child.level:
                    base = package.split(".")
                    base = base[:len(base) - (child.level - 1)]
                    target = ".".join(base + ([child.module] if child.module else []))
                else:
                    target = child.module or ""
                found.append(Import(target, child.lineno, not in_function))
                for alias in child.names:  # "from pkg import module" imports pkg.module
                    name = target + "." + alias.name
                    if not is_core_module(name) or name in CORE_MODULES:
                        found.append(Import(name, child.lineno, not in_function))
            visit(child, inside)
    visit(tree, False)
    return found


def _core_modules():
    names = set()
    for dirpath, dirs, files in os.walk(CORE):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        for name in files:
            if name.endswith(".py"):
                names.add(module_name(os.path.join(dirpath, name), CORE, "rayvision_dcc"))
    return names


def layer_of(module):
    parts = module.split(".")
    if module in BASE or len(parts) < 2:
        return "base"
    if parts[1] == "__main__":
        return "cli"
    return parts[1]


def is_core_module(name):
    return name == "rayvision_dcc" or name.startswith("rayvision_dcc.")


def violations(module, imports):
    """The forbidden arrows of one core module."""
    layer = layer_of(module)
    bad = []
    for item in imports:
        top = item.module.split(".")[0]
        where = "{}:{} imports {}".format(module, item.line, item.module)
        if is_core_module(item.module):
            target = layer_of(item.module)
            if target == "base" and item.module not in BASE:
                continue  # "from rayvision_dcc import x" lists x separately
            if target != "base" and target not in MAY_IMPORT[layer]:
                bad.append(where + " ({} may not import {})".format(layer, target))
            if layer == "base" and target == "base" and item.module not in BASE:
                bad.append(where)
            continue
        if top in NEVER[layer] and not (
                layer == "localfarm" and top == "bpy"
                and module == "rayvision_dcc.localfarm.render_worker"):
            bad.append(where + " ({} must never import {})".format(layer, top))
        if item.top_level and top in AT_IMPORT_TIME.get(layer, ()):
            bad.append(where + " (at import time)")
    return bad


CORE_MODULES = _core_modules()


def python_files(folder):
    for dirpath, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if name.endswith(".py"):
                yield os.path.join(dirpath, name)


def read(path):
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def test_the_core_keeps_its_layers():
    bad = []
    checked = 0
    for path in python_files(CORE):
        module = module_name(path, CORE, "rayvision_dcc")
        found = imports_of(read(path), module, path.endswith("__init__.py"))
        bad.extend(violations(module, found))
        checked += 1
    assert checked > 50
    assert bad == []


@pytest.mark.parametrize("plugin", sorted(PLUGINS))
def test_host_plugins_do_not_import_each_other(plugin):
    others = set(PLUGINS) - {plugin}
    bad = []
    for path in python_files(PLUGINS[plugin]):
        module = module_name(path, PLUGINS[plugin], plugin)
        for item in imports_of(read(path), module, path.endswith("__init__.py")):
            if item.module.split(".")[0] in others:
                bad.append("{}:{} imports {}".format(module, item.line, item.module))
    assert bad == []


def test_the_checker_sees_imports_inside_functions_and_relative_ones():
    source = ("import os\n"
              "from rayvision_dcc.job import spec\n"
              "def later():\n"
              "    from rayvision_dcc.ui import panel\n"
              "    import bpy\n"
              "from . import deps\n")
    found = imports_of(source, "rayvision_dcc.job.validation")
    assert violations("rayvision_dcc.job.validation", found) == [
        "rayvision_dcc.job.validation:4 imports rayvision_dcc.ui (job may not import ui)",
        "rayvision_dcc.job.validation:4 imports rayvision_dcc.ui.panel (job may not import ui)",
        "rayvision_dcc.job.validation:5 imports bpy (job must never import bpy)"]
    assert any(item.module == "rayvision_dcc.job.deps" for item in found)
    assert violations("rayvision_dcc.api.client", imports_of(
        "from rayvision_dcc.job import spec\n", "rayvision_dcc.api.client")) != []
    cli = imports_of("import maya.cmds\ndef f():\n    import bpy\n", "rayvision_dcc.cli.jobs")
    assert violations("rayvision_dcc.cli.jobs", cli) == [
        "rayvision_dcc.cli.jobs:1 imports maya.cmds (at import time)"]
    farm = imports_of("import bpy\n", "rayvision_dcc.localfarm.render_worker")
    assert violations("rayvision_dcc.localfarm.render_worker", farm) == []
    assert violations("rayvision_dcc.localfarm.store", farm) != []
