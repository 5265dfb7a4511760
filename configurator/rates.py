"""Request rates counted once for the whole site, in the shared cache (Redis), whatever host or process answers.

A sliding window, exact: a key's requests of the last ``window`` seconds are kept as a sorted set of their times,
and one Lua script (atomic in Redis, one round trip) drops the old ones, counts and adds. Two hosts counting the same
client at the same moment cannot both take the last place, as they could by reading and writing a list; the times
come from the Redis server's clock, so hosts whose clocks differ still agree.
"""

from __future__ import annotations

import math
import secrets
from functools import lru_cache

from django.core.cache import cache
from redis.commands.core import Script

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


@lru_cache(maxsize=16)
def _script(backend) -> Script:
    """The script bound to a client of the cache backend's connection pool, made once per backend (Django keeps
    one per thread): making a redis client costs more than the script's round trip. Calls send EVALSHA, loading
    the script the first time Redis does not know it."""
    return backend.get_client(write=True).register_script(_SCRIPT)  # Django's RedisCache has no call for scripts


def rate_hit(key: str, *, limit: int, window: int) -> int:
    """Count one request under ``key`` unless ``limit`` were counted in the last ``window`` seconds. Returns 0 when
    it was counted (allowed), else the whole seconds until the oldest counted request leaves the window (at least
    1): the Retry-After of the refusal. Raises redis's ConnectionError or TimeoutError when Redis does not answer
    (the middleware's 503)."""
    name = cache.make_and_validate_key(f"rate:{key}")
    wait_us = int(_script(cache._cache)(keys=[name], args=[window * 1_000_000, limit, secrets.token_hex(8)]))
    return 0 if wait_us == 0 else max(1, math.ceil(wait_us / 1_000_000))
