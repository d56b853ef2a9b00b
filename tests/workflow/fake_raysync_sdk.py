"""A stand-in for the service's ``Raysync-sdk``: answers the requests the official package
sends it (``/check-raysync-http``, ``/create-task``, ``/get-task-status`` ...) on the port of
its ``cluster.xml``, and "transfers" by copying: ``/input/<bid>-<uid>/<path>`` goes to
``$FAKE_RAYSYNC_ROOT/<uid>/<bid>/<path>`` (the local farm's storage layout).
``$FAKE_RAYSYNC_HOLD``: tasks never finish. ``$FAKE_RAYSYNC_FAIL``: tasks fail.
Every request body is appended to ``$FAKE_RAYSYNC_LOG``."""
import json
import os
import re
import shutil
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer
from xml.etree import ElementTree

HERE = os.path.dirname(os.path.abspath(sys.argv[0]))
TASKS = {}


def storage_path(server):
    match = re.match(r"^/(input|output)/(\d+)-(\d+)/(.*)$", server)
    kind, bid, uid, rest = match.groups()
    return os.path.join(os.environ["FAKE_RAYSYNC_ROOT"], uid, bid, *rest.split("/"))


def run_task(body):
    copied = 0
    if body["task-type"] == "upload-list":
        with open(body["file-list"], encoding="utf-8") as handle:
            for line in handle:
                local, server = re.match(r'^local:"(.*)" server:"(.*)"$', line.strip()).groups()
                target = storage_path(server)
                os.makedirs(os.path.dirname(target), exist_ok=True)
                shutil.copyfile(local, target)
                copied += 1
    elif body["task-type"] == "download":
        source = storage_path(body["source-path"])
        for folder, _dirs, files in os.walk(source):
            for name in files:
                target = os.path.join(body["target-path"],
                                      os.path.relpath(os.path.join(folder, name), source))
                if not os.path.exists(target):
                    os.makedirs(os.path.dirname(target), exist_ok=True)
                    shutil.copyfile(os.path.join(folder, name), target)
                    copied += 1
    return copied


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])) or b"{}")
        with open(os.environ["FAKE_RAYSYNC_LOG"], "a") as log:
            log.write(json.dumps({"path": self.path, "body": body}) + "\n")
        answer = {"code": 0, "message": "success"}
        if self.path == "/create-task":
            task = len(TASKS) + 1
            TASKS[task] = 0 if os.environ.get("FAKE_RAYSYNC_FAIL") or \
                os.environ.get("FAKE_RAYSYNC_HOLD") else run_task(body)
            answer["task-id"] = task
        elif self.path == "/get-task-status":
            done = TASKS[body["task-id"]]
            state = "successful"
            if os.environ.get("FAKE_RAYSYNC_HOLD"):
                state = "start"
            elif os.environ.get("FAKE_RAYSYNC_FAIL"):
                state = "failed"
            answer["task-list"] = [{"task-state": state, "file-max": done, "file-pos": done,
                                    "speed": 1024}]
        elif self.path == "/get-file-list":
            answer["file-list"] = [{"local-path": "/scene/a.png", "error-code": 5}]
        data = json.dumps(answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def main():
    port = int(ElementTree.parse("cluster.xml").getroot()[0][0].attrib["value"])
    HTTPServer(("127.0.0.1", port), Handler).serve_forever()


if __name__ == "__main__":
    main()
