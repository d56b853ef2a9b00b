"""What the engines that hand whole lists to an outside program (the transmitter, the Raysync
client) share: the upload cache before and after a run, and the files a download added."""
from __future__ import annotations

import os

from rayvision_dcc.job.transfer import UploadResult


def begin_upload(files, storage, cache, endpoint, reporter, message):
    """Stat every file, announce the totals, skip what ``cache`` knows was sent unchanged.

    Returns ``(stats, todo, result)``: ``stats[local]`` is an ``os.stat`` or None (missing),
    ``todo`` the pairs to send, ``result`` an UploadResult with the skipped ones."""
    stats = {}
    for local, _server in files:
        try:
            stats[local] = os.stat(local)
        except OSError:
            stats[local] = None
    reporter.expect(len(files), sum(s.st_size for s in stats.values() if s is not None), message)
    result = UploadResult()
    todo = []
    for local, server in files:
        info = stats[local]
        if info is not None and cache is not None and cache.lookup(
                endpoint, storage.bid, server, local, info.st_size, info.st_mtime) is not None:
            result.skipped.append(local)
            reporter.add(files=1, nbytes=info.st_size, message="unchanged: " + local)
        else:
            todo.append((local, server))
    return stats, todo, result


def remember(cache, endpoint, storage, pairs, stats):
    """Record ``pairs`` as sent (no hash: the program does not give one)."""
    if cache is None:
        return
    for local, server in pairs:
        info = stats.get(local)
        if info is not None:
            cache.record(endpoint, storage.bid, server, local, info.st_size, info.st_mtime, "")


def files_under(folder):
    """Every file below ``folder`` (a set, to compare before and after a download)."""
    found = set()
    for root, _dirs, names in os.walk(folder):
        for name in names:
            found.add(os.path.join(root, name))
    return found
