"""Install and uninstall across hosts, and the report printed host by host."""
import os

from . import hosts
from .errors import InstallerError
from .files import (STAGE_PREFIX, TRASH_PREFIX, UnitError, install_unit, inspect, read_manifest,
                    remove_unit, up_to_date)
from .plan import PlanError, plan_unit
from .wheels import Archives

PLACE_OPTIONS = {"maya": "--maya-modules", "max": "--max-plugins", "blender": "--blender-addons"}


class InstallError(InstallerError):
    """Nothing can be installed at all (no packages, wrong platform)."""


class Outcome(object):
    def __init__(self, host, label, status, where="", detail="", hint=""):
        self.host = host
        self.label = label
        self.status = status      # installed upgraded unchanged removed not-installed failed ...
        self.where = where
        self.detail = detail
        self.hint = hint

    @property
    def failed(self):
        return self.status == "failed"

    def line(self):
        text = "  {}: {}".format(self.label, self.status)
        if self.where:
            text += " " + self.where
        if self.detail:
            text += " ({})".format(self.detail)
        if self.hint:
            text += " -- what to do: " + self.hint
        return text


class Report(object):
    def __init__(self):
        self.outcomes = []
        self.notes = {}           # host -> [str]

    def add(self, outcome):
        self.outcomes.append(outcome)
        return outcome

    def note(self, host, text):
        self.notes.setdefault(host, [])
        if text not in self.notes[host]:
            self.notes[host].append(text)

    @property
    def failed(self):
        return any(o.failed for o in self.outcomes)

    def lines(self, asked, empty="not found on this computer"):
        out = []
        for host in asked:
            out.append(hosts.LABELS[host])
            mine = [o for o in self.outcomes if o.host == host]
            out.extend(o.line() for o in mine)
            if not mine and not self.notes.get(host):
                out.append("  " + empty)
            out.extend("  note: " + n for n in self.notes.get(host, []))
        return out


def preflight(system, unit, report):
    """Refuse a unit whose host is running or whose folder cannot be written."""
    label = hosts.LABELS[unit.host]
    running = system.running(unit.process_names)
    if running is None:
        report.note(unit.host, "could not read the list of running programs: make sure "
                               "{} is closed".format(label))
    elif running:
        shown = ", ".join("{} (pid {})".format(name, pid) for pid, name in running[:3])
        raise UnitError("{} is running: {}".format(label, shown),
                        hint="close {} (every window and batch process), then run the "
                             "installer again".format(label))
    if not system.writable(unit.base):
        raise UnitError("cannot write to {}: permission denied".format(unit.base),
                        hint="run the installer as a user who may write there, or choose "
                             "another folder with {}".format(PLACE_OPTIONS[unit.host]))


def io_error(unit, exc):
    if isinstance(exc, PermissionError):
        return UnitError("cannot write to {}: {}".format(unit.base, exc.strerror or exc),
                         hint="close {} if it runs, check the folder's permissions, then run "
                              "the installer again; nothing was changed".format(
                                  hosts.LABELS[unit.host]))
    return UnitError("could not write {}: {}".format(unit.path, exc),
                     hint="fix the cause, then run the installer again; nothing was changed")


def install(system, payload, wheelhouse, asked, version=None, dry_run=False, force=False,
            places=None, ops=None, version_label=""):
    places = places or {}
    if not wheelhouse.exists():
        raise InstallError("no packages for the hosts' Pythons at {}".format(wheelhouse.root),
                           hint="run the installer from an unpacked bundle (made by "
                                "`make bundle`), or pass --wheels FOLDER")
    if wheelhouse.platform and wheelhouse.platform != system.platform:
        raise InstallError("the packages in {} are for {}; this computer runs {}".format(
            wheelhouse.root, wheelhouse.platform, system.platform),
            hint="use the bundle made for {}".format(system.platform))
    report = Report()
    units, notes = hosts.find_units(system, asked, version, places.get("maya"),
                                    places.get("max"), places.get("blender"))
    units = [u for u in (only_version(u, version) for u in units) if u is not None]
    for host, text in notes:
        report.note(host, text)
    for unit in units:
        for text in unit.notes + leftovers(unit):
            report.note(unit.host, text)
        outcome = report.add(Outcome(unit.host, unit.label, "failed", unit.path))
        with Archives() as archives:
            try:
                members, pythons = plan_unit(unit, payload, wheelhouse, system.platform,
                                             archives)
                for member in members:
                    member.measure(archives)
                outcome.detail = "Python " + ", ".join(pythons)
                state = inspect(unit)
                if dry_run:
                    outcome.status = dry_run_status(state, members, force)
                    continue
                preflight(system, unit, report)
                extra = {"version": version_label,
                         "versions": [v.version for v in unit.versions],
                         "pythons": pythons}
                try:
                    outcome.status = install_unit(unit, members, extra, archives, ops, force)
                except OSError as exc:
                    raise io_error(unit, exc)
            except (UnitError, PlanError) as exc:
                outcome.status = "failed"
                outcome.detail = exc.message
                outcome.hint = exc.hint
    return report


def leftovers(unit):
    """Folders an interrupted run left beside the unit (a crash between two moves): named,
    never deleted, since the user's own files may be in them."""
    try:
        names = sorted(os.listdir(unit.base))
    except OSError:
        return []
    return ["{} was left by an interrupted run of the installer: check it holds nothing you "
            "need, then delete it".format(os.path.join(unit.base, name))
            for name in names if name.startswith((STAGE_PREFIX, TRASH_PREFIX))]


def only_version(unit, version):
    """The unit for ``version`` alone; a Maya module or Max bundle that already serves other
    versions found here keeps serving them (one folder serves them all)."""
    if not version:
        return unit
    if version not in [v.version for v in unit.versions]:
        return None
    served = (read_manifest(unit.path) or {}).get("versions") or []
    unit.versions = [v for v in unit.versions if v.version == version or v.version in served]
    return unit


def dry_run_status(state, members, force):
    if state.foreign_folder or state.foreign_loose:
        return "would fail: the folder exists and was not installed by this installer"
    if up_to_date(state, members):
        return "unchanged (dry run)"
    if state.modified and not force:
        return "would fail: {} of our files were changed since (--force replaces them)".format(
            len(state.modified))
    return "would {} {} files (dry run)".format("upgrade" if state.installed else "install",
                                                len(members))


def uninstall(system, asked, dry_run=False, force=False, places=None, ops=None, version=None):
    places = places or {}
    report = Report()
    seen = set()
    candidates = list(hosts.known_bases(system))
    for host, folder in places.items():
        if folder:
            candidates.insert(0, (host, folder, {"maya": hosts.MAYA_FOLDER,
                                                 "max": hosts.MAX_FOLDER,
                                                 "blender": hosts.BLENDER_FOLDER}[host]))
    for host, base, folder in candidates:
        key = os.path.normcase(os.path.abspath(os.path.join(base, folder)))
        if host not in asked or key in seen:
            continue
        seen.add(key)
        manifest = read_manifest(os.path.join(base, folder))
        if manifest is None:
            continue
        versions = manifest.get("versions") or []
        if version and version not in versions:
            continue
        unit = hosts.Unit(host, base, folder, [hosts.HostVersion(v, (), base) for v in versions],
                          loose=tuple(rel for rel in manifest["files"] if "/" not in rel))
        outcome = report.add(Outcome(host, unit.label, "failed", unit.path))
        if version and len(versions) > 1:
            outcome.detail = "this install serves {} {}, not {} alone".format(
                hosts.LABELS[host], ", ".join(versions), version)
            outcome.hint = "install again with --version for the versions to keep, or " \
                           "uninstall without --version"
            continue
        if dry_run:
            outcome.status = "would remove {} files (dry run)".format(len(manifest["files"]))
            continue
        try:
            preflight(system, unit, report)
            try:
                outcome.status, kept = remove_unit(unit, ops, force)
            except OSError as exc:
                raise io_error(unit, exc)
            if kept:
                outcome.detail = "left {} file(s) the installer did not write or that were " \
                                 "changed: {}".format(len(kept), ", ".join(kept[:3]))
        except UnitError as exc:
            outcome.detail = exc.message
            outcome.hint = exc.hint
    return report
