"""``python installer/install.py [install|uninstall] ...`` and the options that
``rayvision-dcc install`` / ``rayvision-dcc uninstall`` share with it."""
import argparse
import glob
import os
import re
import sys

from . import hosts
from .plan import Payload
from .run import InstallError, install, uninstall
from .system import System
from .wheels import Wheelhouse

HOST_CHOICES = hosts.HOSTS + ("all",)
SIGN_IN = ("sign in once with `rayvision-dcc login` or from the panel in any host: every host "
           "and the command line share one user config and one keyring entry; the installer "
           "never asks for or stores a key")


def bundle_root():
    """The folder holding installer/, maya/, max/, blender/ (a checkout or a bundle)."""
    return os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def add_common_arguments(parser):
    parser.add_argument("--host", choices=HOST_CHOICES, default="all",
                        help="which host (default: all found on this computer)")
    parser.add_argument("--version", dest="host_version", metavar="V",
                        help="only this version of the host, e.g. 2024 or 4.5")
    parser.add_argument("--dry-run", action="store_true",
                        help="say what would be done, change nothing")
    parser.add_argument("--force", action="store_true",
                        help="also replace or remove files of ours that were changed since")
    parser.add_argument("--maya-modules", metavar="FOLDER",
                        help="the Maya modules folder (default <MAYA_APP_DIR>/modules); with "
                             "--version V, installs for Maya V even if it is not found")
    parser.add_argument("--max-plugins", metavar="FOLDER",
                        help="the 3ds Max ApplicationPlugins folder (default "
                             "%%APPDATA%%\\Autodesk\\ApplicationPlugins); with --version V, "
                             "installs for 3ds Max V even if it is not found")
    parser.add_argument("--blender-addons", metavar="FOLDER",
                        help="a Blender add-ons folder (with --version X.Y) instead of the "
                             "user folders")


def add_install_arguments(parser):
    add_common_arguments(parser)
    parser.add_argument("--wheels", metavar="FOLDER",
                        help="the packages for the hosts' Pythons (default: the bundle's "
                             "wheels/ folder)")


def add_uninstall_arguments(parser):
    add_common_arguments(parser)


def asked_hosts(args):
    return list(hosts.HOSTS) if args.host == "all" else [args.host]


def places(args):
    return {"maya": args.maya_modules, "max": args.max_plugins,
            "blender": args.blender_addons}


def default_wheels(root, platform):
    inside = os.path.join(root, "wheels")
    if os.path.isdir(inside):
        return inside
    built = sorted(glob.glob(os.path.join(root, "dist", "bundle", "rayvision-dcc-*-" + platform,
                                          "wheels")), key=os.path.getmtime)
    return built[-1] if built else inside


def source_version(root, wheelhouse):
    if wheelhouse.info.get("version"):
        return wheelhouse.info["version"]
    try:
        with open(os.path.join(root, "rayvision_dcc", "__init__.py"), encoding="utf-8") as handle:
            match = re.search(r'__version__ = "([^"]+)"', handle.read())
        return match.group(1) if match else ""
    except OSError:
        return ""


def run_install(args, system=None, root=None, out=None, ops=None):
    system = system or System()
    root = root or bundle_root()
    out = out or sys.stdout
    wheelhouse = Wheelhouse(args.wheels or default_wheels(root, system.platform))
    version = source_version(root, wheelhouse)
    print("rayvision-dcc {}: {}installing into the hosts found on this computer".format(
        version, "(dry run) " if args.dry_run else ""), file=out)
    report = install(system, Payload(root), wheelhouse, asked_hosts(args), args.host_version,
                     args.dry_run, args.force, places(args), ops, version)
    for line in report.lines(asked_hosts(args)):
        print(line, file=out)
    if not report.outcomes:
        print("nothing was installed: no host found (name one with --maya-modules FOLDER, "
              "--max-plugins FOLDER or --blender-addons FOLDER, each with --version V)",
              file=out)
    elif not args.dry_run and any(o.status in ("installed", "upgraded", "unchanged")
                                  for o in report.outcomes):
        print(SIGN_IN, file=out)
        if any(o.host == "blender" and o.status == "installed" for o in report.outcomes):
            print("Blender: enable 'Rayvision Render Submitter' once in Edit > Preferences > "
                  "Add-ons", file=out)
    return 1 if report.failed else 0


def run_uninstall(args, system=None, out=None, ops=None):
    system = system or System()
    out = out or sys.stdout
    print("rayvision-dcc: {}removing what the installer wrote".format(
        "(dry run) " if args.dry_run else ""), file=out)
    report = uninstall(system, asked_hosts(args), args.dry_run, args.force, places(args), ops,
                       args.host_version)
    for line in report.lines(asked_hosts(args), empty="nothing installed by this installer"):
        print(line, file=out)
    return 1 if report.failed else 0


def error_line(exc):
    text = "rayvision-dcc: error: {}".format(exc.message)
    if exc.hint:
        text += " -- what to do: {}".format(exc.hint)
    return text


def build_parser():
    parser = argparse.ArgumentParser(
        prog="install.py", description="Install the Rayvision submitter into Maya, 3ds Max "
                                       "and Blender, or remove it (uninstall).",
        epilog="install is the default command; `install.py install --help` lists its options "
               "(--host, --version, --dry-run, ...)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    add_install_arguments(commands.add_parser("install", help="install (the default)"))
    add_uninstall_arguments(commands.add_parser("uninstall", help="remove what was installed"))
    return parser


def run(argv=None, system=None, root=None, out=None, ops=None):
    """The command line: ``[install|uninstall] [options]``; returns the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] not in ("install", "uninstall", "-h", "--help"):
        argv.insert(0, "install")
    args = build_parser().parse_args(argv)
    try:
        if args.command == "uninstall":
            return run_uninstall(args, system, out, ops)
        return run_install(args, system, root, out, ops)
    except InstallError as exc:
        print(error_line(exc), file=out or sys.stderr)
        return 1


def main(argv=None):
    return run(argv)
