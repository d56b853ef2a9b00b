"""What the installer tests build: wheel sets made from packages already installed in the
venvs (no network), our own wheel from the source tree, stand-in host packages where the
real ones are not in the repository yet, and temporary homes laid out as each OS does."""
import base64
import csv
import glob
import hashlib
import io
import json
import os
import re
import shutil
import sys
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
INSTALLER = os.path.join(ROOT, "installer")
if INSTALLER not in sys.path:
    sys.path.insert(0, INSTALLER)

#: The core's dependencies as installed in a venv (names as their dist-info spell them).
CORE_DISTS = ("requests", "urllib3", "certifi", "idna", "charset_normalizer", "keyring",
              "jaraco.classes", "jaraco_classes", "jaraco.functools", "jaraco_functools",
              "jaraco.context", "jaraco_context", "more_itertools", "importlib_metadata",
              "zipp", "backports.tarfile", "backports_tarfile", "typing_extensions", "tqdm",
              "qt_py", "Qt.py")

VENV_SITE = {
    "3.11": os.path.join(ROOT, ".venv", "lib", "python3.11", "site-packages"),
    "3.7": os.path.join(ROOT, ".venv37", "lib", "python3.7", "site-packages"),
}
PYTHON37 = os.path.join(ROOT, ".venv37", "bin", "python")
PYTHON311 = os.path.join(ROOT, ".venv", "bin", "python")


def _record_line(name, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return [name, "sha256=" + digest, str(len(data))]


def write_wheel(path, files):
    """A wheel at ``path`` from ``{name in the wheel: bytes}`` (dist-info included)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            archive.writestr(name, files[name])
    return path


def wheel_from_installed(site_packages, dist_info, out_dir):
    """Zip an installed distribution back into a wheel, from its RECORD."""
    folder = os.path.join(site_packages, dist_info)
    with open(os.path.join(folder, "RECORD"), newline="", encoding="utf-8") as handle:
        names = [row[0] for row in csv.reader(handle) if row]
    files = {}
    for name in names:
        if name.startswith("..") or "__pycache__" in name or name.endswith(".pyc"):
            continue
        path = os.path.join(site_packages, name)
        if os.path.isfile(path):
            with open(path, "rb") as handle:
                files[name] = handle.read()
    base = dist_info[:-len(".dist-info")]
    return write_wheel(os.path.join(out_dir, base + "-py3-none-any.whl"), files)


def installed_core_wheels(python, out_dir):
    site = VENV_SITE[python]
    made = []
    for entry in sorted(os.listdir(site)):
        if not entry.endswith(".dist-info"):
            continue
        name = entry[:-len(".dist-info")].rsplit("-", 1)[0]
        if name in CORE_DISTS or name.lower() in CORE_DISTS:
            made.append(wheel_from_installed(site, entry, out_dir))
    return made


def our_wheel(out_dir, version=None):
    """rayvision_dcc from the source tree, laid out as setup.py does (resources/ inside)."""
    with open(os.path.join(ROOT, "rayvision_dcc", "__init__.py"), encoding="utf-8") as handle:
        version = version or re.search(r'__version__ = "([^"]+)"', handle.read()).group(1)
    files = {}
    for top, prefix in (("rayvision_dcc", "rayvision_dcc/"), ("resources", "rayvision_dcc/resources/")):
        base = os.path.join(ROOT, top)
        for folder, dirs, names in os.walk(base):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for name in names:
                if name.endswith(".pyc"):
                    continue
                rel = os.path.relpath(os.path.join(folder, name), base).replace(os.sep, "/")
                with open(os.path.join(folder, name), "rb") as handle:
                    files[prefix + rel] = handle.read()
    if "rayvision_dcc/resources/__init__.py" not in files:
        files["rayvision_dcc/resources/__init__.py"] = b""
    info = "rayvision_dcc-{}.dist-info/".format(version)
    files[info + "METADATA"] = "Metadata-Version: 2.1\nName: rayvision-dcc\nVersion: {}\n".format(
        version).encode()
    files[info + "WHEEL"] = b"Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    return write_wheel(os.path.join(out_dir, "rayvision_dcc-{}-py3-none-any.whl".format(version)),
                       files)


#: The wheel member of the PySide6 stand-in that is inside a ``__pycache__``.
STANDIN_PYC = "pyside6_standin/support/__pycache__/__init__.cpython-311.pyc"


def standin_qt_wheel(out_dir):
    """A small wheel standing for PySide6 in the Blender (-qt) sets. Like
    pyside6_essentials 6.9.3, it ships compiled files inside a ``__pycache__``."""
    info = "pyside6_standin-0.0.dist-info/"
    return write_wheel(os.path.join(out_dir, "pyside6_standin-0.0-py3-none-any.whl"), {
        "pyside6_standin/__init__.py": b"STANDIN = True\n",
        "pyside6_standin/support/__init__.py": b"",
        STANDIN_PYC: b"shipped in the wheel",
        info + "METADATA": b"Metadata-Version: 2.1\nName: pyside6-standin\nVersion: 0.0\n",
        info + "WHEEL": b"Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: py3-none-any\n"})


def transmitter_wheel(out_dir):
    """A rayvision_sync-shaped wheel: Python we do not install, binaries we do."""
    base = "rayvision_sync/transmission/"
    return write_wheel(os.path.join(out_dir, "rayvision_sync-0.0-py2.py3-none-any.whl"), {
        "rayvision_sync/__init__.py": b"from pkg_resources import get_distribution\n",
        "rayvision_sync/tests/test_upload.py": b"",
        base + "linux/rayvision_transmitter": b"#!/bin/sh\necho linux\n",
        base + "linux/raysync/raysyncproxy": b"proxy",
        base + "linux/aspera/ascp": b"aspera",
        base + "windows/rayvision_transmitter.exe": b"MZ exe",
        base + "windows/RaySync.dll": b"MZ dll",
        "rayvision_sync-0.0.dist-info/METADATA": b"Metadata-Version: 2.1\nName: rayvision-sync\n"})


def make_wheelhouse(root, platform, sets, version="0.1.0", our=None):
    """``sets``: {set name: source Python ("3.11"/"3.7") or "qt"}; copies our wheel in."""
    os.makedirs(root)
    cache = {}
    for name, source in sets.items():
        folder = os.path.join(root, name)
        os.makedirs(folder)
        if source == "qt":
            standin_qt_wheel(folder)
            continue
        if source == "transmitter":
            transmitter_wheel(folder)
            continue
        if source not in cache:
            made = os.path.join(root, ".made-" + source)
            os.makedirs(made)
            cache[source] = installed_core_wheels(source, made)
        for wheel in cache[source]:
            shutil.copy(wheel, folder)
        shutil.copy(our, folder)
    for made in glob.glob(os.path.join(root, ".made-*")):
        shutil.rmtree(made)
    with open(os.path.join(root, "index.json"), "w") as handle:
        json.dump({"platform": platform, "version": version}, handle)
    return root


# -- host packages -----------------------------------------------------------------------
STANDIN_MOD = """\
+ MAYAVERSION:{v} PLATFORM:{p} rayvision_dcc 0.1.0 .
PYTHONPATH +:= scripts
PYTHONPATH +:= site-packages/{py}
"""
MAYA_PY = {"2022": "py37", "2023": "py39", "2024": "py310", "2025": "py311", "2026": "py311",
           "2027": "py313"}


def _write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)


def real_host_package(host):
    """The repository's host package when it has the documented layout, else None."""
    marks = {"maya": os.path.join("maya", "rayvision_dcc.mod"),
             "max": os.path.join("max", "PackageContents.xml"),
             "blender": os.path.join("blender", "rayvision_blender", "blender_manifest.toml")}
    return os.path.join(ROOT, host) if os.path.exists(os.path.join(ROOT, marks[host])) else None


def make_payload(root):
    """Host packages to install: the real ones where the repository has them, else small
    stand-ins with the layout COORDINATION.md documents."""
    for host in ("maya", "max", "blender"):
        real = real_host_package(host)
        if real:
            shutil.copytree(real, os.path.join(root, host),
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    if not os.path.isdir(os.path.join(root, "maya")):
        mod = "\n".join(STANDIN_MOD.format(v=v, p=p, py=py) for v, py in sorted(MAYA_PY.items())
                        for p in ("win64", "mac", "linux"))
        _write(os.path.join(root, "maya", "rayvision_dcc.mod"), mod)
        _write(os.path.join(root, "maya", "scripts", "userSetup.py"),
               "import rayvision_maya\n")
        _write(os.path.join(root, "maya", "scripts", "rayvision_maya", "__init__.py"),
               "import rayvision_dcc\nHOST = 'maya'\n")
        _write(os.path.join(root, "maya", "icons", "rayvision.svg"), "<svg/>\n")
    if not os.path.isdir(os.path.join(root, "max")):
        _write(os.path.join(root, "max", "PackageContents.xml"),
               '<?xml version="1.0" encoding="utf-8"?>\n<ApplicationPackage '
               'AutodeskProduct="3ds Max" ProductType="Application" AppVersion="0.1.0" '
               'UpgradeCode="{00000000-0000-0000-0000-000000000000}"/>\n')
        _write(os.path.join(root, "max", "Contents", "scripts", "rayvision_startup.ms"),
               "-- stand-in start-up script\n")
        _write(os.path.join(root, "max", "Contents", "python", "rayvision_max", "__init__.py"),
               "import rayvision_dcc\nHOST = 'max'\n")
    if not os.path.isdir(os.path.join(root, "blender")):
        _write(os.path.join(root, "blender", "rayvision_blender", "__init__.py"), BLENDER_STANDIN)
    shutil.copytree(INSTALLER, os.path.join(root, "installer"),
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return root


BLENDER_STANDIN = '''\
bl_info = {"name": "Rayvision Render Submitter", "blender": (2, 93, 0), "category": "Render"}
import os
import sys

SITE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "site-packages")


def register():
    if SITE not in sys.path:
        sys.path.insert(0, SITE)
    import rayvision_dcc
    import requests
    register.loaded = (rayvision_dcc.__file__, requests.__file__)


def unregister():
    pass
'''


# -- homes as each OS lays them out --------------------------------------------------------
def make_home(home, platform, maya=(), max_=(), blender=()):
    """Folders the hosts leave in a user's home after running once."""
    for version in maya:
        if platform == "windows":
            path = os.path.join(home, "Documents", "maya", version)
        elif platform == "macos":
            path = os.path.join(home, "Library", "Preferences", "Autodesk", "maya", version)
        else:
            path = os.path.join(home, "maya", version)
        os.makedirs(os.path.join(path, "prefs"))
    for version in max_:
        os.makedirs(os.path.join(home, "AppData", "Local", "Autodesk", "3dsMax",
                                 version + " - 64bit", "ENU"))
    for version in blender:
        if platform == "windows":
            path = os.path.join(home, "AppData", "Roaming", "Blender Foundation", "Blender", version)
        elif platform == "macos":
            path = os.path.join(home, "Library", "Application Support", "Blender", version)
        else:
            path = os.path.join(home, ".config", "blender", version)
        os.makedirs(os.path.join(path, "config"))
    return home


def snapshot(folder):
    """{relative path: sha256} of every file under ``folder`` (and empty folders)."""
    found = {}
    for current, dirs, names in os.walk(folder):
        rel_dir = os.path.relpath(current, folder)
        if not dirs and not names:
            found[rel_dir + "/"] = "dir"
        for name in names:
            path = os.path.join(current, name)
            with open(path, "rb") as handle:
                found[os.path.join(rel_dir, name)] = hashlib.sha256(handle.read()).hexdigest()
    return found


def run_main(argv, system, root, ops=None):
    """The installer's command line on an injected machine: (exit code, printed text)."""
    from rayvision_installer import cli
    out = io.StringIO()
    code = cli.run(argv, system=system, root=root, out=out, ops=ops)
    return code, out.getvalue()
