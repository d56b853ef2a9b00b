"""Which hosts this process knows: the adapter classes a running host registers, and the
headless scanners installed host plugins provide for their scene files. Symmetric verbs
and a reset for tests.

Scanners come from the ``rayvision_dcc.scanners`` entry points of the installed
distributions (``name = module:SCANNER``, a ``headless.HeadlessScanner``), read once on
first use, and from ``register_scanner``.
"""
from __future__ import annotations

import logging
import os

log = logging.getLogger("rayvision_dcc.hosts")

#: The entry point group host plugins declare their headless scanners in.
SCANNER_GROUP = "rayvision_dcc.scanners"

_HOSTS = []
_SCANNERS = []
_entry_points_read = []


def _check(adapter_cls):
    from rayvision_dcc.hosts.adapter import HostAdapter
    if not (isinstance(adapter_cls, type) and issubclass(adapter_cls, HostAdapter)):
        raise TypeError("{!r} is not a HostAdapter subclass".format(adapter_cls))
    if not adapter_cls.host_name:
        raise TypeError("{} has no host_name".format(adapter_cls.__name__))


def register_host(adapter_cls):
    """Make ``adapter_cls`` known; registering the same class twice keeps one entry.
    Returns the class, so it can be used as a decorator."""
    _check(adapter_cls)
    if adapter_cls not in _HOSTS:
        _HOSTS.append(adapter_cls)
        log.debug("registered host adapter %s (%s)", adapter_cls.__name__,
                  adapter_cls.host_name)
    return adapter_cls


def deregister_host(adapter_cls):
    """Forget ``adapter_cls``; forgetting an unknown class is not an error."""
    if adapter_cls in _HOSTS:
        _HOSTS.remove(adapter_cls)


def registered_hosts():
    """The registered adapter classes, oldest first (a copy)."""
    return list(_HOSTS)


def find_host(host_name):
    """The most recently registered adapter class for ``host_name`` (any case), or None."""
    for adapter_cls in reversed(_HOSTS):
        if adapter_cls.host_name.lower() == str(host_name).lower():
            return adapter_cls
    return None


def register_scanner(scanner):
    """Make a ``HeadlessScanner`` known (the newest wins for an extension)."""
    from rayvision_dcc.hosts.headless import HeadlessScanner
    if not isinstance(scanner, HeadlessScanner):
        raise TypeError("{!r} is not a HeadlessScanner".format(scanner))
    if scanner not in _SCANNERS:
        _SCANNERS.append(scanner)
    return scanner


def deregister_scanner(scanner):
    if scanner in _SCANNERS:
        _SCANNERS.remove(scanner)


def _entry_points():
    """The scanner entry points of the installed distributions."""
    try:
        from importlib import metadata  # novermin (3.8+; 3.7 reads them below)
    except ImportError:
        # Python 3.7 (Maya and 3ds Max 2022) has no importlib.metadata; setuptools'
        # pkg_resources reads the same entry points where it is installed.
        try:
            import pkg_resources
        except ImportError:
            return []
        return list(pkg_resources.iter_entry_points(SCANNER_GROUP))
    found = metadata.entry_points()
    if hasattr(found, "select"):
        return list(found.select(group=SCANNER_GROUP))
    return list(found.get(SCANNER_GROUP, ()))


def _read_entry_points():
    if _entry_points_read:
        return
    _entry_points_read.append(True)
    for entry in _entry_points():
        try:
            register_scanner(entry.load())
        except Exception as exc:  # a broken plugin must not break the others
            log.warning("the scanner %s could not be loaded: %s", entry, exc)


def registered_scanners():
    """The known scanners, oldest first (a copy)."""
    _read_entry_points()
    return list(_SCANNERS)


def find_scanner(scene_path):
    """The scanner that reads ``scene_path``'s kind of file (by extension), or None."""
    extension = os.path.splitext(str(scene_path))[1].lower()
    for scanner in reversed(registered_scanners()):
        if extension in scanner.extensions:
            return scanner
    return None


def reset():
    """Forget every adapter and scanner; entry points are read again on next use (tests)."""
    del _HOSTS[:]
    del _SCANNERS[:]
    del _entry_points_read[:]
