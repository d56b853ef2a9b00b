"""The ``rayvision-dcc`` command line (also ``python -m rayvision_dcc``).

Each command group lives in its own module with a ``register(subparsers)`` function.
Errors print one line (what happened, then what to do) and exit non-zero; ``--debug``
shows the traceback.
"""
from __future__ import annotations

import argparse
import importlib
import logging
import sys

from rayvision_dcc import __version__
from rayvision_dcc.errors import Cancelled, RayvisionError

# Modules that add commands; imported when the parser is built, never at package import.
COMMAND_MODULES = (
    "rayvision_dcc.cli.account",
    "rayvision_dcc.cli.farm",
    "rayvision_dcc.cli.install",
    "rayvision_dcc.cli.jobs",
    "rayvision_dcc.cli.transfer",
)

EPILOG = """\
first steps:
  rayvision-dcc login                      store your accessId and accessKey
  rayvision-dcc whoami                     check them: shows your account and balance
  rayvision-dcc api queryUserProfile       call any API operation, prints its data as JSON
  rayvision-dcc submit shot.blend --wait   submit a scene, wait, download the frames
  rayvision-dcc farm serve                 run a local render farm to try things offline
  rayvision-dcc install                    put the submitter into Maya, 3ds Max and Blender

settings come from options, then RAYVISION_ACCESS_ID / RAYVISION_ACCESS_KEY /
RAYVISION_DOMAIN / RAYVISION_PLATFORM / RAYVISION_API_VERSION, then the config file.
"""


def add_connection_options(parser):
    """Options every command that talks to the API accepts."""
    group = parser.add_argument_group("connection")
    group.add_argument("--domain", help="API host, e.g. task.renderbus.com, task.foxrenderfarm.com "
                                        "or 127.0.0.1:8765 (default from the config)")
    group.add_argument("--platform", help="render platform number (default 2)")
    group.add_argument("--protocol", choices=("https", "http"), help="default https")
    group.add_argument("--api-version", choices=("v1", "v2"), dest="api_version")
    group.add_argument("--access-id", dest="access_id", help="default: the stored login")


def client_from_args(args):
    from rayvision_dcc.api import RenderClient
    return RenderClient(access_id=getattr(args, "access_id", None),
                        domain=getattr(args, "domain", None),
                        platform=getattr(args, "platform", None),
                        protocol=getattr(args, "protocol", None),
                        api_version=getattr(args, "api_version", None))


def build_parser():
    parser = argparse.ArgumentParser(
        prog="rayvision-dcc", formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Submit scenes to the Rayvision render API (Renderbus / Fox Renderfarm), "
                    "watch tasks, download frames, or run a local render farm.",
        epilog=EPILOG)
    parser.add_argument("--version", action="version", version="%(prog)s " + __version__)
    parser.add_argument("--debug", action="store_true",
                        help="log requests (never keys) and show tracebacks")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ImportError as exc:  # a broken group must not take the others down
            logging.getLogger("rayvision_dcc").debug("command group %s unavailable: %s", name, exc)
            continue
        module.register(subparsers)
    return parser


def main(argv=None):
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.debug else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return args.func(args) or 0
    except KeyboardInterrupt:
        # A submission turns Ctrl-C into Cancelled (naming its resume command); anything
        # else that is interrupted left nothing half-done on the farm.
        print("rayvision-dcc: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `rayvision-dcc tasks | head -2`: the reader left; say nothing more.
        _silence_stdout()
        return 141
    except RayvisionError as exc:
        if args.debug:
            raise
        print(error_line(exc), file=sys.stderr)
        return 130 if isinstance(exc, Cancelled) else 1
    except OSError as exc:
        if args.debug:
            raise
        where = " ({})".format(exc.filename) if getattr(exc, "filename", None) else ""
        print(" ".join("rayvision-dcc: error: {}{} -- what to do: check the path and its "
                       "permissions".format(exc.strerror or exc, where).split()), file=sys.stderr)
        return 1


def _silence_stdout():
    """Point stdout at devnull so the interpreter's final flush cannot fail again."""
    import os
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def error_line(exc):
    """The one line a user sees for an error: what happened, then what to do."""
    text = "rayvision-dcc: error: {}".format(exc)
    if exc.hint:
        text += " -- what to do: {}".format(exc.hint)
    return " ".join(text.split())
