"""The host adapter protocol: what a host answers about its scene.

``HostAdapter`` is the abstract base the host plugins implement; ``PlainFileAdapter``
answers from a SceneInfo; ``SliceReader`` reads an adapter on the host's main thread in
time slices; ``scan_blend`` runs the Blender adapter on a .blend in a bpy
subprocess. No host module is imported here.
"""
from __future__ import annotations

from rayvision_dcc.hosts.adapter import HostAdapter, PlainFileAdapter
from rayvision_dcc.hosts.blender_headless import scan_blend
from rayvision_dcc.hosts.reading import SliceReader, read_all
from rayvision_dcc.hosts.registry import (deregister_host, find_host, register_host,
                                          registered_hosts, reset)

__all__ = [
    "HostAdapter", "PlainFileAdapter", "register_host", "deregister_host",
    "registered_hosts", "find_host", "reset", "scan_blend", "SliceReader", "read_all",
]
