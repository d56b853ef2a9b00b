"""Which transfer engine and line: what the service announces, and what the user chose.

The service lists its engines and lines in ``getConfig`` (``resqEngines[]`` with
``engineName`` and ``respTaskEngineLines[]`` of ``name``, ``server``, ``port``,
``isDefault``), as the official package reads them. The real service announces Aspera and
RaySync; the local farm announces its own HTTP service the same way, as one more engine
only it offers. The user's choice (``--engine`` / ``--line``, the ``transfer_engine`` /
``transfer_line`` settings, the panel's setting) picks among what is announced; without
one, the first announced engine we can run and its line marked ``isDefault``.
Nothing here looks at the domain name.
"""
from __future__ import annotations

import os

from rayvision_dcc.errors import TransferError

#: engineName (lower case) -> our engine.
ENGINE_NAMES = {"aspera": "aspera", "raysync": "raysync", "raysyncproxy": "raysync",
                "http": "http"}
#: Engines this package can run, and the words the CLI and the settings accept.
ENGINES = ("http", "aspera", "raysync")
CHOICES = ("auto",) + ENGINES
#: Engines never picked without being asked for: raysync first needs a helper program
#: fetched from the service (docs/transfer.md).
OPT_IN = ("raysync",)


class Line(object):
    """One announced transfer line."""

    __slots__ = ("engine", "engine_name", "name", "server", "port", "default", "url")

    def __init__(self, engine, engine_name, name, server, port, default=False, url=""):
        self.engine = engine
        self.engine_name = engine_name
        self.name = name
        self.server = server
        self.port = port
        self.default = default
        self.url = url

    def __repr__(self):
        return "Line({} {} {}:{}{})".format(self.engine, self.name, self.server, self.port,
                                            " default" if self.default else "")

    def describe(self):
        return "{} {} ({}:{})".format(self.engine, self.name, self.server, self.port)


def announced_lines(config):
    """Every line of a ``getConfig`` answer, in its order."""
    lines = []
    for engine in (config or {}).get("resqEngines") or []:
        raw = str(engine.get("engineName") or "")
        key = ENGINE_NAMES.get(raw.lower(), raw.lower())
        for item in engine.get("respTaskEngineLines") or []:
            lines.append(Line(key, raw, str(item.get("name") or ""), item.get("server"),
                              item.get("port"), bool(int(item.get("isDefault") or 0)),
                              str(item.get("url") or "")))
    return lines


def normalise(engine):
    value = str(engine or "auto").strip().lower()
    value = ENGINE_NAMES.get(value, value)
    if value not in CHOICES:
        raise TransferError("unknown transfer engine {!r}".format(engine),
                            hint="use one of: " + ", ".join(CHOICES))
    return value


def choose_line(lines, engine=None, line=None):
    """The line to use. ``engine`` "auto"/None: the first announced engine we run."""
    engine = normalise(engine)
    usable = [item for item in lines if item.engine in ENGINES]
    offered = ", ".join(item.describe() for item in lines) or "nothing"
    if engine == "auto":
        order = []
        for item in usable:
            if item.engine not in order:
                order.append(item.engine)
        preferred = [name for name in order if name not in OPT_IN] or order
        if not preferred:
            raise TransferError("the service announces no transfer line this program can use "
                                "(it announces: {})".format(offered),
                                hint="update rayvision-dcc, or report this to the farm")
        engine = preferred[0]
    candidates = [item for item in usable if item.engine == engine]
    if not candidates:
        raise TransferError("the service offers no {} line (it offers: {})".format(engine, offered),
                            hint="choose one it offers (--engine, or the transfer_engine setting)")
    if line:
        named = [item for item in candidates if item.name.lower() == str(line).lower()]
        if not named:
            raise TransferError("the service has no {} line named {!r} (it has: {})".format(
                engine, line, ", ".join(item.name for item in candidates)),
                hint="choose one of those (--line, or the transfer_line setting)")
        return named[0]
    for item in candidates:
        if item.default:
            return item
    return candidates[0]


def user_choice(engine=None, line=None):
    """The engine and line asked for: arguments first, then the user's settings."""
    from rayvision_dcc.api.config import read_config
    settings = read_config()
    return (engine or settings.get("transfer_engine") or "auto",
            line or settings.get("transfer_line") or None)


def connect(client, acct, engine=None, line=None, cache_path=None, **options):
    """A transfer engine on the chosen line for ``client``'s account (network calls: off the
    UI thread). ``options`` go to the engine's constructor."""
    from rayvision_dcc.api.config import data_dir, read_config
    from rayvision_dcc.job.transfer import HttpTransfer, UploadCache
    engine, line = user_choice(engine, line)
    chosen = choose_line(announced_lines(client.transfer_config()), engine, line)
    if cache_path is None:
        cache_path = os.path.join(data_dir(), "upload-cache.sqlite")
    cache = UploadCache(cache_path)
    if chosen.engine == "http":
        key = (client.raysync_user_key() or {}).get("raySyncUserKey")
        if not key:
            raise TransferError("the service gave no transfer key", hint="sign in again")
        url = chosen.url or "http://{}:{}/transfer".format(chosen.server, chosen.port)
        return HttpTransfer(url, acct.user_id, key, cache=cache, proxy=client.settings.proxy,
                            ca_bundle=client.settings.ca_bundle, **options)
    settings = read_config()
    if chosen.engine == "aspera":
        from rayvision_dcc.job.aspera import TransmitterTransfer
        from rayvision_dcc.job.transmitter import find_transmitter
        if "backoff" not in options and settings.get("transfer_retry_delays") is not None:
            options["backoff"] = [float(v) for v in settings["transfer_retry_delays"]]
        return TransmitterTransfer(find_transmitter(settings.get("transmitter_path")),
                                   chosen.server, chosen.port, acct.user_id,
                                   line_name=chosen.name, cache=cache, **options)
    from rayvision_dcc.job.raysync import connect_raysync
    return connect_raysync(client, acct, chosen, cache=cache, **options)
