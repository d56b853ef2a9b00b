"""Signing in, one way for the CLI (``rayvision-dcc login``) and the panel's dialog: the
keys are checked with the service (``queryUserProfile``), then the access key goes to
the OS keyring (or a file only the user can read) and the rest to the user config."""
from __future__ import annotations

from rayvision_dcc.api.config import CredentialStore, update_config
from rayvision_dcc.errors import AuthError, ConfigError, SignatureExpired

#: Where the keys are, for a refused sign-in.
WHERE_THE_KEYS_ARE = "copy them from the API page of your Renderbus or Fox Renderfarm account"


class SignedIn(object):
    """What a sign-in gives: the checked ``client`` (None when not checked), the
    ``profile`` it answered and ``where`` the access key is kept."""

    def __init__(self, client, profile, where):
        self.client = client
        self.profile = profile
        self.where = where


def sign_in(access_id, access_key, domain=None, platform=None, protocol=None,
            api_version=None, check=True, client_factory=None):
    """Check the keys (unless ``check`` is False) and store them; returns ``SignedIn``.

    ``client_factory(access_id=, access_key=, domain=, platform=, ...)`` makes the client
    (default ``RenderClient``); an ApiError/TransportError from the check propagates and
    nothing is stored."""
    access_id = (access_id or "").strip()
    access_key = (access_key or "").strip()
    if not access_id or not access_key:
        raise ConfigError("both an accessId and an accessKey are needed",
                          hint=WHERE_THE_KEYS_ARE)
    client = None
    profile = {}
    if check:
        if client_factory is None:
            from rayvision_dcc.api.client import RenderClient
            client_factory = RenderClient
        options = {name: value for name, value in (("protocol", protocol),
                                                    ("api_version", api_version))
                   if value is not None}
        client = client_factory(access_id=access_id, access_key=access_key, domain=domain,
                                platform=platform, **options)
        try:
            profile = client.user_profile() or {}
        except AuthError as exc:
            if not isinstance(exc, SignatureExpired):  # the clock hint stays right
                # the keys just typed were refused: say to check them, not to sign in
                exc.hint = "check the accessId and accessKey you typed: {} (and that the " \
                           "domain is that account's zone)".format(WHERE_THE_KEYS_ARE)
            raise
    where = CredentialStore().set(access_id, access_key)
    update_config(access_id=access_id, domain=domain, platform=platform, protocol=protocol,
                  api_version=api_version)
    return SignedIn(client, profile, where)
