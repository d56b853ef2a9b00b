"""Injected faults, for tests and for trying a pipeline against a misbehaving service.

A spec is a ``;``-separated list of settings and rules (whitespace ignored)::

    seed=7; skew=600; drop_after:createTask:1; error500:queryTaskInfo:p0.2; cut:PUT:2

Settings: ``seed=N`` (the random seed, default 0, so a run is repeatable) and
``skew=SECONDS`` (the farm's clock runs that far ahead; negative is behind).

A rule is ``kind[:target[:which[:arg]]]``:

- kind: ``error500`` (answer an envelope with code 500, nothing done), ``http503`` (HTTP
  503 without an envelope, nothing done), ``drop_before`` (close the connection without
  answering, nothing done), ``drop_after`` (do the operation, then close without
  answering), ``slow`` (do it and answer after ``arg`` seconds, default 1), ``cut`` (a
  transfer interrupted mid-body: an upload is read halfway and the connection closed,
  nothing kept; a download sends half its bytes and closes; ``arg`` is the fraction,
  default 0.5).
- target: an operation name (``createTask``), ``*`` (every API operation), a transfer
  method (``PUT``, ``GET``, ``HEAD``, ``LIST``) or ``transfer`` (every transfer request).
  Default ``*``.
- which: ``*`` (every matching request, the default), ``N`` (the Nth, counting from 1),
  ``N-M``, ``N+`` (the Nth and every later one), a comma list of those (``1,3,5-6``), or
  ``pX`` (each matching request with probability X, from the seeded generator).

Each rule counts the requests its target matches; when several rules fire on one
request, the first one written wins.
"""
from __future__ import annotations

import random
import re
import threading
from collections import namedtuple

KINDS = ("error500", "http503", "drop_before", "drop_after", "slow", "cut")
TRANSFER_TARGETS = ("PUT", "GET", "HEAD", "LIST")
DEFAULT_ARGS = {"slow": 1.0, "cut": 0.5}

Fault = namedtuple("Fault", "kind arg label")


class FaultSpecError(ValueError):
    """A fault spec that does not parse; the message says which part and why."""


class Rule(object):
    def __init__(self, kind, target, which, arg, label):
        self.kind = kind
        self.target = target
        self.which = which  # ("all",) | ("p", x) | ("set", [(a, b), ...]) with b None = open end
        self.arg = arg
        self.label = label
        self.count = 0

    def matches(self, name, is_transfer):
        if self.target == "*":
            return not is_transfer
        if self.target == "transfer":
            return is_transfer
        return self.target == name

    def fires(self, rng):
        self.count += 1
        if self.which[0] == "all":
            return True
        if self.which[0] == "p":
            return rng.random() < self.which[1]
        for low, high in self.which[1]:
            if self.count >= low and (high is None or self.count <= high):
                return True
        return False


def _parse_which(text, item):
    text = text.strip()
    if text in ("", "*"):
        return ("all",)
    if text.startswith("p"):
        try:
            chance = float(text[1:])
        except ValueError:
            raise FaultSpecError("{!r}: the probability {!r} is not a number".format(item, text[1:]))
        if not 0 <= chance <= 1:
            raise FaultSpecError("{!r}: the probability must be between 0 and 1".format(item))
        return ("p", chance)
    ranges = []
    for part in text.split(","):
        match = re.match(r"^\s*(\d+)\s*(?:(-)\s*(\d+)|(\+))?\s*$", part)
        if not match:
            raise FaultSpecError("{!r}: {!r} is not N, N-M, N+, * or pX".format(item, part))
        low = int(match.group(1))
        if match.group(4):
            high = None
        elif match.group(2):
            high = int(match.group(3))
        else:
            high = low
        if low < 1 or (high is not None and high < low):
            raise FaultSpecError("{!r}: counts start at 1 and a range must not run backwards".format(item))
        ranges.append((low, high))
    return ("set", ranges)


def parse(spec):
    """(rules, settings) of a spec string; raises FaultSpecError with the offending item."""
    rules, settings = [], {"seed": 0, "skew": 0.0}
    for raw in re.split(r"[;\n]", spec or ""):
        item = raw.strip()
        if not item:
            continue
        if "=" in item and ":" not in item:
            name, _, value = item.partition("=")
            name = name.strip()
            if name not in settings:
                raise FaultSpecError("unknown fault setting {!r} (known: seed, skew)".format(name))
            try:
                settings[name] = int(value) if name == "seed" else float(value)
            except ValueError:
                raise FaultSpecError("{!r}: {!r} is not a number".format(item, value.strip()))
            continue
        parts = [part.strip() for part in item.split(":")]
        kind = parts[0]
        if kind not in KINDS:
            raise FaultSpecError("unknown fault kind {!r} in {!r} (known: {})".format(
                kind, item, ", ".join(KINDS)))
        target = parts[1] if len(parts) > 1 and parts[1] else "*"
        which = _parse_which(parts[2] if len(parts) > 2 else "*", item)
        arg = DEFAULT_ARGS.get(kind)
        if len(parts) > 3 and parts[3]:
            try:
                arg = float(parts[3])
            except ValueError:
                raise FaultSpecError("{!r}: the argument {!r} is not a number".format(item, parts[3]))
        if len(parts) > 4:
            raise FaultSpecError("{!r}: too many ':' parts (kind:target:which:arg)".format(item))
        if kind == "cut" and target not in TRANSFER_TARGETS + ("transfer",):
            raise FaultSpecError("{!r}: cut applies to transfers only (PUT, GET or transfer)".format(item))
        rules.append(Rule(kind, target, which, arg, item))
    return rules, settings


class Faults(object):
    """The faults of one farm; ``decide`` is called once per request."""

    def __init__(self, spec=None):
        self._lock = threading.Lock()
        self.set(spec)

    def set(self, spec):
        """Replace the rules (a spec string, a list of item strings, or None for none)."""
        if isinstance(spec, (list, tuple)):
            spec = ";".join(spec)
        rules, settings = parse(spec or "")
        with self._lock:
            self.spec = spec or ""
            self.rules = rules
            self.skew = settings["skew"]
            self.rng = random.Random(settings["seed"])

    def decide(self, name, is_transfer=False):
        """The Fault to apply to a request to ``name`` (operation or transfer method), or None."""
        with self._lock:
            chosen = None
            for rule in self.rules:
                if rule.matches(name, is_transfer) and rule.fires(self.rng) and chosen is None:
                    chosen = Fault(rule.kind, rule.arg, rule.label)
            return chosen
