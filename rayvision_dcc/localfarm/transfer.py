"""The farm's HTTP transfer service (docs/architecture.md, "HTTP transfer service").

``PUT|HEAD|GET /transfer/<bid>/<server path>`` and ``GET ...?list=1``, authenticated by
``X-Rayvision-User-Id`` and ``X-Rayvision-Transfer-Key`` (the raySyncUserKey). Errors
are JSON ``{"code": <http status>, "message": ...}``.
"""
from __future__ import annotations

import hmac
import os
import time
from urllib.parse import parse_qs, unquote, urlsplit

from rayvision_dcc.localfarm.storage import CHUNK, PathRefused


class TransferRefusal(Exception):
    def __init__(self, status, message):
        super().__init__(message)
        self.status = status
        self.message = message


def _body_chunks(handler, limit=None):
    """The request body as chunks (Content-Length or chunked); stops early at ``limit``."""
    if "chunked" in (handler.headers.get("Transfer-Encoding") or "").lower():
        while True:
            line = handler.rfile.readline(1024)
            if not line:
                return
            size = int(line.split(b";")[0].strip() or b"0", 16)
            if size == 0:
                handler.rfile.readline(1024)
                return
            data = handler.rfile.read(size)
            handler.rfile.readline(16)
            yield data
            if len(data) < size:
                return
    length = int(handler.headers.get("Content-Length") or 0)
    remaining = length if limit is None else min(length, limit)
    while remaining > 0:
        data = handler.rfile.read(min(CHUNK, remaining))
        if not data:
            return
        remaining -= len(data)
        yield data


def _user(handler):
    farm = handler.farm
    user_id = handler.headers.get("X-Rayvision-User-Id") or ""
    key = handler.headers.get("X-Rayvision-Transfer-Key") or ""
    user = farm.store.user_by_id(int(user_id)) if user_id.isdigit() else None
    if user is None or not key or not hmac.compare_digest(user["transfer_key"].encode(),
                                                          key.encode("utf-8", "replace")):
        raise TransferRefusal(401, "transfer authentication failed: send X-Rayvision-User-Id and "
                                   "X-Rayvision-Transfer-Key (raySyncUserKey of getRaySyncUserKey)")
    return user


def _target(handler, user, path):
    parts = path[len("/transfer"):].lstrip("/").split("/", 1)
    bid = unquote(parts[0]) if parts and parts[0] else ""
    if not bid:
        raise TransferRefusal(404, "no bid in the path: /transfer/<bid>/<server path>")
    if bid not in (user["config_bid"], user["input_bid"], user["output_bid"]):
        raise TransferRefusal(403, "bid {} is not one of this user's storages".format(bid))
    server_path = "/" + "/".join(unquote(seg) for seg in (parts[1] if len(parts) > 1 else "").split("/"))
    try:
        absolute = handler.farm.storage.resolve(user["user_id"], bid, server_path)
    except PathRefused as exc:
        raise TransferRefusal(403, str(exc))
    return bid, server_path, absolute


def handle(handler, method):
    farm = handler.farm
    parsed = urlsplit(handler.path)
    listing = method == "GET" and parse_qs(parsed.query).get("list", ["0"])[0] not in ("", "0")
    name = "LIST" if listing else method
    record = {"request_id": farm._next_request_id(), "path": parsed.path,
              "operation": "transfer." + name, "api_version": None,
              "access_id": handler.headers.get("X-Rayvision-User-Id"), "code": None,
              "acted": False, "fault": None, "time": time.time()}
    fault = farm.faults.decide(name, is_transfer=True)
    if fault is not None:
        record["fault"] = fault.label
    try:
        if fault is not None and fault.kind == "drop_after" and method != "PUT":
            fault = fault._replace(kind="drop_before")  # a read has nothing to do first
        if fault is not None and fault.kind in ("drop_before", "http503", "error500"):
            if method == "PUT":
                for _ in _body_chunks(handler):
                    pass
            if fault.kind == "drop_before":
                return handler.drop()
            record["code"] = 503 if fault.kind == "http503" else 500
            return _error(handler, record["code"], "injected fault {}".format(fault.label))
        try:
            user = _user(handler)
            bid, server_path, absolute = _target(handler, user, parsed.path)
            if method == "PUT":
                status = _put(handler, absolute, server_path, fault, record)
            elif method == "POST":
                raise TransferRefusal(405, "use PUT to upload, GET to download")
            elif listing:
                files = farm.storage.list_files(user["user_id"], bid, server_path)
                record["acted"] = True
                handler.send_json(200, {"files": files})
                status = 200
            else:
                status = _get(handler, absolute, method, fault, record)
            record["code"] = status
        except _Dropped:
            return None
        except TransferRefusal as refusal:
            record["code"] = refusal.status
            if method == "PUT" and not record.get("body_read"):
                handler.close_connection = True  # the unread body must not be taken as a request
            _error(handler, refusal.status, refusal.message)
    finally:
        record.pop("body_read", None)
        farm._record(record)


def _error(handler, status, message):
    handler.send_json(status, {"code": status, "message": message})
    return status


def _put(handler, absolute, server_path, fault, record):
    farm = handler.farm
    if fault is not None and fault.kind == "cut":
        length = int(handler.headers.get("Content-Length") or 0)
        for _ in _body_chunks(handler, limit=int(length * fault.arg)):
            pass
        handler.drop()
        raise _Dropped()
    length = handler.headers.get("Content-Length")
    expected = int(length) if length is not None else None
    sha = (handler.headers.get("X-Content-SHA256") or "").strip() or None
    try:
        size, digest = farm.storage.write_stream(absolute, _body_chunks(handler), expected, sha)
    except ValueError as exc:
        record["body_read"] = True
        raise TransferRefusal(400, "upload of {} refused, nothing kept: {}".format(server_path, exc))
    except OSError as exc:
        record["body_read"] = True
        raise TransferRefusal(400, "upload of {} failed: {}".format(server_path, exc))
    record["acted"] = True
    record["body_read"] = True
    if fault is not None and fault.kind == "drop_after":
        handler.drop()
        raise _Dropped()
    if fault is not None and fault.kind == "slow":
        time.sleep(fault.arg)
    handler.send_json(201, {"path": "/" + server_path.lstrip("/"), "size": size, "sha256": digest})
    return 201


class _Dropped(TransferRefusal):
    def __init__(self):
        super().__init__(0, "dropped")


def _get(handler, absolute, method, fault, record):
    farm = handler.farm
    if not os.path.isfile(absolute):
        raise TransferRefusal(404, "no file at that path")
    size = os.path.getsize(absolute)
    headers = {"X-Content-SHA256": farm.storage.sha256(absolute), "Accept-Ranges": "bytes"}
    start = 0
    status = 200
    wanted = handler.headers.get("Range")
    if wanted and method == "GET":
        text = wanted.strip()
        if not (text.startswith("bytes=") and text.endswith("-") and text[6:-1].isdigit()):
            raise TransferRefusal(400, "only Range: bytes=N- is supported, got {!r}".format(wanted))
        start = int(text[6:-1])
        if start > size:
            raise TransferRefusal(416, "range start {} is past the end ({} bytes)".format(start, size))
        status = 206
        headers["Content-Range"] = "bytes {}-{}/{}".format(start, max(start, size - 1), size)
    if fault is not None and fault.kind == "slow":
        time.sleep(fault.arg)
    handler.send_response(status)
    handler.send_header("Content-Type", "application/octet-stream")
    handler.send_header("Content-Length", str(size - start))
    for key, value in headers.items():
        handler.send_header(key, value)
    handler.end_headers()
    record["acted"] = True
    if method == "HEAD":
        return status
    send = size - start
    if fault is not None and fault.kind == "cut":
        send = int(send * fault.arg)
        handler.close_connection = True
    with open(absolute, "rb") as source:
        source.seek(start)
        while send > 0:
            block = source.read(min(CHUNK, send))
            if not block:
                break
            handler.wfile.write(block)
            send -= len(block)
    return status
