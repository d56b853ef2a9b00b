"""The ``raysync`` engine: drives the official ``rayvision_transmitter`` command line.

Arguments and exit codes as job-files.md section 4 documents them. Where the executable
comes from: the ``transmitter_path`` setting of the user config, the
``RAYVISION_TRANSMITTER`` environment variable, or the ``rayvision_sync`` package when it
is installed. Tested here with a stand-in that honours the same contract; not run against
the real service (docs/transfer.md).
"""
from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import tempfile
import time

from rayvision_dcc.errors import TransferError
from rayvision_dcc.job.progress import Reporter
from rayvision_dcc.job.transfer import Transfer, UploadResult

log = logging.getLogger("rayvision_dcc.transfer")

# Exit codes of rayvision_transmitter (the tool's help and the SDK's handling).
RETRY_CODES = (1, 10)
FATAL_CODES = (-1, 255, 9)
MISSING_FILES = 11
BAD_ARGUMENTS = range(2, 9)


def find_transmitter(configured=None):
    """The transmitter executable, or a TransferError that says where it was looked for."""
    name = "rayvision_transmitter.exe" if sys.platform == "win32" else "rayvision_transmitter"
    candidates = [configured, os.environ.get("RAYVISION_TRANSMITTER")]
    try:
        import rayvision_sync  # the official package ships the executable
        root = os.path.dirname(rayvision_sync.__file__)
        for folder, _dirs, files in os.walk(root):
            if name in files:
                candidates.append(os.path.join(folder, name))
    except ImportError:
        pass
    for path in candidates:
        if path and os.path.isfile(path) and os.access(path, os.X_OK):
            return path
    raise TransferError("rayvision_transmitter was not found",
                        hint="install the rayvision_sync package, or set transmitter_path in the "
                             "config (or RAYVISION_TRANSMITTER) to the executable")


class RaysyncTransfer(Transfer):
    name = "raysync"

    def __init__(self, executable, host, port, user_id, engine="raysync", speed_limit=1048576,
                 retries=2, attempts=3, retry_backoff=1.0, db_ini=None, protocol=None):
        self.executable = executable
        self.host = str(host)
        self.port = str(port)
        self.user_id = str(user_id)
        self.engine = engine
        self.speed_limit = str(speed_limit)
        self.retries = str(retries)
        self.attempts = attempts
        self.retry_backoff = retry_backoff
        self.db_ini = db_ini
        self.protocol = protocol

    def arguments(self, storage, kind, local, remote, keep=False):
        """The documented argument list for one transmitter run."""
        args = [self.executable, "-E", self.engine, "-H", self.host, "-P", self.port,
                "-S", storage.bid, "-U", storage.user_id, "-T", kind, "-L", local, "-R", remote,
                "-r", self.retries, "-K", "true" if keep else "false", "-s", self.speed_limit]
        if self.db_ini and kind.startswith("upload"):
            args += ["-C", self.db_ini]
        if self.protocol is not None:
            args += ["-p", str(self.protocol)]
        return args

    def run(self, args, reporter):
        attempt = 0
        while True:
            attempt += 1
            reporter.check()
            log.debug("transmitter %s", " ".join(args[1:]))
            process = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                       stderr=subprocess.STDOUT)
            try:
                # The tool asks for confirmation; the SDK pipes "y" as well.
                output, _ = process.communicate(b"y\n")
            except BaseException:
                process.kill()
                process.wait()
                raise
            code = process.returncode
            text = output.decode("utf-8", "replace").strip().splitlines()
            last = text[-1] if text else ""
            if code == 0:
                return
            if code == MISSING_FILES:
                raise TransferError("the transmitter could not upload some files (missing or "
                                    "unreadable): {}".format(last),
                                    hint="restore the files the scan reported, then resume")
            if code in BAD_ARGUMENTS:
                raise TransferError("the transmitter refused its arguments (exit {}): {}".format(
                    code, last), hint="report this with the job folder's api-calls.log")
            if code in RETRY_CODES and attempt < self.attempts:
                time.sleep(min(self.retry_backoff * 2 ** (attempt - 1), 600))
                continue
            raise TransferError("the transmitter failed (exit {}): {}".format(code, last),
                                hint="check the network and the transfer line, then resume")

    def upload(self, files, storage, reporter=None):
        reporter = reporter or Reporter()
        files = list(files)
        total = 0
        for local, _server in files:
            try:
                total += os.path.getsize(local)
            except OSError:
                pass
        reporter.expect(len(files), total, "uploading {} files with raysync".format(len(files)))
        handle, listing = tempfile.mkstemp(suffix=".json", prefix="upload_")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump({"asset": [{"local": l.replace("\\", "/"), "server": s} for l, s in files]}, out)
        try:
            self.run(self.arguments(storage, "upload_json", listing, "/"), reporter)
        finally:
            os.remove(listing)
        reporter.add(files=len(files), nbytes=total)
        result = UploadResult()
        result.uploaded = [local for local, _s in files]
        return result

    def upload_file(self, local, remote, storage, reporter=None):
        """One file to an exact remote path (the config files at /<task_id>/cfg/)."""
        self.run(self.arguments(storage, "upload_path", local, remote), reporter or Reporter())

    def download(self, remote_folder, local_folder, storage, reporter=None):
        reporter = reporter or Reporter()
        reporter.phase("download", "downloading {} with raysync".format(remote_folder))
        before = set(_walk(local_folder))
        self.run(self.arguments(storage, "download_path", local_folder, remote_folder, keep=True),
                 reporter)
        new = sorted(set(_walk(local_folder)) - before)
        reporter.add(files=len(new))
        return new


def _walk(folder):
    for root, _dirs, files in os.walk(folder):
        for name in files:
            yield os.path.join(root, name)
