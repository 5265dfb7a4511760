"""What keeps sheet rendering from being turned against the site: a PDF render costs a worker hundreds of
milliseconds to seconds, while a cached sheet costs nothing, so only renders are limited.

- **Per client**: at most ``SHEET_RENDER_RATE`` renders (e.g. ``6/minute``) per client address
  (configurator.client) in a fixed window; past it, ``SheetRefused`` with status 429 and the seconds to wait.
- **Per process**: at most ``SHEET_RENDER_CONCURRENCY`` renders at once, and at most ``SHEET_RENDER_QUEUE`` more
  waiting up to ``SHEET_RENDER_QUEUE_SECONDS`` for a slot; past that, ``SheetRefused`` with status 503.
- **Failures remembered**: a sheet whose render broke its limits is not rendered again for
  ``SHEET_FAILURE_MEMORY_SECONDS``; asking again gets the same error at once.

The per-client counts and the remembered failures live in the shared cache (Redis): one count for the whole site,
whichever host answers. The render slots are each process's own: they bound that process's CPU and memory.
"""

from __future__ import annotations

import hashlib
import threading
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext

from configurator.rates import rate_hit

__all__ = ["SheetRefused", "forget_failures", "remember_failure", "remembered_failure", "render_slot"]


@dataclass
class SheetRefused(Exception):
    """A render refused before it started: too many from this client (429) or too many at once (503)."""

    status: int
    retry_after: int
    reason: str

    def __str__(self) -> str:
        return self.reason


def _rate() -> tuple[int, int]:
    """SHEET_RENDER_RATE as (renders, window seconds): "6/minute", "100/hour", "2/second"."""
    count, _, period = settings.SHEET_RENDER_RATE.partition("/")
    seconds = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}[period.strip().rstrip("s") or "minute"]
    return int(count), seconds


def _check_rate(client: str) -> None:
    limit, window = _rate()
    wait = rate_hit(f"sheet:{hashlib.sha256(client.encode()).hexdigest()[:24]}", limit=limit, window=window)
    if wait:
        raise SheetRefused(
            429,
            wait,
            gettext(
                "more than {limit} new sheets in {window} s from this address; already printed sheets still download"
            ).format(limit=limit, window=window),
        )


_slots_lock = threading.Lock()
_slots: threading.BoundedSemaphore | None = None
_slots_size = 0
_waiting = 0


def _semaphore() -> threading.BoundedSemaphore:
    global _slots, _slots_size
    with _slots_lock:
        if _slots is None or _slots_size != settings.SHEET_RENDER_CONCURRENCY:
            _slots, _slots_size = (
                threading.BoundedSemaphore(settings.SHEET_RENDER_CONCURRENCY),
                settings.SHEET_RENDER_CONCURRENCY,
            )
        return _slots


@contextmanager
def render_slot(client: str):
    """Enter to render one sheet for ``client``: counts against the client's rate, then holds one of the process's
    render slots. Raises SheetRefused (429 or 503) instead of queueing without end."""
    global _waiting
    _check_rate(client)
    slots = _semaphore()
    if not slots.acquire(blocking=False):
        with _slots_lock:
            if _waiting >= settings.SHEET_RENDER_QUEUE:
                raise SheetRefused(503, 5, gettext("too many sheets are being printed right now"))
            _waiting += 1
        try:
            acquired = slots.acquire(timeout=settings.SHEET_RENDER_QUEUE_SECONDS)
        finally:
            with _slots_lock:
                _waiting -= 1
        if not acquired:
            raise SheetRefused(503, 5, gettext("too many sheets are being printed right now"))
    try:
        yield
    finally:
        slots.release()


def remembered_failure(key: str) -> str | None:
    """Why the sheet with this key failed recently, or None."""
    return cache.get(f"sheet-failed:{key}")


def remember_failure(key: str, reason: str) -> None:
    cache.set(f"sheet-failed:{key}", reason, settings.SHEET_FAILURE_MEMORY_SECONDS)


def forget_failures(key: str) -> None:
    cache.delete(f"sheet-failed:{key}")
