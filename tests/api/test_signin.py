"""The one sign-in: checked with the service first, stored only when it answered."""
import pytest

from rayvision_dcc.api.config import CredentialStore, read_config
from rayvision_dcc.api.signin import sign_in
from rayvision_dcc.errors import AuthError, ConfigError


class _Client(object):
    """Answers queryUserProfile like the service: a profile, or a refusal."""

    def __init__(self, refuse=False, **settings):
        self.settings = settings
        self.refuse = refuse

    def user_profile(self):
        if self.refuse:
            raise AuthError(100, "the access key was refused", "queryUserProfile")
        return {"userId": 7, "userName": "artist"}


def test_sign_in_checks_then_stores():
    made = []

    def factory(**settings):
        made.append(settings)
        return _Client(**settings)
    done = sign_in(" id1 ", "key1", domain="task.renderbus.com", platform="2",
                   client_factory=factory)
    assert done.profile["userName"] == "artist" and done.client is not None
    assert made == [{"access_id": "id1", "access_key": "key1", "domain": "task.renderbus.com",
                     "platform": "2"}]
    assert CredentialStore().get("id1") == "key1"
    config = read_config()
    assert config["access_id"] == "id1" and config["platform"] == "2"
    assert "key1" not in str(config)


def test_a_refused_key_is_not_stored():
    with pytest.raises(AuthError):
        sign_in("id2", "bad", client_factory=lambda **kw: _Client(refuse=True, **kw))
    assert CredentialStore().get("id2") is None and "access_id" not in read_config()
    with pytest.raises(ConfigError):
        sign_in("id3", "  ")
    done = sign_in("id4", "key4", check=False)
    assert done.client is None and CredentialStore().get("id4") == "key4"
