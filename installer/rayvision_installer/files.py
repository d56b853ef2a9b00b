"""Writing and removing one install unit safely.

Every file we write is listed, with its SHA-256, in a manifest inside our folder
(``.rayvision-install.json``). An install is staged in a folder beside the target, then
moved into place; any failure puts back what was there. We never change a file the manifest
does not list, nor one of ours that was changed since (unless ``force``).
"""
import copy
import hashlib
import json
import os
import shutil
import uuid

from .errors import InstallerError

MANIFEST = ".rayvision-install.json"
MANIFEST_FORMAT = 1
CACHE_DIRS = ("__pycache__",)
STAGE_PREFIX = ".rayvision-staging-"
TRASH_PREFIX = ".rayvision-old-"


class UnitError(InstallerError):
    """A unit cannot be installed or removed; nothing was changed."""


class FileOps(object):
    """The few file operations an install is made of. Tests subclass it to fail at a
    chosen step and check that everything is put back."""

    def makedirs(self, path):
        os.makedirs(path)

    def rename(self, source, target):
        os.rename(source, target)

    def write(self, path, chunks, executable):
        with open(path, "wb") as handle:
            for chunk in chunks:
                handle.write(chunk)
        if executable and os.name != "nt":
            os.chmod(path, 0o755)

    def rmdir(self, path):
        os.rmdir(path)

    def rmtree(self, path):
        shutil.rmtree(path, ignore_errors=True)


def sha256_file(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def long_path(path):
    """On Windows, the ``\\\\?\\`` form of ``path``: PySide6's deepest files under a user's
    Blender add-on folder pass Windows' 260-character limit otherwise."""
    if os.name != "nt":
        return path
    path = os.path.abspath(path)
    return path if path.startswith("\\\\?\\") else "\\\\?\\" + path


def on_disk(unit):
    """The unit with its base folder in the form every file operation below uses."""
    if os.name != "nt":
        return unit
    unit = copy.copy(unit)
    unit.base = long_path(unit.base)
    return unit


def native(base, rel):
    return os.path.join(base, *rel.split("/"))


def in_cache(rel):
    """``rel`` is inside an interpreter cache folder (a wheel may ship such files: PySide6
    does); the interpreter may rewrite or add files there, and uninstall removes it whole."""
    return any(part in CACHE_DIRS for part in rel.split("/")[:-1])


class State(object):
    """What is at a unit's place now."""

    def __init__(self, unit):
        self.unit = unit
        self.manifest = None
        self.foreign_folder = False     # our folder name is taken by something not ours
        self.foreign_loose = []         # loose file names taken by something not ours
        self.modified = []              # ours, changed since we wrote them
        self.missing = []               # ours, gone
        self.extras = []                # files in our folder that we did not write

    @property
    def installed(self):
        return self.manifest is not None

    @property
    def files(self):
        return dict(self.manifest.get("files", {})) if self.manifest else {}


def read_manifest(folder):
    try:
        with open(os.path.join(folder, MANIFEST), "r", encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and isinstance(data.get("files"), dict) else None


def inspect(unit):
    unit = on_disk(unit)
    state = State(unit)
    folder = unit.path
    if os.path.lexists(folder):
        state.manifest = read_manifest(folder) if os.path.isdir(folder) else None
        if state.manifest is None:
            state.foreign_folder = True
    files = state.files
    for name in unit.loose:
        if os.path.lexists(native(unit.base, name)) and name not in files:
            state.foreign_loose.append(name)
    for rel, digest in sorted(files.items()):
        path = native(unit.base, rel)
        if not os.path.isfile(path):
            state.missing.append(rel)
        elif not in_cache(rel) and sha256_file(path) != digest:
            state.modified.append(rel)
    if state.manifest is not None:
        for current, dirs, names in os.walk(folder):
            dirs[:] = [d for d in dirs if d not in CACHE_DIRS]
            for name in names:
                rel = os.path.relpath(os.path.join(current, name), unit.base).replace(os.sep, "/")
                if rel not in files and name != MANIFEST:
                    state.extras.append(rel)
    state.extras.sort()
    return state


def refuse_foreign(state):
    unit = state.unit
    if state.foreign_folder:
        raise UnitError("{} exists and was not installed by this installer".format(unit.path),
                        hint="move it away (or delete it if it is an old copy), then run the "
                             "installer again")
    if state.foreign_loose:
        raise UnitError("{} exists and was not installed by this installer".format(
            native(unit.base, state.foreign_loose[0])),
            hint="move it away, then run the installer again")


def refuse_modified(state, force):
    if state.modified and not force:
        shown = ", ".join(native(state.unit.base, rel) for rel in state.modified[:3])
        more = " and {} more".format(len(state.modified) - 3) if len(state.modified) > 3 else ""
        raise UnitError("files the installer wrote were changed since: {}{}".format(shown, more),
                        hint="keep a copy of your changes, then run again with --force to "
                             "replace them")


def up_to_date(state, members):
    if not state.installed or state.missing or state.modified:
        return False
    return state.files == {m.rel: m.sha256 for m in members}


class Transaction(object):
    """Steps done so far, undone in reverse order when a later one fails."""

    def __init__(self, ops):
        self.ops = ops
        self.undo = []

    def makedirs(self, path):
        """Create ``path`` and the folders above it that are missing; returns those."""
        created = []
        current = os.path.abspath(path)
        while not os.path.isdir(current):
            created.append(current)
            parent = os.path.dirname(current)
            if parent == current:
                break
            current = parent
        for folder in reversed(created):
            self.ops.makedirs(folder)
            self.undo.append(("rmdir", folder))
        return created

    def rename(self, source, target):
        self.ops.rename(source, target)
        self.undo.append(("rename", target, source))

    def rollback(self):
        for step in reversed(self.undo):
            try:
                if step[0] == "rename":
                    self.ops.rename(step[1], step[2])
                elif step[0] == "rmdir":
                    self.ops.rmdir(step[1])
                elif step[0] == "rmtree":
                    self.ops.rmtree(step[1])
                elif step[0] == "mkdir":
                    os.makedirs(step[1], exist_ok=True)
            except OSError:
                pass  # keep going: put back as much as can be put back
        self.undo = []


def install_unit(unit, members, manifest_extra, archives, ops=None, force=False):
    """Write the unit: staged beside it, then moved into place. Returns "installed",
    "upgraded" or "unchanged"."""
    ops = ops or FileOps()
    unit = on_disk(unit)
    state = inspect(unit)
    refuse_foreign(state)
    if up_to_date(state, members):
        return "unchanged"
    refuse_modified(state, force)
    planned = set(m.rel for m in members)
    clash = [rel for rel in state.extras if rel in planned]
    if clash:
        raise UnitError("{} is in our folder but was not written by the installer, and the new "
                        "version has a file there".format(native(unit.base, clash[0])),
                        hint="move it away, then run the installer again")

    tx = Transaction(ops)
    token = uuid.uuid4().hex[:8]
    stage = os.path.join(unit.base, STAGE_PREFIX + token)
    trash = os.path.join(unit.base, TRASH_PREFIX + token)
    try:
        created = tx.makedirs(unit.base)
        for folder in (stage, trash):
            ops.makedirs(folder)
            tx.undo.append(("rmtree", folder))
        for member in members:
            path = native(stage, member.rel)
            if not os.path.isdir(os.path.dirname(path)):
                os.makedirs(os.path.dirname(path))
            ops.write(path, member.chunks(archives), member.executable)
        old_created = (state.manifest or {}).get("created", [])
        manifest = dict(manifest_extra)
        manifest.update({"format": MANIFEST_FORMAT, "host": unit.host,
                         "files": {m.rel: m.sha256 for m in members},
                         "created": sorted(set(old_created) | set(created))})
        with open(os.path.join(stage, unit.folder, MANIFEST), "w", encoding="utf-8") as handle:
            json.dump(manifest, handle, indent=1, sort_keys=True)
        # Files of the user's in our folder stay: carried into the new folder.
        for rel in state.extras:
            target = native(stage, rel)
            if not os.path.isdir(os.path.dirname(target)):
                os.makedirs(os.path.dirname(target))
            tx.rename(native(unit.base, rel), target)
        # Move the old out of the way, the new in.
        if os.path.lexists(unit.path):
            tx.rename(unit.path, os.path.join(trash, unit.folder))
        tx.rename(os.path.join(stage, unit.folder), unit.path)
        old_loose = [rel for rel in state.files if "/" not in rel]
        for name in sorted(set(unit.loose) | set(old_loose)):
            if os.path.lexists(native(unit.base, name)):
                tx.rename(native(unit.base, name), native(trash, name))
            if name in planned:
                tx.rename(native(stage, name), native(unit.base, name))
    except BaseException:
        tx.rollback()
        raise
    ops.rmtree(trash)
    ops.rmtree(stage)
    return "upgraded" if state.installed else "installed"


def remove_unit(unit, ops=None, force=False):
    """Remove what the manifest lists (and the caches the host made beside it). Returns
    ``(outcome, kept)``: "removed" or "not installed", and the paths left in place."""
    ops = ops or FileOps()
    unit = on_disk(unit)
    state = inspect(unit)
    if state.foreign_folder:
        return "not ours", [unit.path]
    if not state.installed:
        return "not installed", []
    kept = [native(unit.base, rel) for rel in state.extras]
    tx = Transaction(ops)
    trash = os.path.join(unit.base, TRASH_PREFIX + uuid.uuid4().hex[:8])
    try:
        ops.makedirs(trash)
        tx.undo.append(("rmtree", trash))
        moving = [rel for rel in sorted(state.files) if rel not in state.missing]
        if not force:
            kept.extend(native(unit.base, rel) for rel in state.modified)
            moving = [rel for rel in moving if rel not in state.modified]
        # Cache folders go whole, with the listed files inside them (moved once).
        moving = [rel for rel in moving if not in_cache(rel)]
        moving.append(unit.folder + "/" + MANIFEST)
        for current, dirs, _names in os.walk(unit.path):
            for name in dirs:
                if name in CACHE_DIRS:
                    rel = os.path.relpath(os.path.join(current, name), unit.base)
                    moving.append(rel.replace(os.sep, "/"))
            dirs[:] = [d for d in dirs if d not in CACHE_DIRS]
        for rel in moving:
            target = native(trash, rel)
            if not os.path.isdir(os.path.dirname(target)):
                os.makedirs(os.path.dirname(target))
            tx.rename(native(unit.base, rel), target)
        # Folders of ours left empty go; one holding a kept file stays.
        for current, _dirs, _names in sorted(os.walk(unit.path), key=lambda w: -len(w[0])):
            if not os.listdir(current):
                ops.rmdir(current)
                tx.undo.append(("mkdir", current))
    except BaseException:
        tx.rollback()
        raise
    ops.rmtree(trash)
    for folder in sorted(state.manifest.get("created", []), key=len, reverse=True):
        try:
            if os.path.isdir(folder) and not os.listdir(folder):
                ops.rmdir(folder)
        except OSError:
            pass
    return "removed", kept
