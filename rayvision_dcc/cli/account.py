"""login, logout, whoami, api: the account and raw API commands."""
from __future__ import annotations

import getpass
import json
import sys

from rayvision_dcc.errors import ConfigError, RayvisionError


def register(subparsers):
    from rayvision_dcc.cli import add_connection_options

    login = subparsers.add_parser("login", help="store your accessId and accessKey",
                                  description="Ask for your accessId and accessKey (from the "
                                              "web console's API page), check them with the "
                                              "service and store them: the key in the OS "
                                              "keyring, or a user-only file where none works.")
    add_connection_options(login)
    login.add_argument("--no-check", action="store_true",
                       help="store without asking the service first")
    login.set_defaults(func=cmd_login)

    logout = subparsers.add_parser("logout", help="forget the stored access key")
    add_connection_options(logout)
    logout.set_defaults(func=cmd_logout)

    whoami = subparsers.add_parser("whoami", help="show the account the stored login belongs to")
    add_connection_options(whoami)
    whoami.add_argument("--json", action="store_true", help="print the whole profile as JSON")
    whoami.set_defaults(func=cmd_whoami)

    api = subparsers.add_parser("api", help="call one API operation and print its data as JSON",
                                description="Call any operation of the render API by its "
                                            "protocol name, e.g. `rayvision-dcc api "
                                            "queryTaskInfo --body '{\"taskIds\": [123]}'`.")
    add_connection_options(api)
    api.add_argument("operation", help="protocol name, e.g. queryUserProfile; `list` lists them")
    api.add_argument("--body", default="{}", help="request body as JSON (default {})")
    api.set_defaults(func=cmd_api)


def cmd_login(args):
    from rayvision_dcc.api.signin import sign_in

    access_id = args.access_id or _ask("accessId: ", secret=False)
    access_key = _ask("accessKey (not shown): ", secret=True)
    done = sign_in(access_id, access_key, domain=args.domain, platform=args.platform,
                   protocol=args.protocol, api_version=args.api_version,
                   check=not args.no_check)
    if done.client is not None:
        print("signed in as {}".format(done.profile.get("userName") or done.profile.get("userId")))
    print("stored the access key in {}".format(done.where))
    return 0


def cmd_logout(args):
    from rayvision_dcc.api import CredentialStore, resolve_settings

    settings = resolve_settings(access_id=args.access_id)
    if settings.access_id:
        CredentialStore().delete(settings.access_id)
    print("forgot the access key")
    return 0


def cmd_whoami(args):
    from rayvision_dcc.cli import client_from_args

    client = client_from_args(args)
    profile = client.user_profile() or {}
    if args.json:
        json.dump(profile, sys.stdout, indent=2, sort_keys=True)
        print()
        return 0
    print("user:     {} (id {})".format(profile.get("userName"), profile.get("userId")))
    print("domain:   {}  platform {}".format(client.domain, client.platform))
    print("balance:  {} RMB, {} USD, coupon {}".format(
        profile.get("rmbbalance"), profile.get("usdbalance"), profile.get("coupon")))
    return 0


def cmd_api(args):
    from rayvision_dcc.api import OPERATIONS
    from rayvision_dcc.cli import client_from_args

    if args.operation == "list":
        for name in sorted(OPERATIONS):
            print(name)
        return 0
    if args.operation not in OPERATIONS:
        raise ConfigError("unknown operation {!r}".format(args.operation),
                          hint="`rayvision-dcc api list` lists the operations")
    try:
        body = json.loads(args.body)
    except ValueError as exc:
        raise RayvisionError("--body is not valid JSON: {}".format(exc),
                             hint="quote the JSON for your shell, e.g. --body '{\"zone\": 1}'")
    if not isinstance(body, dict):
        raise RayvisionError("--body must be a JSON object, e.g. '{\"taskIds\": [123]}'",
                             hint="wrap the parameters in {...}")
    data = client_from_args(args).call(args.operation, body)
    json.dump(data, sys.stdout, indent=2, sort_keys=True, ensure_ascii=False)
    print()
    return 0


def _ask(prompt, secret):
    if not sys.stdin.isatty():
        line = sys.stdin.readline()
        return line.strip()
    return (getpass.getpass(prompt) if secret else input(prompt)).strip()
