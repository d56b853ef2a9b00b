"""The ``aspera`` engine: the official ``rayvision_transmitter -E aspera``, as the SDK runs it.

Command lines as ``rayvision_sync`` 3.1.8 builds them (``shared/spec/transfer-engines.md``):
job files one by one with ``-T upload_path`` to ``/<taskId>/cfg/<name>`` in the config
storage; scene files with ``-T upload_json -R /`` in the input storage (the main account's
for a sub-account sharing it); downloads with ``-T download_path -K true``. Every line the
binary prints becomes progress; exit 1 is a network failure retried with a growing back-off,
exit 255 is final and quoted. One transmitter runs at a time per user.
"""
from __future__ import annotations

import itertools
import json
import logging
import os

from rayvision_dcc.api.retry import Backoff
from rayvision_dcc.errors import TransferError
from rayvision_dcc.job import external, transmitter
from rayvision_dcc.job.progress import Reporter
from rayvision_dcc.job.transfer import Transfer

log = logging.getLogger("rayvision_dcc.transfer")

#: Seconds before each new try after a network failure (exit 1): minutes in all, as the
#: official package backs off (5 s growing to 600 s). Tests pass a short one.
DEFAULT_BACKOFF = (5, 15, 30, 60, 120, 240, 480, 600, 600, 600)
#: Exit codes: 1 "has recoverable error, need retry" (the binary); 10 "some files failed,
#: retry" (the SDK's handling). Everything else but 0 is final (255 from the binary).
RETRY_CODES = (1, 10)
_COUNTER = itertools.count(1)


class TransmitterTransfer(Transfer):
    """Uploads and downloads through ``rayvision_transmitter -E <engine>``."""

    name = "aspera"
    #: ``-K true`` keeps the ``<taskId>_<scene>`` level: download into the parent folder.
    keeps_task_folder = True

    def __init__(self, executable, host, port, user_id, line_name="", cache=None,
                 speed_limit=1048576, retries=2, backoff=DEFAULT_BACKOFF, network_mode=0,
                 engine="aspera", lock_folder=None, logs=None):
        self.executable = executable
        self.host = str(host)
        self.port = str(port)
        self.user_id = str(user_id)
        self.line_name = line_name
        self.cache = cache
        self.speed_limit = str(speed_limit)
        self.retries = str(retries)
        self.backoff = tuple(backoff)
        self.network_mode = int(network_mode)
        self.engine = engine
        self.name = engine
        self.lock_folder = lock_folder
        self.logs = logs or transmitter.log_folder()

    def __repr__(self):
        return "TransmitterTransfer({} {}:{}, user={})".format(self.engine, self.host, self.port,
                                                              self.user_id)

    @property
    def endpoint(self):
        """The upload cache's key for this line."""
        return "{}://{}:{}".format(self.engine, self.host, self.port)

    def arguments(self, storage, kind, local, remote, keep=False):
        """The SDK's argument list for one run (no ``-C``: our upload cache does that job)."""
        return [self.executable, "-E", self.engine, "-H", self.host, "-P", self.port,
                "-S", storage.bid, "-U", storage.user_id, "-T", kind, "-L", local, "-R", remote,
                "-r", self.retries, "-K", "true" if keep else "false", "-s", self.speed_limit,
                "-p", str(self.network_mode)]

    # -- one run, with the lock and the retries -------------------------------------------
    def _line_text(self):
        return "{} line {}{}:{}".format(self.engine, self.line_name + " " if self.line_name else "",
                                        self.host, self.port)

    def run(self, args, reporter, parser, on_progress=None):
        """Run until exit 0; raise a TransferError that quotes the binary otherwise."""
        env = transmitter.transmitter_environment(self.executable, self.logs)
        retry = Backoff(delays=self.backoff, sleep=reporter.sleep)  # the one retry rule
        attempt = 0
        while True:
            attempt += 1
            reporter.check()
            lock = transmitter.UserLock(self.user_id, self.lock_folder).acquire(reporter)
            try:
                log.info("transmitter %s", " ".join(args[1:]))

                def on_line(line):
                    step = parser.feed(line)
                    if step is not None and on_progress is not None:
                        on_progress(*step)

                code = transmitter.run(args, reporter, on_line, env=env, cwd=self.logs)
            finally:
                lock.release()
            if code == 0:
                return
            reason = parser.reason() or "no message"
            if code in RETRY_CODES and retry.allows(attempt):
                reporter.emit("transfer failed ({}); try {} of {} in {:g} s".format(
                    reason, attempt + 1, retry.retries + 1, retry.delay(attempt)), notice=True)
                retry.pause(attempt, "transfer", reason)
                continue
            self._fail(code, reason, attempt)

    def _fail(self, code, reason, attempt):
        where = "the transmitter's log is in {}".format(self.logs)
        if code in RETRY_CODES:
            raise TransferError(
                "could not transfer through the {} after {} attempts: {}".format(
                    self._line_text(), attempt, reason),
                hint="check the network (and that this line is reachable from here), then "
                     "`rayvision-dcc resume`: files already sent are not sent again; " + where)
        if "get path" in reason or "file fail" in reason:
            hint = "restore the file or remove it from the scene, then `rayvision-dcc resume`"
        elif reason.startswith(("arg [", "the argument", "unrecogni")):
            hint = "report this with the job folder's api-calls.log"
        else:
            hint = "`rayvision-dcc resume` tries again"
        raise TransferError("the transmitter stopped (exit {}): {}".format(code, reason),
                            hint=hint + "; " + where)

    # -- upload ---------------------------------------------------------------------------
    def upload(self, files, storage, reporter=None):
        reporter = reporter or Reporter()
        files = list(files)
        stats, todo, result = external.begin_upload(
            files, storage, self.cache, self.endpoint, reporter,
            "uploading {} files ({})".format(len(files), self._line_text()))
        if not todo:
            return result
        sizes = {local: (stats[local].st_size if stats[local] is not None else 0)
                 for local, _s in todo}
        parser = transmitter.LineParser(sizes)

        def on_progress(path, nbytes, nfiles):
            reporter.add(files=nfiles, nbytes=nbytes,
                         message=("sent: " if nfiles else "sending: ") + path)

        sent = []
        try:
            if storage.kind == "config":
                # The SDK's way for job files: one exact remote path per run.
                for local, server in todo:
                    self.run(self.arguments(storage, "upload_path", local, server), reporter,
                             parser, on_progress)
                    self._remember(storage, [(local, server)], stats)
                    sent.append(local)
            else:
                listing = self._listing(todo)
                try:
                    self.run(self.arguments(storage, "upload_json", listing, "/"), reporter,
                             parser, on_progress)
                finally:
                    os.remove(listing)
                self._remember(storage, todo, stats)
        except BaseException:
            # What the binary said it finished is not sent again on resume.
            self._remember(storage, [p for p in todo if parser.finished(p[0]) and
                                     p[0] not in sent], stats)
            raise
        for local, _server in todo:
            if not parser.finished(local):   # the binary did not print its done line
                reporter.add(files=1, nbytes=sizes[local] - parser.counted(local))
        result.uploaded = [local for local, _s in todo]
        return result

    def _listing(self, pairs):
        folder = transmitter.data_folder("transmitter", "lists")
        os.makedirs(folder, exist_ok=True)
        path = os.path.join(folder, "upload-{}-{}.json".format(os.getpid(), next(_COUNTER)))
        with open(path, "w", encoding="utf-8") as out:
            json.dump({"asset": [{"local": local.replace("\\", "/"), "server": server}
                                 for local, server in pairs]}, out, ensure_ascii=False)
        return path

    def _remember(self, storage, pairs, stats):
        external.remember(self.cache, self.endpoint, storage, pairs, stats)

    # -- download -------------------------------------------------------------------------
    def download(self, remote_folder, local_folder, storage, reporter=None):
        """``-T download_path -K true``: ``local_folder/<remote_folder>/...``; the binary
        skips and resumes what is already there. Returns the files that are new."""
        reporter = reporter or Reporter()
        reporter.phase("download", "downloading {} ({})".format(remote_folder, self._line_text()))
        os.makedirs(local_folder, exist_ok=True)
        before = external.files_under(local_folder)
        parser = transmitter.LineParser()

        def on_progress(path, nbytes, nfiles):
            reporter.add(files=nfiles, nbytes=nbytes,
                         message=("fetched: " if nfiles else "fetching: ") + path)

        self.run(self.arguments(storage, "download_path", local_folder,
                                remote_folder.strip("/"), keep=True), reporter, parser,
                 on_progress)
        return sorted(external.files_under(local_folder) - before)
