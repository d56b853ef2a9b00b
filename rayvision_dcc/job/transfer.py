"""Uploads and downloads: one interface, an engine per kind of line (docs/transfer.md).

- :class:`HttpTransfer` speaks the local farm's HTTP transfer service
  (docs/architecture.md, "The farm's HTTP transfer service").
- ``job.aspera.TransmitterTransfer`` runs the official ``rayvision_transmitter``;
  ``job.raysync.RaysyncTransfer`` the service's Raysync client; ``job.engines`` picks one.

All take ``(local, server)`` pairs and a :class:`~rayvision_dcc.job.progress.Reporter`;
all skip files the :class:`UploadCache` knows are on the server unchanged.
"""
from __future__ import annotations

import logging
import os
import sqlite3
import threading
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import quote

from rayvision_dcc.api.retry import Backoff
from rayvision_dcc.errors import Cancelled, TransferError
from rayvision_dcc.job.paths import file_digest
from rayvision_dcc.job.progress import Reporter

log = logging.getLogger("rayvision_dcc.transfer")

CHUNK = 1024 * 1024
#: An upload body is sent in blocks this big, with a cancel check before each: a cancel
#: (or Ctrl-C) stops a file mid-way within one block's time, well under a second on any
#: link the service accepts.
BODY_BLOCK = 64 * 1024


def sha256_of(path, reporter=None):
    """Hex SHA-256 of a file, read in chunks (never whole into memory); cancellable."""
    return file_digest(path, "sha256", CHUNK, reporter.check if reporter is not None else None)


class Storage(object):
    """One remote storage: its bid and the user it belongs to."""

    __slots__ = ("kind", "bid", "user_id")

    def __init__(self, kind, bid, user_id):
        self.kind = kind          # "config", "input" or "output"
        self.bid = str(bid)
        self.user_id = str(user_id)

    def __repr__(self):
        return "Storage({}, bid={}, user={})".format(self.kind, self.bid, self.user_id)


class UploadCache(object):
    """What was uploaded where: (endpoint, bid, server path) -> (local path, size, mtime, sha256).

    A file whose path, size and mtime are unchanged since its upload is not sent again;
    the hash lets a changed mtime with the same content cost a HEAD, not an upload.
    """

    def __init__(self, path):
        self.path = path
        folder = os.path.dirname(path)
        if folder:
            os.makedirs(folder, exist_ok=True)
        self._local = threading.local()
        with self._db() as db:
            db.execute("CREATE TABLE IF NOT EXISTS uploads (endpoint TEXT, bid TEXT, server TEXT, "
                       "local TEXT, size INTEGER, mtime REAL, sha256 TEXT, "
                       "PRIMARY KEY (endpoint, bid, server))")

    def _db(self):
        db = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self.path, timeout=30)
            db.execute("PRAGMA journal_mode=WAL")
            self._local.db = db
        return db

    def lookup(self, endpoint, bid, server, local, size, mtime):
        """The recorded sha256 when this exact file (path, size, mtime) was uploaded, else None."""
        row = self._db().execute(
            "SELECT local, size, mtime, sha256 FROM uploads WHERE endpoint=? AND bid=? AND server=?",
            (endpoint, bid, server)).fetchone()
        if row and row[0] == local and row[1] == size and abs(row[2] - mtime) < 1e-6:
            return row[3]
        return None

    def forget(self, endpoint, bid, servers):
        """Drop what is known of ``servers`` (the service said it does not hold them)."""
        with self._db() as db:
            db.executemany("DELETE FROM uploads WHERE endpoint=? AND bid=? AND server=?",
                           [(endpoint, bid, server) for server in servers])

    def record(self, endpoint, bid, server, local, size, mtime, sha256):
        with self._db() as db:
            db.execute("INSERT OR REPLACE INTO uploads VALUES (?, ?, ?, ?, ?, ?, ?)",
                       (endpoint, bid, server, local, size, mtime, sha256))


class _CountingReader(object):
    """A file body for requests: counts bytes into the reporter, stops on cancel."""

    def __init__(self, path, size, reporter):
        self._handle = open(path, "rb")
        self._size = size
        self._reporter = reporter
        self.sent = 0

    def __len__(self):
        return self._size

    def read(self, amount=-1):
        self._reporter.check()
        block = self._handle.read(BODY_BLOCK if amount is None or amount < 0
                                  else min(amount, BODY_BLOCK))
        if block:
            self.sent += len(block)
            self._reporter.add(nbytes=len(block))
        return block

    def close(self):
        self._handle.close()


class Transfer(object):
    """The transfer interface. ``files`` are ``(local, server)`` pairs."""

    name = "base"

    def upload(self, files, storage, reporter=None):
        raise NotImplementedError

    def download(self, remote_folder, local_folder, storage, reporter=None):
        """Fetch every file under ``remote_folder`` that is not already there; returns paths."""
        raise NotImplementedError

    def forget(self, files, storage):
        """The service lost some of ``files``: whatever this engine remembers of them as
        sent is dropped, so the next upload checks each one and sends it again."""

    def close(self):
        pass


class UploadResult(object):
    def __init__(self):
        self.uploaded = []
        self.skipped = []
        self.failed = []   # (local, server, reason, hint)

    @property
    def count(self):
        return len(self.uploaded) + len(self.skipped)


class HttpTransfer(Transfer):
    """The local farm's HTTP transfer service; parallel, resumable, skipping unchanged files."""

    name = "http"

    def __init__(self, base_url, user_id, transfer_key, cache=None, workers=4, retries=3,
                 retry_backoff=0.5, timeout=60.0, proxy="", ca_bundle=""):
        self.base_url = base_url.rstrip("/")
        self.user_id = str(user_id)
        self._key = transfer_key
        self.cache = cache
        self.workers = max(1, int(workers))
        self.retries = retries
        self.retry_backoff = retry_backoff
        self.timeout = timeout
        self._proxy = proxy
        self._ca_bundle = ca_bundle
        self._local = threading.local()

    def __repr__(self):  # never the key
        return "HttpTransfer({}, user={})".format(self.base_url, self.user_id)

    def _session(self):
        session = getattr(self._local, "session", None)
        if session is None:
            import requests
            session = requests.Session()
            session.headers.update({"X-Rayvision-User-Id": self.user_id,
                                    "X-Rayvision-Transfer-Key": self._key})
            if self._proxy:
                session.proxies.update({"http": self._proxy, "https": self._proxy})
            if self._ca_bundle:
                session.verify = self._ca_bundle
            self._local.session = session
        return session

    def url(self, storage, server_path):
        parts = [part for part in server_path.replace("\\", "/").split("/") if part]
        if any(part in (".", "..") for part in parts):
            # HTTP clients fold dot segments away, so the request would land elsewhere.
            raise TransferError("the server path {!r} leaves its storage".format(server_path),
                                hint="give the file an absolute path without '..' in the scene")
        path = "/".join(quote(part, safe="") for part in parts)
        return "{}/{}/{}".format(self.base_url, quote(storage.bid, safe=""), path)

    # -- upload -------------------------------------------------------------------------
    def upload(self, files, storage, reporter=None):
        reporter = reporter or Reporter()
        files = list(files)
        sizes = {}
        for local, _server in files:
            try:
                sizes[local] = os.path.getsize(local)
            except OSError:
                sizes[local] = 0
        reporter.expect(len(files), sum(sizes.values()), "uploading {} files".format(len(files)))
        result = UploadResult()
        lock = threading.Lock()

        def one(pair):
            local, server = pair
            try:
                skipped = self._upload_one(local, server, storage, reporter)
            except Cancelled:
                raise
            except TransferError as exc:
                with lock:
                    result.failed.append((local, server, exc.message, exc.hint))
                reporter.add(files=1, message="failed: {}".format(local))
                return
            with lock:
                (result.skipped if skipped else result.uploaded).append(local)
            if skipped:
                reporter.add(files=1, nbytes=sizes.get(local, 0), message="unchanged: " + local)
            else:
                reporter.add(files=1, message="sent: " + local)

        with ThreadPoolExecutor(max_workers=self.workers) as pool:
            futures = [pool.submit(one, pair) for pair in files]
            try:
                for future in futures:
                    future.result()
            except (Cancelled, KeyboardInterrupt):
                # Ctrl-C lands here, in the waiting thread: the workers stop at their next
                # block (files done so far are in the cache; a half-sent one is not kept).
                reporter.cancel()
                for future in futures:
                    future.cancel()
                raise
        if result.failed:
            names = ", ".join(failure[0] for failure in result.failed[:5])
            first_hint = result.failed[0][3]
            raise TransferError(
                "{} of {} files failed to upload ({}{}): {}".format(
                    len(result.failed), len(files), names,
                    ", ..." if len(result.failed) > 5 else "", result.failed[0][2]),
                hint=(first_hint + "; then " if first_hint else "check the files and the "
                      "connection, then ") + "`rayvision-dcc resume`: files already sent are "
                                             "not sent again")
        return result

    def _upload_one(self, local, server, storage, reporter):
        """Upload one file with retries. Returns True when it was skipped as unchanged."""
        try:
            stat = os.stat(local)
        except OSError as exc:
            raise TransferError("cannot read {}: {}".format(local, exc.strerror or exc),
                                hint="restore the file or remove it from the scene")
        endpoint = self.base_url
        if self.cache is not None and self.cache.lookup(endpoint, storage.bid, server, local,
                                                        stat.st_size, stat.st_mtime):
            return True
        digest = sha256_of(local, reporter)
        url = self.url(storage, server)

        def attempt():
            reporter.check()
            remote = self._session().head(url, timeout=self.timeout)
            if remote.status_code == 200 and remote.headers.get("X-Content-SHA256") == digest:
                self._remember(storage, server, local, stat, digest)
                return True
            self._check_status(remote, url, allow=(200, 404))
            body = _CountingReader(local, stat.st_size, reporter)
            try:
                answer = self._session().put(url, data=body, timeout=self.timeout,
                                             headers={"X-Content-SHA256": digest,
                                                      "Content-Type": "application/octet-stream"})
                self._check_status(answer, url, allow=(200, 201))
            except Exception as exc:
                if body.sent and _retryable(exc):
                    reporter.add(nbytes=-body.sent)  # those bytes will be sent again
                raise
            finally:
                body.close()
            self._remember(storage, server, local, stat, digest)
            return False

        return self._backoff().call(
            attempt, _retryable, "upload of " + local,
            give_up=lambda exc, attempts: TransferError(
                "upload of {} failed after {} attempts: {}".format(local, attempts,
                                                                   _reason(exc))))

    def forget(self, files, storage):
        if self.cache is not None:
            self.cache.forget(self.base_url, storage.bid, [server for _local, server in files])

    def _remember(self, storage, server, local, stat, digest):
        if self.cache is not None:
            self.cache.record(self.base_url, storage.bid, server, local, stat.st_size,
                              stat.st_mtime, digest)

    @staticmethod
    def _check_status(answer, url, allow):
        if answer.status_code in allow:
            return
        try:
            message = answer.json().get("message", "")
        except ValueError:
            message = answer.text[:200]
        error = _RetryableTransferError if answer.status_code >= 500 else TransferError
        hint = ""
        if answer.status_code == 401:
            hint = "the transfer key was refused: sign in again (`rayvision-dcc login`)"
        elif answer.status_code == 403:
            hint = "the path or storage is not yours; check the scene's paths"
        raise error("transfer service answered {} for {}: {}".format(
            answer.status_code, url.split("?")[0], message), hint=hint)

    # -- download -----------------------------------------------------------------------
    def list_files(self, remote_folder, storage):
        url = self.url(storage, remote_folder) + "?list=1"
        answer = self._retrying(lambda: self._session().get(url, timeout=self.timeout), url)
        return answer.json().get("files", [])

    def download(self, remote_folder, local_folder, storage, reporter=None):
        reporter = reporter or Reporter()
        files = self.list_files(remote_folder, storage)
        prefix = "/" + remote_folder.strip("/") + "/"
        wanted = []
        for item in files:
            relative = item["path"][len(prefix):] if item["path"].startswith(prefix) else \
                item["path"].lstrip("/")
            target = os.path.join(local_folder, *relative.split("/"))
            if os.path.isfile(target) and os.path.getsize(target) == item.get("size"):
                continue  # already here
            wanted.append((item, target))
        reporter.phase("download", "downloading {} files".format(len(wanted)),
                       files_total=len(wanted), bytes_total=sum(i.get("size", 0) for i, _t in wanted))
        done = []
        for item, target in wanted:
            reporter.check()
            self._download_one(item, target, storage, reporter)
            reporter.add(files=1, message=target)
            done.append(target)
        return done

    def _download_one(self, item, target, storage, reporter):
        os.makedirs(os.path.dirname(target), exist_ok=True)
        partial = target + ".part"
        url = self.url(storage, item["path"])

        def attempt():
            offset = os.path.getsize(partial) if os.path.exists(partial) else 0
            headers = {"Range": "bytes={}-".format(offset)} if offset else {}
            with self._session().get(url, headers=headers, stream=True,
                                     timeout=self.timeout) as answer:
                if answer.status_code == 200:
                    offset = 0
                self._check_status(answer, url, allow=(200, 206))
                with open(partial, "ab" if offset else "wb") as handle:
                    for block in answer.iter_content(CHUNK):
                        reporter.check()
                        handle.write(block)
                        reporter.add(nbytes=len(block))
            if item.get("sha256") and sha256_of(partial) != item["sha256"]:
                os.remove(partial)
                raise _RetryableTransferError("downloaded {} does not match its hash".format(
                    item["path"]))
            os.replace(partial, target)

        self._backoff().call(
            attempt, _retryable, "download of " + item["path"],
            give_up=lambda exc, attempts: TransferError(
                "download of {} failed after {} attempts: {}".format(
                    item["path"], attempts, _reason(exc)),
                hint="run the download again: finished files are kept"))

    def _backoff(self):
        return Backoff(self.retries, self.retry_backoff)

    def _retrying(self, send, url):
        def attempt():
            answer = send()
            self._check_status(answer, url, allow=(200,))
            return answer
        return self._backoff().call(
            attempt, _retryable, url.split("?")[0],
            give_up=lambda exc, attempts: TransferError("{} failed: {}".format(
                url.split("?")[0], _reason(exc))))


def _retryable(exc):
    """Network faults and 5xx answers are retried; a refusal or a cancel is not."""
    if isinstance(exc, Cancelled):
        return False
    return not isinstance(exc, TransferError) or exc.retryable


class _RetryableTransferError(TransferError):
    retryable = True


TransferError.retryable = False


def _reason(exc):
    text = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    return text.splitlines()[0][:300]
