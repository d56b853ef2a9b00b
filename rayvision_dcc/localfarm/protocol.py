"""Strict checks of every API request, and the response envelope.

Order of the checks: headers present (601), accessId known (611), timestamp within five
minutes of the farm's clock (610, the answer carries ``serverTime``), signature over the
Host the request was sent to (611), nonce not seen in the window (603), required body
keys present (601) and of their wire type (600).
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import threading
import time

from rayvision_dcc.api.operations import params_for
from rayvision_dcc.api.signer import SIGNED_HEADERS, verify

WINDOW_SECONDS = 300

# Optional body keys whose type the farm checks when they are sent.
OPTIONAL_PARAMS = {
    "createTask": {"outUserId": "int", "taskUserLevel": "int", "labels": "list",
                   "cloneOriginalId": "int"},
    "getTaskList": {"statusList": "ints", "searchKeyword": "str", "pageNum": "int",
                    "pageSize": "int"},
    "queryTaskFrames": {"pageNum": "int", "pageSize": "int", "searchKeyword": "str"},
    "restartFailedFrames": {"status": "ints"},
    "restartFrame": {"ids": "list", "status": "ints"},
    "stopTaskFrames": {"ids": "list"},
    "loadTaskProcessImg": {"frameType": "int"},
    "getOutputUserDirFile": {"treePath": "str", "taskId": "int"},
    "queryErrorDetail": {"codes": "list"},
    "addRenderEnv": {"pluginIds": "ints", "renderLayerType": "int"},
    "updateRenderEnv": {"pluginIds": "ints", "renderLayerType": "int"},
    "getRenderEnv": {"cgIds": "list"},  # the SDK sends the ids as strings; the handler checks
    "submitTask": {"producer": "str"},
    "showLog": {"pageNum": "int", "pageSize": "int"},
}

# Required keys the farm lets go, with why: the maintained SDK sends getRenderEnv with
# ``cgIds`` (a list) or with neither, meaning every environment.
RELAXED = {("getRenderEnv", "v2"): ("cgId",)}

TYPE_WORDS = {"int": "an integer", "str": "a string", "ints": "a list of integers", "list": "a list"}


#: Operation name -> handler(ctx); the ops_* modules fill it with ``@op(name)``.
HANDLERS = {}


def op(name):
    """Register the decorated function as the handler of operation ``name``."""
    def register(func):
        HANDLERS[name] = func
        return func
    return register


class Refusal(Exception):
    """An answer with a code other than 200; ``message`` names the problem."""

    def __init__(self, code, message, data=None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.data = data


def is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def type_ok(value, wire_type):
    if wire_type == "int":
        return is_int(value)
    if wire_type == "str":
        return isinstance(value, str)
    if wire_type == "ints":
        return isinstance(value, list) and all(is_int(item) for item in value)
    if wire_type == "list":
        return isinstance(value, list)
    return True


def _shown(value):
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def check_params(operation, api_version, body):
    """Raise Refusal 601 for a missing required key, 600 for a wrongly typed one."""
    required = params_for(operation, api_version)
    relaxed = RELAXED.get((operation, api_version), ())
    missing = [key for key in required if body.get(key) is None and key not in relaxed]
    if missing:
        raise Refusal(601, "{}: missing required parameter{} {}".format(
            operation, "s" if len(missing) > 1 else "",
            ", ".join("{} ({})".format(key, TYPE_WORDS[required[key]]) for key in missing)))
    checks = dict(OPTIONAL_PARAMS.get(operation, {}))
    checks.update(required)
    for key, wire_type in checks.items():
        if key in body and body[key] is not None and not type_ok(body[key], wire_type):
            raise Refusal(600, "{}: parameter {} must be {}, got {} {}".format(
                operation, key, TYPE_WORDS[wire_type], type(body[key]).__name__, _shown(body[key])))


def envelope(code, message, data, api_version, request_id, server_ms):
    return {"version": "2.0.0" if api_version == "v2" else "1.0.0", "result": code == 200,
            "message": message, "code": code, "data": data, "serverTime": server_ms,
            "requestId": request_id}


def _has_bool_or_null(value):
    if isinstance(value, dict):
        return any(_has_bool_or_null(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_bool_or_null(v) for v in value)
    return value is None or isinstance(value, bool)


def _python_flat(value, key, flat):
    if isinstance(value, dict):
        for child_key, child in value.items():
            _python_flat(child, "{}.{}".format(key, child_key) if key else str(child_key), flat)
    elif isinstance(value, list):
        for index, child in enumerate(value):
            _python_flat(child, "{}{}".format(key, index), flat)
    else:
        flat[key] = str(value)


def _verify_python_text(access_key, host, path, headers, body, signature):
    """The official Python SDK writes booleans and null as Python does (``True``,
    ``None``) in the string it signs; accept that spelling too, and only that difference."""
    if not _has_bool_or_null(body):
        return False
    flat = {}
    _python_flat(dict(body, **{k: str(v) for k, v in headers.items()}), "", flat)
    text = "[POST]{}:{}&{}".format(host, path, "&".join(
        "{}={}".format(key, flat[key]) for key in sorted(flat)))
    digest = hmac.new(access_key.encode("utf-8"), text.encode("utf-8"), hashlib.sha256).digest()
    return hmac.compare_digest(base64.b64encode(digest), (signature or "").encode("ascii", "replace"))


class Verifier(object):
    """Authenticates requests against the store's users; remembers nonces for the window."""

    def __init__(self, store, clock):
        self.store = store
        self.clock = clock  # seconds, skew included
        self._nonces = {}
        self._lock = threading.Lock()
        self._last_purge = time.monotonic()
        self._users = {}

    def forget_users(self):
        with self._lock:
            self._users.clear()

    def _user(self, access_id):
        with self._lock:
            user = self._users.get(access_id)
        if user is None:
            user = self.store.user_by_access_id(access_id)
            if user is not None:
                with self._lock:
                    self._users[access_id] = user
        return user

    def authenticate(self, headers, host, path, body):
        """The user row of a well-signed fresh request; raises Refusal otherwise."""
        values = {}
        missing = []
        for name in SIGNED_HEADERS + ("signature",):
            value = headers.get(name)
            if value is None or value == "":
                missing.append(name)
            else:
                values[name] = value
        if missing:
            raise Refusal(601, "missing request header{} {}".format(
                "s" if len(missing) > 1 else "", ", ".join(missing)))
        user = self._user(values["accessId"])
        if user is None:
            raise Refusal(611, "unknown accessId {!r}: no such user on this farm".format(
                values["accessId"]))
        try:
            stamp = int(values["UTCTimestamp"])
        except ValueError:
            raise Refusal(600, "header UTCTimestamp must be whole seconds since 1970, got {!r}".format(
                values["UTCTimestamp"]))
        if not (values["nonce"].isdigit() and values["nonce"].isascii()):
            # The protocol's nonce is a "random number" (the SDK sends six digits): a
            # service that parses it as a number refuses anything else.
            raise Refusal(600, "header nonce must be a number (decimal digits), got {!r}".format(
                values["nonce"][:40]))
        now = self.clock()
        if abs(now - stamp) > WINDOW_SECONDS:
            raise Refusal(610, "signature expired: UTCTimestamp {} is {:.0f} s from the server's "
                               "clock ({}); allowed is {} s".format(
                                   stamp, stamp - now, int(now), WINDOW_SECONDS))
        signature = values.pop("signature")
        if not host:
            raise Refusal(611, "invalid signature: the request has no Host header to sign against")
        if not (verify(user["access_key"], host, path, values, body, signature)
                or _verify_python_text(user["access_key"], host, path, values, body, signature)):
            keys = sorted(set(values) | set(body))
            raise Refusal(611, "invalid signature: it does not match [POST]{}:{}&... over {} "
                               "with the access key of accessId {!r}".format(
                                   host, path, ",".join(keys), values["accessId"]))
        self._check_nonce(values["accessId"], values["nonce"], now)
        return user

    def _check_nonce(self, access_id, nonce, now):
        key = (access_id, nonce)
        with self._lock:
            if time.monotonic() - self._last_purge > 30:
                self._last_purge = time.monotonic()
                for old in [k for k, until in self._nonces.items() if until < now]:
                    del self._nonces[old]
            until = self._nonces.get(key)
            if until is not None and until >= now:
                raise Refusal(603, "illegal request: nonce {!r} was already used by accessId {!r} "
                                   "in the last {} s (a replay)".format(nonce, access_id,
                                                                       WINDOW_SECONDS * 2))
            self._nonces[key] = now + WINDOW_SECONDS * 2
