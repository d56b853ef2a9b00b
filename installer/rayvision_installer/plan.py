"""What goes into one install unit: the host's own folder from the bundle, and the
packages for each Python that unit's host versions run."""
import os

from . import hosts
from .errors import InstallerError
from .wheels import Member, TRANSMITTER_SET, transmitter_members, wheel_members, wheel_name

MAYA_PLATFORM = {"windows": "win64", "macos": "mac", "linux": "linux"}
MOD_HEADER = ("# Rayvision render submitter, written by its installer for the Maya versions "
              "found here.\n# Run the installer again after adding a Maya version; "
              "`install.py uninstall` removes it.\n")
MOD_CONDITIONS = ("MAYAVERSION", "PLATFORM", "LOCALE")
SKIP_DIRS = ("__pycache__", ".pytest_cache")


class PlanError(InstallerError):
    """A unit's packages are not in the bundle."""


class Payload(object):
    """The host folders of a checkout or an unpacked bundle: maya/, max/, blender/."""

    def __init__(self, root):
        self.root = root

    def folder(self, host):
        if host == "blender":
            return os.path.join(self.root, "blender", hosts.BLENDER_FOLDER)
        return os.path.join(self.root, host)


def tree_members(folder, prefix, skip_top=()):
    members = []
    for current, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS)
        rel_dir = os.path.relpath(current, folder)
        for name in sorted(names):
            if name.endswith((".pyc", ".pyo")):
                continue
            rel = name if rel_dir == "." else os.path.join(rel_dir, name).replace(os.sep, "/")
            if rel in skip_top:
                continue
            path = os.path.join(current, name)
            members.append(Member(prefix + rel, path=path,
                                  executable=os.access(path, os.X_OK)))
    return members


def maya_mod_text(text, versions, platform, module_path="./" + hosts.MAYA_FOLDER):
    """Our .mod with the blocks for the Maya versions installed on this platform, pointing
    at the module folder beside it. Blocks (a ``+`` line and what follows) for other
    versions or platforms are left out: their site-packages would not be there."""
    out = [MOD_HEADER]
    keep = False   # the package's own header comment is for people installing by hand
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("+ ") or stripped == "+":
            tokens = stripped.split()
            conditions = dict(t.split(":", 1) for t in tokens[1:]
                              if t.split(":", 1)[0] in MOD_CONDITIONS)
            fields = [t for t in tokens[1:] if t.split(":", 1)[0] not in MOD_CONDITIONS]
            version = conditions.get("MAYAVERSION")
            platform_name = conditions.get("PLATFORM")
            keep = ((version is None or version in versions)
                    and (platform_name is None or platform_name == MAYA_PLATFORM[platform]))
            if keep and len(fields) >= 3:
                tokens[-1] = module_path
                line = " ".join(tokens)
            elif keep:
                raise PlanError("the Maya module file has a line Maya cannot read: "
                                "{!r}".format(stripped),
                                hint="use a bundle made by `make bundle` from a clean checkout")
        if keep:
            out.append(line)
    return "\n".join(out).strip() + "\n"


def wheel_sets(wheelhouse, python, qt):
    """The sets one Python needs: its own, and Qt for a host that ships none (one abi3
    set ``qt`` for every Python, or ``py<XY>-qt`` for one)."""
    sets = [hosts.py_tag(python)]
    if qt:
        own = hosts.py_tag(python) + "-qt"
        sets.append(own if wheelhouse.wheels(own) or not wheelhouse.wheels("qt") else "qt")
    return sets


def plan_unit(unit, payload, wheelhouse, platform, archives):
    """``(members, pythons)``: every file the unit installs (relative to ``unit.base``) and
    the Pythons it has packages for. ``PlanError`` when a required set is missing."""
    host_folder = payload.folder(unit.host)
    if not os.path.isdir(host_folder):
        raise PlanError("this bundle has no {} package ({})".format(
            hosts.LABELS[unit.host], host_folder),
            hint="use a complete bundle (make bundle) or a full checkout")
    prefix = unit.folder + "/"
    members = []
    if unit.host == "maya":
        mod_source = os.path.join(host_folder, hosts.MAYA_MOD)
        try:
            with open(mod_source, "r", encoding="utf-8") as handle:
                mod_text = handle.read()
        except OSError:
            raise PlanError("this bundle has no Maya module file ({})".format(mod_source),
                            hint="use a complete bundle (make bundle) or a full checkout")
        text = maya_mod_text(mod_text, [v.version for v in unit.versions], platform)
        if "+" not in text:
            raise PlanError("the Maya module file has no line for Maya {} on {}".format(
                ", ".join(v.version for v in unit.versions), platform),
                hint="use a bundle made for this platform")
        members.append(Member(hosts.MAYA_MOD, data=text.encode("utf-8")))
        members.extend(tree_members(host_folder, prefix, skip_top=(hosts.MAYA_MOD,)))
        site = prefix + "site-packages/"
    elif unit.host == "max":
        members.extend(tree_members(host_folder, prefix))
        site = prefix + "Contents/site-packages/"
    else:
        members.extend(tree_members(host_folder, prefix))
        site = prefix + "site-packages/"

    pythons = []
    missing = []
    for version in unit.versions:
        for index, python in enumerate(version.pythons):
            if python in pythons:
                continue
            sets = wheel_sets(wheelhouse, python, unit.qt)
            absent = [name for name in sets if not wheelhouse.wheels(name)]
            if absent and index == 0:
                missing.append((version.version, python, absent))
            if not absent:
                pythons.append(python)
    if missing:
        said = "; ".join("{} {} runs Python {}: no {} packages".format(
            hosts.LABELS[unit.host], version, python, " and ".join(names))
            for version, python, names in missing)
        raise PlanError("{} in {}".format(said, wheelhouse.root),
                        hint="use the bundle made for this platform with `make bundle`, "
                             "or leave that version out with --version")

    transmitter = wheelhouse.wheels(TRANSMITTER_SET)
    for python in pythons:
        # One folder per Python when the host has several (Maya, Max); Blender has one.
        target = site + (hosts.py_tag(python) + "/" if unit.host != "blender" else "")
        sets = wheel_sets(wheelhouse, python, unit.qt)
        wheels = [w for name in sets for w in wheelhouse.wheels(name)]
        if not any(wheel_name(w) == "rayvision-dcc" for w in wheels):
            raise PlanError("the Python {} packages in {} lack rayvision_dcc itself".format(
                python, wheelhouse.root), hint="rebuild the bundle with `make bundle`")
        for wheel in wheels:
            members.extend(wheel_members(wheel, target, archives))
        for wheel in transmitter[:1]:
            members.extend(transmitter_members(wheel, platform, target, archives))
    return unique(members), pythons


def unique(members):
    """One member per path, sorted (the first set named wins: a host's own file over a
    wheel's, the core set over the Qt set)."""
    seen = {}
    for member in members:
        if member.rel in seen:
            continue
        seen[member.rel] = member
    return [seen[rel] for rel in sorted(seen)]
