"""The extension zip: built by blender/build_extension.py, validated by Blender's own
validator, installed and enabled in an isolated user folder, disabled and removed."""
import os
import platform
import subprocess
import sys
import zipfile

import pytest

bpy = pytest.importorskip("bpy")

pytestmark = [pytest.mark.bpy, pytest.mark.py311]

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NAMES = ("RAYVISION_OT_submit", "RAYVISION_OT_sign_in", "VIEW3D_PT_rayvision_farm",
         "RENDER_PT_rayvision_farm")


def this_platform():
    machine = {"x86_64": "x64", "amd64": "x64", "arm64": "arm64", "aarch64": "arm64"}.get(
        platform.machine().lower(), platform.machine().lower())
    system = {"darwin": "macos"}.get(sys.platform, sys.platform.rstrip("0123456789"))
    return "{}-{}".format({"win": "windows"}.get(system, system), machine)


@pytest.fixture(scope="module")
def extension_zip(tmp_path_factory):
    """A zip for this machine with only rayvision-dcc's own wheel (the venv has the
    dependencies; `make blender-extension` bundles them all)."""
    out = tmp_path_factory.mktemp("ext")
    done = subprocess.run(
        [sys.executable, os.path.join(ROOT, "blender", "build_extension.py"), "--platforms",
         this_platform(), "--deps", "none", "--output", str(out), "--work",
         str(tmp_path_factory.mktemp("stage") / "blender-extension")],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:]
    assert "Success parsing TOML" in done.stdout  # Blender's validator accepted it
    zips = [os.path.join(out, name) for name in os.listdir(out) if name.endswith(".zip")]
    assert len(zips) == 1
    return zips[0]


def test_the_zip_carries_the_manifest_and_the_wheel(extension_zip):
    with zipfile.ZipFile(extension_zip) as archive:
        names = archive.namelist()
        manifest = archive.read("blender_manifest.toml").decode("utf-8")
    assert "__init__.py" in names and "session.py" in names
    assert [n for n in names if n.startswith("wheels/rayvision_dcc-")]
    assert 'platforms = ["{}"]'.format(this_platform()) in manifest
    assert "./wheels/rayvision_dcc-" in manifest
    assert 'network = "' in manifest and 'files = "' in manifest
    assert not [n for n in names if "__pycache__" in n or n.startswith("site-packages")]


#: Run in a fresh bpy: Blender maps its extension repositories to ``bl_ext.*`` when bpy
#: starts, so the isolated user folder must be set before the import.
INSTALL = r"""
import json, os, sys
import bpy, addon_utils
zip_path, names = sys.argv[1], sys.argv[2].split(",")
user = os.environ["BLENDER_USER_RESOURCES"]
module = "bl_ext.user_default.rayvision_blender"
out = {}
out["install"] = sorted(bpy.ops.extensions.package_install_files(
    filepath=zip_path, repo="user_default", enable_on_install=True))
out["enabled"] = module in [addon.module for addon in bpy.context.preferences.addons]
out["registered"] = [name for name in names if hasattr(bpy.types, name)]
addon = sys.modules[module]
import rayvision_dcc
out["rayvision_dcc"] = rayvision_dcc.__file__
out["preferences"] = addon.runtime.preferences() is not None
out["scene_settings"] = hasattr(bpy.types.Scene, "rayvision")
out["timer"] = bpy.app.timers.is_registered(addon.runtime.tick)
out["menu"] = bpy.ops.rayvision.submit.get_rna_type().name
addon_utils.disable(module, default_set=True, handle_error=None)
out["left"] = [name for name in names if hasattr(bpy.types, name)]
out["scene_settings_after"] = hasattr(bpy.types.Scene, "rayvision")
out["timer_after"] = bpy.app.timers.is_registered(addon.runtime.tick)
out["uninstall"] = sorted(bpy.ops.extensions.package_uninstall(
    repo_directory=os.path.join(user, "extensions", "user_default"),
    pkg_id="rayvision_blender"))
out["folder_after"] = os.path.exists(os.path.join(user, "extensions", "user_default",
                                                  "rayvision_blender"))
print("@@RESULT@@" + json.dumps(out))
"""


def test_the_zip_installs_and_enables_in_an_isolated_user_folder(extension_zip, tmp_path):
    user = tmp_path / "blender-user-ext"
    env = dict(os.environ, BLENDER_USER_RESOURCES=str(user))
    done = subprocess.run([sys.executable, "-c", INSTALL, extension_zip, ",".join(NAMES)],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          universal_newlines=True, env=env, timeout=300, cwd=str(tmp_path))
    lines = [line for line in done.stdout.splitlines() if line.startswith("@@RESULT@@")]
    assert done.returncode == 0 and lines, done.stdout[-3000:]
    import json
    out = json.loads(lines[-1][len("@@RESULT@@"):])
    assert out["install"] == ["FINISHED"] and out["enabled"]
    assert out["registered"] == list(NAMES)
    site = os.path.join(str(user), "extensions", ".local", "lib")
    assert out["rayvision_dcc"].startswith(site)  # from the zip's wheel, not this checkout
    assert out["preferences"] and out["timer"] and out["scene_settings"]
    assert out["menu"] == "Submit to Render Farm..."
    assert out["left"] == [] and not out["timer_after"] and not out["scene_settings_after"]
    assert out["uninstall"] == ["FINISHED"] and not out["folder_after"]
