"""The render API layer: signer, operation table, client, settings and credentials."""
from rayvision_dcc.api.client import RenderClient
from rayvision_dcc.api.config import (CredentialStore, Settings, config_dir, data_dir, read_config,
                                      resolve_settings, update_config)
from rayvision_dcc.api.operations import OPERATIONS, PROTOCOL_OPERATIONS, path_for
from rayvision_dcc.api.signer import flatten, sign, string_to_sign, verify
from rayvision_dcc.errors import (ApiError, AuthError, ConfigError, CreateTaskLost, NotFound,
                                  ParameterError, RayvisionError, SignatureExpired, TransportError)

__all__ = [
    "RenderClient", "CredentialStore", "Settings", "config_dir", "data_dir", "read_config",
    "resolve_settings", "update_config", "OPERATIONS", "PROTOCOL_OPERATIONS", "path_for",
    "flatten", "sign", "string_to_sign", "verify", "ApiError", "AuthError", "ConfigError",
    "CreateTaskLost", "NotFound", "ParameterError", "RayvisionError", "SignatureExpired",
    "TransportError",
]
