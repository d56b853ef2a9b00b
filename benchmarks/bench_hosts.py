"""Reading a large scene through the host contract without freezing the host.

A 20,000-file scene (10,000 textures, 500 frame sequences and 500 UDIM sets of 10 files
each) is read through ``tests/hosts/fake_host.FakeHost``, whose every call costs
``CALL_COST`` seconds and refuses any thread but the main one, as a real host does:

- ``SliceReader`` on the main thread: the longest slice (target: no slice over 50 ms);
- ``resolve_references`` on a worker: the time to expand and check the 20,000 files;
- the panel's mechanism without its widgets (a zero-interval QTimer on the UI thread
  driving the reader, then the resolution on a worker thread): the longest gap of a 5 ms
  heartbeat on the UI thread (target under 50 ms);
- the whole panel reading it: the same gap, which also holds the panel's own painting
  and the sign-in dialog it opens (no account here), for information.
"""
from __future__ import annotations

import os
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests"))  # the fake host, the throw-away user

from farmsupport import in_throwaway_home  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from uiclock import Heartbeat, pump  # noqa: E402

CALL_COST = 0.0002   # seconds per host call (one node read)
BUDGET = 0.02        # the panel's slice budget
TEXTURES, SEQUENCES, UDIMS, PER_SET = 10000, 500, 500, 10


def make_scene(folder):
    """The scene description and its 20,000 files on disk."""
    references = []
    for index in range(TEXTURES):
        sub = os.path.join(folder, "tex", "{:03d}".format(index // 200))
        os.makedirs(sub, exist_ok=True)
        name = "t{:05d}.png".format(index)
        open(os.path.join(sub, name), "wb").close()
        references.append({"path": "tex/{:03d}/{}".format(index // 200, name),
                           "owner": "file{}.fileTextureName".format(index), "kind": "image"})
    for index in range(SEQUENCES):
        sub = os.path.join(folder, "seq", "s{:03d}".format(index))
        os.makedirs(sub)
        for frame in range(1, PER_SET + 1):
            open(os.path.join(sub, "plate.{:04d}.exr".format(frame)), "wb").close()
        references.append({"path": "seq/s{:03d}/plate.####.exr".format(index),
                           "owner": "seq{}".format(index), "kind": "image"})
    for index in range(UDIMS):
        sub = os.path.join(folder, "udim", "u{:03d}".format(index))
        os.makedirs(sub)
        for tile in range(PER_SET):
            open(os.path.join(sub, "skin.{}.tx".format(1001 + tile)), "wb").close()
        references.append({"path": "udim/u{:03d}/skin.<UDIM>.tx".format(index),
                           "owner": "udim{}".format(index), "kind": "image"})
    scene_path = os.path.join(folder, "scenes", "big.ma")
    os.makedirs(os.path.dirname(scene_path))
    with open(scene_path, "w") as handle:
        handle.write("//Maya ASCII 2024 scene\n")
    return {"host": "Maya", "host_version": "2024", "scene_path": scene_path,
            "project_path": folder, "scene_name": "big", "renderer": "arnold",
            "cameras": [{"name": "shotCamShape", "renderable": True}],
            "frame_start": 1, "frame_end": 10, "references": references}


def run():
    return in_throwaway_home("rayvision-bench-hosts-", _run)


def _run(home):
    from hosts.fake_host import FakeHost
    from rayvision_dcc.hosts import SliceReader
    from rayvision_dcc.job import resolve_references

    scene = make_scene(os.path.join(home, "project"))
    files = TEXTURES + (SEQUENCES + UDIMS) * PER_SET
    rows = []

    host = FakeHost(scene, call_cost=CALL_COST)
    reader = SliceReader(host, budget=BUDGET)
    started = time.perf_counter()
    while not reader.step():
        pass
    read_seconds = time.perf_counter() - started
    rows.append(("longest main-thread slice, {:,} references".format(len(reader.references)),
                 reader.longest * 1000, "ms", "< 50 ms"))
    rows.append(("main-thread slices / whole read", "{} / {:.1f} s".format(
        reader.slices, read_seconds), "", "host answers between slices"))

    result = {}

    def resolve():
        started = time.perf_counter()
        result["deps"], _warnings = resolve_references(
            reader.references, reader.scene.scene_path, reader.scene.project_path)
        result["seconds"] = time.perf_counter() - started
    worker = threading.Thread(target=resolve)
    worker.start()
    worker.join()
    found = sum(1 for dep in result["deps"] if dep.exists)
    if found != files:
        raise RuntimeError("resolved {} files of {}".format(found, files))
    rows.append(("resolve {:,} files on a worker".format(files), result["seconds"], "s",
                 "< 5 s"))
    rows.extend(_timer_stall(scene, files))
    rows.append(_panel_stall(scene, files))
    return rows


def _app():
    from Qt import QtWidgets
    return QtWidgets.QApplication.instance() or QtWidgets.QApplication([])


def _timer_stall(scene, files):
    """The panel's way of reading, without its widgets: rows for the reading (the host's
    calls, on the UI thread) and for the resolution (on a worker: the UI thread waits only
    for the GIL, and for the machine)."""
    from Qt import QtCore
    from hosts.fake_host import FakeHost
    from rayvision_dcc.hosts import SliceReader
    from rayvision_dcc.job import resolve_references

    app = _app()
    reader = SliceReader(FakeHost(scene, call_cost=CALL_COST), budget=BUDGET)
    result = {}
    longest = {}

    def resolve():
        result["deps"] = resolve_references(reader.references, reader.scene.scene_path,
                                            reader.scene.project_path)[0]

    def read_slice():
        if reader.step():
            timer.stop()
            longest["read"] = heartbeat.stop()
            heartbeat.start()
            worker = threading.Thread(target=resolve)
            worker.start()
            result["worker"] = worker
    timer = QtCore.QTimer()
    timer.setInterval(0)
    timer.timeout.connect(read_slice)
    heartbeat = Heartbeat()
    heartbeat.start()
    timer.start()
    pump(app, lambda: "deps" in result, 300)
    result["worker"].join()
    heartbeat.stop()
    if sum(1 for dep in result["deps"] if dep.exists) != files:
        raise RuntimeError("the files were not all found")
    return [("0 ms QTimer reading: longest UI-thread stall", longest["read"] * 1000, "ms",
             "< 50 ms"),
            ("worker resolving: longest UI-thread stall (GIL, load)",
             heartbeat.longest * 1000, "ms", "information")]


def _panel_stall(scene, files):
    from hosts.fake_host import FakeHost
    from rayvision_dcc.api import RenderClient
    from rayvision_dcc.ui.panel import SubmitPanel

    panel = SubmitPanel(FakeHost(scene, call_cost=CALL_COST),
                        client_factory=lambda **kw: RenderClient(domain="127.0.0.1:9", **kw))
    panel.show()  # opening the panel is bench_ui's row; this one is the reading
    heartbeat = Heartbeat()
    heartbeat.start()
    pump(_app(), lambda: panel.scene.dependencies and not panel.workers.is_busy("scan"), 300)
    heartbeat.stop()
    found = sum(1 for dep in panel.scene.dependencies if dep.exists)
    panel.shutdown(10000)
    panel.close()
    panel.deleteLater()
    if found != files:
        raise RuntimeError("the panel resolved {} files of {}".format(found, files))
    return ("whole panel: longest UI-thread stall (with its painting)",
            heartbeat.longest * 1000, "ms", "information")
