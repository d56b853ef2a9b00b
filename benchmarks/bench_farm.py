"""The local farm under load: 20 concurrent clients, 5,000 signed requests.

The farm runs as it does for users, ``rayvision-dcc farm serve`` in its own process; the
clients are threads of this process, each a ``RenderClient`` (keep-alive session, signed
headers, fresh nonce per request) calling a mix of queryUserProfile and queryTaskInfo
(3 of every 4 requests are task queries over 5 submitted tasks). Latency is measured per
request around ``client.call``; errors are any exception.
"""
from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

CLIENTS = 20
REQUESTS = 5000


def start_farm(data):
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    process = subprocess.Popen(
        [sys.executable, "-m", "rayvision_dcc", "farm", "serve", "--port", "0", "--ready-json",
         "--data", data, "--user", "bench-id:bench-key-0123456789"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, cwd=ROOT)
    ready = json.loads(process.stdout.readline().decode("utf-8"))
    return process, ready


def make_tasks(client, count=5):
    """Created (not submitted) tasks: queryTaskInfo reads the task and its frame counts."""
    return client.create_task(count=count)["taskIdList"]


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def load(ready, task_ids, clients=CLIENTS, total=REQUESTS):
    from rayvision_dcc.api import RenderClient

    latencies, errors = [], []
    lock = threading.Lock()
    per_client = total // clients

    def worker(index):
        user = ready["users"][0]
        client = RenderClient(access_id=user["access_id"], access_key=user["access_key"],
                              domain=ready["domain"], protocol="http", platform="2",
                              api_version="v1" if index % 2 else "v2", max_retries=0)
        mine = []
        for n in range(per_client):
            started = time.perf_counter()
            try:
                if n % 4 == 0:
                    client.call("queryUserProfile", {})
                else:
                    client.call("queryTaskInfo", {"taskIds": task_ids})
            except Exception as exc:  # counted, never hidden
                with lock:
                    errors.append("{}: {}".format(type(exc).__name__, exc))
                continue
            mine.append(time.perf_counter() - started)
        client.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, errors, time.perf_counter() - started


def run():
    from rayvision_dcc.api import RenderClient

    data = tempfile.mkdtemp(prefix="bench-farm-")
    process, ready = start_farm(data)
    try:
        user = ready["users"][0]
        setup = RenderClient(access_id=user["access_id"], access_key=user["access_key"],
                             domain=ready["domain"], protocol="http", platform="2")
        task_ids = make_tasks(setup)
        latencies, errors, seconds = load(ready, task_ids)
    finally:
        process.terminate()
        process.wait(20)
        process.stdout.close()
        shutil.rmtree(data, ignore_errors=True)
    done = len(latencies)
    rows = [
        ("farm: signed requests answered ({} clients)".format(CLIENTS), done, "requests",
         "{} with no error".format(REQUESTS)),
        ("farm: errors", len(errors), "errors", "0"),
        ("farm: latency p50", statistics.median(latencies) * 1e3, "ms", "< 20 ms"),
        ("farm: latency p99", percentile(latencies, 0.99) * 1e3, "ms", "< 100 ms"),
        ("farm: throughput", done / seconds, "req/s", "for reference (2 cores, client in-process)"),
    ]
    if errors:
        rows.append(("farm: first error: " + errors[0][:80], 0, "", ""))
    return rows


if __name__ == "__main__":
    results = run()
    width = max(len(row[0]) for row in results)
    print("{:<{w}}  {:>10}  {:<9}  {}".format("benchmark", "value", "unit", "target", w=width))
    for name, value, unit, target in results:
        shown = "{:.2f}".format(value) if isinstance(value, float) else str(value)
        print("{:<{w}}  {:>10}  {:<9}  {}".format(name, shown, unit, target, w=width))
