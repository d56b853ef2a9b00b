"""``LocalFarm``: the server, the store, the storage and the render workers together."""
from __future__ import annotations

import collections
import itertools
import logging
import os
import secrets
import socket
import tempfile
import threading
import time

from rayvision_dcc.localfarm.faults import Faults
from rayvision_dcc.localfarm.protocol import Verifier
from rayvision_dcc.localfarm.scheduler import Scheduler
from rayvision_dcc.localfarm.server import FarmServer
from rayvision_dcc.localfarm.storage import FarmStorage
from rayvision_dcc.localfarm.store import Store

log = logging.getLogger("rayvision_dcc.localfarm")

REQUEST_LOG_SIZE = 20000


def _parse_user(user):
    if isinstance(user, str):
        access_id, sep, access_key = user.partition(":")
        if not sep or not access_id or not access_key:
            raise ValueError("a user is ACCESS_ID:ACCESS_KEY, got {!r}".format(user))
        return access_id, access_key
    access_id, access_key = user
    return str(access_id), str(access_key)


class LocalFarm(object):
    """A local render farm speaking the Rayvision render API on loopback.

    ``users``: ``[(access_id, access_key)]`` or ``["ID:KEY"]``; None uses the users
    already in ``data_dir`` or creates one demo user. ``faults``: a spec string (see
    :mod:`rayvision_dcc.localfarm.faults`), a list of spec items, or None.
    """

    def __init__(self, data_dir=None, users=None, host="127.0.0.1", port=0, render_workers=1,
                 faults=None, max_samples=4, max_resolution=128, standin_seconds=0.1,
                 frame_timeout=600, aspera_line=None):
        self.data_dir = os.path.abspath(data_dir or tempfile.mkdtemp(prefix="rayvision-farm-"))
        self.host = host
        self.port = port
        self.faults = faults if isinstance(faults, Faults) else Faults(faults)
        #: "host:port" of an Aspera line getConfig announces first (tests; None: none).
        self.aspera_line = aspera_line
        self._given_users = [_parse_user(u) for u in users] if users else None
        self._options = dict(render_workers=render_workers, max_samples=max_samples,
                             max_resolution=max_resolution, standin_seconds=standin_seconds,
                             frame_timeout=frame_timeout)
        self.store = None
        self.storage = None
        self.scheduler = None
        self.verifier = None
        self._server = None
        self._thread = None
        self._connections = set()
        self._conn_lock = threading.Lock()
        self._log = collections.deque(maxlen=REQUEST_LOG_SIZE)
        self._log_lock = threading.Lock()
        self._ids = itertools.count(1)
        self._id_prefix = secrets.token_hex(3).upper()
        self.users = []

    # -- life cycle ---------------------------------------------------------------------
    def start(self):
        os.makedirs(self.data_dir, exist_ok=True)
        self.store = Store(os.path.join(self.data_dir, "farm.sqlite3"))
        self.storage = FarmStorage(os.path.join(self.data_dir, "storage"))
        reset = self.store.reset_running()
        if reset:
            log.info("%d frames that were rendering when the farm stopped wait again", reset)
        if self._given_users:
            for access_id, access_key in self._given_users:
                self.store.ensure_user(access_id, access_key)
            self.users = list(self._given_users)
        else:
            if self.store.demo_user() is None and not self.store.users():
                self.store.ensure_user("demo" + secrets.token_hex(6), secrets.token_hex(16),
                                       is_demo=True)
            self.users = [(u["access_id"], u["access_key"]) for u in self.store.users()]
        self.verifier = Verifier(self.store, self.clock)
        opts = self._options
        self.scheduler = Scheduler(self.store, self.storage, self.data_dir,
                                   workers=opts["render_workers"], max_samples=opts["max_samples"],
                                   max_resolution=opts["max_resolution"],
                                   standin_seconds=opts["standin_seconds"],
                                   frame_timeout=opts["frame_timeout"])
        self._server = FarmServer((self.host, self.port), self)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, name="farm-http",
                                        kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        self.scheduler.start()
        return self

    def stop(self):
        """Stop serving and rendering; frames that were rendering go back to waiting."""
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        with self._conn_lock:
            connections = list(self._connections)
        for conn in connections:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self._thread.join(timeout=10)
        self.scheduler.stop()
        self.store.close()
        self._server = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # -- what tests and the CLI use -----------------------------------------------------
    @property
    def domain(self):
        return "{}:{}".format(self.host, self.port)

    @property
    def url(self):
        return "http://" + self.domain

    @property
    def transfer_url(self):
        return self.url + "/transfer"

    def client(self, api_version="v1", user=0, **kwargs):
        """A RenderClient for one of the farm's users (index or access id; the first by default)."""
        from rayvision_dcc.api.client import RenderClient

        access_id, access_key = self._credentials(user)
        kwargs.setdefault("platform", "2")
        return RenderClient(access_id=access_id, access_key=access_key, domain=self.domain,
                            protocol="http", api_version=api_version, **kwargs)

    def _credentials(self, user):
        if isinstance(user, int):
            return self.users[user]
        for access_id, access_key in self.users:
            if access_id == user:
                return access_id, access_key
        raise KeyError("no user {!r} on this farm".format(user))

    def transfer_headers(self, user=0):
        """The auth headers of the transfer service for a user (what getRaySyncUserKey gives)."""
        row = self.store.user_by_access_id(self._credentials(user)[0])
        return {"X-Rayvision-User-Id": str(row["user_id"]),
                "X-Rayvision-Transfer-Key": row["transfer_key"]}

    def user_row(self, user=0):
        """The stored user (user_id, bids, ...) as a dict."""
        return dict(self.store.user_by_access_id(self._credentials(user)[0]))

    def add_user(self, access_id, access_key):
        self.store.ensure_user(access_id, access_key)
        self.verifier.forget_users()
        if (access_id, access_key) not in self.users:
            self.users.append((access_id, access_key))

    def set_faults(self, spec):
        """Replace the fault rules while the farm runs."""
        self.faults.set(spec)

    def clock(self):
        """The farm's clock in seconds (the skew fault included)."""
        return time.time() + self.faults.skew

    def now_ms(self):
        return int(self.clock() * 1000)

    def request_log(self, operation=None, request_id=None):
        """What the farm did with each request, oldest first: dicts with request_id, path,
        operation (``transfer.PUT`` for transfers), api_version, access_id, code, acted
        (the operation took effect), fault (the injected rule, or None), time."""
        with self._log_lock:
            records = list(self._log)
        if operation is not None:
            records = [r for r in records if r["operation"] == operation]
        if request_id is not None:
            records = [r for r in records if r["request_id"] == request_id]
        return records

    def clear_request_log(self):
        with self._log_lock:
            self._log.clear()

    def wait_idle(self, timeout=60.0):
        """Wait until no frame is rendering or waiting to render (paused tests and stopped
        tasks do not count). True when idle; TimeoutError says what is still busy."""
        deadline = time.monotonic() + timeout
        with self.scheduler.changed:
            while True:
                busy = self.store.busy()
                if busy == 0 and self.scheduler.running_count() == 0:
                    return True
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError("the farm still has {} frames to render after {} s".format(
                        busy, timeout))
                self.scheduler.changed.wait(min(left, 0.2))

    def refresh_user(self, access_id):
        self.verifier.forget_users()

    # -- used by the HTTP handler ---------------------------------------------------------
    def _next_request_id(self):
        return "{}-{}".format(self._id_prefix, next(self._ids))

    def _record(self, record):
        with self._log_lock:
            self._log.append(record)

    def _track(self, connection, add):
        with self._conn_lock:
            if add:
                self._connections.add(connection)
            else:
                self._connections.discard(connection)
