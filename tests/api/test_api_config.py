"""Settings: arguments, then environment, then the config file; keys in keyring or a 0600 file."""
from __future__ import annotations

import json
import os
import stat
import sys

import pytest

from rayvision_dcc.api import (CredentialStore, Settings, config_dir, data_dir, read_config,
                               resolve_settings, update_config)
from rayvision_dcc.api.config import config_path, normalize_domain, write_config
from rayvision_dcc.errors import ConfigError

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")


def mode(path):
    return stat.S_IMODE(os.stat(str(path)).st_mode)


def test_folders_follow_the_isolated_user(isolated_user):
    assert config_dir() == os.path.join(os.environ["XDG_CONFIG_HOME"], "rayvision-dcc")
    assert data_dir() == os.path.join(os.environ["XDG_DATA_HOME"], "rayvision-dcc")
    assert str(isolated_user) in config_dir()
    assert not os.path.exists(config_dir())  # nothing created by asking


def test_data_dir_override(monkeypatch, tmp_path):
    monkeypatch.setenv("RAYVISION_DATA_DIR", str(tmp_path / "data"))
    assert data_dir() == str(tmp_path / "data")


def test_defaults():
    settings = resolve_settings()
    assert settings.domain == "task.renderbus.com"
    assert settings.platform == "2"
    assert settings.protocol == "https"
    assert settings.api_version == "v1"
    assert settings.timeout == 30.0
    assert settings.access_id is None and settings.access_key is None
    assert settings.base_url == "https://task.renderbus.com"


@pytest.mark.parametrize("field,env,config_value,env_value,arg_value", [
    ("domain", "RAYVISION_DOMAIN", "config.example:1", "env.example:2", "arg.example:3"),
    ("platform", "RAYVISION_PLATFORM", "5", "6", "7"),
    ("api_version", "RAYVISION_API_VERSION", "v2", "v1", "v2"),
    ("protocol", "RAYVISION_PROTOCOL", "http", "https", "http"),
    ("access_id", "RAYVISION_ACCESS_ID", "cfg-id", "env-id", "arg-id"),
])
def test_resolution_order(monkeypatch, field, env, config_value, env_value, arg_value):
    update_config(**{field: config_value})
    assert getattr(resolve_settings(), field) == config_value
    monkeypatch.setenv(env, env_value)
    assert getattr(resolve_settings(), field) == env_value
    assert getattr(resolve_settings(**{field: arg_value}), field) == arg_value
    monkeypatch.setenv(env, "")  # an empty variable counts as unset
    assert getattr(resolve_settings(), field) == config_value


def test_access_key_order_args_env_store(monkeypatch):
    CredentialStore().set("my-id", "stored-key")
    update_config(access_id="my-id")
    assert resolve_settings().access_key == "stored-key"
    monkeypatch.setenv("RAYVISION_ACCESS_KEY", "env-key")
    assert resolve_settings().access_key == "env-key"
    assert resolve_settings(access_key="arg-key").access_key == "arg-key"


def test_config_file_never_holds_the_key():
    path = config_path()
    with pytest.raises(FileNotFoundError):
        open(path)
    update_config(access_id="id", access_key="must-not-be-written", domain="d.example")
    text = open(path, encoding="utf-8").read()
    assert "must-not-be-written" not in text
    assert json.loads(text) == {"access_id": "id", "domain": "d.example"}
    write_config({"access_key": "nor-this", "platform": "3"})
    assert "nor-this" not in open(path, encoding="utf-8").read()
    # a key put in the config file by hand is ignored
    with open(path, "w", encoding="utf-8") as handle:
        json.dump({"access_id": "id", "access_key": "hand-written"}, handle)
    assert resolve_settings().access_key is None


@posix_only
def test_config_file_is_user_only():
    update_config(domain="d.example")
    assert mode(config_path()) == 0o600


def test_rayvision_config_points_elsewhere(monkeypatch, tmp_path):
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"platform": "8"}))
    monkeypatch.setenv("RAYVISION_CONFIG", str(other))
    assert resolve_settings().platform == "8"


@pytest.mark.parametrize("content", ["{not json", "[1, 2]"])
def test_broken_config_file_says_where(content):
    os.makedirs(config_dir())
    with open(config_path(), "w", encoding="utf-8") as handle:
        handle.write(content)
    with pytest.raises(ConfigError) as info:
        read_config()
    assert config_path() in info.value.message
    assert info.value.hint


def test_bad_api_version_and_protocol():
    with pytest.raises(ConfigError) as info:
        resolve_settings(api_version="v3")
    assert "v1 or v2" in info.value.message
    with pytest.raises(ConfigError):
        resolve_settings(protocol="ftp")


@pytest.mark.parametrize("given,protocol,expected", [
    ("task.renderbus.com", "https", ("task.renderbus.com", "https")),
    ("task.renderbus.com:443", "https", ("task.renderbus.com", "https")),
    ("task.renderbus.com:443", "http", ("task.renderbus.com:443", "http")),
    ("127.0.0.1:80", "http", ("127.0.0.1", "http")),
    ("127.0.0.1:8765", "http", ("127.0.0.1:8765", "http")),
    ("https://task.foxrenderfarm.com/", "http", ("task.foxrenderfarm.com", "https")),
    ("HTTP://127.0.0.1:8765", "https", ("127.0.0.1:8765", "http")),
    (" task.renderbus.com/ ", "https", ("task.renderbus.com", "https")),
])
def test_normalize_domain(given, protocol, expected):
    assert normalize_domain(given, protocol) == expected


def test_domain_aliases():
    assert resolve_settings(domain="foxrenderfarm").domain == "task.foxrenderfarm.com"
    assert resolve_settings(domain="renderbus").domain == "task.renderbus.com"


def test_settings_repr_hides_the_key():
    settings = resolve_settings(access_id="AKID-visible", access_key="the-secret-key")
    assert "the-secret-key" not in repr(settings)
    assert "AKID-visible" in repr(settings)
    assert "access_key=<set>" in repr(settings)
    assert "access_key=None" in repr(Settings())


def test_keyring_without_backend_is_detected():
    import keyring

    assert getattr(keyring.get_keyring(), "priority", 0) <= 0
    assert CredentialStore._keyring() is None


@posix_only
def test_credentials_fall_back_to_a_user_only_file():
    store = CredentialStore()
    assert store.location == store.path
    where = store.set("id-1", "key-1")
    assert where == store.path
    assert os.path.dirname(store.path) == config_dir()
    assert mode(store.path) == 0o600
    store.set("id-2", "key-2")
    assert mode(store.path) == 0o600
    assert store.get("id-1") == "key-1" and store.get("id-2") == "key-2"
    assert store.get("unknown") is None
    store.delete("id-1")
    assert store.get("id-1") is None and store.get("id-2") == "key-2"
    store.delete("never-stored")  # no error
    assert not os.path.exists(store.path + ".tmp")


def test_broken_credentials_file_is_a_config_error():
    store = CredentialStore()
    os.makedirs(os.path.dirname(store.path))
    with open(store.path, "w") as handle:
        handle.write("{oops")
    with pytest.raises(ConfigError) as info:
        store.get("id")
    assert store.path in info.value.message
    assert "oops" not in info.value.message


class MemoryKeyring(object):
    """A working keyring backend kept in memory (the keyring package's backend API)."""

    priority = 5

    def __init__(self):
        self.items = {}

    def get_password(self, service, username):
        return self.items.get((service, username))

    def set_password(self, service, username, password):
        self.items[(service, username)] = password

    def delete_password(self, service, username):
        self.items.pop((service, username), None)


@pytest.fixture
def memory_keyring():
    import keyring
    from keyring.backend import KeyringBackend
    from keyring.backends import fail

    backend_class = type("TestMemoryKeyring", (MemoryKeyring, KeyringBackend), {})
    backend = backend_class()
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(fail.Keyring())
        # the backend metaclass registered the class: take it out again
        getattr(KeyringBackend, "_classes", set()).discard(backend_class)


def test_credentials_go_to_a_working_keyring(memory_keyring):
    store = CredentialStore()
    assert store.location == "the OS keyring"
    assert store.set("id-1", "key-1") == "the OS keyring"
    assert memory_keyring.items == {("rayvision-dcc", "id-1"): "key-1"}
    assert not os.path.exists(store.path)
    assert store.get("id-1") == "key-1"
    store.delete("id-1")
    assert store.get("id-1") is None


def test_refusing_keyring_falls_back_to_the_file(memory_keyring):
    def refuse(*args):
        raise RuntimeError("locked")

    memory_keyring.set_password = refuse
    store = CredentialStore()
    assert store.set("id-1", "key-1") == store.path
    assert store.get("id-1") == "key-1"


def test_the_client_constructor_reads_nothing(monkeypatch):
    """The config file and the keyring are read on first use, once."""
    from rayvision_dcc.api import client as client_module
    calls = []
    original = client_module.resolve_settings

    def recording(**values):
        calls.append(values)
        return original(**values)
    monkeypatch.setattr(client_module, "resolve_settings", recording)
    client = client_module.RenderClient(access_id="id", access_key="key", domain="a.example")
    assert calls == []
    assert client.domain == "a.example" and client.settings.access_id == "id"
    assert client.platform == client.settings.platform
    assert len(calls) == 1 and calls[0]["domain"] == "a.example"
