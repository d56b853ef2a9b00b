"""The request signature of the Rayvision render API.

Pure functions: the clock and the nonce come in from outside, so tests pin them.

Rule (render-api-protocol.txt, "Signature generation rules"): the signed headers
(never ``signature`` itself) and the flattened body are merged, sorted by key in
ascending code-point order, joined as ``k=v`` with ``&``, prefixed with
``[POST]<domain>:<path>&``, signed with HMAC-SHA256 under the access key and
Base64-encoded.
"""
from __future__ import annotations

import base64
import hashlib
import hmac

#: Headers that take part in the signature, in wire spelling.
SIGNED_HEADERS = ("accessId", "channel", "platform", "UTCTimestamp", "nonce", "version")


def scalar_text(value):
    """How one leaf value reads in the string to sign.

    Strings as they are, integers in decimal, booleans and null as JSON spells them
    (``true``, ``false``, ``null``), floats by Python's shortest round-trip repr.
    """
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "null"
    return str(value)


def flatten(body, prefix=""):
    """Flatten a JSON body into ``{key: text}`` the way the protocol signs it.

    Nested object keys join with ``.``; array items append their index to the key
    (``renderEnvs0.envId``, ``renderEnvs0.pluginIds1``), arrays in arrays the same
    way (``grid01``); an empty array or object contributes no key; an empty string does.
    """
    flat = {}
    _flatten_into(flat, body, prefix)
    return flat


def _flatten_into(flat, value, key):
    if isinstance(value, dict):
        for child_key, child in value.items():
            _flatten_into(flat, child, key + "." + str(child_key) if key else str(child_key))
    elif isinstance(value, (list, tuple)):
        for index, child in enumerate(value):
            _flatten_into(flat, child, key + str(index))
    else:
        flat[key] = scalar_text(value)


def string_to_sign(domain, path, headers, body):
    """The exact text that is signed, e.g. ``[POST]task.renderbus.com:/api/...&UTCTimestamp=...``."""
    params = {name: scalar_text(headers[name]) for name in SIGNED_HEADERS if name in headers}
    params.update(flatten(body or {}))
    joined = "&".join("{}={}".format(key, params[key]) for key in sorted(params))
    return "[POST]{}:{}&{}".format(domain, path, joined)


def sign(access_key, domain, path, headers, body):
    """Base64(HMAC-SHA256(access_key, string_to_sign(...)))."""
    text = string_to_sign(domain, path, headers, body)
    digest = hmac.new(access_key.encode("utf-8"), text.encode("utf-8"), hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def verify(access_key, domain, path, headers, body, signature):
    """True when ``signature`` is the right one; compared in constant time."""
    expected = sign(access_key, domain, path, headers, body)
    return hmac.compare_digest(expected.encode("ascii"), (signature or "").encode("ascii", "replace"))
