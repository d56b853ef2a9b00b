"""The one place that sends bytes and turns ``requests`` failures into ours.

One keep-alive ``requests.Session`` per transport. Proxy and CA bundle come from the
settings (and, as ``requests`` does, from HTTPS_PROXY / REQUESTS_CA_BUNDLE).

``requests`` is imported when the first transport is made, not when this module is:
importing ``rayvision_dcc.api`` inside a host (Maya, 3ds Max, Blender) costs nothing.
"""
from __future__ import annotations

from rayvision_dcc.errors import TransportError


class HttpResponse(object):
    __slots__ = ("status", "body", "headers")

    def __init__(self, status, body, headers):
        self.status = status
        self.body = body
        self.headers = headers


def _never_sent(exc):
    """True when the failure happened before the request could reach the server."""
    from requests import exceptions as rexc

    if isinstance(exc, (rexc.ConnectTimeout, rexc.InvalidURL, rexc.InvalidSchema,
                        rexc.MissingSchema, rexc.ProxyError, rexc.SSLError)):
        return True
    if isinstance(exc, rexc.ConnectionError):
        text = repr(exc)
        return ("NewConnectionError" in text or "Connection refused" in text
                or "Failed to resolve" in text or "NameResolutionError" in text)
    return False


class Transport(object):
    """Sends one request; knows nothing of signing or of the envelope."""

    def __init__(self, proxy="", ca_bundle="", session=None):
        if session is None:
            import requests
            session = requests.Session()
        self.session = session
        if proxy:
            self.session.proxies.update({"http": proxy, "https": proxy})
        if ca_bundle:
            self.session.verify = ca_bundle

    def post(self, url, headers, data, timeout, operation=""):
        return self._send("post", url, timeout, operation, data=data, headers=headers)

    def get(self, url, timeout, operation="download"):
        """A plain GET through the same session (proxy, CA bundle, keep-alive): previews
        and other files the API answers with a URL."""
        return self._send("get", url, timeout, operation)

    def _send(self, method, url, timeout, operation, **options):
        from requests import exceptions as rexc

        try:
            reply = getattr(self.session, method)(url, timeout=timeout, **options)
            return HttpResponse(reply.status_code, reply.content, reply.headers)
        except rexc.RequestException as exc:
            sent = not _never_sent(exc)
            reason = type(exc).__name__
            if isinstance(exc, rexc.Timeout):
                what = "timed out after {:g} s".format(timeout)
            elif sent:
                what = "the connection dropped before the answer came"
            else:
                what = "could not connect"
            raise TransportError(
                "{op}: {what} ({url}, {reason})".format(op=operation or "request", what=what,
                                                         url=url, reason=reason),
                operation=operation, sent=sent,
                hint="check the network, the proxy setting and the domain, then try again",
            ) from exc

    def close(self):
        self.session.close()
