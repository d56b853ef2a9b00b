"""``RenderClient``: configuration, signing, the envelope, errors, retries.

No I/O in the constructor: the first request opens the connection.
"""
from __future__ import annotations

import json
import logging
import secrets
import threading
import time

from rayvision_dcc.api import operations
from rayvision_dcc.api.config import mask, resolve_settings
from rayvision_dcc.api.retry import Backoff
from rayvision_dcc.api.signer import sign
from rayvision_dcc.api.transport import Transport
from rayvision_dcc.errors import (ApiError, AuthError, ConfigError, CreateTaskLost, NotFound,
                                  ParameterError, SignatureExpired, TransportError)

log = logging.getLogger("rayvision_dcc.api")

CHANNEL = "4"  # "API/SDK" submit channel (job-files.md 1.2)

#: The nonce is a "random number" (protocol) and six decimal digits in the official SDK.
#: Ours: decimal digits from 100000 up to the largest 32-bit signed integer, so a server
#: that parses it into any integer type takes it, and 2 billion values make a repeat
#: within the replay window (a few hundred requests) as good as impossible; the client
#: also remembers what it sent in the window and draws again on a repeat.
NONCE_LOW, NONCE_HIGH = 100000, 2 ** 31 - 1
NONCE_WINDOW = 600.0


def _check_body(operation, body, key=""):
    """Refuse a JSON true, false or null anywhere in a body: the protocol does not say how
    the service writes them into the string it signs, and the official SDK never sends
    them. Optional fields are left out; flags are the protocol's integer or string codes."""
    if isinstance(body, dict):
        for child_key, child in body.items():
            _check_body(operation, child, "{}.{}".format(key, child_key) if key else child_key)
    elif isinstance(body, (list, tuple)):
        for index, child in enumerate(body):
            _check_body(operation, child, "{}{}".format(key, index))
    elif body is None or isinstance(body, bool):
        raise ParameterError(
            600, "the body's {} is {}, which this client never sends".format(
                key, json.dumps(body)), operation,
            hint="leave an optional field out, and write a flag as the protocol's code "
                 "(0/1 or \"0\"/\"1\")")


class NonceSource(object):
    """Decimal-digit nonces that never repeat within :data:`NONCE_WINDOW` seconds."""

    def __init__(self, clock=time.monotonic):
        self._clock = clock
        self._recent = {}
        self._lock = threading.Lock()

    def __call__(self):
        with self._lock:
            now = self._clock()
            if len(self._recent) > 1000:
                self._recent = {n: t for n, t in self._recent.items() if now - t < NONCE_WINDOW}
            while True:
                value = NONCE_LOW + secrets.randbelow(NONCE_HIGH - NONCE_LOW + 1)
                seen = self._recent.get(value)
                if seen is None or now - seen >= NONCE_WINDOW:
                    self._recent[value] = now
                    return str(value)


def _error_for(code, message, operation, request_id, access_id):
    kind, hint = ApiError, ""
    if code == 611:
        kind = AuthError
        hint = "signature invalid: check the access key for accessId {} (`rayvision-dcc login`)".format(
            mask(access_id))
    elif code == 610:
        kind = SignatureExpired
        hint = "the request's timestamp is too far from the server's: set this computer's clock"
    elif code in (602, 603, 403, 605):
        kind = AuthError
        hint = "the service refused accessId {}: check the id, the key and the platform".format(
            mask(access_id))
    elif code == 404:
        kind = NotFound
        hint = "check the task or frame id (`rayvision-dcc tasks` lists yours)"
    elif code in (600, 601):
        kind = ParameterError
        hint = "a parameter of {} is missing or of the wrong type".format(operation)
    elif code == 608:
        hint = "this account belongs to the other zone: switch between Renderbus and Fox Renderfarm"
    return kind(code, message, operation, request_id, hint=hint)


def _create_task_lost(what):
    return CreateTaskLost(
        "createTask was sent but its answer was lost ({}); a task may have been created on "
        "the farm".format(what), operation="createTask", sent=True,
        hint="do not submit again: run `rayvision-dcc resume`, which looks the task up and "
             "goes on with it")


def _shaped(operation, data, kind=dict):
    """``data`` of an answer when it has the documented shape (None reads as empty);
    another shape is an ApiError, not a crash further on."""
    if data is None:
        return kind()
    if not isinstance(data, kind):
        raise ApiError(200, "the answer's data is {} where the protocol documents {}".format(
            type(data).__name__, "an object" if kind is dict else "a list"), operation,
            hint="the domain may point at another service than the render API; check "
                 "--domain and the config")
    return data


class RenderClient(object):
    """A client for every operation of the Rayvision render API.

    ``call(operation, body)`` sends the body as given (wire keys) and returns ``data``;
    the typed methods below take Python arguments and write the body of the client's
    ``api_version``.
    """

    def __init__(self, access_id=None, access_key=None, domain=None, platform=None,
                 protocol=None, api_version=None, timeout=None, proxy=None, ca_bundle=None,
                 transport=None, clock=time.time, max_retries=3, retry_backoff=0.5):
        # Settings are resolved (config file, environment, keyring) on first use, not here.
        self._given = dict(access_id=access_id, access_key=access_key, domain=domain,
                           platform=platform, protocol=protocol, api_version=api_version,
                           timeout=timeout, proxy=proxy, ca_bundle=ca_bundle)
        self._settings = None
        self._transport = transport
        self._clock = clock
        self.clock_offset = 0.0
        self.max_retries = max_retries
        self.retry_backoff = retry_backoff
        self._listeners = []
        self._lock = threading.RLock()
        self._nonce = NonceSource()

    # -- plumbing --------------------------------------------------------------------
    @property
    def settings(self):
        """The resolved connection settings: the arguments, else the environment and the
        user config, the key from the keyring. Read on first use (the constructor does no
        I/O), once."""
        with self._lock:
            if self._settings is None:
                self._settings = resolve_settings(**self._given)
            return self._settings

    @property
    def access_id(self):
        return self.settings.access_id

    @property
    def domain(self):
        return self.settings.domain

    @property
    def platform(self):
        return self.settings.platform

    @property
    def api_version(self):
        return self.settings.api_version

    @property
    def transport(self):
        with self._lock:
            if self._transport is None:
                self._transport = Transport(self.settings.proxy, self.settings.ca_bundle)
            return self._transport

    def add_listener(self, listener):
        """``listener(event)`` gets one dict per request: operation, path, body keys,
        code, request id, seconds, error. Never a key, a signature or body values."""
        self._listeners.append(listener)

    def remove_listener(self, listener):
        if listener in self._listeners:
            self._listeners.remove(listener)

    def close(self):
        if self._transport is not None:
            self._transport.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def signed_headers(self, path, body, timestamp=None, nonce=None, version=None):
        """The headers of one request, ``signature`` included.

        ``version`` is the version header; by default the one of the client's API version.
        """
        if not self.settings.access_id or not self.settings.access_key:
            raise ConfigError("no credentials: neither an access id and key were given nor stored",
                              hint="run `rayvision-dcc login`, or set RAYVISION_ACCESS_ID and "
                                   "RAYVISION_ACCESS_KEY")
        if timestamp is None:
            timestamp = int(self._clock() + self.clock_offset)
        headers = {
            "accessId": self.settings.access_id,
            "channel": CHANNEL,
            "platform": self.settings.platform,
            "UTCTimestamp": str(timestamp),
            "nonce": str(nonce) if nonce else self._nonce(),
            "version": version or operations.VERSION_HEADERS[self.settings.api_version],
        }
        headers["signature"] = sign(self.settings.access_key, self.settings.domain, path,
                                    headers, body)
        headers["Content-Type"] = "application/json"
        headers["languageFlag"] = "1"
        return headers

    def call(self, operation, body=None):
        """Send ``operation`` with ``body`` and return the response's ``data``.

        Transport failures and 5xx answers are retried (with backoff) only for operations
        a repeat cannot harm; a 610 corrects the clock offset and retries once.
        """
        op = operations.get(operation)
        api_version = operations.version_for(operation, self.settings.api_version)
        path = operations.path_for(operation, self.settings.api_version)
        version = operations.VERSION_HEADERS[api_version]
        body = dict(body or {})
        _check_body(operation, body)
        url = self.settings.base_url + path
        payload = json.dumps(body, separators=(",", ":")).encode("utf-8")
        retry = Backoff(self.max_retries, self.retry_backoff)
        attempt = 0
        skew_corrected = False
        while True:
            attempt += 1
            started = time.perf_counter()
            headers = self.signed_headers(path, body, version=version)
            log.debug("call %s %s body keys=%s attempt=%d", operation, path, sorted(body), attempt)
            try:
                reply = self.transport.post(url, headers, payload, self.settings.timeout, operation)
            except TransportError as exc:
                self._emit(operation, path, body, None, "", started, exc)
                if op.retry_safe and retry.allows(attempt):
                    retry.pause(attempt, operation, exc)
                    continue
                if operation == "createTask" and exc.sent:
                    raise _create_task_lost(exc.message) from exc
                raise
            try:
                envelope = self._envelope(reply, operation)
            except ApiError as exc:
                self._emit(operation, path, body, exc.code, "", started, exc)
                if reply.status >= 500:
                    if op.retry_safe and retry.allows(attempt):
                        retry.pause(attempt, operation, exc)
                        continue
                    if operation == "createTask":
                        # A gateway or a crashed server answered: the create may have happened.
                        raise _create_task_lost("HTTP {}".format(reply.status)) from exc
                raise
            code = envelope.get("code")
            request_id = envelope.get("requestId") or ""
            self._emit(operation, path, body, code, request_id, started, None)
            if code == 200:
                return envelope.get("data")
            error = _error_for(code, envelope.get("message"), operation, request_id,
                               self.settings.access_id)
            if isinstance(error, SignatureExpired) and not skew_corrected and envelope.get("serverTime"):
                # The server's clock is the one that counts: adopt its offset, retry once.
                # Safe for every operation: a 610 means the request was refused unread.
                self.clock_offset = float(envelope["serverTime"]) / 1000.0 - self._clock()
                skew_corrected = True
                log.info("clock differs from the server's by %.0f s; corrected", self.clock_offset)
                continue
            if code in (500, 502, 503, 504) and op.retry_safe and retry.allows(attempt):
                retry.pause(attempt, operation, error)
                continue
            raise error

    def _envelope(self, reply, operation):
        try:
            envelope = json.loads(reply.body.decode("utf-8"))
        except ValueError:
            envelope = None
        if not isinstance(envelope, dict) or "code" not in envelope:
            raise ApiError(reply.status if reply.status != 200 else 500,
                           "the server answered HTTP {} without an API envelope".format(reply.status),
                           operation, hint="the domain may be wrong, or a proxy answered instead "
                                           "of the render API")
        return envelope

    def _emit(self, operation, path, body, code, request_id, started, error):
        if not self._listeners:
            return
        event = {"operation": operation, "path": path, "body_keys": sorted(body), "code": code,
                 "request_id": request_id, "seconds": round(time.perf_counter() - started, 4),
                 "error": str(error) if error else ""}
        for listener in list(self._listeners):
            try:
                listener(event)
            except Exception:  # a listener must never break a call
                log.exception("API call listener failed")

    # -- typed operations --------------------------------------------------------------
    def _tasks_body(self, task_ids):
        key = "taskParam" if self.api_version == "v1" else "taskIds"
        return {key: [int(t) for t in task_ids]}

    def platforms(self, zone=1):
        return self.call("queryPlatforms", {"zone": int(zone)})

    def user_profile(self):
        return _shaped("queryUserProfile", self.call("queryUserProfile"))

    def user_settings(self):
        return _shaped("queryUserSetting", self.call("queryUserSetting"))

    def update_user_settings(self, task_over_time_sec):
        if self.api_version == "v1":
            return self.call("updateUserSetting", {"taskOverTime": int(task_over_time_sec) // 3600})
        return self.call("updateUserSetting", {"taskOverTimeSec": int(task_over_time_sec)})

    def transfer_bids(self):
        return _shaped("getTransferBid", self.call("getTransferBid"))

    def create_task(self, count=1, out_user_id=None, labels=None, task_user_level=None):
        body = {"count": int(count)}
        if out_user_id is not None:
            body["outUserId"] = int(out_user_id)
        if self.api_version == "v2":
            if labels:
                body["labels"] = list(labels)
            if task_user_level is not None:
                body["taskUserLevel"] = int(task_user_level)
        return _shaped("createTask", self.call("createTask", body))

    def submit_task(self, task_id):
        return self.call("submitTask", {"taskId": int(task_id)})

    def add_task_label(self, label, task_ids):
        """Tag tasks with ``label`` (an API 2.0 operation, sent from a v1 client too)."""
        return self.call("addTaskLabel", {"label": str(label),
                                          "taskIds": [int(t) for t in task_ids]})

    def error_detail(self, code, language=1):
        """Details of a tips.json code; ``language`` 0 Chinese, 1 English (same keys in v1 and v2)."""
        return self.call("queryErrorDetail", {"code": str(code), "language": str(language)})

    def task_list(self, page=1, page_size=20, statuses=None):
        body = {"pageNum": int(page), "pageSize": int(page_size)}
        if statuses:
            body["statusList"] = [int(s) for s in statuses]
        return _shaped("getTaskList", self.call("getTaskList", body))

    def stop_tasks(self, task_ids):
        return self.call("stopTask", self._tasks_body(task_ids))

    def start_tasks(self, task_ids):
        return self.call("startTask", self._tasks_body(task_ids))

    def abandon_tasks(self, task_ids):
        return self.call("abortTask", self._tasks_body(task_ids))

    def delete_tasks(self, task_ids):
        return self.call("deleteTask", self._tasks_body(task_ids))

    def task_frames(self, task_id, page=1, page_size=100, keyword=None):
        body = {"taskId": int(task_id), "pageNum": int(page), "pageSize": int(page_size)}
        if keyword:
            body["searchKeyword"] = keyword
        return _shaped("queryTaskFrames", self.call("queryTaskFrames", body))

    def all_frame_stats(self):
        return self.call("queryAllFrameStats")

    def restart_failed_frames(self, task_ids):
        return self.call("restartFailedFrames", self._tasks_body(task_ids))

    def restart_frames(self, task_id, frame_ids=None, select_all=False):
        key = "taskIds" if self.api_version == "v1" else "taskId"
        body = {key: int(task_id), "selectAll": 1 if select_all else 0}
        if not select_all:
            body["ids"] = [int(f) for f in (frame_ids or [])]
        return self.call("restartFrame", body)

    def task_info(self, task_ids):
        body = {"taskIds": [int(t) for t in task_ids]}
        return _shaped("queryTaskInfo", self.call("queryTaskInfo", body))

    def add_label(self, name, status=0):
        return self.call("addLabel", {"newName": name, "status": int(status)})

    def delete_label(self, name):
        return self.call("deleteLabel", {"delName": name})

    def labels(self):
        return self.call("getLabelList")

    def supported_software(self):
        return self.call("querySupportedSoftware")

    def supported_plugins(self, cg_id):
        return self.call("querySupportedPlugin", {"cgId": int(cg_id)})

    def add_render_env(self, cg_id, cg_name, cg_version, edit_name, plugin_ids=(),
                       render_system=1, render_layer_type=0):
        return self.call("addRenderEnv", {
            "cgId": int(cg_id), "cgName": cg_name, "cgVersion": cg_version, "editName": edit_name,
            "renderSystem": int(render_system), "renderLayerType": int(render_layer_type),
            "pluginIds": [int(p) for p in plugin_ids]})

    def update_render_env(self, cg_id, cg_name, cg_version, edit_name, plugin_ids=(),
                          render_system=1, render_layer_type=0):
        return self.call("updateRenderEnv", {
            "cgId": int(cg_id), "cgName": cg_name, "cgVersion": cg_version, "editName": edit_name,
            "renderSystem": int(render_system), "renderLayerType": int(render_layer_type),
            "pluginIds": [int(p) for p in plugin_ids]})

    def delete_render_env(self, edit_name):
        return self.call("deleteRenderEnv", {"editName": edit_name})

    def set_default_render_env(self, edit_name):
        return self.call("setDefaultRenderEnv", {"editName": edit_name})

    def render_envs(self, cg_id):
        return _shaped("getRenderEnv", self.call("getRenderEnv", {"cgId": int(cg_id)}), list)

    def task_progress(self, task_id, frame_type=None):
        body = {"taskId": int(task_id)}
        if frame_type is not None:
            body["frameType"] = int(frame_type)
        return self.call("loadTaskProcessImg", body)

    def set_overtime_stop(self, task_ids, seconds):
        return self.call("setOverTimeStop", {"taskIds": [int(t) for t in task_ids],
                                             "overTime": int(seconds)})

    def frame_thumbnail(self, frame_id, frame_status=4):
        return self.call("loadingFrameThumbnail", {"id": int(frame_id),
                                                   "frameStatus": int(frame_status)})

    def transfer_server_info(self, zone=1):
        return _shaped("getTransferServerMsg",
                       self.call("getTransferServerMsg", {"zone": int(zone)}))

    def raysync_user_key(self):
        return _shaped("getRaySyncUserKey", self.call("getRaySyncUserKey"))

    def full_speed(self, task_ids):
        return self.call("fullSpeed", {"taskIds": [int(t) for t in task_ids]})

    def hardware_configs(self):
        return self.call("hardwareConfigList", {"cloneTask": "false"}) or []

    def upload_job_file(self, task_id, file_name, content):
        return self.call("taskJsonFile", {"taskId": int(task_id), "fileName": file_name,
                                          "content": content})

    def transfer_config(self):
        return self.call("getConfig")

    def output_files(self, tree_path="/", task_id=None):
        body = {"treePath": tree_path}
        if task_id is not None:
            body["taskId"] = int(task_id)
        return self.call("getOutputUserDirFile", body)
