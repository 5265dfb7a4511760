"""The catalog's and the verdict matrix's versions, known to each process without a query per request.

Every cached read (a pair's facts, a kept page, a page of the matrix) is keyed by these versions, so every request
needs them. Read by a query, they were the busiest pages' one round trip and most of their cost. Instead each
process keeps one more connection to PostgreSQL, which LISTENs on CHANNEL: the database NOTIFYs it at the commit
of any change to either version's row (migration configurator 0013). A request polls that connection's socket
(a system call, no round trip) and reads the versions again only when a notification came.

What a reader sees:
- An edit committed anywhere is seen by every process as soon as its notification arrives. PostgreSQL signals the
  listening connections as part of the commit, before the editor's own request has even returned.
- The versions are also read at least every REVALIDATE_SECONDS, whatever happens: a connection that died without
  its socket saying so (a network partition) costs at most that long.
- When the listening connection fails (the database restarted), every request reads the versions itself, exactly
  as without this module, until the connection is opened again (tried at most every RETRY_SECONDS).

Inside a transaction nothing cached is used, so it is never asked there (configurator.verdict_matrix.versions
answers None). The test suite runs with VERSION_NOTIFICATIONS off (tests/conftest.py): a test that commits an
edit and requests a page at once, in the same thread, would race the notification. This module's own tests, the
resilience run and the scale-out run use it as production does.
"""

from __future__ import annotations

import logging
import select
import threading
from collections.abc import Callable
from time import monotonic
from typing import Generic, TypeVar

import psycopg
from django.conf import settings
from django.db import connection

__all__ = ["CHANNEL", "RETRY_SECONDS", "REVALIDATE_SECONDS", "VersionWatch"]

CHANNEL = "configurator_versions"  # as migration configurator 0013 notifies it
REVALIDATE_SECONDS = 1.0
RETRY_SECONDS = 1.0

logger = logging.getLogger(__name__)

V = TypeVar("V")


class VersionWatch(Generic[V]):
    """The value ``read`` returns (a query on the request's connection), kept in this process between the
    database's notifications. One per process; its listening connection is opened on first use, which is after
    gunicorn has forked its workers."""

    def __init__(self, read: Callable[[], V]):
        self.read = read
        self.lock = threading.Lock()  # threads of one process (runserver) share the connection and the value
        self.listener: psycopg.Connection | None = None
        self.socket: select.poll | None = None  # the listener's socket, polled without waiting
        self.value: V | None = None
        self.read_at = float("-inf")  # monotonic time of the last read
        self.retry_at = float("-inf")  # no listening before this (monotonic), after a failure

    def get(self) -> V:
        """The value as of the latest notification, read again when one came, when REVALIDATE_SECONDS passed, and
        on every call while nothing listens."""
        if not settings.VERSION_NOTIFICATIONS:
            return self.read()
        with self.lock:
            now = monotonic()
            if self.listener is None and now >= self.retry_at:
                self._listen(now)  # on success, the value is read below (nothing was heard before it)
            elif self.listener is not None and self._notified(now):
                self.read_at = float("-inf")
            if self.listener is None or now - self.read_at >= REVALIDATE_SECONDS:
                self.value = self.read()
                self.read_at = now if self.listener is not None else float("-inf")
            return self.value

    def forget(self) -> None:
        """Read the value again at the next call (the listening connection stays)."""
        with self.lock:
            self.read_at = float("-inf")

    def close(self) -> None:
        """Stop listening and forget the value (before the database is dropped: tests, benchmarks; a process's
        connection otherwise ends with it)."""
        with self.lock:
            if self.listener is not None:
                self.listener.close()
            self.listener = self.socket = None
            self.read_at = self.retry_at = float("-inf")

    def _listen(self, now: float) -> None:
        """Open the listening connection with the request connection's parameters, LISTEN, and forget the value:
        a change committed after the LISTEN is notified, and one before it is in the next read."""
        self.read_at = float("-inf")
        try:
            listener = psycopg.connect(**connection.get_connection_params(), autocommit=True)
        except psycopg.Error as error:
            self._failed(now, error)
            return
        try:
            listener.execute(f"LISTEN {CHANNEL}")
        except psycopg.Error as error:
            listener.close()
            self._failed(now, error)
            return
        self.listener = listener
        self.socket = select.poll()
        self.socket.register(listener.fileno(), select.POLLIN)  # a notification, or the server closing it

    def _notified(self, now: float) -> bool:
        """Whether a notification came since the last poll (all of them consumed); a failed connection is closed
        and counts as one (the caller reads, and every request reads until the connection is back). Nothing on the
        socket, the usual answer, costs one system call; only then does psycopg read it."""
        if not self.socket.poll(0):
            return False
        try:
            return bool(list(self.listener.notifies(timeout=0)))
        except psycopg.Error as error:
            self.listener.close()
            self.listener = self.socket = None
            self._failed(now, error)
            return True

    def _failed(self, now: float, error: psycopg.Error) -> None:
        self.retry_at = now + RETRY_SECONDS
        first_line = (str(error).strip().splitlines() or [""])[0]
        logger.warning("not listening for catalog versions (reading them per request): %s", first_line)
