"""``rayvision-dcc farm serve``: run the local render farm until Ctrl-C."""
from __future__ import annotations

import json
import os
import signal
import threading


def register(subparsers):
    farm = subparsers.add_parser("farm", help="the local render farm (try things offline)")
    commands = farm.add_subparsers(dest="farm_command", metavar="COMMAND")
    serve = commands.add_parser(
        "serve", help="serve the render API on this machine until Ctrl-C",
        description="Serve the Rayvision render API on loopback, keep its state under --data, "
                    "render Blender tasks for real and stand in for Maya and 3ds Max. "
                    "docs/localfarm.md has the details and the --faults syntax.")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=port_number, default=8765,
                       help="port (default 8765; 0 picks a free one)")
    serve.add_argument("--data", help="state folder (default: <data dir>/localfarm)")
    serve.add_argument("--user", action="append", default=[], metavar="ACCESS_ID:ACCESS_KEY",
                       help="a user to serve (repeatable); none: a demo user, kept in --data")
    serve.add_argument("--render-workers", type=int, default=1, dest="render_workers",
                       help="frames rendered at the same time (default 1)")
    serve.add_argument("--faults", default="", help="inject faults, e.g. 'seed=1; "
                                                    "drop_after:createTask:1; cut:PUT:p0.1'")
    serve.add_argument("--max-samples", type=int, default=4, dest="max_samples",
                       help="Cycles samples cap (default 4)")
    serve.add_argument("--max-resolution", type=int, default=128, dest="max_resolution",
                       help="long side of rendered images, in pixels (default 128)")
    serve.add_argument("--standin-seconds", type=float, default=0.1, dest="standin_seconds",
                       help="time a simulated Maya / 3ds Max frame takes (default 0.1)")
    serve.add_argument("--aspera-line", default=None, dest="aspera_line", metavar="HOST:PORT",
                       help="also announce an Aspera line in getConfig (for tests of the "
                            "transmitter; the farm runs no Aspera server)")
    serve.add_argument("--ready-json", action="store_true", dest="ready_json",
                       help="print one JSON line {url, domain, users} first, for scripts")

    def cmd_farm(args):
        if getattr(args, "farm_command", None) == "serve":
            return cmd_serve(args)
        farm.print_help()
        return 2

    farm.set_defaults(func=cmd_farm)


def port_number(text):
    """An argparse type: a TCP port, 0 to 65535."""
    import argparse
    if not (text.isdigit() and text.isascii()) or int(text) > 65535:
        raise argparse.ArgumentTypeError("{!r} is not a port (0 to 65535)".format(text))
    return int(text)


def cmd_serve(args):
    from rayvision_dcc.api.config import data_dir
    from rayvision_dcc.errors import ConfigError
    from rayvision_dcc.localfarm import FaultSpecError, LocalFarm

    folder = args.data or os.path.join(data_dir(), "localfarm")
    try:
        farm = LocalFarm(folder, users=args.user or None, host=args.host, port=args.port,
                         render_workers=args.render_workers, faults=args.faults or None,
                         max_samples=args.max_samples, max_resolution=args.max_resolution,
                         standin_seconds=args.standin_seconds, aspera_line=args.aspera_line)
    except (FaultSpecError, ValueError) as exc:
        raise ConfigError(str(exc), hint="see docs/localfarm.md for --faults and --user") from exc
    try:
        farm.start()
    except OSError as exc:
        raise ConfigError("cannot listen on {}:{}: {}".format(args.host, args.port, exc),
                          hint="choose another --port, or --port 0 for a free one") from exc
    stop = threading.Event()

    def on_signal(signum, frame):
        stop.set()

    # Both stop the farm cleanly, also when started in the background (where a shell
    # would have the process ignore SIGINT).
    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        if args.ready_json:
            print(json.dumps({"url": farm.url, "domain": farm.domain,
                              "users": [{"access_id": i, "access_key": k} for i, k in farm.users]}),
                  flush=True)
        print("local render farm serving at {} (data in {})".format(farm.url, farm.data_dir))
        print("transfer service: {}".format(farm.transfer_url))
        for access_id, access_key in farm.users:
            print("user: accessId {}  accessKey {}".format(access_id, access_key))
        print("try: RAYVISION_ACCESS_KEY={} rayvision-dcc whoami --domain {} --protocol http "
              "--access-id {}".format(farm.users[0][1], farm.domain, farm.users[0][0]))
        if args.faults:
            print("faults: {}".format(args.faults))
        print("Ctrl-C stops the farm; nothing is lost.", flush=True)
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        farm.stop()
        print("local render farm stopped", flush=True)
    return 0

