"""Submit-side targets: scanning and hashing, skip on resubmit, API calls, memory.

- scanning (stat + upload-cache lookup) and hashing 10,000 small files and one 1 GiB file,
  against plain chunked reads of the same data;
- a second submit of an unchanged scene uploads nothing;
- the number of API calls one submission makes;
- peak memory: hashing 1 GiB stays at the chunk size, and job files for 100,000
  dependencies grow per dependency, not per byte of the files.
"""
from __future__ import annotations

import os
import pathlib
import shutil
import sys
import tempfile
import time
import tracemalloc

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

SMALL_FILES = 10000
BIG_BYTES = 1 << 30


def _make_files(folder):
    small = []
    block = os.urandom(1024)
    for index in range(SMALL_FILES):
        path = os.path.join(folder, "small", "f{:05d}.bin".format(index))
        if index % 1000 == 0:
            os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as handle:
            handle.write(block[index % 512:] + block[:index % 512])
        small.append(path)
    big = os.path.join(folder, "big.bin")
    chunk = os.urandom(1 << 20)
    with open(big, "wb") as handle:
        for _ in range(BIG_BYTES >> 20):
            handle.write(chunk)
    return small, big


def _plain_read(paths):
    for path in paths:
        with open(path, "rb") as handle:
            while handle.read(1 << 20):
                pass


def _timed(func, *args):
    started = time.perf_counter()
    func(*args)
    return time.perf_counter() - started


def scan_and_hash(rows, folder):
    from rayvision_dcc.job.transfer import UploadCache, sha256_of
    small, big = _make_files(folder)
    rows.append(("plain read 10,000 x 1 KiB", _timed(_plain_read, small), "s", "baseline"))
    rows.append(("sha256 10,000 x 1 KiB", _timed(lambda: [sha256_of(p) for p in small]), "s",
                 "close to plain read"))
    cache = UploadCache(os.path.join(folder, "cache.sqlite"))
    for path in small:
        st = os.stat(path)
        cache.record("bench", "1", path, path, st.st_size, st.st_mtime, "x")

    def scan():
        for path in small:
            st = os.stat(path)
            assert cache.lookup("bench", "1", path, path, st.st_size, st.st_mtime)
    rows.append(("scan 10,000 unchanged (stat + cache)", _timed(scan), "s", "< plain read"))
    plain = _timed(_plain_read, [big])
    hashed = _timed(sha256_of, big)
    rows.append(("plain read 1 GiB", plain, "s", "baseline"))
    rows.append(("sha256 1 GiB", hashed, "s", "disk- or CPU-bound"))
    rows.append(("sha256 1 GiB throughput", (BIG_BYTES / hashed) / 1e6, "MB/s", "> 300"))
    tracemalloc.start()
    sha256_of(big)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rows.append(("peak memory hashing 1 GiB", peak / 1e6, "MB", "< 4 (one chunk)"))


def dependency_memory(rows, folder):
    from rayvision_dcc.job.jobfiles import build_upload_json
    from rayvision_dcc.job.scene import Dependency, SceneInfo
    from rayvision_dcc.job.spec import JobSpec
    from rayvision_dcc.job.workflow import upload_pairs
    scene_path = os.path.join(folder, "shot.ma")
    with open(scene_path, "w") as handle:
        handle.write("//Maya ASCII\n")
    peaks = {}
    for count in (10000, 100000):
        deps = [Dependency(path="/proj/tex/t{:06d}.png".format(i), kind="image", exists=True)
                for i in range(count)]
        spec = JobSpec(scene=SceneInfo(host="Maya", host_version="2022", scene_path=scene_path,
                                       frame_start=1, frame_end=1, dependencies=deps),
                       render_env={"cgId": 2000, "cgName": "Maya", "cgVersion": "2022"})
        tracemalloc.start()
        pairs = upload_pairs(build_upload_json(spec))
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert len(pairs) == count + 1
        peaks[count] = peak
        del deps, spec, pairs
    rows.append(("upload list for 100,000 deps: peak", peaks[100000] / 1e6, "MB", "linear, small"))
    rows.append(("bytes per dependency (100k vs 10k)",
                 (peaks[100000] - peaks[10000]) / 90000.0, "B", "< 2000, flat"))


def submit_round(rows, folder):
    sys.path.insert(0, os.path.join(ROOT, "tests"))
    from farmsupport import make_scene, start_farm
    from rayvision_dcc.job import workflow
    from rayvision_dcc.job.journal import Journal
    from rayvision_dcc.job.spec import JobSpec
    os.environ["RAYVISION_DATA_DIR"] = os.path.join(folder, "data")
    scene = make_scene(pathlib.Path(folder, "project"), textures=200, size=4096)
    farm = start_farm(os.path.join(folder, "farm"))
    try:
        client = farm.client()
        calls = []
        client.add_listener(calls.append)
        started = time.perf_counter()
        first = workflow.submit(JobSpec(scene=scene), client)
        rows.append(("submit 200 files (first)", time.perf_counter() - started, "s", "-"))
        rows.append(("API calls in one submission", len(calls), "calls", "<= 10"))
        started = time.perf_counter()
        second = workflow.submit(JobSpec(scene=scene.copy()), client)
        rows.append(("submit unchanged scene (second)", time.perf_counter() - started, "s", "-"))
        uploaded = Journal.load(second.job_folder).step_data("assets_uploaded")["uploaded"]
        rows.append(("files uploaded by the second submit", uploaded, "files", "0"))
        assert first.task_id != second.task_id
    finally:
        farm.stop()


def run():
    rows = []
    folder = tempfile.mkdtemp(prefix="rayvision-bench-")
    try:
        scan_and_hash(rows, folder)
        dependency_memory(rows, folder)
        submit_round(rows, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return rows


if __name__ == "__main__":
    for row in run():
        print("{:<45} {:>12.4g} {:<6} {}".format(row[0], float(row[1]), row[2], row[3]))
