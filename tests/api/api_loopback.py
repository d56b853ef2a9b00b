"""A small scripted render API on loopback (the fixtures are in conftest.py).

``ScriptedServer`` is a real HTTP/1.1 keep-alive server (stdlib ``ThreadingHTTPServer``,
port 0, in a thread). It records every request (path, headers, raw body, client port)
and answers from a script, one action per request, then a default success envelope:

- a dict: sent as the JSON envelope (HTTP 200);
- ``Raw(status, body)``: an HTTP answer that is not an envelope (a proxy, a gateway);
- ``DROP``: read the whole request, then close the connection without answering;
- ``Hold(event)``: wait (at most 10 s) for ``event`` before answering (timeouts);
- a callable ``fn(recorded) -> action``.
"""
from __future__ import annotations

import json
import sys
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from rayvision_dcc.api.signer import SIGNED_HEADERS, verify

ACCESS_ID = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE"
ACCESS_KEY = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE"

DROP = "drop"


class Raw(object):
    def __init__(self, status, body=b"", content_type="text/html"):
        self.status = status
        self.body = body
        self.content_type = content_type


class Hold(object):
    def __init__(self, event, then=None):
        self.event = event
        self.then = then


def envelope(code=200, data=None, message=None, server_time=None, request_id="req-1"):
    return {"version": "1.0.0", "result": code == 200,
            "message": message or ("success" if code == 200 else "error"),
            "code": code, "data": data, "requestId": request_id,
            "serverTime": int(time.time() * 1000) if server_time is None else server_time}


class Recorded(object):
    """One request as the server saw it."""

    def __init__(self, path, headers, raw, client_port):
        self.path = path
        self.headers = headers  # an email.message.Message: case-insensitive get()
        self.raw = raw
        self.client_port = client_port

    @property
    def body(self):
        return json.loads(self.raw.decode("utf-8"))

    @property
    def signed(self):
        return {name: self.headers.get(name) for name in SIGNED_HEADERS}

    def verifies(self, access_key=ACCESS_KEY):
        """The signature recomputed server-side, with the Host header as the domain."""
        return verify(access_key, self.headers.get("Host"), self.path, self.signed, self.body,
                      self.headers.get("signature"))


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # header and body go out in two writes

    def log_message(self, *args):  # keep test output clean
        pass

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        recorded = Recorded(self.path, self.headers, raw, self.client_address[1])
        action = self.server.scripted.next_action(recorded)
        while callable(action):
            action = action(recorded)
        if isinstance(action, Hold):
            action.event.wait(10)
            action = action.then if action.then is not None else envelope()
        if action == DROP:
            self.close_connection = True
            return
        if isinstance(action, Raw):
            status, body, ctype = action.status, action.body, action.content_type
        else:
            status, body, ctype = 200, json.dumps(action).encode("utf-8"), "application/json"
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # keep-alive connections must not hold server_close()

    def handle_error(self, request, client_address):
        # A client that gave up (the timeout tests) is expected, not a trace on stderr.
        if isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            return
        super().handle_error(request, client_address)


class ScriptedServer(object):
    def __init__(self):
        self.requests = []
        self.script = []
        self.default = lambda recorded: envelope(data={"path": recorded.path})
        self._lock = threading.Lock()
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.scripted = self
        self.port = self._httpd.server_address[1]
        self.domain = "127.0.0.1:{}".format(self.port)
        self._thread = threading.Thread(target=self._httpd.serve_forever,
                                        kwargs={"poll_interval": 0.01}, daemon=True)
        self._thread.start()

    def answer(self, *actions):
        """Queue one action per coming request."""
        with self._lock:
            self.script.extend(actions)

    def next_action(self, recorded):
        with self._lock:
            self.requests.append(recorded)
            if self.script:
                return self.script.pop(0)
        return self.default

    def paths(self):
        return [r.path for r in self.requests]

    def close(self):
        self._httpd.shutdown()
        self._httpd.server_close()


def free_port():
    """A loopback port nobody listens on (connection refused)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return port
