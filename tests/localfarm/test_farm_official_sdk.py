"""The official Python SDK (``rayvision-api``) against the farm, for the operations it
calls. The SDK pins requests 2.23, so it runs in an interpreter of its own: set
RAYVISION_SDK_PYTHON to a Python with ``rayvision-api`` installed (docs/localfarm.md)."""
from __future__ import annotations

import json
import os
import subprocess

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
SDK_PYTHON = os.environ.get("RAYVISION_SDK_PYTHON")

pytestmark = pytest.mark.skipif(not SDK_PYTHON, reason="RAYVISION_SDK_PYTHON is not set")


def test_official_sdk_drives_the_farm(farm, tmp_path):
    access_id, access_key = farm.users[0]
    result = subprocess.run([SDK_PYTHON, os.path.join(HERE, "sdk_smoke.py"), farm.domain,
                             access_id, access_key, str(tmp_path / "sdk-logs")],
                            capture_output=True, text=True, timeout=120,
                            env=dict(os.environ, HOME=str(tmp_path)))
    assert result.returncode == 0, result.stderr[-3000:]
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert out["bids"]["input_bid"] == farm.user_row()["input_bid"]
    assert out["software"] == [2000, 2001, 2007] and out["put"] == 201
    assert out["envs"] == ["Blender 4.5 default"] and out["hardware"] == 3
    assert out["task_info"] == out["task_id"] and out["frames"] == 2
    assert out["after_delete"] == []
    assert out["config"] == ["Http"] and out["server_info"] is True
    sdk_calls = {r["operation"] for r in farm.request_log() if r["code"] == 200}
    assert {"createTask", "submitTask", "stopTask", "restartFrame"} <= sdk_calls
