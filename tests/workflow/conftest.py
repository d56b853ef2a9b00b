"""Fixtures of the workflow tests: a local farm and scenes made of real files."""
from __future__ import annotations

import os

import pytest

from farmsupport import start_farm


@pytest.fixture
def farm(tmp_path):
    handle = start_farm(tmp_path / "farm")
    try:
        yield handle
    finally:
        handle.stop()


@pytest.fixture
def maya_scene(tmp_path):
    """A Maya scene description whose files exist on disk (the farm simulates Maya renders)."""
    from rayvision_dcc.job.scene import Camera, Dependency, RenderLayer, SceneInfo

    def make(textures=3, size=2048, folder=None, missing=()):
        root = folder or (tmp_path / "project")
        (root / "tex").mkdir(parents=True, exist_ok=True)
        scene_path = root / "shot.ma"
        scene_path.write_text("//Maya ASCII 2022 scene\n")
        deps = []
        for index in range(textures):
            path = root / "tex" / "t{:03d}.png".format(index)
            path.write_bytes(os.urandom(size))
            deps.append(Dependency(path=str(path), kind="image", exists=True, owner="file1"))
        for name in missing:
            deps.append(Dependency(path=str(root / "tex" / name), kind="image", exists=False,
                                   owner="file9"))
        return SceneInfo(host="Maya", host_version="2022", scene_path=str(scene_path),
                         scene_name="shot", renderer="arnold",
                         cameras=[Camera("shotCamShape", True), Camera("perspShape", False)],
                         frame_start=1, frame_end=3, width=64, height=64, output_format="exr",
                         render_layers=[RenderLayer("defaultRenderLayer", True)],
                         dependencies=deps, project_path=str(root))
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
