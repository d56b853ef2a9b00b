"""Maya plugin targets, measured with the test fake of ``maya.*`` (tests/hosts/maya):

- what Maya's start costs: ``userSetup.py`` and the deferred menu + shelf, in a fresh
  Python, and which modules that imports (the target: ``rayvision_maya`` only; Qt, the
  panel and the core load when the button is pressed);
- reading a 10,000-texture scene through ``MayaAdapter`` in the panel's time slices: the
  longest main-thread slice (the host must stay responsive) and the cost per node.

The fake answers at once; a real Maya adds its own cost per ``maya.cmds`` call.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FAKE = os.path.join(ROOT, "tests", "hosts", "maya")
SCRIPTS = os.path.join(ROOT, "maya", "scripts")
NODES = 10000

_START = r"""
import json, os, runpy, sys, time
sys.path[:0] = [{fake!r}, {scripts!r}, {root!r}]
from maya_fake import FakeMaya
fake = FakeMaya({{}})
fake.install()
runpy.run_path(os.devnull)  # runpy's own imports are Maya's, not ours
before = set(sys.modules)
started = time.perf_counter()
runpy.run_path(os.path.join({scripts!r}, "userSetup.py"), run_name="__main__")
fake.run_idle()
seconds = time.perf_counter() - started
assert "RayvisionRenderFarmMenu" in fake.ui
print(json.dumps({{"seconds": seconds, "modules": sorted(set(sys.modules) - before)}}))
"""


def maya_start():
    script = _START.format(fake=FAKE, scripts=SCRIPTS, root=ROOT)
    done = subprocess.run([sys.executable, "-c", script], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, universal_newlines=True, timeout=120,
                          check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def scene_read(tmp):
    for path in (FAKE, SCRIPTS, ROOT):
        if path not in sys.path:
            sys.path.insert(0, path)
    from maya_fake import FakeMaya
    nodes = {"file{}".format(index): {"type": "file", "attrs": {
        "fileTextureName": "{}/tex/t{:05d}.<UDIM>.exr".format(tmp, index),
        "uvTilingMode": 3}} for index in range(NODES)}
    fake = FakeMaya({"path": tmp + "/scenes/big.ma", "workspace": tmp, "nodes": nodes,
                     "render_setup": {"layers": []}})
    fake.install()
    try:
        from rayvision_dcc.hosts.reading import SliceReader
        from rayvision_maya.adapter import MayaAdapter
        reader = SliceReader(MayaAdapter(), budget=0.02)
        started = time.perf_counter()
        while not reader.step():
            pass
        seconds = time.perf_counter() - started
        assert len(reader.references) == NODES
        return seconds, reader.longest, reader.slices
    finally:
        fake.uninstall()
        for name in list(sys.modules):
            if name == "rayvision_maya" or name.startswith("rayvision_maya."):
                del sys.modules[name]


def run():
    import tempfile
    start = maya_start()
    ours = [name for name in start["modules"] if not name.startswith("rayvision_maya")]
    with tempfile.TemporaryDirectory() as tmp:
        seconds, longest, slices = scene_read(tmp.replace("\\", "/"))
    return [
        ("Maya start: userSetup.py + menu + shelf", start["seconds"] * 1000, "ms", "< 20 ms"),
        ("modules Maya's start imports besides rayvision_maya", len(ours), "modules",
         "0 (no Qt, no core)"),
        ("read {:,} file nodes in slices: longest slice".format(NODES), longest * 1000, "ms",
         "<= 50 ms"),
        ("read {:,} file nodes: per node".format(NODES), seconds / NODES * 1e6, "us",
         "plugin overhead; Maya adds its own"),
        ("read {:,} file nodes: slices".format(NODES), slices, "slices", ""),
    ]
