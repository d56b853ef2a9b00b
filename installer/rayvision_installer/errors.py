"""The installer's one error shape: a ``message`` and a ``hint`` (what to do)."""


class InstallerError(Exception):
    """Base of the installer's errors; ``hint`` says what to do (may be "")."""

    def __init__(self, message, hint=""):
        Exception.__init__(self, message)
        self.message = message
        self.hint = hint
