"""Reading the API's answers: a field of a dict or an attribute, an int that may be text."""
from __future__ import annotations


def field(obj, name, default=None):
    """``obj[name]`` for a dict, ``obj.name`` otherwise (events and tips come as both)."""
    if isinstance(obj, dict):
        return obj.get(name, default)
    return getattr(obj, name, default)


def as_int(value, default=0):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default
