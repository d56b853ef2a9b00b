"""Fixtures for the API tests: a scripted server on loopback and clients pointed at it.

The server and the helpers live in ``api_loopback.py`` (a unique module name: several
folders of this suite have a ``conftest`` module, so tests never import from one).
"""
from __future__ import annotations

import pytest

from api_loopback import ACCESS_ID, ACCESS_KEY, ScriptedServer
from rayvision_dcc.api import RenderClient


@pytest.fixture
def server():
    srv = ScriptedServer()
    yield srv
    srv.close()


@pytest.fixture
def make_client(server):
    """``make_client(api_version="v1", **kw)``: a RenderClient for the scripted server."""
    clients = []

    def make(api_version="v1", **kw):
        kw.setdefault("access_id", ACCESS_ID)
        kw.setdefault("access_key", ACCESS_KEY)
        kw.setdefault("domain", server.domain)
        kw.setdefault("protocol", "http")
        kw.setdefault("timeout", 5)
        kw.setdefault("retry_backoff", 0.001)
        client = RenderClient(api_version=api_version, **kw)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()
