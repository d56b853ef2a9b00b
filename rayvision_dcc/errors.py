"""The one error family of rayvision-dcc.

Every message is written for the person who reads it: what happened and what to do.
No message ever contains an access key, a signature or a transfer key.
"""
from __future__ import annotations


class RayvisionError(Exception):
    """Root of every error this package raises on purpose."""

    #: Short hint printed under the message by the CLI and the panel.
    hint = ""

    def __init__(self, message, hint=""):
        super().__init__(message)
        self.message = message
        if hint:
            self.hint = hint

    def __str__(self):
        return self.message


class ConfigError(RayvisionError):
    """Missing or unreadable configuration (credentials, config file)."""


class TransportError(RayvisionError):
    """The request did not get an answer: connection refused, dropped, timed out, TLS."""

    def __init__(self, message, operation="", sent=None, hint=""):
        super().__init__(message, hint)
        self.operation = operation
        #: True when the request body may have reached the server (the answer was lost),
        #: False when it certainly did not, None when unknown.
        self.sent = sent


class ApiError(RayvisionError):
    """The service answered with a code other than 200."""

    def __init__(self, code, message, operation="", request_id="", hint=""):
        text = "{op} failed (code {code}): {msg}".format(
            op=operation or "request", code=code, msg=message or "no message")
        if request_id:
            text += " [request id {}]".format(request_id)
        super().__init__(text, hint)
        self.code = code
        self.server_message = message
        self.operation = operation
        self.request_id = request_id


class AuthError(ApiError):
    """The service does not accept these credentials (unknown id, bad signature, no right)."""


class SignatureExpired(AuthError):
    """The request's timestamp is too far from the server clock (code 610)."""


class NotFound(ApiError):
    """The task, frame, file or environment does not exist (code 404)."""


class ParameterError(ApiError):
    """A parameter is missing or of the wrong type (codes 600, 601)."""


class CreateTaskLost(TransportError):
    """createTask may have created a task whose id never reached us."""


class TransferError(RayvisionError):
    """An upload or download failed."""


class JobError(RayvisionError):
    """The job cannot be submitted as it is (validation, bad job file, bad frames)."""


class Cancelled(RayvisionError):
    """The user cancelled the work; what was done is in the journal."""
