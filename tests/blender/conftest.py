"""The Blender add-on in real ``bpy``: the add-on enabled once per module through
Blender's own ``addon_utils``, generated scenes, and a tick loop (timers never fire in
background mode, so the tests drive ``runtime.tick`` themselves)."""
import os
import sys

import pytest

bpy = pytest.importorskip("bpy")

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BLENDER_DIR = os.path.join(ROOT, "blender")
if BLENDER_DIR not in sys.path:
    sys.path.insert(0, BLENDER_DIR)


@pytest.fixture(scope="module")
def addon():
    """The add-on enabled as Blender enables it; disabled after the module."""
    import addon_utils
    module = addon_utils.enable("rayvision_blender", default_set=True, handle_error=None)
    assert module is not None, "Blender could not enable rayvision_blender"
    try:
        yield module
    finally:
        addon_utils.disable("rayvision_blender", default_set=True, handle_error=None)


def run_ticks(predicate, timeout=120.0, message="the tool to finish"):
    """Call the tool's tick (what the timer does) until ``predicate()`` holds."""
    from farmsupport import wait_until
    from rayvision_blender import runtime

    def ticked():
        runtime.tick()
        return predicate()
    return wait_until(ticked, timeout=timeout, interval=0.01, message=message)
