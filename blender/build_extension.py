"""Build the Blender extension zips: ``python blender/build_extension.py [options]``.

1. copies ``blender/rayvision_blender`` into a staging folder;
2. puts wheels under its ``wheels/``: rayvision-dcc's own (built from this checkout) and,
   unless ``--deps none``, its dependencies as unmodified wheels from the package index,
   resolved for Blender's Python (3.11; pure-Python wheels, so Blender 5.1+ on 3.13 loads
   them too) and for each platform's markers, plus, with ``--qt``, PySide6-Essentials and
   shiboken6 per platform (abi3 wheels, one per platform);
3. writes ``wheels`` and ``platforms`` into the staged ``blender_manifest.toml``;
4. runs Blender's own ``blender_ext.py build --split-platforms`` (from the ``bpy``
   package, or ``--blender-ext``) and ``validate`` on every zip.

Runs on the build machine (Python 3.11 with bpy), never inside Blender.
"""
from __future__ import annotations

import argparse
import glob
import json
import os
import shutil
import subprocess
import sys
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SOURCE = os.path.join(HERE, "rayvision_blender")

#: Blender platform -> (pip --platform tags, environment markers of that platform).
PLATFORMS = {
    "windows-x64": (["win_amd64"], {"sys_platform": "win32", "platform_system": "Windows",
                                     "os_name": "nt", "platform_machine": "AMD64"}),
    # pip matches --platform exactly: the manylinux levels PySide6 publishes (6.11: 2_34)
    "linux-x64": (["manylinux_2_28_x86_64", "manylinux_2_31_x86_64", "manylinux_2_34_x86_64",
                   "manylinux_2_35_x86_64", "manylinux_2_39_x86_64"], {"sys_platform": "linux",
                                              "platform_system": "Linux", "os_name": "posix",
                                              "platform_machine": "x86_64"}),
    "macos-arm64": (["macosx_13_0_universal2", "macosx_11_0_arm64"],
                    {"sys_platform": "darwin", "platform_system": "Darwin",
                     "os_name": "posix", "platform_machine": "arm64"}),
    "macos-x64": (["macosx_13_0_universal2", "macosx_11_0_x86_64"],
                  {"sys_platform": "darwin", "platform_system": "Darwin", "os_name": "posix",
                   "platform_machine": "x86_64"}),
}

#: The Python the wheels are resolved for (Blender 4.2-5.0); pure wheels serve 3.13 too.
PYTHON_VERSION = "3.11"

#: Dependencies left out, and why (keyring then falls back to its 0600 file).
EXCLUDED = {
    # needs cryptography + cffi, compiled per Python version (3.11 wheels do not load
    # in Blender 5.1+ on 3.13); keyring finds no Secret Service backend without it and
    # rayvision-dcc keeps the key in its user-only file instead.
    "secretstorage": "needs compiled cryptography/cffi per Python version",
}

#: The Qt wheels of the full panel. 6.12.0 corrupts reference counts on Python < 3.12
#: (see rayvision_dcc.ui.workers.binding_problem), and Blender 4.2-5.0 run 3.11.
QT_REQUIREMENTS = ("PySide6-Essentials>=6.5,<6.12", "shiboken6>=6.5,<6.12")


def run(command, **kwargs):
    print("+ " + " ".join(command), flush=True)
    return subprocess.run(command, check=True, **kwargs)


def blender_ext_path(given=None):
    """Blender's extension tool: the argument, else the one inside the ``bpy`` package."""
    if given:
        return given
    import importlib.util
    spec = importlib.util.find_spec("bpy")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("no bpy package here: pip install bpy, or pass --blender-ext PATH")
    found = glob.glob(os.path.join(list(spec.submodule_search_locations)[0], "*", "scripts",
                                   "addons_core", "bl_pkg", "cli", "blender_ext.py"))
    if not found:
        raise SystemExit("blender_ext.py not found in the bpy package")
    return sorted(found)[-1]


def own_wheel(folder):
    """rayvision-dcc's wheel, built from this checkout."""
    run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps",
         "-w", folder, ROOT])
    return sorted(glob.glob(os.path.join(folder, "rayvision_dcc-*.whl")))[-1]


def _packaging():
    try:
        from packaging.markers import Marker  # noqa: F401
        from packaging.requirements import Requirement
        from packaging.utils import canonicalize_name
    except ImportError:  # pip vendors it
        from pip._vendor.packaging.requirements import Requirement
        from pip._vendor.packaging.utils import canonicalize_name
    return Requirement, canonicalize_name


def wheel_requirements(path):
    """The Requires-Dist lines of a wheel."""
    with zipfile.ZipFile(path) as archive:
        name = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")][0]
        text = archive.read(name).decode("utf-8")
    return [line.split(":", 1)[1].strip() for line in text.splitlines()
            if line.startswith("Requires-Dist:")]


def wheel_name(path):
    return os.path.basename(path).split("-")[0]


def download(requirement, cache, platform_tags=None):
    """One wheel (no dependencies) for Blender's Python into ``cache``; its path."""
    before = set(os.listdir(cache))
    command = [sys.executable, "-m", "pip", "download", "-q", "--no-deps",
               "--only-binary=:all:", "--python-version", PYTHON_VERSION, "-d", cache]
    if platform_tags:
        for tag in platform_tags:
            command += ["--platform", tag]
        command += ["--implementation", "cp"]
    else:  # pure Python only: the same wheel serves every platform and Python 3.11-3.13
        command += ["--platform", "any", "--implementation", "py", "--abi", "none"]
    run(command + [requirement], stdout=subprocess.DEVNULL)
    added = sorted(set(os.listdir(cache)) - before)
    Requirement, canonicalize_name = _packaging()
    wanted = canonicalize_name(Requirement(requirement).name)
    for name in added + sorted(before):
        if name.endswith(".whl") and canonicalize_name(wheel_name(name)) == wanted:
            return os.path.join(cache, name)
    raise SystemExit("pip gave no wheel for {}".format(requirement))


def resolve(root_wheel, cache, platforms):
    """The pure-Python dependency wheels of ``root_wheel`` for each platform's markers:
    {path: set(platforms)}."""
    Requirement, canonicalize_name = _packaging()
    found = {}
    for platform in platforms:
        markers = dict(PLATFORMS[platform][1], python_version=PYTHON_VERSION,
                       python_full_version=PYTHON_VERSION + ".0",
                       implementation_name="cpython", platform_python_implementation="CPython")
        todo = list(wheel_requirements(root_wheel))
        seen = set()
        while todo:
            requirement = Requirement(todo.pop(0))
            name = canonicalize_name(requirement.name)
            if name in seen or name in EXCLUDED:
                continue
            environment = dict(markers, extra="")
            if requirement.marker is not None and not requirement.marker.evaluate(environment):
                continue
            seen.add(name)
            text = name + str(requirement.specifier)
            path = download(text, cache)
            found.setdefault(path, set()).add(platform)
            todo.extend(wheel_requirements(path))
    return found


def qt_wheels(cache, platforms):
    found = {}
    for platform in platforms:
        for requirement in QT_REQUIREMENTS:
            path = download(requirement, cache, PLATFORMS[platform][0])
            found.setdefault(path, set()).add(platform)
    return found


def write_manifest(path, wheels, platforms):
    with open(path, "r", encoding="utf-8") as handle:
        text = handle.read()
    lines = ["platforms = [{}]".format(", ".join('"{}"'.format(p) for p in platforms)),
             "wheels = ["] + ['  "./wheels/{}",'.format(os.path.basename(w))
                             for w in sorted(wheels)] + ["]", ""]
    # top-level keys go before the first [table]
    head, sep, tail = text.partition("\n[")
    text = head.rstrip("\n") + "\n\n" + "\n".join(lines) + sep + tail
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)


def build(output, platforms, deps="all", qt=False, blender_ext=None, work=None):
    """Build and validate the zips; returns their paths."""
    work = work or os.path.join(ROOT, "build", "blender-extension")
    cache = os.path.join(os.path.dirname(work), "blender-wheels")
    stage = os.path.join(work, "rayvision_blender")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(cache, exist_ok=True)
    shutil.copytree(SOURCE, stage, ignore=shutil.ignore_patterns(
        "__pycache__", "*.pyc", "site-packages"))
    wheels_dir = os.path.join(stage, "wheels")
    os.makedirs(wheels_dir)
    wheels = {own_wheel(os.path.join(work, "own")): set(platforms)}
    if deps == "all":
        wheels.update(resolve(list(wheels)[0], cache, platforms))
    if qt:
        wheels.update(qt_wheels(cache, platforms))
    for path in wheels:
        shutil.copy(path, wheels_dir)
    write_manifest(os.path.join(stage, "blender_manifest.toml"), wheels, platforms)
    os.makedirs(output, exist_ok=True)
    tool = blender_ext_path(blender_ext)
    before = set(glob.glob(os.path.join(output, "*.zip")))
    for old in before:
        if os.path.basename(old).startswith("rayvision_blender-"):
            os.remove(old)
    run([sys.executable, tool, "build", "--source-dir", stage, "--output-dir", output,
         "--split-platforms"])
    zips = sorted(glob.glob(os.path.join(output, "rayvision_blender-*.zip")))
    for path in zips:
        run([sys.executable, tool, "validate", path])
    return zips


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", default=os.path.join(ROOT, "dist", "blender"))
    parser.add_argument("--platforms", default=",".join(PLATFORMS),
                        help="comma-separated Blender platforms (default: all four)")
    parser.add_argument("--deps", choices=("all", "none"), default="all",
                        help="'none': only rayvision-dcc's own wheel (Blender's Python has "
                             "the rest, e.g. a test)")
    parser.add_argument("--qt", action="store_true",
                        help="bundle PySide6-Essentials and shiboken6 for the full panel")
    parser.add_argument("--blender-ext", help="path of Blender's blender_ext.py")
    parser.add_argument("--work", help="staging folder (default: build/blender-extension); "
                                       "downloaded wheels are kept beside it")
    args = parser.parse_args(argv)
    platforms = [p.strip() for p in args.platforms.split(",") if p.strip()]
    unknown = [p for p in platforms if p not in PLATFORMS]
    if unknown:
        parser.error("unknown platform(s) {}; known: {}".format(unknown, ", ".join(PLATFORMS)))
    zips = build(args.output, platforms, args.deps, args.qt, args.blender_ext, args.work)
    print(json.dumps({"zips": zips}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
