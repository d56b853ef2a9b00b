"""What `make demo` does, as a test: a real .blend with a texture, scanned with bpy,
submitted to a local farm, rendered with bpy, downloaded."""
from __future__ import annotations

import os
import struct

import pytest

pytestmark = [pytest.mark.py311, pytest.mark.bpy]


def png_size(path):
    with open(path, "rb") as handle:
        head = handle.read(24)
    assert head[:8] == b"\x89PNG\r\n\x1a\n", "{} is not a PNG".format(path)
    return struct.unpack(">II", head[16:24])


def test_demo_round_trip(tmp_path):
    pytest.importorskip("bpy")
    from rayvision_dcc.cli.demo import run
    lines = []
    paths = run(str(tmp_path / "demo"), frames=2, log=lines.append)
    assert len(paths) == 2, "\n".join(lines)
    for path in paths:
        assert os.path.getsize(path) > 0
        assert png_size(path) == (64, 64)
    assert any("submitted task" in line for line in lines)
    # The end status by name, from the one table (never "status [25]").
    assert any(line.endswith("ended: Done") for line in lines), "\n".join(lines)
    # The texture went up with the scene: the scan found it through its // path.
    assert any("1 dependencies" in line or "dependencies" in line for line in lines)
