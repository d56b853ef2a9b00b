"""What the bundle's post-start-up script runs in Max's Python: the import paths.

``bootstrap(contents_dir)`` puts ``Contents/python`` (this package) and
``Contents/site-packages/py<XY>`` (``rayvision_dcc`` and its dependencies, filled by the
installer for each Python that 3ds Max ships: py37 for 2022, py39 2023, py310 2024, py311
2025/2026, py313 2027) at the front of ``sys.path``, once, then registers ``MaxAdapter``
with the host registry. Loading it twice changes nothing. No pymxs, no Qt here.
"""
from __future__ import annotations

import logging
import os
import sys

log = logging.getLogger("rayvision_max")


def python_tag(version_info=None):
    """``"py37"``, ``"py311"``: the site-packages folder for this Python."""
    info = version_info or sys.version_info
    return "py{}{}".format(info[0], info[1])


def bundle_paths(contents_dir, version_info=None):
    """The folders this bundle adds to ``sys.path``, in order."""
    contents_dir = os.path.normpath(contents_dir)
    return [os.path.join(contents_dir, "python"),
            os.path.join(contents_dir, "site-packages", python_tag(version_info))]


def add_paths(paths, search_path=None):
    """Put ``paths`` at the front of ``search_path`` (``sys.path``) in the given order,
    each once (one already further down moves up); returns the ones that were not there.
    A second call with the same paths changes nothing."""
    search_path = sys.path if search_path is None else search_path

    def key(path):
        return os.path.normcase(os.path.normpath(path))

    known = set(key(item) for item in search_path)
    added = [path for path in paths if key(path) not in known]
    wanted = set(key(path) for path in paths)
    rest = [item for item in search_path if key(item) not in wanted]
    search_path[:] = list(paths) + rest
    return added


def bootstrap(contents_dir, version_info=None, search_path=None, register=True):
    """Set up this bundle in Max's Python; returns the paths added (``[]`` the second time).

    A missing ``site-packages/py<XY>`` (the installer has not run for this Max) is logged
    with what to do, and the macroscript then says the same when clicked."""
    paths = bundle_paths(contents_dir, version_info)
    added = add_paths(paths, search_path)
    if not os.path.isdir(paths[1]):
        log.warning("rayvision: %s is missing: run `rayvision-dcc install --host max` for this "
                    "3ds Max (its Python is %s)", paths[1], python_tag(version_info))
    if register:
        register_adapter()
    return added


def register_adapter():
    """Make ``MaxAdapter`` known to ``rayvision_dcc.hosts`` (headless tools find it there).
    False when ``rayvision_dcc`` cannot be imported yet."""
    try:
        from rayvision_dcc.hosts import register_host
        from rayvision_max.adapter import MaxAdapter
    except ImportError as exc:
        log.warning("rayvision: the submitter is not installed for this Python (%s)", exc)
        return False
    register_host(MaxAdapter)
    return True
