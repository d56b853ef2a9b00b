"""Where Maya, 3ds Max and Blender are on this machine, which Python each version runs, and
where our files go for each (the install units)."""
import os
import re

from .files import read_manifest

#: Maya version -> its Python (docs/installer.md has the table and its sources).
MAYA_PYTHON = {"2022": "3.7", "2023": "3.9", "2024": "3.10", "2025": "3.11", "2026": "3.11",
               "2027": "3.13"}
#: 3ds Max version -> its Python; a second entry is installed too when the bundle has it,
#: where sources disagree (the start-up script picks the folder of the Python it runs).
MAX_PYTHON = {"2022": ("3.7",), "2023": ("3.9",), "2024": ("3.10", "3.9"), "2025": ("3.11",),
              "2026": ("3.11", "3.9"), "2027": ("3.13",)}
#: (major, minor) from which a Blender runs this Python.
BLENDER_PYTHON = (((5, 1), "3.13"), ((4, 2), "3.11"), ((3, 0), "3.10"), ((2, 93), "3.9"))

MAYA_MOD = "rayvision_dcc.mod"
MAYA_FOLDER = "rayvision_dcc"
MAX_FOLDER = "RayvisionDCC.bundle"
BLENDER_FOLDER = "rayvision_blender"

PROCESS_NAMES = {
    "maya": ("maya", "maya.bin", "maya.exe", "mayabatch.exe", "mayapy", "mayapy.exe"),
    "max": ("3dsmax.exe", "3dsmaxbatch.exe", "3dsmax"),
    "blender": ("blender", "blender.exe"),
}
LABELS = {"maya": "Maya", "max": "3ds Max", "blender": "Blender"}
HOSTS = ("maya", "max", "blender")


def py_tag(python):
    """"3.10" -> "py310": the name of a wheel set and of a site-packages folder."""
    return "py" + python.replace(".", "")


class HostVersion(object):
    def __init__(self, version, pythons, found_at):
        self.version = version
        self.pythons = tuple(pythons)   # the first is required, the others when available
        self.found_at = found_at

    def __repr__(self):
        return "HostVersion({!r}, {!r})".format(self.version, self.pythons)


class Unit(object):
    """One thing the installer writes: a folder of ours (and loose files beside it) in
    ``base``, serving one or more versions of a host."""

    def __init__(self, host, base, folder, versions, loose=(), qt=False):
        self.host = host
        self.base = base
        self.folder = folder
        self.versions = list(versions)
        self.loose = tuple(loose)
        self.qt = qt                    # the host ships no Qt: give it PySide6
        self.notes = []

    @property
    def label(self):
        return "{} {}".format(LABELS[self.host], ", ".join(v.version for v in self.versions))

    @property
    def path(self):
        return os.path.join(self.base, self.folder)

    @property
    def process_names(self):
        return PROCESS_NAMES[self.host]

    def __repr__(self):
        return "Unit({}, {})".format(self.label, self.path)


def _version_key(text):
    return tuple(int(p) for p in re.findall(r"\d+", text))


def _year_dirs(folder, pattern):
    found = {}
    try:
        names = os.listdir(folder)
    except OSError:
        return found
    for name in names:
        match = re.match(pattern, name)
        if match and os.path.isdir(os.path.join(folder, name)):
            found.setdefault(match.group(1), os.path.join(folder, name))
    return found


def _program_files(system):
    return system.env("PROGRAMFILES", "C:\\Program Files")


def named_versions(host, target, folder, version, known):
    """``(versions, notes)`` named by hand for a folder given by hand (``--maya-modules`` /
    ``--max-plugins FOLDER --version V``): V, and the versions an install of ours in that
    folder already serves, so that naming 2025 does not drop 2022."""
    if not (target and version):
        return [], []
    if version not in known:
        return [], ["{} {} is not a version this installer knows ({})".format(
            LABELS[host], version, ", ".join(sorted(known)))]
    served = (read_manifest(os.path.join(target, folder)) or {}).get("versions") or []
    return [v for v in sorted(set([version] + served)) if v in known], []


def add_named(versions, named, pythons, target):
    """The host versions found, plus those named by hand that were not found."""
    found = [v.version for v in versions]
    versions = versions + [HostVersion(v, pythons(v), target) for v in named if v not in found]
    return sorted(versions, key=lambda v: v.version)


def known_versions(host, found, table, pythons, notes):
    """The HostVersions of the versions ``found`` (``{version: where}``) that ``table``
    (the host's ``{version: Python}``) knows, with ``pythons(version)``; a note for each
    other one: before 2022 it is not supported, later it is newer than this installer."""
    label = LABELS[host]
    versions = []
    for version, path in sorted(found.items()):
        if version not in table:
            notes.append("{} {} ({}) is not supported: the submitter needs {} 2022 or "
                         "newer".format(label, version, path, label) if int(version) < 2022 else
                         "{} {} is newer than this installer knows; install with a newer "
                         "bundle".format(label, version))
            continue
        versions.append(HostVersion(version, pythons(version), path))
    return versions


# -- Maya ------------------------------------------------------------------------------
def maya_app_dir(system):
    """MAYA_APP_DIR, or where Maya keeps its user folders by default."""
    if system.env("MAYA_APP_DIR"):
        return system.env("MAYA_APP_DIR")
    if system.platform == "windows":
        return os.path.join(system.documents, "maya")
    if system.platform == "macos":
        return system.home_path("Library", "Preferences", "Autodesk", "maya")
    return system.home_path("maya")


def maya_versions(system):
    """{version: where it was seen}: user folders, MAYA_LOCATION, the install folders."""
    found = _year_dirs(maya_app_dir(system), r"^(20\d\d)(-x64)?$")
    location = system.env("MAYA_LOCATION")
    match = re.search(r"maya(20\d\d)", os.path.basename(location.rstrip("/\\")), re.I)
    if match:
        found.setdefault(match.group(1), location)
    if system.platform == "windows":
        installs = os.path.join(_program_files(system), "Autodesk")
        pattern = r"^Maya(20\d\d)$"
    elif system.platform == "macos":
        installs = os.path.join(system.root, "Applications", "Autodesk")
        pattern = r"^maya(20\d\d)$"
    else:
        installs = os.path.join(system.root, "usr", "autodesk")
        pattern = r"^maya(20\d\d)$"
    for version, path in _year_dirs(installs, pattern).items():
        found.setdefault(version, path)
    return found


def maya_module_folders(system):
    """Folders Maya reads .mod files from for this user: MAYA_MODULE_PATH, then the
    default <MAYA_APP_DIR>/modules."""
    folders = system.env_paths("MAYA_MODULE_PATH")
    default = os.path.join(maya_app_dir(system), "modules")
    if default not in folders:
        folders.append(default)
    return folders


def find_maya(system, target=None, version=None):
    named, notes = named_versions("maya", target, MAYA_FOLDER, version, MAYA_PYTHON)
    def pythons(v):
        return (MAYA_PYTHON[v],)
    versions = known_versions("maya", maya_versions(system), MAYA_PYTHON, pythons, notes)
    versions = add_named(versions, named, pythons, target)
    if not versions:
        return [], notes
    base = target or os.path.join(maya_app_dir(system), "modules")
    unit = Unit("maya", base, MAYA_FOLDER, versions, loose=(MAYA_MOD,))
    for folder in maya_module_folders(system):
        other = os.path.join(folder, MAYA_MOD)
        if os.path.normcase(os.path.abspath(folder)) != os.path.normcase(os.path.abspath(base)) \
                and os.path.isfile(other):
            unit.notes.append("another {} is in {} (MAYA_MODULE_PATH): Maya loads both; "
                              "remove the one you do not want".format(MAYA_MOD, folder))
    return [unit], notes


# -- 3ds Max ---------------------------------------------------------------------------
def max_plugin_folders(system):
    """ApplicationPlugins folders: ADSK_APPLICATION_PLUGINS, the user's, all users'."""
    folders = system.env_paths("ADSK_APPLICATION_PLUGINS")
    folders.append(os.path.join(system.appdata, "Autodesk", "ApplicationPlugins"))
    folders.append(os.path.join(system.env("PROGRAMDATA", "C:\\ProgramData"), "Autodesk",
                                "ApplicationPlugins"))
    return folders


def max_versions(system):
    found = _year_dirs(os.path.join(system.local_appdata, "Autodesk", "3dsMax"),
                       r"^(20\d\d) - 64bit$")
    for name, value in system.environ.items():
        match = re.match(r"^ADSK_3DSMAX_x64_(20\d\d)$", name, re.I)
        if match and value:
            found.setdefault(match.group(1), value)
    installs = os.path.join(_program_files(system), "Autodesk")
    for version, path in _year_dirs(installs, r"^3ds Max (20\d\d)$").items():
        found.setdefault(version, path)
    return found


def find_max(system, target=None, version=None):
    if system.platform != "windows":
        return [], ["3ds Max runs on Windows only: nothing to do for it on this computer"]
    named, notes = named_versions("max", target, MAX_FOLDER, version, MAX_PYTHON)
    versions = known_versions("max", max_versions(system), MAX_PYTHON, MAX_PYTHON.get, notes)
    versions = add_named(versions, named, MAX_PYTHON.get, target)
    if not versions:
        return [], notes
    base = target or os.path.join(system.appdata, "Autodesk", "ApplicationPlugins")
    unit = Unit("max", base, MAX_FOLDER, versions)
    for folder in max_plugin_folders(system):
        other = os.path.join(folder, MAX_FOLDER)
        if os.path.normcase(os.path.abspath(folder)) != os.path.normcase(os.path.abspath(base)) \
                and os.path.isdir(other):
            unit.notes.append("another {} is in {}: 3ds Max loads the one with the higher "
                              "AppVersion; remove the one you do not want".format(MAX_FOLDER,
                                                                                  folder))
    return [unit], notes


# -- Blender ---------------------------------------------------------------------------
def blender_user_folder(system):
    """Where Blender keeps one folder per version for this user."""
    if system.platform == "windows":
        return os.path.join(system.appdata, "Blender Foundation", "Blender")
    if system.platform == "macos":
        return system.home_path("Library", "Application Support", "Blender")
    return os.path.join(system.env("XDG_CONFIG_HOME", system.home_path(".config")), "blender")


def blender_python(version):
    key = _version_key(version)[:2]
    for first, python in BLENDER_PYTHON:
        if key >= first:
            return python
    return None


def find_blender(system):
    """One unit per Blender version: the legacy add-on folder ``<version>/scripts/addons``
    (Blender 2.93 to 5.x read it; docs/installer.md says why not the extension folder)."""
    notes = []
    units = []
    root = blender_user_folder(system)
    for name in ("BLENDER_USER_SCRIPTS", "BLENDER_USER_RESOURCES"):
        if system.env(name):
            notes.append("{} is set: Blender reads add-ons from there; install into it with "
                         "--blender-addons FOLDER --version X.Y".format(name))
    found = _year_dirs(root, r"^(\d+\.\d+)$")
    for version in sorted(found, key=_version_key):
        python = blender_python(version)
        if python is None:
            notes.append("Blender {} is not supported: the submitter needs Blender 2.93 or "
                         "newer".format(version))
            continue
        base = os.path.join(found[version], "scripts", "addons")
        unit = Unit("blender", base, BLENDER_FOLDER, [HostVersion(version, (python,),
                                                                  found[version])], qt=True)
        extensions = os.path.join(found[version], "extensions")
        for repo in sorted(os.listdir(extensions)) if os.path.isdir(extensions) else ():
            if os.path.isdir(os.path.join(extensions, repo, BLENDER_FOLDER)):
                unit.notes.append("the Rayvision extension is also installed in {}: enable "
                                  "only one of the two in Preferences > Add-ons".format(
                                      os.path.join(extensions, repo, BLENDER_FOLDER)))
        units.append(unit)
    return units, notes


def blender_unit_at(folder, version):
    """A Blender unit for an add-on folder given by hand (--blender-addons)."""
    python = blender_python(version)
    if python is None:
        return None
    return Unit("blender", folder, BLENDER_FOLDER, [HostVersion(version, (python,), folder)],
                qt=True)


def find_units(system, hosts, version=None, maya_modules=None, max_plugins=None,
               blender_addons=None):
    """``(units, notes)`` for the hosts asked: every version found; with a folder given by
    hand, ``version`` names the host version it serves even when that host is not found
    (``maya_modules``, ``max_plugins``; required with ``blender_addons``). Notes are
    ``(host, text)``."""
    units = []
    notes = []
    for host in hosts:
        if host == "maya":
            found, said = find_maya(system, maya_modules, version)
        elif host == "max":
            found, said = find_max(system, max_plugins, version)
        elif blender_addons:
            if not version:
                found, said = [], ["--blender-addons needs --version (the Blender version "
                                   "that reads that folder)"]
            else:
                unit = blender_unit_at(blender_addons, version)
                found, said = ([unit], []) if unit else ([], ["Blender {} is not supported"
                                                              .format(version)])
        else:
            found, said = find_blender(system)
        notes.extend((host, text) for text in said)
        units.extend(unit for unit in found if unit.versions)
    return units, notes


def known_bases(system):
    """Every folder an install of ours may be in, for uninstall: (host, base, folder)."""
    places = []
    for folder in maya_module_folders(system):
        places.append(("maya", folder, MAYA_FOLDER))
    if system.platform == "windows":
        for folder in max_plugin_folders(system):
            places.append(("max", folder, MAX_FOLDER))
    root = blender_user_folder(system)
    for version, path in sorted(_year_dirs(root, r"^(\d+\.\d+)$").items(),
                                key=lambda item: _version_key(item[0])):
        places.append(("blender", os.path.join(path, "scripts", "addons"), BLENDER_FOLDER))
    return places
