"""The host adapter protocol: what a host answers about its scene.

``HostAdapter`` is the abstract base the host plugins implement; ``PlainFileAdapter``
answers from a SceneInfo; ``SliceReader`` reads an adapter on the host's main thread in
time slices; ``scan_scene`` reads a scene file without its host's UI, through the
scanner its host plugin registered (``HeadlessScanner``). No host module is imported here.
"""
from __future__ import annotations

from rayvision_dcc.hosts.adapter import HostAdapter, PlainFileAdapter
from rayvision_dcc.hosts.headless import HeadlessScanner, scan_scene
from rayvision_dcc.hosts.reading import SliceReader, read_all
from rayvision_dcc.hosts.registry import (deregister_host, deregister_scanner, find_host,
                                          find_scanner, register_host, register_scanner,
                                          registered_hosts, registered_scanners, reset)

__all__ = [
    "HostAdapter", "PlainFileAdapter", "SliceReader", "read_all",
    "register_host", "deregister_host", "registered_hosts", "find_host",
    "HeadlessScanner", "scan_scene", "register_scanner", "deregister_scanner",
    "registered_scanners", "find_scanner", "reset",
]
