"""What was installed loads in the host's Python from where it was installed: the Blender
add-on in real bpy 4.5, the Maya module and the 3ds Max bundle on Python 3.7."""
import json
import os
import subprocess
import sys

import pytest

import installer_kit as kit

BPY_PROBE = r"""
import json, sys
sys.path.append({venv_site!r})        # bpy and its own needs; no .pth: rayvision_dcc is not here
import bpy, addon_utils
addon_utils.enable("rayvision_blender", default_set=True, handle_error=None)
import rayvision_blender, rayvision_dcc
from rayvision_dcc.api import config
print(json.dumps({{"addon": rayvision_blender.__file__, "core": rayvision_dcc.__file__,
                  "config": config.config_path(),
                  "enabled": "rayvision_blender" in bpy.context.preferences.addons,
                  "blender": list(bpy.app.version)}}))
"""


def test_blender_loads_the_installed_add_on(machine):
    pytest.importorskip("bpy")
    m = machine("linux").lay_out(blender=("4.5",))
    code, out = m.run("--host", "blender")
    assert code == 0, out
    version_folder = os.path.dirname(os.path.dirname(m.blender_addons("4.5")))
    env = dict(os.environ, BLENDER_USER_RESOURCES=version_folder, HOME=m.home)
    result = subprocess.run([kit.PYTHON311, "-S", "-c",
                             BPY_PROBE.format(venv_site=kit.VENV_SITE["3.11"])],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            universal_newlines=True, env=env, timeout=300,
                            cwd=m.home)  # not the checkout: its rayvision_dcc is not installed
    assert result.returncode == 0, result.stderr[-3000:]
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    addon = os.path.join(m.blender_addons("4.5"), "rayvision_blender")
    assert seen["enabled"] and seen["blender"][:2] == [4, 5]
    assert seen["addon"] == os.path.join(addon, "__init__.py")
    assert seen["core"].startswith(os.path.join(addon, "site-packages", "rayvision_dcc"))
    # The login the command line stores is the one Blender reads.
    assert seen["config"] == os.path.join(env["XDG_CONFIG_HOME"], "rayvision-dcc", "config.json")


PY37_PROBE = r"""
import json, sys
sys.path[:0] = {paths!r}
{imports}
import rayvision_dcc, rayvision_dcc.api, rayvision_dcc.job, rayvision_dcc.hosts
import requests, urllib3, certifi, idna, charset_normalizer, keyring, tqdm
from rayvision_dcc.api import config
from rayvision_dcc.job.transmitter import find_transmitter
try:
    transmitter = find_transmitter()
except Exception as exc:  # a Windows layout checked on Linux has no Linux binary
    transmitter = repr(exc)
loaded = {{name: sys.modules[name].__file__ for name in {modules!r} + [
    "rayvision_dcc", "requests", "urllib3", "keyring", "tqdm", "certifi"]}}
print(json.dumps({{"loaded": loaded, "config": config.config_path(),
                  "transmitter": transmitter,
                  "python": list(sys.version_info[:2])}}))
"""


def run_py37(paths, modules, home, setup=""):
    """Import ``modules`` and the core's packages on Python 3.7 with ``-S`` (no
    site-packages at all: only the standard library and ``paths``)."""
    probe = PY37_PROBE.format(paths=paths, modules=modules,
                              imports=setup + "".join("import {}\n".format(m) for m in modules))
    env = {"HOME": home, "PATH": os.environ.get("PATH", ""), "LANG": "C.UTF-8"}
    result = subprocess.run([kit.PYTHON37, "-S", "-c", probe], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, universal_newlines=True, env=env, timeout=120,
                            cwd=home)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def mod_paths(mod_file, version, platform="linux"):
    """The PYTHONPATH entries Maya would take from our .mod for one version."""
    paths = []
    module = None
    with open(mod_file) as handle:
        for line in handle:
            line = line.strip()
            if line.startswith("+ "):
                tokens = line.split()
                active = ("MAYAVERSION:" + version in tokens
                          and "PLATFORM:" + platform in tokens)
                module = os.path.normpath(os.path.join(os.path.dirname(mod_file), tokens[-1])) \
                    if active else None
            elif module and line.startswith("PYTHONPATH +:="):
                paths.append(os.path.join(module, line.split("+:=", 1)[1].strip()))
    return paths


needs_py37 = pytest.mark.skipif(not os.path.isfile(kit.PYTHON37),
                                reason="no .venv37 (Python 3.7) on this machine")


@needs_py37
def test_maya_2022_imports_the_installed_module_on_python_37(machine):
    m = machine("linux").lay_out(maya=("2022", "2025"))
    code, out = m.run("--host", "maya")
    assert code == 0, out
    paths = mod_paths(os.path.join(m.maya_modules(), "rayvision_dcc.mod"), "2022")
    module = os.path.join(m.maya_modules(), "rayvision_dcc")
    assert paths == [os.path.join(module, "scripts"),
                     os.path.join(module, "site-packages", "py37")]
    seen = run_py37(paths, ["rayvision_maya"], m.home)
    assert seen["python"] == [3, 7]
    for name, path in seen["loaded"].items():
        assert path.startswith(module + os.sep), (name, path)
    # The transfer binary is found where it was installed, runnable as it is.
    assert seen["transmitter"] == os.path.join(module, "site-packages", "py37", "rayvision_sync",
                                               "transmission", "linux", "rayvision_transmitter")
    # The same user config as the command line's (one login for every host).
    assert seen["config"] == os.path.join(m.home, ".config", "rayvision-dcc", "config.json")


@needs_py37
def test_max_2022_imports_the_installed_bundle_on_python_37(machine):
    m = machine("windows").lay_out(max_=("2022",))
    code, out = m.run("--host", "max")
    assert code == 0, out
    contents = os.path.join(m.max_plugins(), "RayvisionDCC.bundle", "Contents")
    python = os.path.join(contents, "python")
    package = os.listdir(python)
    assert "rayvision_max" in package
    # What the bundle's start-up script does in Max: its own bootstrap finds py37.
    seen = run_py37([python], ["rayvision_max.startup", "rayvision_max.adapter"], m.home,
                    setup="import rayvision_max.startup\n"
                          "assert rayvision_max.startup.bootstrap({!r}, register=False)\n"
                          .format(contents))
    for name, path in seen["loaded"].items():
        assert path.startswith(contents + os.sep), (name, path)
    assert seen["loaded"]["rayvision_dcc"].startswith(
        os.path.join(contents, "site-packages", "py37") + os.sep)
