"""The farm's HTTP transfer service, as docs/architecture.md fixes it."""
from __future__ import annotations

import hashlib
import os

import pytest
import requests

from farm_kit import put, transfer_url


@pytest.fixture
def alice(farm):
    return farm.user_row(0)


def test_put_head_get_range_and_list(farm, alice):
    data = os.urandom(300000)
    sha = hashlib.sha256(data).hexdigest()
    reply = put(farm, alice["input_bid"], "/D/proj/tex/a b.png", data,
                headers={"X-Content-SHA256": sha})
    assert reply.status_code == 201
    assert reply.json() == {"path": "/D/proj/tex/a b.png", "size": len(data), "sha256": sha}
    on_disk = os.path.join(farm.data_dir, "storage", str(alice["user_id"]), alice["input_bid"],
                           "D", "proj", "tex", "a b.png")
    assert open(on_disk, "rb").read() == data
    auth = farm.transfer_headers()
    url = transfer_url(farm, alice["input_bid"], "D/proj/tex/a b.png")  # no leading slash
    head = requests.head(url, headers=auth, timeout=10)
    assert head.status_code == 200 and int(head.headers["Content-Length"]) == len(data)
    assert head.headers["X-Content-SHA256"] == sha
    assert requests.get(url, headers=auth, timeout=10).content == data
    part = requests.get(url, headers=dict(auth, Range="bytes=1000-"), timeout=10)
    assert part.status_code == 206 and part.content == data[1000:]
    put(farm, alice["input_bid"], "/D/proj/scene.ma", b"scene")
    listing = requests.get(transfer_url(farm, alice["input_bid"], "/D") + "?list=1",
                           headers=auth, timeout=10).json()["files"]
    assert [f["path"] for f in listing] == ["/D/proj/scene.ma", "/D/proj/tex/a b.png"]
    assert listing[1]["size"] == len(data) and listing[1]["sha256"] == sha
    assert isinstance(listing[1]["mtime"], float)
    empty = requests.get(transfer_url(farm, alice["input_bid"], "/nothing") + "?list=1",
                         headers=auth, timeout=10)
    assert empty.status_code == 200 and empty.json() == {"files": []}
    missing = requests.head(transfer_url(farm, alice["input_bid"], "/nope.png"), headers=auth,
                            timeout=10)
    assert missing.status_code == 404


def test_hash_or_length_mismatch_keeps_nothing(farm, alice):
    reply = put(farm, alice["input_bid"], "/x/a.bin", b"12345", headers={"X-Content-SHA256": "0" * 64})
    assert reply.status_code == 400 and "SHA-256" in reply.json()["message"]
    folder = farm.storage.resolve(alice["user_id"], alice["input_bid"], "/x")
    assert os.listdir(folder) == []
    head = requests.head(transfer_url(farm, alice["input_bid"], "/x/a.bin"),
                         headers=farm.transfer_headers(), timeout=10)
    assert head.status_code == 404


def test_chunked_upload(farm, alice):
    def body():
        yield b"abc"
        yield b"def" * 1000
    reply = put(farm, alice["input_bid"], "/c/chunked.bin", body())
    assert reply.status_code == 201 and reply.json()["size"] == 3 + 3000


@pytest.mark.parametrize("headers", [{}, {"X-Rayvision-Transfer-Key": "wrong"},
                                     {"X-Rayvision-User-Id": "abc"}])
def test_auth_is_required(farm, alice, headers):
    good = farm.transfer_headers()
    sent = dict(good, **headers) if headers else {}
    reply = requests.put(transfer_url(farm, alice["input_bid"], "/a.txt"), data=b"x",
                         headers=sent, timeout=10)
    assert reply.status_code == 401 and reply.json()["code"] == 401


def test_transfer_key_is_the_raysync_user_key(farm):
    key = farm.client("v1").raysync_user_key()
    assert farm.transfer_headers()["X-Rayvision-Transfer-Key"] == key["raySyncUserKey"]
    assert farm.transfer_headers()["X-Rayvision-User-Id"] == str(key["id"])


@pytest.mark.parametrize("path", ["/a/%2E%2E/%2E%2E/%2E%2E/etc/passwd", "/..%2F..%2Fx",
                                  "/a/../../b"])
def test_escaping_paths_are_403(farm, alice, path):
    url = "{}/transfer/{}{}".format(farm.url, alice["input_bid"], path)
    reply = requests.Request("PUT", url, data=b"x", headers=farm.transfer_headers()).prepare()
    reply.url = url  # keep the dots as typed
    answer = requests.Session().send(reply, timeout=10)
    assert answer.status_code == 403
    message = answer.json()["message"]
    assert "'..'" in message or "leaves" in message, message


def test_symlink_escape_is_403(farm, alice, tmp_path):
    root = farm.storage.bid_root(alice["user_id"], alice["input_bid"])
    os.makedirs(root, exist_ok=True)
    os.symlink(str(tmp_path), os.path.join(root, "link"))
    assert put(farm, alice["input_bid"], "/link/evil.txt", b"x").status_code == 403


def test_other_users_bid_is_403(farm):
    bob = farm.user_row(1)
    reply = put(farm, bob["input_bid"], "/a.txt", b"x", user=0)
    assert reply.status_code == 403 and bob["input_bid"] in reply.json()["message"]


def test_range_past_the_end_is_416(farm, alice):
    put(farm, alice["output_bid"], "/o/f.png", b"abc")
    reply = requests.get(transfer_url(farm, alice["output_bid"], "/o/f.png"),
                         headers=dict(farm.transfer_headers(), Range="bytes=10-"), timeout=10)
    assert reply.status_code == 416


def test_output_listing_refuses_escapes(farm):
    from rayvision_dcc.errors import ApiError
    with pytest.raises(ApiError) as caught:
        farm.client("v2").call("getOutputUserDirFile", {"treePath": "/../../"})
    assert caught.value.code == 403


def test_no_bid_and_wrong_method(farm):
    auth = farm.transfer_headers()
    assert requests.get(farm.url + "/transfer/", headers=auth, timeout=10).status_code == 404
    row = farm.user_row()
    reply = requests.post(transfer_url(farm, row["input_bid"], "/a.txt"), data=b"x", headers=auth,
                          timeout=10)
    assert reply.status_code == 405
