"""The repository's shape, the Python 3.7 floor of the in-host code, and a free import."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

#: Code that runs inside Maya 2022 / 3ds Max 2022 (Python 3.7) and Blender.
IN_HOST = ("rayvision_dcc", "maya", "max", "blender")
#: Runs only beside the hosts (the local farm needs Python 3.11 for bpy).
NOT_IN_HOST = (os.path.join("rayvision_dcc", "localfarm"),)


def in_host_python_files():
    files = []
    for top in IN_HOST:
        for folder, dirs, names in os.walk(os.path.join(ROOT, top)):
            rel = os.path.relpath(folder, ROOT)
            dirs[:] = sorted(d for d in dirs if d != "__pycache__"
                             and os.path.join(rel, d) not in NOT_IN_HOST)
            files.extend(os.path.join(folder, n) for n in sorted(names) if n.endswith(".py"))
    return files


@pytest.mark.parametrize("name", ["setup.py", "rayvision_dcc", "maya", "max", "blender",
                                  "resources", "tests", "installer", "Makefile", "README.md",
                                  os.path.join(".ci", "run")])
def test_top_level_layout(name):
    assert os.path.exists(os.path.join(ROOT, name)), name


@pytest.mark.parametrize("host", ["maya", "max", "blender"])
def test_host_folders_are_not_packages(host):
    """A top-level package called maya, max or blender would shadow the host's own module."""
    assert not os.path.exists(os.path.join(ROOT, host, "__init__.py"))


def test_in_host_code_runs_on_python_37():
    try:
        import vermin  # noqa: F401
    except ImportError:
        pytest.skip("vermin is not installed in this environment")
    files = in_host_python_files()
    assert any(f.endswith(os.path.join("rayvision_dcc", "api", "client.py")) for f in files)
    assert any(f.endswith(os.path.join("maya", "scripts", "userSetup.py")) for f in files)
    assert any(f.endswith(os.path.join("rayvision_maya", "scene_query.py")) for f in files)
    # the 3ds Max package sits below max/Contents/python (3ds Max 2022 runs Python 3.7)
    assert any(f.endswith(os.path.join("rayvision_max", "scene_query.py")) for f in files)
    assert not any(os.sep + "localfarm" + os.sep in f for f in files)
    command = [sys.executable, "-c", "import sys; from vermin import main; sys.exit(main())",
               "-t=3.7-", "--no-tips", "--violations"] + files
    result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            universal_newlines=True, cwd=ROOT, timeout=240)
    assert result.returncode == 0, result.stdout


PROBE = """
import json, sys
before = set(sys.modules)
import {module}
print(json.dumps(sorted(set(sys.modules) - before)))
"""

HEAVY = ("PySide2", "PySide6", "shiboken2", "shiboken6", "Qt", "bpy", "maya", "pymxs",
         "requests", "urllib3", "keyring", "tqdm")


@pytest.mark.parametrize("module", ["rayvision_dcc", "rayvision_dcc.errors", "rayvision_dcc.api"])
def test_importing_the_core_costs_nothing(module):
    """No Qt, no host module, no HTTP stack, no keyring at import: all come on first use."""
    result = subprocess.run([sys.executable, "-c", PROBE.format(module=module)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            universal_newlines=True, cwd=ROOT, timeout=60)
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout)
    heavy = sorted(m for m in loaded if m.split(".")[0] in HEAVY)
    assert heavy == []


def test_python_m_runs_the_cli():
    result = subprocess.run([sys.executable, "-m", "rayvision_dcc", "--help"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            universal_newlines=True, cwd=ROOT, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "rayvision-dcc" in result.stdout and "login" in result.stdout


def test_readme_starts_with_the_two_commands():
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as handle:
        text = handle.read()
    first_block = text[text.index("```"):text.index("```", text.index("```") + 3)]
    assert "make demo" in first_block and "make test" in first_block


def test_test_modules_have_unique_names():
    """pytest imports test modules by basename (rootdir mode): two alike break collection."""
    seen = {}
    for folder, _dirs, files in os.walk(os.path.join(ROOT, "tests")):
        for name in files:
            if name.endswith(".py") and name != "conftest.py" and name != "__init__.py":
                seen.setdefault(name, []).append(os.path.relpath(os.path.join(folder, name), ROOT))
    assert {name: paths for name, paths in seen.items() if len(paths) > 1} == {}
