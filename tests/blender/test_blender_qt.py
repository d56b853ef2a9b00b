"""'Open the Full Panel' inside bpy: the shared SubmitPanel under QT_QPA_PLATFORM=offscreen,
driven by the add-on's event timer; a PySide6 that does not load gives a message."""
import os
import subprocess
import sys

import pytest

bpy = pytest.importorskip("bpy")

pytestmark = [pytest.mark.bpy, pytest.mark.py311]

#: A Blender session whose PySide6 is broken the way two add-ons' copies break it: a
#: shiboken6 of another version found first on sys.path.
BROKEN = r"""
import os, sys
shadow = sys.argv[1]
os.makedirs(os.path.join(shadow, "shiboken6"))
with open(os.path.join(shadow, "shiboken6", "__init__.py"), "w") as handle:
    handle.write("__version__ = '6.0.0'\n")
sys.path.insert(0, shadow)
import bpy, addon_utils
sys.path.insert(0, sys.argv[2])
addon_utils.enable("rayvision_blender", default_set=True, handle_error=None)
from rayvision_blender import qtpanel
print("@@RESULT@@" + str(sorted(bpy.ops.rayvision.open_panel())))
print("@@NATIVE@@" + str(hasattr(bpy.types, "RAYVISION_OT_submit")))
print("@@QT_LOADED@@" + str("PySide6.QtWidgets" in sys.modules))
"""


def test_a_broken_pyside6_gives_a_message_and_the_tool_stays(tmp_path):
    pytest.importorskip("PySide6")
    env = dict(os.environ, BLENDER_USER_RESOURCES=str(tmp_path / "user"))
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    done = subprocess.run([sys.executable, "-c", BROKEN, str(tmp_path / "shadow"),
                           os.path.join(root, "blender")], stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, universal_newlines=True, env=env,
                          timeout=300)
    out = done.stdout
    assert done.returncode == 0, out[-3000:]
    assert "@@RESULT@@['CANCELLED']" in out, out[-3000:]
    warning = [line for line in out.splitlines() if line.startswith("Warning: The full panel")]
    assert warning and "does not load here" in warning[0] and "Render Farm tab" in warning[0]
    assert "@@NATIVE@@True" in out and "@@QT_LOADED@@False" in out
