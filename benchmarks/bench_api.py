"""The API layer's costs: signing a request, and the client's share of a loopback call.

Client overhead = (time of ``client.call``) - (the server's handling time, measured inside
its request handler). It still contains the loopback TCP hop and the server's header
parsing, so it over- rather than under-states what the client costs. The server is a
tiny stdlib HTTP/1.1 keep-alive server in a thread of this process.
"""
from __future__ import annotations

import json
import statistics
import threading
import time
import timeit
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from rayvision_dcc.api import RenderClient, flatten, sign

ACCESS_ID = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE"
ACCESS_KEY = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE"

HEADERS = {"accessId": ACCESS_ID, "channel": "4", "platform": "2", "UTCTimestamp": "1535957371",
           "nonce": "5f0c3a9e1b2d4c6a", "version": "1.0.0"}
#: A typical body: a task-list query with filters.
TYPICAL_BODY = {"pageNum": 1, "pageSize": 20, "statusList": [0, 5, 10, 15], "searchKeyword": "shot_010",
                "startTime": "2026-11-01 00:00:00", "endTime": "2026-11-25 23:59:59",
                "recycleFlag": 0}
#: A large body: a render environment with plugins, nested.
LARGE_BODY = {"cgId": 2000, "cgName": "Maya", "cgVersion": "2022", "editName": "lookdev",
              "renderEnvs": [{"envId": i, "pluginIds": list(range(i, i + 10)),
                              "options": {"gpu": i % 2 == 0, "note": None}} for i in range(20)]}

ENVELOPE = json.dumps({"version": "1.0.0", "result": True, "message": "success", "code": 200,
                       "data": {"userId": 10001136, "userName": "rayvision"},
                       "serverTime": 1535953580730}).encode("utf-8")


def per_call(func, number):
    """Best of 5 runs, in seconds per call."""
    return min(timeit.repeat(func, number=number, repeat=5)) / number


def judged(target, value, limit):
    return "{}  [{}]".format(target, "met" if value < limit else "MISSED")


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def log_message(self, *args):
        pass

    def do_POST(self):
        started = time.perf_counter()
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(ENVELOPE)))
        self.end_headers()
        # recorded before the last write, or the client could read the answer first
        self.server.handling.append(time.perf_counter() - started)
        self.wfile.write(ENVELOPE)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False


def round_trips(count=600, warmup=100):
    """``(client_overhead, total, requests_overhead)`` lists in seconds, one item per call."""
    import requests

    httpd = _Server(("127.0.0.1", 0), _Handler)
    httpd.handling = []
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    domain = "127.0.0.1:{}".format(httpd.server_address[1])
    client = RenderClient(access_id=ACCESS_ID, access_key=ACCESS_KEY, domain=domain,
                          protocol="http", timeout=5)
    session = requests.Session()
    try:
        def measure(call):
            overhead, total = [], []
            for index in range(warmup + count):
                del httpd.handling[:]
                started = time.perf_counter()
                call()
                took = time.perf_counter() - started
                if index >= warmup:
                    total.append(took)
                    overhead.append(took - httpd.handling[0])
            return overhead, total

        client_overhead, client_total = measure(client.user_profile)
        url = "http://{}/api/render/user/queryUserProfile".format(domain)
        headers = client.signed_headers("/api/render/user/queryUserProfile", {})
        raw_overhead, _ = measure(lambda: session.post(url, data=b"{}", headers=headers,
                                                       timeout=5).content)
    finally:
        client.close()
        session.close()
        httpd.shutdown()
        httpd.server_close()
    return client_overhead, client_total, raw_overhead


def run():
    rows = []
    typical = per_call(lambda: sign(ACCESS_KEY, "task.renderbus.com", "/api/render/task/getTaskList",
                                     HEADERS, TYPICAL_BODY), 5000)
    rows.append(("sign a typical body ({} keys)".format(len(flatten(TYPICAL_BODY))), typical * 1e6, "us",
                 judged("< 100 us (well under 0.1 ms)", typical, 100e-6)))
    large = per_call(lambda: sign(ACCESS_KEY, "task.renderbus.com", "/api/render/common/addRenderEnv",
                                  HEADERS, LARGE_BODY), 500)
    rows.append(("sign a large body ({} keys)".format(len(flatten(LARGE_BODY))), large * 1e6, "us", "for reference"))

    overhead, total, raw = round_trips()
    median = statistics.median(overhead)
    p95 = sorted(overhead)[int(len(overhead) * 0.95)]
    rows.append(("loopback call: client overhead, median", median * 1e3, "ms",
                 judged("< 2 ms", median, 2e-3)))
    rows.append(("loopback call: client overhead, p95", p95 * 1e3, "ms",
                 judged("< 2 ms", p95, 2e-3)))
    rows.append(("loopback call: total, median", statistics.median(total) * 1e3, "ms",
                 "for reference"))
    rows.append(("  of which requests.Session.post alone", statistics.median(raw) * 1e3, "ms",
                 "for reference"))
    return rows


if __name__ == "__main__":
    for row in run():
        print(*row, sep="\t")
