"""Fixtures of the panel tests: Qt offscreen from the start, a local farm.

The farm runs in this process on Python 3.11+, and as a subprocess
(``RAYVISION_FARM_PYTHON -m rayvision_dcc farm serve --ready-json``) when that variable is
set or this Python is older (the panel's Python 3.7 + PySide2 run).
"""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest


def pytest_configure(config):
    # pytest-qt's session-wide QApplication is made before the per-test isolation of
    # tests/conftest.py runs, so offscreen must be set here already.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


class FarmHandle(object):
    """What the tests need of a farm, whichever way it runs."""

    def __init__(self, url, domain, users, stop):
        self.url = url
        self.domain = domain
        self.users = users
        self._stop = stop

    def client(self, **kwargs):
        from rayvision_dcc.api import RenderClient
        access_id, access_key = self.users[0]
        values = dict(access_id=access_id, access_key=access_key, domain=self.domain,
                      protocol="http", platform="2")
        values.update(kwargs)
        return RenderClient(**values)

    def client_factory(self):
        """A panel ``client_factory``: the farm's address, whatever zone is picked."""
        def factory(access_id=None, access_key=None, domain=None, platform=None):
            from rayvision_dcc.api import RenderClient
            return RenderClient(access_id=access_id, access_key=access_key,
                                domain=self.domain, protocol="http", platform=platform)
        return factory

    def stop(self):
        self._stop()


def _farm_in_subprocess(python, data_dir):
    command = [python, "-m", "rayvision_dcc", "farm", "serve", "--port", "0", "--ready-json",
               "--data", str(data_dir)]
    env = dict(os.environ)
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    env["PYTHONPATH"] = root + os.pathsep + env.get("PYTHONPATH", "")
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                               env=env, cwd=root)
    line = process.stdout.readline().decode("utf-8")
    if not line:
        process.kill()
        raise RuntimeError("the farm subprocess exited before it was ready")
    ready = json.loads(line)

    def stop():
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)
        process.stdout.close()

    users = [(u["access_id"], u["access_key"]) for u in ready["users"]]
    return FarmHandle(ready["url"], ready["domain"], users, stop)


@pytest.fixture
def farm(tmp_path):
    """A local farm on port 0 for one test."""
    python = os.environ.get("RAYVISION_FARM_PYTHON")
    data_dir = tmp_path / "farm"
    data_dir.mkdir()
    if python or sys.version_info < (3, 11):
        if not python:
            pytest.skip("the local farm needs Python 3.11: set RAYVISION_FARM_PYTHON")
        handle = _farm_in_subprocess(python, data_dir)
    else:
        from rayvision_dcc.localfarm import LocalFarm
        local = LocalFarm(str(data_dir))
        local.start()
        handle = FarmHandle(local.url, local.domain, list(local.users), local.stop)
        handle.local = local
    try:
        yield handle
    finally:
        handle.stop()
