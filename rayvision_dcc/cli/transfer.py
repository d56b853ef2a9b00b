"""``rayvision-dcc transfer``: the lines the service announces, and fetching the Raysync client."""
from __future__ import annotations

import json


def register(subparsers):
    from rayvision_dcc.cli import add_connection_options
    transfer = subparsers.add_parser("transfer", help="transfer lines and engines")
    commands = transfer.add_subparsers(dest="transfer_command", metavar="COMMAND")
    lines = commands.add_parser("lines", help="the engines and lines the service announces, and "
                                              "the one a submission would use")
    add_connection_options(lines)
    lines.add_argument("--json", action="store_true")
    lines.set_defaults(func=cmd_lines)
    fetch = commands.add_parser(
        "fetch-raysync", help="fetch the service's Raysync client for the raysync engine "
                              "(as the official package does), check it and keep it")
    add_connection_options(fetch)
    fetch.set_defaults(func=cmd_fetch_raysync)

    def cmd_transfer(args):
        transfer.print_help()
        return 2
    transfer.set_defaults(func=cmd_transfer)


def cmd_lines(args):
    from rayvision_dcc.cli import client_from_args
    from rayvision_dcc.errors import TransferError
    from rayvision_dcc.job.engines import announced_lines, choose_line, user_choice
    client = client_from_args(args)
    lines = announced_lines(client.transfer_config())
    try:
        chosen = choose_line(lines, *user_choice())
    except TransferError:
        chosen = None
    if args.json:
        print(json.dumps([{"engine": l.engine, "engineName": l.engine_name, "name": l.name,
                           "server": l.server, "port": l.port, "default": l.default,
                           "chosen": l is chosen} for l in lines], indent=2))
        return 0
    for line in lines:
        print("{} {}{}{}".format("*" if line is chosen else " ", line.describe(),
                                 "  default" if line.default else "",
                                 "" if line.engine in ("http", "aspera", "raysync")
                                 else "  (not supported)"))
    print("* = what a submission uses (--engine/--line, or the transfer_engine/transfer_line "
          "settings)")
    return 0


def cmd_fetch_raysync(args):
    from rayvision_dcc.cli import client_from_args
    from rayvision_dcc.job import raysync
    client = client_from_args(args)
    url = raysync.archive_url(client)
    print("The raysync engine runs the service's own Raysync client. This fetches it from")
    print("  {}".format(url))
    print("into {}, checks the archive and records the SHA-256 of every file.".format(
        raysync.raysync_root()))
    raysync.fetch(url, say=print)
    return 0
