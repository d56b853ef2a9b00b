"""A stand-in for ``rayvision_transmitter`` where a real server is needed (the success path).

Arguments as the real binary takes them; files go to
``$FAKE_TRANSMITTER_ROOT/<uid>/<storage>/<remote path>`` (the local farm's storage
layout, so a farm can see what was "transferred"). It prints the real binary's lines
(``upload file begin (...)``, ``... file progress (...) speed: N KB/S, progress: P``,
``... file done (...)``, ``get path (...) info failed``; shared/spec/transfer-engines.md)
and exits as it does: 0 done, 1 recoverable (while ``$FAKE_TRANSMITTER_FAIL`` runs
remain, or after ``$FAKE_TRANSMITTER_STOP_AFTER`` files of a listing), 255 final (missing
file, bad arguments). Every run appends its arguments to
``$FAKE_TRANSMITTER_LOG``.
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
    values = parse(argv)
    if values is None or any(k not in values for k in REQUIRED):
        print("'--help' gives usage information.")
        return 255
    if values["engine"] not in ("aspera", "raysync"):
        print("arg [--engine] error, not supprot " + values["engine"])
        return 255
    print("rayvision transmitter init begin", flush=True)
    fail = os.environ.get("FAKE_TRANSMITTER_FAIL")
    if fail and os.path.exists(fail):
        remaining = int(open(fail).read() or 0)
        if remaining > 0:
            with open(fail, "w") as handle:
                handle.write(str(remaining - 1))
            print("upload task failure: has recoverable error, need retry")
            return 1
    root = os.path.join(os.environ["FAKE_TRANSMITTER_ROOT"], values["uid"], values["storage"])
    kind = values["type"]

    def target(remote):
        return os.path.join(root, *[p for p in remote.replace("\\", "/").split("/") if p])

    def send(local, remote, verb="upload"):
        print("{} file begin ({})".format(verb, local), flush=True)
        size = os.path.getsize(local)
        if size > 1:
            print("{} file progress ({}) speed: 512 KB/S, progress: 50%".format(verb, local),
                  flush=True)
        os.makedirs(os.path.dirname(remote), exist_ok=True)
        shutil.copyfile(local, remote)
        print("{} file done ({})".format(verb, local), flush=True)

    if kind == "upload_json":
        with open(values["local"]) as handle:
            assets = json.load(handle)["asset"]
        missing = [a["local"] for a in assets if not os.path.isfile(a["local"])]
        if missing:
            print("get path ({}) info failed".format(missing[0]))
            return 255
        stop_after = int(os.environ.get("FAKE_TRANSMITTER_STOP_AFTER") or 0)
        for number, asset in enumerate(assets):
            if stop_after and number == stop_after:   # the line drops mid-listing
                print("upload task failure: has recoverable error, need retry")
                return 1
            send(asset["local"], target(asset["server"]))
    elif kind == "upload_path":
        if not os.path.isfile(values["local"]):
            print("get path ({}) info failed".format(values["local"]))
            return 255
        send(values["local"], target(values["remote"]))
    elif kind == "download_path":
        source = target(values["remote"])
        destination = values["local"]
        if values.get("keep") == "true":
            destination = os.path.join(destination, os.path.basename(source.rstrip("/")))
        for folder, _dirs, files in os.walk(source):
            for name in files:
                relative = os.path.relpath(os.path.join(folder, name), source)
                if os.path.exists(os.path.join(destination, relative)):
                    continue
                send(os.path.join(folder, name), os.path.join(destination, relative),
                     "download")
    else:
        print("arg [--type] error, not supprot " + kind)
        return 255
    print("rayvision transmitter exit end")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
