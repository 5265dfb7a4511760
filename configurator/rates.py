"""Request rates counted once for the whole site, in the shared cache (Redis), whatever host or process answers.

A sliding window, exact: a key's requests of the last ``window`` seconds are kept as a sorted set of their times,
and one Lua script (atomic in Redis, one round trip) drops the old ones, counts and adds. Two hosts counting the same
client at the same moment cannot both take the last place, as they could by reading and writing a list; the times
come from the Redis server's clock, so hosts whose clocks differ still agree.
"""

from __future__ import annotations

import hashlib
import math
import os
import secrets
import threading

from django.core.cache import cache
from redis.connection import Connection
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import NoScriptError

__all__ = ["rate_hit"]

_SCRIPT = """
local now = redis.call('TIME')
local now_us = tonumber(now[1]) * 1000000 + tonumber(now[2])
local window = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now_us - window)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[2]) then
  redis.call('ZADD', KEYS[1], now_us, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], math.ceil(window / 1000))
  return 0
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return math.max(1, tonumber(oldest[2]) + window - now_us)
"""


_SHA = hashlib.sha1(_SCRIPT.encode()).hexdigest()  # noqa: S324 (the name Redis keeps the script under)


class _Line(threading.local):
    """This thread's own connection to the shared cache's Redis, for the script alone.

    The cache's connection pool checks every connection it hands out for unread data (a non-blocking read between
    two changes of the socket's mode): three system calls, more than the script itself costs Redis, on a path every
    API request takes. A connection of our own needs no such check: redis-py closes it on any error while a reply
    is being read, so it never holds half a reply. It is opened on first use in each process (a fork of gunicorn's
    master opens its own) and for each cache backend (a test may swap the settings)."""

    connection: Connection | None = None
    backend: object = None
    pid: int = 0


_line = _Line()


def _connection() -> Connection:
    backend = cache._cache  # Django's RedisCache has no call for scripts
    if _line.connection is None or _line.backend is not backend or _line.pid != os.getpid():
        pool = backend._get_connection_pool(write=True)
        _line.connection = pool.connection_class(**pool.connection_kwargs)  # the cache's address, timeouts, retries
        _line.backend, _line.pid = backend, os.getpid()
    return _line.connection


def _run(connection: Connection, name: str, *args) -> int:
    """The script on ``name``: EVALSHA, and EVAL (which also keeps it) the first time Redis does not know it."""
    connection.send_command("EVALSHA", _SHA, 1, name, *args)
    try:
        return int(connection.read_response())
    except NoScriptError:
        connection.send_command("EVAL", _SCRIPT, 1, name, *args)
        return int(connection.read_response())


def rate_hit(key: str, *, limit: int, window: int) -> int:
    """Count one request under ``key`` unless ``limit`` were counted in the last ``window`` seconds. Returns 0 when
    it was counted (allowed), else the whole seconds until the oldest counted request leaves the window (at least
    1): the Retry-After of the refusal. Raises redis's ConnectionError or TimeoutError when Redis does not answer
    (the middleware's 503)."""
    name = cache.make_and_validate_key(f"rate:{key}")
    args = (window * 1_000_000, limit, secrets.token_hex(8))
    connection = _connection()
    try:
        wait_us = _run(connection, name, *args)
    except RedisConnectionError:
        # The server closed this connection since its last use (a restart, an idle timeout, a killed client), which
        # the cache's pool would have found before using it: once more, on a new connection. The script did not run
        # on the closed one. A second failure is Redis being down (the middleware's 503).
        connection.disconnect()
        wait_us = _run(connection, name, *args)
    return 0 if wait_us == 0 else max(1, math.ceil(wait_us / 1_000_000))
