"""The Blender add-on in real ``bpy``: ``blender/`` on the path and the add-on enabled
once per module through Blender's own ``addon_utils`` (scenes and the tick loop are in
``blendscenes.py``).

No ``import bpy`` at module level here: bpy 4.5 hangs at process exit (a C++ destructor
waits on its own sound thread) when the bpy module outlives interpreter teardown, and a
conftest module is kept alive longer than test modules (with pytest-qt loaded, to the
end). The test modules import bpy with ``pytest.importorskip``.
"""
import os
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BLENDER_DIR = os.path.join(ROOT, "blender")
if BLENDER_DIR not in sys.path:
    sys.path.insert(0, BLENDER_DIR)


@pytest.fixture(scope="module")
def addon():
    """The add-on enabled as Blender enables it; disabled after the module."""
    pytest.importorskip("bpy")
    import addon_utils
    module = addon_utils.enable("rayvision_blender", default_set=True, handle_error=None)
    assert module is not None, "Blender could not enable rayvision_blender"
    try:
        yield module
    finally:
        addon_utils.disable("rayvision_blender", default_set=True, handle_error=None)
