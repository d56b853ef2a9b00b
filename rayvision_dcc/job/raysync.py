"""The ``raysync`` engine: the service's Raysync client (``Raysync-sdk``), as the official
package 3.1.8 drives it (``rayvision_raysync/transfer_raysync.py``; facts in
``shared/spec/transfer-engines.md``).

- The client program is not in any package: the official one fetches
  ``https://<domain>/download/RaysyncCmd.zip`` (``Raysync Client.zip`` on Windows,
  ``RaysyncMac.zip`` on macOS) at run time. We fetch it only when the user asked for it
  (``rayvision-dcc transfer fetch-raysync``, or the ``raysync_fetch`` setting), keep it under
  our data folder, check the archive (a zip, no member outside its folder, the program and
  its ``cluster.xml`` inside), record the SHA-256 of every file, print the archive's, and
  refuse to start a program whose hash changed since.
- ``Raysync-sdk`` runs in a process group of its own and listens on 127.0.0.1 at the port
  of its ``cluster.xml``; transfers are ``/create-task`` requests to it, watched with
  ``/get-task-status``; Cancel stops its whole group.

Never run against the real service here: the tests use a stand-in client that answers the
same requests (docs/transfer.md).
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import subprocess
import sys
import time
import zipfile
from xml.etree import ElementTree

from rayvision_dcc.errors import Cancelled, TransferError
from rayvision_dcc.job import external, transmitter
from rayvision_dcc.job.progress import Reporter
from rayvision_dcc.job.transfer import Transfer

log = logging.getLogger("rayvision_dcc.transfer")

if sys.platform == "win32":
    ARCHIVE, FOLDER, PROGRAM = "Raysync Client.zip", "Raysync Client", "Raysync-sdk.exe"
elif sys.platform == "darwin":
    ARCHIVE, FOLDER, PROGRAM = ("RaysyncMac.zip", "RaysyncMac/RaysyncClientManager.app/Contents/"
                                "MacOS", "Raysync-sdk")
else:
    ARCHIVE, FOLDER, PROGRAM = "RaysyncCmd.zip", "RaysyncCmd", "Raysync-sdk"
MANIFEST = "rayvision-dcc-manifest.json"
#: /get-task-status states that end a transfer.
FAILED_STATES = ("failed", "auth-failed", "proxy-closed", "stop-by-server", "no-permission",
                 "ip-locked", "account-locked", "stopped")
MODES = {0: "default", 1: "tcp-only", 2: "udp-only"}


def raysync_root():
    return transmitter.data_folder("raysync")


def archive_url(client):
    return "{}://{}/download/{}".format(client.settings.protocol, client.settings.domain,
                                       ARCHIVE.replace(" ", "%20"))


# -- fetching and checking the client program ----------------------------------------------
def _sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def fetch(url, root=None, session=None, timeout=60.0, say=None):
    """Fetch and check the client archive from ``url`` into ``root``; returns the manifest.

    Only call this after telling the user (``say`` gets what is done, step by step)."""
    import requests
    root = root or raysync_root()
    say = say or (lambda text: log.info("%s", text))
    os.makedirs(root, mode=0o700, exist_ok=True)
    archive = os.path.join(root, ARCHIVE + ".part")
    say("fetching {} into {}".format(url, root))
    try:
        with (session or requests).get(url, stream=True, timeout=timeout) as answer:
            if answer.status_code != 200:
                raise TransferError("{} answered {}".format(url, answer.status_code),
                                    hint="the service may not offer the raysync client here; "
                                         "choose the aspera line")
            with open(archive, "wb") as out:
                for block in answer.iter_content(1 << 20):
                    out.write(block)
    except TransferError:
        raise
    except Exception as exc:
        raise TransferError("could not fetch {}: {}".format(url, exc),
                            hint="check the network, then try again")
    try:
        manifest = _unpack_checked(archive, root)
    finally:
        if os.path.exists(archive):
            os.remove(archive)
    manifest["url"] = url
    with open(os.path.join(root, MANIFEST), "w", encoding="utf-8") as out:
        json.dump(manifest, out, indent=1, sort_keys=True)
    say("fetched {} ({} bytes, SHA-256 {}); checked: {} files, {} inside".format(
        ARCHIVE, manifest["size"], manifest["sha256"], len(manifest["files"]), PROGRAM))
    return manifest


def _unpack_checked(archive, root):
    if not zipfile.is_zipfile(archive):
        raise TransferError("what the service sent for {} is not a zip archive".format(ARCHIVE),
                            hint="try again later, or choose the aspera line")
    target = os.path.join(root, FOLDER.split("/")[0])
    staging = target + ".new"
    shutil.rmtree(staging, ignore_errors=True)
    with zipfile.ZipFile(archive) as bundle:
        bad = bundle.testzip()
        if bad is not None:
            raise TransferError("the archive is damaged ({})".format(bad),
                                hint="fetch it again")
        names = bundle.namelist()
        base = os.path.realpath(staging)
        for name in names:
            path = os.path.realpath(os.path.join(staging, name))
            if not (path == base or path.startswith(base + os.sep)):
                raise TransferError("the archive holds a path outside its folder: {}".format(name),
                                    hint="do not use it; report this to the service")
        prefix = FOLDER.split("/")[0] + "/"
        # The archive holds the folder itself (as the official package unpacks it).
        strip = all(n.startswith(prefix) for n in names)
        os.makedirs(staging, mode=0o700)
        for info in bundle.infolist():
            name = info.filename[len(prefix):] if strip else info.filename
            if not name or name.endswith("/"):
                continue
            path = os.path.join(staging, *name.split("/"))
            os.makedirs(os.path.dirname(path), mode=0o755, exist_ok=True)
            with bundle.open(info) as source, open(path, "wb") as out:
                shutil.copyfileobj(source, out)
            os.chmod(path, 0o755 if (info.external_attr >> 16) & 0o111 or
                     os.path.basename(path) == PROGRAM or path.endswith(".sh") else 0o644)
    inner = os.path.join(staging, *FOLDER.split("/")[1:])
    for needed in (PROGRAM, "cluster.xml"):
        if not os.path.isfile(os.path.join(inner, needed)):
            shutil.rmtree(staging, ignore_errors=True)
            raise TransferError("the archive has no {}".format(needed),
                                hint="the service's raysync client changed; choose the aspera "
                                     "line and report this")
    files = {}
    for folder, _dirs, names_here in os.walk(staging):
        for name in names_here:
            path = os.path.join(folder, name)
            files[os.path.relpath(path, staging).replace(os.sep, "/")] = _sha256(path)
    shutil.rmtree(target, ignore_errors=True)
    os.rename(staging, target)
    return {"sha256": _sha256(archive), "size": os.path.getsize(archive), "files": files}


def installed(root=None):
    """(program path, manifest) of a fetched and unchanged client, or None when not fetched.

    Raises when a fetched file changed since it was checked."""
    root = root or raysync_root()
    try:
        with open(os.path.join(root, MANIFEST), encoding="utf-8") as handle:
            manifest = json.load(handle)
    except (OSError, ValueError):
        return None
    top = os.path.join(root, FOLDER.split("/")[0])
    relative = "/".join(FOLDER.split("/")[1:] + [PROGRAM])
    program = os.path.join(top, *relative.split("/"))
    for name in (relative, "/".join(FOLDER.split("/")[1:] + ["cluster.xml"])):
        path = os.path.join(top, *name.split("/"))
        if not os.path.isfile(path) or _sha256(path) != manifest["files"].get(name.lstrip("/")):
            raise TransferError("{} changed since it was fetched and checked".format(path),
                                hint="fetch it again: `rayvision-dcc transfer fetch-raysync`")
    return program, manifest


# -- the engine ----------------------------------------------------------------------------
class RaysyncTransfer(Transfer):
    """Transfers through the local ``Raysync-sdk`` service (the official package's way)."""

    name = "raysync"
    keeps_task_folder = False

    def __init__(self, program, server, port, user_id, user_name, user_key, platform,
                 line_name="", cache=None, speed_limit=1048576, network_mode=0, proxy_ip="",
                 proxy_port=0, poll=1.0, start_timeout=60.0, lock_folder=None, input_bid=None):
        self.program = program
        self.server = str(server)
        self.port = int(port or 0)
        self.user_id = str(user_id)
        self.user_name = user_name
        self._password = "{}&1&{}&12345678".format(user_key, platform)
        self.line_name = line_name
        self.cache = cache
        self.speed_limit = int(speed_limit)
        self.network_mode = int(network_mode)
        self.proxy_ip = proxy_ip
        self.proxy_port = int(proxy_port or 0)
        self.poll = poll
        self.start_timeout = start_timeout
        self.lock_folder = lock_folder
        #: Job files go with the input storage's port, as the official package sends them.
        self.input_bid = input_bid
        self._process = None
        self._url = None

    def __repr__(self):  # never the password
        return "RaysyncTransfer({}:{}, user={})".format(self.server, self.port, self.user_id)

    @property
    def endpoint(self):
        return "raysync://{}:{}".format(self.server, self.port)

    # -- the local service ----------------------------------------------------------------
    def _service_port(self):
        folder = os.path.dirname(self.program)
        root = ElementTree.parse(os.path.join(folder, "cluster.xml")).getroot()
        return int(root[0][0].attrib["value"])

    def _post(self, path, body, timeout=30.0):
        import requests
        answer = requests.post(self._url + path, json=body, timeout=timeout,
                               proxies={"http": None, "https": None})
        data = answer.json()
        if int(data.get("code", 0)) != 0:
            raise TransferError("the raysync client refused {}: {} (code {})".format(
                path, data.get("message", ""), data.get("code")),
                hint="`rayvision-dcc resume` tries again; the raysync client's log is "
                     "{}".format(os.path.join(transmitter.log_folder(), "raysync.log")))
        return data

    def _start(self, reporter):
        if self._process is not None and self._process.poll() is None:
            return
        self._url = "http://127.0.0.1:{}".format(self._service_port())
        options = {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP} \
            if sys.platform == "win32" else {"start_new_session": True}
        logs = os.path.join(transmitter.log_folder(), "raysync.log")
        os.makedirs(os.path.dirname(logs), exist_ok=True)
        with open(logs, "ab") as out:
            try:
                self._process = subprocess.Popen(
                    [self.program], cwd=os.path.dirname(self.program), stdin=subprocess.DEVNULL,
                    stdout=out, stderr=subprocess.STDOUT, **options)
            except OSError as exc:
                raise TransferError("cannot run {}: {}".format(self.program,
                                                               exc.strerror or exc),
                                    hint="fetch it again (`rayvision-dcc transfer "
                                         "fetch-raysync`) or choose the aspera line")
        deadline = time.monotonic() + self.start_timeout
        while True:
            try:
                self._post("/check-raysync-http", {"sign": "render-bus"}, timeout=2.0)
                return
            except TransferError:
                raise
            except Exception:
                if self._process.poll() is not None or time.monotonic() > deadline:
                    self.close()
                    raise TransferError("the raysync client did not start (log: {})".format(logs),
                                        hint="fetch it again (`rayvision-dcc transfer "
                                             "fetch-raysync`) or choose the aspera line")
                reporter.sleep(0.1)

    def close(self):
        process, self._process = self._process, None
        if process is not None:
            transmitter.stop_group(process)
            process.wait()

    def _task(self, paths, storage_port, reporter, on_state=None):
        params = {"task-name": paths["task-type"], "server-ip": self.server,
                  "server-port": int(storage_port), "web-server-ip": self.server,
                  "web-server-port": 32002, "server-ssl-port": int(storage_port) - 100,
                  "renderbus-proxy-port": 32002, "proxy-port": self.port or 32002,
                  "protocol-type": MODES.get(self.network_mode, "default"),
                  "delay-threshold": 0, "account": self.user_name, "password": self._password,
                  "group-id": 0, "enable-ssl": False, "enable-verify-hash": False}
        params.update(paths)
        lock = transmitter.UserLock(self.user_id, self.lock_folder).acquire(reporter)
        try:
            self._start(reporter)
            self._post("/set-transmission-parameters",
                       {"max-upload-speed": self.speed_limit,
                        "max-download-speed": self.speed_limit, "mss": 1200})
            self._post("/set-proxy-manager", {"enable-proxy-manager": bool(self.proxy_ip),
                                              "proxy-manager-ip": self.proxy_ip or "",
                                              "proxy-manager-port": self.proxy_port})
            task_id = self._post("/create-task", params).get("task-id")
            while True:
                try:
                    reporter.sleep(self.poll)
                except Cancelled:
                    self.close()   # the whole client's group: nothing keeps sending
                    raise
                state = self._post("/get-task-status", {"task-id": task_id})["task-list"][0]
                if on_state is not None:
                    on_state(state)
                status = state.get("task-state")
                if status == "successful":
                    return state
                if status in FAILED_STATES:
                    errors = self._post("/get-file-list", {"task-id": task_id,
                                                           "list-type": "error", "page-size": 10,
                                                           "page-number": 1}).get("file-list") or []
                    first = errors[0] if errors else {}
                    raise TransferError(
                        "raysync transfer {} on line {} {}:{}{}".format(
                            status, self.line_name, self.server, self.port,
                            ": {} (error {})".format(first.get("local-path"),
                                                     first.get("error-code")) if first else ""),
                        hint="`rayvision-dcc resume` tries again; the raysync client's log is "
                             "{}".format(os.path.join(transmitter.log_folder(), "raysync.log")))
        finally:
            lock.release()

    def _progress(self, reporter):
        seen = {"files": 0}

        def on_state(state):
            done = int(state.get("file-pos") or 0)
            if done > seen["files"]:
                reporter.add(files=done - seen["files"], message="raysync: {} of {} files".format(
                    done, state.get("file-max")))
                seen["files"] = done
        return on_state

    # -- the Transfer interface -----------------------------------------------------------
    def upload(self, files, storage, reporter=None):
        reporter = reporter or Reporter()
        files = list(files)
        stats, todo, result = external.begin_upload(
            files, storage, self.cache, self.endpoint, reporter,
            "uploading {} files (raysync line {})".format(len(files), self.line_name))
        missing = [local for local, _s in todo if stats[local] is None]
        if missing:
            raise TransferError("cannot read {}".format(missing[0]),
                                hint="restore the file or remove it from the scene")
        root = "/input/{}-{}".format(storage.bid, storage.user_id)
        if todo:
            listing = os.path.join(transmitter.data_folder("transmitter", "lists"),
                                   "raysync-{}.txt".format(os.getpid()))
            os.makedirs(os.path.dirname(listing), exist_ok=True)
            with open(listing, "w", encoding="utf-8") as out:
                for local, server in todo:
                    out.write('local:"{}" server:"{}/{}"\n'.format(local, root,
                                                                 server.lstrip("/")))
            port = self.input_bid if storage.kind == "config" and self.input_bid else storage.bid
            try:
                self._task({"task-type": "upload-list", "file-list": listing}, port,
                           reporter, self._progress(reporter))
            finally:
                os.remove(listing)
            reporter.add(nbytes=sum(stats[local].st_size for local, _s in todo))
            external.remember(self.cache, self.endpoint, storage, todo, stats)
        result.uploaded = [local for local, _s in todo]
        return result

    def download(self, remote_folder, local_folder, storage, reporter=None):
        reporter = reporter or Reporter()
        reporter.phase("download", "downloading {} (raysync line {})".format(remote_folder,
                                                                           self.line_name))
        os.makedirs(local_folder, exist_ok=True)
        before = external.files_under(local_folder)
        source = "/output/{}-{}/{}".format(storage.bid, storage.user_id, remote_folder.strip("/"))
        self._task({"task-type": "download", "source-path": source, "target-path": local_folder},
                   storage.bid, reporter, self._progress(reporter))
        return sorted(external.files_under(local_folder) - before)


def connect_raysync(client, acct, line, cache=None, **options):
    """The raysync engine on ``line``: the fetched client when there is one; fetched now when
    the user allowed it (``raysync_fetch`` setting); otherwise an error that says how."""
    from rayvision_dcc.api.config import read_config
    found = installed()
    if found is None:
        if not read_config().get("raysync_fetch"):
            raise TransferError(
                "the raysync engine needs the service's Raysync client, which is not here yet: "
                "{} (the official package fetches it the same way)".format(archive_url(client)),
                hint="fetch it once with `rayvision-dcc transfer fetch-raysync` (it says what it "
                     "fetches and checks it), or choose the aspera line (--engine aspera)")
        fetch(archive_url(client))
        found = installed()
    key = (client.raysync_user_key() or {}).get("raySyncUserKey")
    if not key:
        raise TransferError("the service gave no transfer key", hint="sign in again")
    return RaysyncTransfer(found[0], line.server, line.port, acct.user_id,
                           acct.profile.get("userName") or "", key, client.settings.platform,
                           line_name=line.name, cache=cache,
                           input_bid=acct.bids.get("input_bid"), **options)
