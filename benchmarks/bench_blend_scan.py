"""The headless scan of a .blend (the CLI on a scene file, no Blender running): the
Blender adapter in a ``bpy`` subprocess (what ``rayvision_dcc.hosts.scan_scene`` runs)
against blender-asset-tracer (BAT, the library Flamenco uses), on the same scene: the
one of tests/hosts/test_blender_scan.py (every kind of file, some missing).

BAT is not a dependency: its rows run when it imports here (``pip install
blender-asset-tracer`` into this venv), else say so. Measured here (bpy 4.5, BAT 1.23,
2 shared cores): BAT ~0.15 s, the subprocess ~0.9 s; BAT found 20 files, the subprocess
29 (24 present, 5 missing): BAT lists one file of a movie-clip sequence, no external
text, no point cache, and reports missing files only in its log. Only the subprocess
reads the settings the job needs (engine, frames, cameras, resolution, output, layers).
Kept: the bpy subprocess.
"""
from __future__ import annotations

import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests"))
sys.path.insert(0, os.path.join(ROOT, "tests", "hosts"))

from farmsupport import in_throwaway_home  # noqa: E402

MAKE = r"""
import os, sys
sys.path[:0] = sys.argv[2:]
import test_blender_scan
print(test_blender_scan.build_scene(sys.argv[1])["blend"])
"""

BAT = r"""
import pathlib, sys, time
started = time.perf_counter()
from blender_asset_tracer import trace
files = set()
for usage in trace.deps(pathlib.Path(sys.argv[1])):
    files.update(str(path) for path in usage.files())
print("@@BAT@@%f %d" % (time.perf_counter() - started, len(files)))
"""


def measure(home):
    root = os.path.join(home, "scene")
    os.makedirs(root)
    env = dict(os.environ, BLENDER_USER_RESOURCES=os.path.join(home, "blender-user"))
    made = subprocess.run([sys.executable, "-c", MAKE, root, os.path.join(ROOT, "tests"),
                           os.path.join(ROOT, "tests", "hosts"), ROOT],
                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env,
                          universal_newlines=True, timeout=300, check=True)
    blend = made.stdout.strip().splitlines()[-1]
    from rayvision_dcc.hosts import scan_scene
    os.environ["BLENDER_USER_RESOURCES"] = env["BLENDER_USER_RESOURCES"]
    started = time.perf_counter()
    info = scan_scene(blend)
    took = time.perf_counter() - started
    rows = [("bpy subprocess scan", took, "s", "kept: settings + every file"),
            ("bpy subprocess files", len(info.dependencies), "files",
             "{} present".format(sum(dep.exists for dep in info.dependencies)))]
    bat = subprocess.run([sys.executable, "-c", BAT, blend], stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, universal_newlines=True, timeout=300)
    found = [line for line in bat.stdout.splitlines() if line.startswith("@@BAT@@")]
    if found:
        seconds, count = found[-1][len("@@BAT@@"):].split()
        rows += [("blender-asset-tracer scan", float(seconds), "s", "files only"),
                 ("blender-asset-tracer files", int(count), "files", "present only")]
    else:
        rows.append(("blender-asset-tracer", "not installed", "", "pip install "
                                                                   "blender-asset-tracer"))
    return rows


def run():
    return in_throwaway_home("rv-bench-blend-", measure)
