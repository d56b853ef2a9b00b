"""How the package retries: one rule for the API client and the file transfers.

``Backoff(retries, base)`` allows ``retries`` more attempts after the first and waits
``base * 2 ** (n - 1)`` seconds (at most ``cap``, with jitter so many clients do not
retry in step) before attempt ``n + 1``; ``Backoff(delays=(5, 15, ...))`` waits those
seconds instead, one more attempt per delay. ``call(attempt_fn, retryable)`` runs the loop
for the simple cases; the API client, whose retry decisions depend on the answer, asks
``allows`` and ``pause`` itself.
"""
from __future__ import annotations

import logging
import random
import time

log = logging.getLogger("rayvision_dcc.retry")


class Backoff(object):

    def __init__(self, retries=3, base=0.5, cap=10.0, jitter=True, sleep=None, delays=None):
        self.delays = tuple(float(delay) for delay in delays) if delays is not None else None
        self.retries = len(self.delays) if self.delays is not None else int(retries)
        self.base = float(base)
        self.cap = float(cap)
        self.jitter = jitter and self.delays is None
        self._sleep = sleep or time.sleep

    def allows(self, attempt):
        """True when another attempt may follow attempt number ``attempt`` (1-based)."""
        return attempt <= self.retries

    def delay(self, attempt):
        """Seconds to wait after attempt ``attempt`` failed."""
        if self.delays is not None:
            return self.delays[min(attempt, len(self.delays)) - 1] if self.delays else 0.0
        delay = min(self.base * (2 ** (attempt - 1)), self.cap)
        if self.jitter:
            delay *= 0.5 + random.random() / 2
        return delay

    def pause(self, attempt, what, error):
        """Say why and wait before the next attempt."""
        delay = self.delay(attempt)
        log.info("%s: %s; retry %d in %.2f s", what, _reason(error), attempt, delay)
        self._sleep(delay)

    def call(self, attempt_fn, retryable, what="request", give_up=None):
        """``attempt_fn()`` until it returns; an exception for which ``retryable(exc)`` is
        true is retried while ``allows``; then ``give_up(exc, attempts)`` (when given)
        makes the exception raised instead of the last one."""
        attempt = 0
        while True:
            attempt += 1
            try:
                return attempt_fn()
            except Exception as exc:
                if not retryable(exc):
                    raise
                if not self.allows(attempt):
                    if give_up is None:
                        raise
                    raise give_up(exc, attempt) from exc
                self.pause(attempt, what, exc)


def _reason(error):
    text = getattr(error, "message", None) or str(error) or type(error).__name__
    return text.splitlines()[0][:300]
