"""``make bundle``: one zip per platform that installs with no network.

Each zip holds the installer, the host packages (maya/, max/, blender/rayvision_blender) and
``wheels/``: for every Python a host runs, our own wheel and the core's dependencies made for
that Python and platform (``pip download --only-binary=:all: --platform ... --python-version
...`` from the package index), PySide6 for Blender, and rayvision_sync's transfer binaries.
Downloading is the only step that needs the network; ``fetch`` can be given from outside.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile

from .hosts import py_tag
from .wheels import TRANSMITTER_PLATFORMS

#: Pythons the supported host versions run (hosts.py has the tables).
PYTHONS = ("3.7", "3.9", "3.10", "3.11", "3.13")
#: Blender's Pythons; PySide6-Essentials comes as one abi3 wheel for all of them.
QT_PYTHON = "3.9"
PLATFORM_TAGS = {
    "windows": ("win_amd64",),
    "macos": ("macosx_11_0_universal2", "macosx_10_9_universal2"),
    "linux": ("manylinux2014_x86_64", "manylinux_2_17_x86_64", "manylinux_2_28_x86_64"),
}
#: The core's dependencies but keyring, fetched with their dependencies.
CORE = ("requests>=2.22", "urllib3<2", "certifi", "idna", "charset_normalizer", "tqdm>=4.50",
        "Qt.py>=1.3")
#: keyring is fetched alone (--no-deps) and its dependencies named here: pip reads
#: dependency markers for the computer it runs on, not the one the bundle is for, so
#: keyring's Linux backends would come along for Windows and macOS (and their binary
#: dependencies may not exist there, as cffi for 3.7 on macOS universal2), and 3.7's own
#: needs would be left out.
KEYRING = ("keyring>=21",)
KEYRING_DEPS = {
    "3.7": ("jaraco.classes", "importlib_metadata", "importlib_resources", "zipp",
            "typing_extensions"),
    "": ("jaraco.classes", "jaraco.functools", "jaraco.context", "importlib_metadata", "zipp",
         "backports.tarfile"),
}
#: keyring's backends per platform (macOS's needs nothing but ctypes); tqdm's colorama.
BACKENDS = {"windows": ("pywin32-ctypes", "colorama"), "macos": (),
            "linux": ("SecretStorage", "jeepney")}
QT = ("PySide6-Essentials>=6.5,<6.12",)   # 6.12 crashes on 3.11 (setup.py says how)
TRANSMITTER = ("rayvision-sync",)
HOST_FOLDERS = (("maya", "maya"), ("max", "max"),
                ("blender/rayvision_blender", "blender/rayvision_blender"))
IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", ".pytest_cache")


def pip_download(requirements, dest, python, platform_tags, deps=True):
    """Wheels for another Python and platform, from the package index (network)."""
    command = [sys.executable, "-m", "pip", "download", "--only-binary=:all:", "--dest", dest,
               "--python-version", python, "--implementation", "cp", "--quiet"]
    for tag in platform_tags:
        command += ["--platform", tag]
    if not deps:
        command.append("--no-deps")
    subprocess.run(command + list(requirements), check=True)


def build_our_wheel(root, dest):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps",
                    "--quiet", "--wheel-dir", dest, root], check=True)
    return [os.path.join(dest, n) for n in os.listdir(dest) if n.startswith("rayvision_dcc-")][0]


def project_version(root):
    with open(os.path.join(root, "rayvision_dcc", "__init__.py"), encoding="utf-8") as handle:
        return re.search(r'__version__ = "([^"]+)"', handle.read()).group(1)


def build_bundle(root, out, platform, our_wheel, fetch=pip_download, pythons=PYTHONS):
    """Lay out ``<out>/rayvision-dcc-<version>-<platform>/`` and zip it; returns the zip."""
    version = project_version(root)
    name = "rayvision-dcc-{}-{}".format(version, platform)
    folder = os.path.join(out, name)
    if os.path.exists(folder):
        shutil.rmtree(folder)
    os.makedirs(folder)
    shutil.copytree(os.path.join(root, "installer"), os.path.join(folder, "installer"),
                    ignore=IGNORE)
    for source, target in HOST_FOLDERS:
        if os.path.isdir(os.path.join(root, source)):
            shutil.copytree(os.path.join(root, source), os.path.join(folder, target),
                            ignore=IGNORE)
    wheels = os.path.join(folder, "wheels")
    tags = PLATFORM_TAGS[platform]
    for python in pythons:
        dest = os.path.join(wheels, py_tag(python))
        os.makedirs(dest)
        fetch(CORE + KEYRING_DEPS.get(python, KEYRING_DEPS[""]) + BACKENDS[platform], dest,
              python, tags)
        fetch(KEYRING, dest, python, tags, deps=False)
        shutil.copy(our_wheel, dest)
    os.makedirs(os.path.join(wheels, "qt"))
    fetch(QT, os.path.join(wheels, "qt"), QT_PYTHON, tags)
    if platform in TRANSMITTER_PLATFORMS:   # rayvision_sync has no macOS binaries
        os.makedirs(os.path.join(wheels, "transmitter"))
        fetch(TRANSMITTER, os.path.join(wheels, "transmitter"), "3.9", tags, deps=False)
    with open(os.path.join(wheels, "index.json"), "w", encoding="utf-8") as handle:
        json.dump({"platform": platform, "version": version, "pythons": list(pythons)},
                  handle, indent=1, sort_keys=True)
    archive = folder + ".zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as bundle:
        for current, dirs, files in os.walk(folder):
            dirs.sort()
            for file_name in sorted(files):
                path = os.path.join(current, file_name)
                bundle.write(path, os.path.relpath(path, out))
    return archive


def main(argv=None):
    parser = argparse.ArgumentParser(prog="make bundle", description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="dist/bundle")
    parser.add_argument("--platform", action="append", choices=sorted(PLATFORM_TAGS),
                        help="default: all three")
    parser.add_argument("--python", action="append", choices=PYTHONS,
                        help="only these host Pythons (default: all)")
    args = parser.parse_args(argv)
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    os.makedirs(args.out, exist_ok=True)
    work = tempfile.mkdtemp(prefix="rayvision-bundle-")
    try:
        wheel = build_our_wheel(root, work)
        for platform in args.platform or sorted(PLATFORM_TAGS):
            print("bundle:", build_bundle(root, args.out, platform, wheel,
                                          pythons=tuple(args.python or PYTHONS)))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
