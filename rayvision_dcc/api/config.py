"""Where settings and credentials come from, and where the user's files live.

Order: explicit arguments, then environment (``RAYVISION_*``), then the user config
file. The access key is kept in the OS keyring when one works, otherwise in a
user-only (0600) file beside the config; it is never written to a job file or a log.
"""
from __future__ import annotations

import json
import logging
import os
import sys

from rayvision_dcc.errors import ConfigError

log = logging.getLogger("rayvision_dcc.config")

KEYRING_SERVICE = "rayvision-dcc"

DOMAINS = {
    "renderbus": "task.renderbus.com",
    "foxrenderfarm": "task.foxrenderfarm.com",
}

DEFAULTS = {
    "domain": "task.renderbus.com",
    "platform": "2",
    "protocol": "https",
    "api_version": "v1",
    "timeout": 30.0,
    "proxy": "",
    "ca_bundle": "",
}

ENVIRONMENT = {
    "access_id": "RAYVISION_ACCESS_ID",
    "access_key": "RAYVISION_ACCESS_KEY",
    "domain": "RAYVISION_DOMAIN",
    "platform": "RAYVISION_PLATFORM",
    "api_version": "RAYVISION_API_VERSION",
    "protocol": "RAYVISION_PROTOCOL",
}


def _user_folder(windows_variable, xdg_variable, xdg_default):
    """``<platform base>/rayvision-dcc``: %APPDATA%-style on Windows, Application Support on
    macOS, the XDG folder elsewhere."""
    if sys.platform == "win32":
        base = os.environ.get(windows_variable) or os.path.expanduser("~")
    elif sys.platform == "darwin":
        base = os.path.expanduser("~/Library/Application Support")
    else:
        base = os.environ.get(xdg_variable) or os.path.expanduser(xdg_default)
    return os.path.join(base, "rayvision-dcc")


def config_dir():
    """The user's config folder for rayvision-dcc (created on first write, not here)."""
    return _user_folder("APPDATA", "XDG_CONFIG_HOME", "~/.config")


def data_dir():
    """The user's data folder: journal, job folders, upload cache."""
    folder = os.environ.get("RAYVISION_DATA_DIR") or _user_folder(
        "LOCALAPPDATA", "XDG_DATA_HOME", "~/.local/share")
    if os.path.exists(folder) and not os.path.isdir(folder):
        raise ConfigError("the data folder {} is a file".format(folder),
                          hint="point RAYVISION_DATA_DIR at a folder (it is made when missing)")
    return folder


def config_path():
    return os.environ.get("RAYVISION_CONFIG") or os.path.join(config_dir(), "config.json")


def read_config():
    """The user config as a dict; {} when there is none. A broken file is an error that says where."""
    path = config_path()
    try:
        with open(path, "r", encoding="utf-8") as handle:
            data = json.load(handle)
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        raise ConfigError("cannot read the config file {}: {}".format(path, exc),
                          hint="fix or delete the file, then run `rayvision-dcc login` again") from exc
    if not isinstance(data, dict):
        raise ConfigError("the config file {} does not hold a JSON object".format(path),
                          hint="delete it and run `rayvision-dcc login` again")
    return data


def write_config(data):
    """Write the user config atomically; never with an access key in it."""
    data = {key: value for key, value in data.items() if key != "access_key"}
    _write_private(config_path(), json.dumps(data, indent=2, sort_keys=True))


def update_config(**values):
    data = read_config()
    data.update({key: value for key, value in values.items() if value is not None})
    write_config(data)
    return data


def _write_private(path, text):
    from rayvision_dcc.files import write_text_atomic
    write_text_atomic(path, text, private=True)


class Settings(object):
    """Resolved connection settings. ``repr`` never shows the access key."""

    FIELDS = ("access_id", "access_key", "domain", "platform", "protocol", "api_version",
              "timeout", "proxy", "ca_bundle")

    def __init__(self, **values):
        for field in self.FIELDS:
            setattr(self, field, values.get(field))

    def __repr__(self):
        shown = ", ".join("{}={!r}".format(f, getattr(self, f)) for f in self.FIELDS
                          if f != "access_key")
        return "Settings({}, access_key={})".format(shown, "<set>" if self.access_key else None)

    @property
    def base_url(self):
        return "{}://{}".format(self.protocol, self.domain)


def resolve_settings(**arguments):
    """Arguments, then environment, then config file, then defaults; key from the store last."""
    config = read_config()
    values = {}
    for field in Settings.FIELDS:
        value = arguments.get(field)
        if value is None and field in ENVIRONMENT:
            value = os.environ.get(ENVIRONMENT[field]) or None
        if value is None and field != "access_key":
            value = config.get(field)
        if value is None:
            value = DEFAULTS.get(field)
        values[field] = value
    _check_types(values, config)
    values["domain"], values["protocol"] = normalize_domain(
        DOMAINS.get(values["domain"], values["domain"]), values["protocol"])
    if values["protocol"] not in ("http", "https"):
        raise ConfigError("protocol must be https or http, not {!r}".format(values["protocol"]),
                          hint="set RAYVISION_PROTOCOL or protocol in the config to https or http")
    values["platform"] = str(values["platform"])
    values["timeout"] = float(values["timeout"])
    if values["api_version"] not in ("v1", "v2"):
        raise ConfigError("api_version must be v1 or v2, not {!r}".format(values["api_version"]),
                          hint="set RAYVISION_API_VERSION or api_version in the config to v1 or v2")
    if values["access_key"] is None and values["access_id"]:
        values["access_key"] = CredentialStore().get(values["access_id"])
    return Settings(**values)


#: What each setting must be; a config file holding another type is a ConfigError.
TEXT_SETTINGS = ("access_id", "domain", "protocol", "api_version", "proxy", "ca_bundle")


def _check_types(values, config):
    where = "the config file {}".format(config_path())
    for field in TEXT_SETTINGS:
        if values.get(field) is not None and not isinstance(values[field], str):
            raise ConfigError("{} must be text, not {!r} ({})".format(
                field, values[field], where if field in config else "the arguments"),
                hint="write it as a JSON string, e.g. \"{}\": \"...\"".format(field))
    platform = values.get("platform")
    if isinstance(platform, bool) or not (isinstance(platform, int) or
                                          (isinstance(platform, str) and platform.isdigit())):
        raise ConfigError("platform must be a number, not {!r}".format(platform),
                          hint="set it to the platform number of your account, e.g. 2")
    timeout = values.get("timeout")
    try:
        number = float(timeout)
    except (TypeError, ValueError):
        number = -1.0
    if isinstance(timeout, bool) or not 0 < number <= 3600:
        raise ConfigError("timeout must be seconds between 0 and 3600, not {!r}".format(timeout),
                          hint="set timeout to e.g. 30 in {}".format(config_path()))


def normalize_domain(domain, protocol):
    """``(domain, protocol)`` as signed and sent: a pasted URL's scheme becomes the protocol,
    a trailing ``/`` and the protocol's default port go (the Host header has neither)."""
    domain = str(domain).strip().rstrip("/")
    if "://" in domain:
        protocol, domain = domain.split("://", 1)
        protocol = protocol.lower()
    default_port = {"https": ":443", "http": ":80"}.get(protocol)
    if default_port and domain.endswith(default_port):
        domain = domain[:-len(default_port)]
    return domain, protocol


class CredentialStore(object):
    """The access key per access id: OS keyring where one works, else a 0600 file."""

    def __init__(self, path=None):
        self.path = path or os.path.join(config_dir(), "credentials.json")

    @staticmethod
    def _keyring():
        try:
            import keyring
            from keyring.backends import fail
        except Exception:  # not installed, or broken inside a host
            return None
        try:
            backend = keyring.get_keyring()
        except Exception:
            return None
        if isinstance(backend, fail.Keyring) or getattr(backend, "priority", 0) <= 0:
            return None
        return keyring

    @property
    def location(self):
        """Where keys are kept, for messages: 'the OS keyring' or the file path."""
        return "the OS keyring" if self._keyring() else self.path

    def set(self, access_id, access_key):
        ring = self._keyring()
        if ring is not None:
            try:
                ring.set_password(KEYRING_SERVICE, access_id, access_key)
                return "the OS keyring"
            except Exception as exc:  # a locked or broken keyring: fall back, say so
                log.warning("the OS keyring refused the key (%s); using %s", type(exc).__name__,
                            self.path)
        keys = self._read_file()
        keys[access_id] = access_key
        _write_private(self.path, json.dumps(keys, indent=2, sort_keys=True))
        return self.path

    def get(self, access_id):
        ring = self._keyring()
        if ring is not None:
            try:
                value = ring.get_password(KEYRING_SERVICE, access_id)
            except Exception:
                value = None
            if value:
                return value
        return self._read_file().get(access_id)

    def delete(self, access_id):
        ring = self._keyring()
        if ring is not None:
            try:
                ring.delete_password(KEYRING_SERVICE, access_id)
            except Exception:
                pass
        keys = self._read_file()
        if keys.pop(access_id, None) is not None:
            _write_private(self.path, json.dumps(keys, indent=2, sort_keys=True))

    def _read_file(self):
        try:
            with open(self.path, "r", encoding="utf-8") as handle:
                data = json.load(handle)
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            raise ConfigError("cannot read the credentials file {}: {}".format(self.path, exc),
                              hint="delete it and run `rayvision-dcc login` again") from exc
        return data if isinstance(data, dict) else {}


def mask(access_id):
    """An access id shortened for messages: enough to recognise, not the whole."""
    if not access_id:
        return "<none>"
    return access_id[:6] + "..." if len(access_id) > 8 else access_id
