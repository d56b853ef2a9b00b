"""Which host adapters this process knows: symmetric verbs and a reset for tests."""
from __future__ import annotations

import logging

log = logging.getLogger("rayvision_dcc.hosts")

_HOSTS = []


def _check(adapter_cls):
    from rayvision_dcc.hosts.adapter import HostAdapter
    if not (isinstance(adapter_cls, type) and issubclass(adapter_cls, HostAdapter)):
        raise TypeError("{!r} is not a HostAdapter subclass".format(adapter_cls))
    if not adapter_cls.host_name:
        raise TypeError("{} has no host_name".format(adapter_cls.__name__))


def register_host(adapter_cls):
    """Make ``adapter_cls`` known; registering the same class twice keeps one entry.
    Returns the class, so it can be used as a decorator."""
    _check(adapter_cls)
    if adapter_cls not in _HOSTS:
        _HOSTS.append(adapter_cls)
        log.debug("registered host adapter %s (%s)", adapter_cls.__name__,
                  adapter_cls.host_name)
    return adapter_cls


def deregister_host(adapter_cls):
    """Forget ``adapter_cls``; forgetting an unknown class is not an error."""
    if adapter_cls in _HOSTS:
        _HOSTS.remove(adapter_cls)


def registered_hosts():
    """The registered adapter classes, oldest first (a copy)."""
    return list(_HOSTS)


def find_host(host_name):
    """The most recently registered adapter class for ``host_name`` (any case), or None."""
    for adapter_cls in reversed(_HOSTS):
        if adapter_cls.host_name.lower() == str(host_name).lower():
            return adapter_cls
    return None


def reset():
    """Forget every adapter (tests)."""
    del _HOSTS[:]
