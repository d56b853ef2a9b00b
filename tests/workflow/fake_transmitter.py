"""A stand-in for ``rayvision_transmitter`` that honours its documented contract.

Arguments as job-files.md section 4 lists them; files go to
``$FAKE_TRANSMITTER_ROOT/<uid>/<storage>/<remote path>`` (the local farm's storage
layout, so a farm can see what was "transferred"). Exit codes: 0 success, 10 some files
failed (while ``$FAKE_TRANSMITTER_FAIL`` runs remain), 11 files that cannot be uploaded,
2 bad arguments. Every run appends its arguments to ``$FAKE_TRANSMITTER_LOG``.
"""
import json
import os
import shutil
import sys

OPTIONS = {"-E": "engine", "-H": "host", "-P": "port", "-S": "storage", "-U": "uid",
           "-T": "type", "-L": "local", "-R": "remote", "-r": "retry", "-K": "keep",
           "-s": "speed", "-C": "config", "-p": "protocol"}
REQUIRED = ("engine", "host", "port", "storage", "uid", "type", "local")


def parse(argv):
    values = {}
    index = 0
    while index < len(argv):
        key = argv[index]
        if key not in OPTIONS or index + 1 >= len(argv):
            return None
        values[OPTIONS[key]] = argv[index + 1]
        index += 2
    return values


def main(argv):
    log = os.environ.get("FAKE_TRANSMITTER_LOG")
    if log:
        with open(log, "a") as handle:
            handle.write(json.dumps(argv) + "\n")
    sys.stdin.read()  # the "y" the SDK pipes in
    values = parse(argv)
    if values is None or any(k not in values for k in REQUIRED) \
            or values["engine"] not in ("aspera", "raysync"):
        print("bad arguments")
        return 2
    fail = os.environ.get("FAKE_TRANSMITTER_FAIL")
    if fail and os.path.exists(fail):
        remaining = int(open(fail).read() or 0)
        if remaining > 0:
            with open(fail, "w") as handle:
                handle.write(str(remaining - 1))
            print("some files failed")
            return 10
    root = os.path.join(os.environ["FAKE_TRANSMITTER_ROOT"], values["uid"], values["storage"])
    kind = values["type"]

    def target(remote):
        return os.path.join(root, *[p for p in remote.replace("\\", "/").split("/") if p])

    if kind == "upload_json":
        with open(values["local"]) as handle:
            assets = json.load(handle)["asset"]
        missing = [a["local"] for a in assets if not os.path.isfile(a["local"])]
        if missing:
            print("cannot upload: " + missing[0])
            return 11
        for asset in assets:
            os.makedirs(os.path.dirname(target(asset["server"])), exist_ok=True)
            shutil.copyfile(asset["local"], target(asset["server"]))
    elif kind == "upload_path":
        if not os.path.isfile(values["local"]):
            print("cannot upload: " + values["local"])
            return 11
        os.makedirs(os.path.dirname(target(values["remote"])), exist_ok=True)
        shutil.copyfile(values["local"], target(values["remote"]))
    elif kind == "download_path":
        source = target(values["remote"])
        destination = values["local"]
        if values.get("keep") == "true":
            destination = os.path.join(destination, os.path.basename(source.rstrip("/")))
        for folder, _dirs, files in os.walk(source):
            for name in files:
                relative = os.path.relpath(os.path.join(folder, name), source)
                os.makedirs(os.path.dirname(os.path.join(destination, relative)), exist_ok=True)
                shutil.copyfile(os.path.join(folder, name), os.path.join(destination, relative))
    else:
        print("unsupported type " + kind)
        return 2
    print("done")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
