"""Fixtures of the workflow tests: a local farm and scenes made of real files."""
from __future__ import annotations

import pytest

from farmsupport import make_scene, start_farm


@pytest.fixture
def maya_scene(tmp_path):
    """``maya_scene(textures=3, size=2048, missing=())``: a Maya scene made of real files
    (the farm simulates Maya renders), read as the CLI reads a host headless: through
    the main-thread-only FakeHost's ``scene_info()`` (references resolved on disk)."""
    from hosts.fake_host import FakeHost

    def make(**options):
        described = make_scene(tmp_path / "project", **options)
        scene = FakeHost.from_scene(described).scene_info()
        assert [(d.path, d.exists) for d in scene.dependencies] == [
            (d.path, d.exists) for d in described.dependencies]
        return scene
    return make


@pytest.fixture
def faulty_farm(tmp_path):
    """``faulty_farm(spec)`` starts a farm with injected faults (see localfarm/faults.py)."""
    handles = []

    def start(spec):
        handle = start_farm(tmp_path / "farm{}".format(len(handles)),
                            extra_args=["--faults", spec], faults=spec)
        handles.append(handle)
        return handle
    yield start
    for handle in handles:
        handle.stop()
