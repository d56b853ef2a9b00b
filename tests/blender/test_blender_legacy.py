"""The legacy add-on (bl_info) in a real Blender binary, in background mode: Debian's
Blender 3.4 where installed (``apt-get install blender``); skipped elsewhere. Its
dependencies are put into the add-on's own ``site-packages`` folder, as the installer
does, from this Python's installed packages (the binary's Python must be the same
major.minor)."""
import json
import os
import re
import shutil
import subprocess
import sys

import pytest

pytestmark = [pytest.mark.bpy, pytest.mark.py311]

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BLENDER = shutil.which("blender")

CHECK = r"""
import json, time, bpy, addon_utils
out = {"version": bpy.app.version_string}
mod = addon_utils.enable("rayvision_blender", default_set=True,
                         handle_error=lambda exc: out.setdefault("error", repr(exc)))
names = ["RAYVISION_OT_submit", "RAYVISION_OT_sign_in", "VIEW3D_PT_rayvision_farm",
         "RENDER_PT_rayvision_farm"]
out["registered"] = [n for n in names if hasattr(bpy.types, n)]
if mod is not None:
    import rayvision_dcc
    out["core"] = rayvision_dcc.__file__
    out["timer"] = bpy.app.timers.is_registered(mod.runtime.tick)
    out["prefs"] = mod.runtime.preferences() is not None
    bpy.ops.wm.read_homefile(use_empty=True)
    cam = bpy.data.objects.new("Cam", bpy.data.cameras.new("Cam"))
    bpy.context.scene.collection.objects.link(cam)
    bpy.context.scene.camera = cam
    bpy.ops.wm.save_as_mainfile(filepath=BLEND)
    out["check"] = sorted(bpy.ops.rayvision.check())
    session = mod.runtime.session()
    deadline = time.monotonic() + 120
    while session.check_state not in ("done", "failed") and time.monotonic() < deadline:
        mod.runtime.tick()  # timers do not fire in background mode
        time.sleep(0.01)
    out["check_state"] = session.check_state
    out["scene"] = [session.scene.host_version, session.scene.camera_names] \
        if session.scene else None
    addon_utils.disable("rayvision_blender", default_set=True)
    out["left"] = [n for n in names if hasattr(bpy.types, n)]
    out["timer_after"] = bpy.app.timers.is_registered(mod.runtime.tick)
print("@@RESULT@@" + json.dumps(out))
"""


def blender_python():
    done = subprocess.run([BLENDER, "-b", "--factory-startup", "--python-expr",
                           "import sys; print('@@PY@@%d.%d' % sys.version_info[:2])"],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          universal_newlines=True, timeout=120)
    found = re.search(r"@@PY@@(\d+\.\d+)", done.stdout)
    return found.group(1) if found else ""


def core_distributions():
    """rayvision-dcc's installed dependencies, transitively (markers of this Python)."""
    from importlib import metadata
    try:
        from packaging.requirements import Requirement
    except ImportError:
        from pip._vendor.packaging.requirements import Requirement
    seen, todo = {}, ["requests", "keyring", "tqdm"]
    while todo:
        requirement = Requirement(todo.pop())
        key = requirement.name.lower().replace("_", "-")
        if key in seen or (requirement.marker and not requirement.marker.evaluate(
                {"extra": ""})):
            continue
        try:
            dist = metadata.distribution(requirement.name)
        except metadata.PackageNotFoundError:
            continue
        seen[key] = dist
        todo.extend(dist.requires or [])
    return list(seen.values())


def site_packages(folder):
    """The add-on's site-packages as the installer makes it (links to this Python's)."""
    os.makedirs(folder)
    os.symlink(os.path.join(ROOT, "rayvision_dcc"), os.path.join(folder, "rayvision_dcc"))
    for dist in core_distributions():
        tops = set()
        for item in dist.files or ():
            top = str(item).split("/")[0]
            if top.endswith((".dist-info", ".pth")) or top in ("..", "__pycache__"):
                continue
            tops.add(top)
        for top in tops:
            source = dist.locate_file(top)
            target = os.path.join(folder, top)
            if os.path.exists(str(source)) and not os.path.exists(target):
                os.symlink(str(source), target)


@pytest.mark.skipif(BLENDER is None, reason="no blender binary here (Debian: apt-get install "
                                            "blender)")
def test_the_legacy_add_on_runs_in_a_real_blender(tmp_path):
    version = blender_python()
    if version != "{}.{}".format(*sys.version_info[:2]):
        pytest.skip("this blender runs Python {}, the tests {}.{}: its packages differ".format(
            version or "?", *sys.version_info[:2]))
    addons = tmp_path / "scripts" / "addons"
    shutil.copytree(os.path.join(ROOT, "blender", "rayvision_blender"),
                    str(addons / "rayvision_blender"),
                    ignore=shutil.ignore_patterns("__pycache__", "site-packages"))
    site_packages(str(addons / "rayvision_blender" / "site-packages"))
    script = tmp_path / "check.py"
    script.write_text("BLEND = {!r}\n".format(str(tmp_path / "shot.blend")) + CHECK)
    env = dict(os.environ, BLENDER_USER_SCRIPTS=str(tmp_path / "scripts"))
    done = subprocess.run([BLENDER, "-b", "--factory-startup", "--python", str(script)],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          universal_newlines=True, env=env, timeout=300, cwd=str(tmp_path))
    lines = [line for line in done.stdout.splitlines() if line.startswith("@@RESULT@@")]
    assert lines, done.stdout[-3000:]
    out = json.loads(lines[-1][len("@@RESULT@@"):])
    assert "error" not in out, out
    assert out["registered"] == ["RAYVISION_OT_submit", "RAYVISION_OT_sign_in",
                                 "VIEW3D_PT_rayvision_farm", "RENDER_PT_rayvision_farm"]
    assert out["core"].startswith(str(addons / "rayvision_blender" / "site-packages"))
    assert out["timer"] and out["prefs"] and out["check"] == ["FINISHED"]
    assert out["check_state"] == "done"
    assert out["scene"][1] == ["Cam"] and out["scene"][0] == ".".join(
        out["version"].split(".")[:2])
    assert out["left"] == [] and not out["timer_after"]
