"""install, uninstall: put the submitter into Maya, 3ds Max and Blender, or take it out.

The work is done by the stdlib-only installer in ``installer/`` (also run as
``python installer/install.py`` from a bundle); these commands call it with the same options.
"""
from __future__ import annotations

import os
import sys

from rayvision_dcc.errors import ConfigError


def installer_folder():
    """``installer/`` of the checkout or bundle this package runs from, or None."""
    import rayvision_dcc
    root = os.path.dirname(os.path.dirname(os.path.abspath(rayvision_dcc.__file__)))
    folder = os.path.join(root, "installer")
    return folder if os.path.isfile(os.path.join(folder, "install.py")) else None


def load_installer():
    folder = installer_folder()
    if folder is None:
        return None
    if folder not in sys.path:
        sys.path.insert(0, folder)
    import rayvision_installer
    return rayvision_installer


def register(subparsers):
    installer = load_installer()
    install = subparsers.add_parser(
        "install", help="install the submitter into Maya, 3ds Max and Blender",
        description="Find Maya, 3ds Max and Blender on this computer and install the "
                    "submitter, with the packages each host's Python needs, into each; "
                    "prints what it did host by host. A second run changes nothing.")
    uninstall = subparsers.add_parser(
        "uninstall", help="remove what `rayvision-dcc install` wrote",
        description="Remove the files the installer wrote (and only those) from every host.")
    if installer is not None:
        installer.add_install_arguments(install)
        installer.add_uninstall_arguments(uninstall)
    install.set_defaults(func=cmd_install)
    uninstall.set_defaults(func=cmd_uninstall)


def _installer():
    installer = load_installer()
    if installer is None:
        raise ConfigError("the installer is not part of this installation of rayvision-dcc",
                          hint="unpack the bundle for your platform and run "
                               "`python installer/install.py` in it")
    return installer


def cmd_install(args):
    installer = _installer()
    try:
        return installer.run_install(args)
    except installer.InstallError as exc:
        raise ConfigError(exc.message, hint=exc.hint) from exc


def cmd_uninstall(args):
    return _installer().run_uninstall(args)
