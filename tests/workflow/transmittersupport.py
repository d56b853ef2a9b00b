"""Helpers of the transmitter tests: the real binary from the rayvision_sync wheel, a closed
port and a silent listener on 127.0.0.1, the processes a transmitter left behind."""
from __future__ import annotations

import os
import socket
import sys
import threading

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))


def real_transmitter_copy(root):
    """A private runnable copy of the wheel's Linux binary in ``root``, or a skip saying why."""
    if not sys.platform.startswith("linux"):
        pytest.skip("the real transmitter tests run the wheel's Linux binary")
    from rayvision_dcc.job.transmitter import EXE_NAME, _package_folder, private_copy
    folder = _package_folder()
    if folder is None:
        pytest.skip("rayvision_sync is not installed (make venv installs rayvision_sync==3.1.8 "
                    "with --no-deps)")
    return private_copy(os.path.join(folder, EXE_NAME), str(root))


def closed_port():
    """A port on 127.0.0.1 nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SilentListener(object):
    """Accepts connections on 127.0.0.1 and never answers: a transfer hangs there."""

    def __init__(self):
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(16)
        self.port = self.socket.getsockname()[1]
        self.accepted = []
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self):
        while True:
            try:
                conn, _addr = self.socket.accept()
            except OSError:
                return
            self.accepted.append(conn)

    def close(self):
        self.socket.close()
        for conn in self.accepted:
            conn.close()


def _stat(pid):
    try:
        with open("/proc/{}/stat".format(pid), "rb") as handle:
            text = handle.read().decode("utf-8", "replace")
    except OSError:
        return None
    name = text[text.index("(") + 1:text.rindex(")")]
    fields = text[text.rindex(")") + 2:].split()
    # fields: state ppid pgrp session ...
    return name, int(fields[1]), int(fields[2]), int(fields[3]), fields[0]


def processes():
    """(pid, name, ppid, pgrp, session) of every live (non-zombie) process."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            info = _stat(int(entry))
            if info and info[4] != "Z":
                found.append((int(entry), info[0], info[1], info[2], info[3]))
    return found


def transmitters_of(parent):
    """The transmitter processes ``parent`` started."""
    return [p for p in processes() if p[2] == parent and p[1].startswith("rayvision_trans")]


def in_session(session):
    """Every live process of ``session`` (a transmitter's pid is its session id)."""
    return [p for p in processes() if p[4] == session]
