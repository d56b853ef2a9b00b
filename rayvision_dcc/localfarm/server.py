"""The HTTP side: one keep-alive HTTP/1.1 handler for the API and the transfer service.

API requests are POSTs to an operation's v1 or v2 path; every answer is HTTP 200 with
the envelope (an unknown path is HTTP 404 with an envelope of code 404). Requests under
``/transfer/`` go to :mod:`rayvision_dcc.localfarm.transfer`.
"""
from __future__ import annotations

import json
import logging
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from rayvision_dcc.api.operations import by_path
# The ops_* modules register their handlers in protocol.HANDLERS when imported.
from rayvision_dcc.localfarm import ops_account, ops_frames, ops_tasks, transfer  # noqa: F401
from rayvision_dcc.localfarm.protocol import HANDLERS, Refusal, check_params, envelope

log = logging.getLogger("rayvision_dcc.localfarm")

ROUTES = by_path()
MAX_BODY = 64 * 1024 * 1024


class Context(object):
    """What an operation handler gets: the farm, the user, the body and the request."""

    __slots__ = ("farm", "user", "body", "version", "operation", "host", "platform", "now_ms")

    def __init__(self, **values):
        for key, value in values.items():
            setattr(self, key, value)


class FarmServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, address, farm):
        self.farm = farm
        super().__init__(address, FarmHandler)

    def handle_error(self, request, client_address):
        """A client that went away is normal (timeouts, injected cuts); anything else is logged."""
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, TimeoutError)):
            log.debug("connection from %s ended: %s", client_address, error)
        else:
            log.exception("error while serving %s", client_address)


class FarmHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "RayvisionLocalFarm/1.0"
    timeout = 300  # an idle keep-alive connection is closed after this
    disable_nagle_algorithm = True  # headers and body go in separate writes

    @property
    def farm(self):
        return self.server.farm

    def setup(self):
        super().setup()
        self.farm._track(self.connection, True)

    def finish(self):
        try:
            super().finish()
        finally:
            self.farm._track(self.connection, False)

    def log_message(self, format, *args):  # noqa: A002 (stdlib signature)
        log.debug("%s %s", self.address_string(), format % args)

    # -- plumbing -------------------------------------------------------------------------
    def send_bytes(self, status, data, content_type="application/json", headers=None):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def send_json(self, status, value, headers=None):
        self.send_bytes(status, json.dumps(value, separators=(",", ":"), ensure_ascii=False)
                        .encode("utf-8"), headers=headers)

    def drop(self):
        """Close the connection without an answer."""
        self.close_connection = True

    def read_body(self):
        length = self.headers.get("Content-Length")
        if length is None:
            return b""
        length = int(length)
        if length > MAX_BODY:
            raise Refusal(600, "request body too large ({} bytes)".format(length))
        return self.rfile.read(length)

    def _route(self):
        path = urlsplit(self.path).path
        return path, path == "/transfer" or path.startswith("/transfer/")

    # -- verbs ----------------------------------------------------------------------------
    def do_POST(self):
        path, is_transfer = self._route()
        if is_transfer:
            return transfer.handle(self, "POST")
        self.handle_api(path)

    def do_PUT(self):
        path, is_transfer = self._route()
        if is_transfer:
            return transfer.handle(self, "PUT")
        self._not_here(path)

    def do_GET(self):
        path, is_transfer = self._route()
        if is_transfer:
            return transfer.handle(self, "GET")
        self._not_here(path)

    def do_HEAD(self):
        path, is_transfer = self._route()
        if is_transfer:
            return transfer.handle(self, "HEAD")
        self._not_here(path)

    def _not_here(self, path):
        self.close_connection = True
        self.send_json(405 if path in ROUTES else 404, {
            "code": 405 if path in ROUTES else 404,
            "message": "{} {}: the API takes POST only; files go through /transfer/".format(
                self.command, path)})

    # -- the API --------------------------------------------------------------------------
    def handle_api(self, path):
        farm = self.farm
        request_id = farm._next_request_id()
        record = {"request_id": request_id, "path": path, "operation": None, "api_version": None,
                  "access_id": self.headers.get("accessId"), "code": None, "acted": False,
                  "fault": None, "time": time.time()}
        try:
            raw = self.read_body()
        except (Refusal, ValueError) as exc:
            self.close_connection = True
            record["code"] = 600
            farm._record(record)
            return self.send_json(200, envelope(600, str(exc), None, "v1", request_id, farm.now_ms()))
        route = ROUTES.get(path)
        if route is None:
            record["code"] = 404
            farm._record(record)
            return self.send_json(404, envelope(404, "no API operation at {}".format(path), None,
                                                "v1", request_id, farm.now_ms()))
        operation, version = route
        record.update(operation=operation, api_version=version)
        fault = farm.faults.decide(operation)
        if fault is not None:
            record["fault"] = fault.label
        if fault is not None and fault.kind == "drop_before":
            farm._record(record)
            return self.drop()
        if fault is not None and fault.kind == "http503":
            record["code"] = 503
            farm._record(record)
            return self.send_bytes(503, b"Service Unavailable (injected)", "text/plain")
        if fault is not None and fault.kind == "error500":
            record["code"] = 500
            farm._record(record)
            return self.send_json(200, envelope(500, "internal error (injected fault {})".format(
                fault.label), None, version, request_id, farm.now_ms()))
        code, message, data = self.run_operation(operation, version, path, raw)
        record.update(code=code, acted=code == 200)
        farm._record(record)
        if fault is not None and fault.kind == "drop_after":
            return self.drop()
        if fault is not None and fault.kind == "slow":
            time.sleep(fault.arg)
        self.send_json(200, envelope(code, message, data, version, request_id, farm.now_ms()))

    def run_operation(self, operation, version, path, raw):
        farm = self.farm
        try:
            try:
                body = json.loads(raw.decode("utf-8")) if raw.strip() else {}
            except ValueError as exc:
                raise Refusal(600, "the request body is not valid JSON: {}".format(exc))
            if not isinstance(body, dict):
                raise Refusal(600, "the request body must be a JSON object")
            user = farm.verifier.authenticate(self.headers, self.headers.get("Host"), path, body)
            check_params(operation, version, body)
            handler = HANDLERS.get(operation)
            if handler is None:
                raise Refusal(404, "{} is not implemented by the local farm".format(operation))
            platform = self.headers.get("platform", "2")
            ctx = Context(farm=farm, user=user, body=body, version=version, operation=operation,
                          host=self.headers.get("Host"), now_ms=farm.now_ms(),
                          platform=int(platform) if str(platform).isdigit() else 2)
            return 200, "success", handler(ctx)
        except Refusal as refusal:
            return refusal.code, refusal.message, refusal.data
        except Exception as exc:  # a bug in the farm: say so, keep serving
            log.exception("%s failed", operation)
            return 500, "internal error in the local farm: {}: {}".format(type(exc).__name__, exc), None
