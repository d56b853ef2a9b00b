"""The signature rule of render-api-protocol.txt, byte for byte, and the flattening rule."""
from __future__ import annotations

import base64
import hashlib
import hmac

from rayvision_dcc.api.signer import flatten, scalar_text, sign, string_to_sign, verify

SPEC_KEY = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE"
SPEC_HEADERS = {
    "accessId": "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
    "channel": 7,
    "platform": 1,
    "UTCTimestamp": 1535957371,
    "nonce": 11886,
    "version": "1.0.0",
}
SPEC_PATH = "/api/render/common/queryPlatforms"
SPEC_STRING = ("[POST]task.renderbus.com:/api/render/common/queryPlatforms&UTCTimestamp=1535957371"
               "&accessId=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE&channel=7&nonce=11886&platform=1"
               "&version=1.0.0&zone=2")
SPEC_SIGNATURE = "6tvuz8bgDCz5vtS3amuMWVbOqzhaeWaOhNcWMqx9zcg="


def reference_sign(key, text):
    """HMAC-SHA256 + Base64 written out again, independent of the module under test."""
    return base64.b64encode(hmac.new(key.encode("utf-8"), text.encode("utf-8"),
                                     hashlib.sha256).digest()).decode("ascii")


def test_spec_string_to_sign_byte_for_byte():
    text = string_to_sign("task.renderbus.com", SPEC_PATH, SPEC_HEADERS, {"zone": 2})
    assert text.encode("utf-8") == SPEC_STRING.encode("utf-8")


def test_spec_signature():
    assert sign(SPEC_KEY, "task.renderbus.com", SPEC_PATH, SPEC_HEADERS, {"zone": 2}) == SPEC_SIGNATURE
    assert reference_sign(SPEC_KEY, SPEC_STRING) == SPEC_SIGNATURE


def test_header_values_as_strings_sign_the_same():
    as_text = {name: str(value) for name, value in SPEC_HEADERS.items()}
    assert sign(SPEC_KEY, "task.renderbus.com", SPEC_PATH, as_text, {"zone": 2}) == SPEC_SIGNATURE


def test_signature_and_unsigned_headers_are_left_out():
    headers = dict(SPEC_HEADERS, signature="anything", languageFlag="1")
    headers["Content-Type"] = "application/json"
    assert string_to_sign("task.renderbus.com", SPEC_PATH, headers, {"zone": 2}) == SPEC_STRING


def test_verify():
    args = (SPEC_KEY, "task.renderbus.com", SPEC_PATH, SPEC_HEADERS, {"zone": 2})
    assert verify(*args, signature=SPEC_SIGNATURE)
    assert not verify(*args, signature=SPEC_SIGNATURE[:-2] + "A=")
    assert not verify(*args, signature="")
    assert not verify(*args, signature=None)
    assert not verify(*args, signature="ünïcode")
    assert not verify("another key", *args[1:], signature=SPEC_SIGNATURE)


def test_domain_with_port_is_part_of_the_string():
    text = string_to_sign("127.0.0.1:8765", "/p", {}, {"a": 1})
    assert text == "[POST]127.0.0.1:8765:/p&a=1"


def test_flatten_spec_example():
    body = {"taksId": 2, "renderEnvs": [{"envId": 1, "pluginIds": [2, 3, 4]},
                                        {"envId": 3, "pluginIds": [7, 8, 10]}]}
    assert flatten(body) == {
        "taksId": "2",
        "renderEnvs0.envId": "1",
        "renderEnvs0.pluginIds0": "2",
        "renderEnvs0.pluginIds1": "3",
        "renderEnvs0.pluginIds2": "4",
        "renderEnvs1.envId": "3",
        "renderEnvs1.pluginIds0": "7",
        "renderEnvs1.pluginIds1": "8",
        "renderEnvs1.pluginIds2": "10",
    }


def test_flatten_nested_objects():
    assert flatten({"a": {"b": {"c": 1, "d": "x"}, "e": 2}}) == {"a.b.c": "1", "a.b.d": "x", "a.e": "2"}


def test_flatten_arrays_in_arrays():
    assert flatten({"grid": [[1, 2], [3], [[4]]]}) == {
        "grid00": "1", "grid01": "2", "grid10": "3", "grid200": "4"}


def test_flatten_object_in_array_in_object():
    body = {"task": {"frames": [{"range": [1, 10]}, {}]}}
    assert flatten(body) == {"task.frames0.range0": "1", "task.frames0.range1": "10"}


def test_empty_array_and_object_contribute_nothing():
    assert flatten({"a": [], "b": {}, "c": [[], {}], "d": 1}) == {"d": "1"}
    text = string_to_sign("h", "/p", {"nonce": "n"}, {"empty": [], "obj": {}})
    assert text == "[POST]h:/p&nonce=n"


def test_empty_string_contributes_its_key():
    assert flatten({"k": ""}) == {"k": ""}
    assert string_to_sign("h", "/p", {"nonce": "n"}, {"k": "", "z": 1}) == "[POST]h:/p&k=&nonce=n&z=1"


def test_empty_body_signs_headers_only():
    expected = SPEC_STRING[:SPEC_STRING.index("&zone=2")]
    assert string_to_sign("task.renderbus.com", SPEC_PATH, SPEC_HEADERS, {}) == expected
    assert string_to_sign("task.renderbus.com", SPEC_PATH, SPEC_HEADERS, None) == expected


def test_scalar_stringification():
    assert scalar_text(True) == "true"
    assert scalar_text(False) == "false"
    assert scalar_text(None) == "null"
    assert scalar_text(0) == "0"
    assert scalar_text(-12) == "-12"
    assert scalar_text(1.5) == "1.5"
    assert scalar_text(0.1) == "0.1"
    assert scalar_text(2.0) == "2.0"
    assert scalar_text("1.0.0") == "1.0.0"
    assert flatten({"t": True, "f": False, "n": None, "x": 1.25}) == {
        "t": "true", "f": "false", "n": "null", "x": "1.25"}


def test_unicode_keys_and_values_sign_as_utf8():
    body = {"sceneName": "镜头_01 é", "路径": "D:/项目/场景.mb"}
    text = string_to_sign("task.renderbus.com", "/p", {"nonce": "1"}, body)
    assert text == "[POST]task.renderbus.com:/p&nonce=1&sceneName=镜头_01 é&路径=D:/项目/场景.mb"
    assert sign("k", "task.renderbus.com", "/p", {"nonce": "1"}, body) == reference_sign("k", text)


def test_sort_is_by_code_point():
    body = {"b": 1, "B": 2, "a": 3, "_x": 4, "Z": 5, "é": 6, "aa": 7, "a0": 8, "a.b": 9}
    headers = {"UTCTimestamp": "1", "accessId": "i", "nonce": "n"}
    text = string_to_sign("h", "/p", headers, body)
    keys = [pair.split("=")[0] for pair in text.split("&")[1:]]
    # uppercase (65-90) before "_" (95) before lowercase (97-122) before non-ASCII
    assert keys == ["B", "UTCTimestamp", "Z", "_x", "a", "a.b", "a0", "aa", "accessId", "b",
                    "nonce", "é"]
    assert keys[1] == "UTCTimestamp" and keys.index("UTCTimestamp") < keys.index("accessId")


def test_headers_come_first_only_by_sort_order():
    text = string_to_sign("h", "/p", {"version": "2.0.0", "UTCTimestamp": "9"}, {"count": 1})
    assert text == "[POST]h:/p&UTCTimestamp=9&count=1&version=2.0.0"


def test_values_are_not_escaped():
    body = {"q": "a=b&c d/é?"}
    assert string_to_sign("h", "/p", {}, body) == "[POST]h:/p&q=a=b&c d/é?"


def test_key_order_in_body_does_not_matter():
    one = {"a": 1, "b": {"c": [1, 2], "d": "x"}}
    two = {"b": {"d": "x", "c": [1, 2]}, "a": 1}
    assert sign("k", "h", "/p", SPEC_HEADERS, one) == sign("k", "h", "/p", SPEC_HEADERS, two)


def test_nonces_are_decimal_digits_that_do_not_repeat():
    from rayvision_dcc.api.client import NONCE_HIGH, NonceSource
    source = NonceSource()
    values = [source() for _ in range(20000)]
    assert all(v.isdigit() and 6 <= len(v) <= 10 and int(v) <= NONCE_HIGH for v in values)
    assert len(set(values)) == len(values)


def test_the_client_sends_a_decimal_nonce():
    from rayvision_dcc.api import RenderClient
    client = RenderClient(access_id="id", access_key="key", domain="h")
    headers = client.signed_headers("/p", {})
    assert headers["nonce"].isdigit() and int(headers["nonce"]) >= 100000
