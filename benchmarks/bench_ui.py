"""The panel's cost to the host's UI thread.

- Longest UI-thread stall during a whole submit (click to task id) of a scene with 2,000
  dependencies, against a local farm that answers every API call 0.2 s late. A 5 ms
  QTimer heartbeat runs on the UI thread; a stall is the longest gap between two beats.
- Time to open the panel (construct, show, first paint) for a scene with 100 cameras.

Qt offscreen, a throw-away home folder, the farm in this process (Python 3.11).
"""
from __future__ import annotations

import os
import pathlib
import statistics
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests"))  # farmsupport: the throw-away user

from farmsupport import in_throwaway_home, make_scene  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from uiclock import Heartbeat, pump  # noqa: E402

SLOW_ANSWER = 0.2


def run():
    return in_throwaway_home("rayvision-bench-ui-", _run)


def _run(home):
    from Qt import QtWidgets
    from rayvision_dcc.api import RenderClient
    from rayvision_dcc.api.config import CredentialStore, update_config
    from hosts.fake_host import FakeHost
    from rayvision_dcc.localfarm import LocalFarm
    from rayvision_dcc.ui.panel import SubmitPanel

    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication([])
    rows = []
    farm = LocalFarm(os.path.join(home, "farm"),
                     faults="slow:*:*:{}".format(SLOW_ANSWER))
    farm.start()
    try:
        access_id, access_key = farm.users[0]
        CredentialStore().set(access_id, access_key)
        update_config(access_id=access_id)

        def factory(access_id=None, access_key=None, domain=None, platform=None):
            return RenderClient(access_id=access_id, access_key=access_key, domain=farm.domain,
                                protocol="http", platform=platform)

        # opening the panel with 100 cameras
        many = make_scene(pathlib.Path(home, "cams"), textures=0,
                          cameras=["cam{:03d}".format(i) for i in range(100)])
        times = []
        for _ in range(5):
            started = time.perf_counter()
            panel = SubmitPanel(FakeHost.from_scene(many), client_factory=factory)
            panel.show()
            app.processEvents()
            times.append(time.perf_counter() - started)
            panel.shutdown(30000)
            panel.deleteLater()
            app.processEvents()
        rows.append(("open the panel, 100 cameras (median of 5)",
                     statistics.median(times) * 1000, "ms", "< 300 ms"))

        # a whole submit of 2,000 dependencies against a slow farm
        scene = make_scene(pathlib.Path(home, "deps"), textures=2000, size=512)
        beat = Heartbeat()
        beat.start()
        panel = SubmitPanel(FakeHost.from_scene(scene), client_factory=factory)
        panel.show()
        pump(app, lambda: panel.signed_in and panel.validation is not None
              and not panel.checking(), 120)
        open_stall = beat.longest
        results = []
        panel.submitted.connect(results.append)
        panel.submit_failed.connect(results.append)
        beat.start()
        started = time.perf_counter()
        panel.submit()
        pump(app, lambda: bool(results), 600)
        seconds = time.perf_counter() - started
        stall = beat.stop()
        if not hasattr(results[0], "task_id"):
            raise RuntimeError("the submit failed: {}".format(results[0]))
        panel.shutdown(30000)
        rows.append(("UI stall during a submit of 2,000 dependencies, farm answers {:g} s late"
                     .format(SLOW_ANSWER), stall * 1000, "ms", "< 50 ms"))
        rows.append(("  (that submit took)", seconds, "s", "-"))
        rows.append(("UI stall while the panel opens, scans and checks 2,000 dependencies",
                     open_stall * 1000, "ms", "-"))
    finally:
        farm.stop()
    return rows


if __name__ == "__main__":
    for row in run():
        print("{:<80} {:>10.1f} {:<3} {}".format(*row))
