"""Request rates in Redis (configurator.rates): exact, atomic across processes, with a Retry-After."""

import threading
import time

import redis
from django.conf import settings

from configurator.rates import rate_hit


def test_the_limit_counts_exactly_and_then_says_how_long_to_wait():
    answers = [rate_hit("test:one", limit=3, window=60) for _ in range(5)]
    assert answers[:3] == [0, 0, 0]
    assert all(1 <= wait <= 60 for wait in answers[3:])
    assert rate_hit("test:other", limit=3, window=60) == 0  # another key, another count


def test_refused_requests_are_not_counted_so_the_wait_ends_with_the_window():
    began = time.monotonic()
    assert rate_hit("test:refused", limit=1, window=1) == 0
    while time.monotonic() - began < 0.8:  # a client that keeps asking while refused
        assert rate_hit("test:refused", limit=1, window=1) == 1
        time.sleep(0.05)
    time.sleep(max(0.0, began + 1.1 - time.monotonic()))
    assert rate_hit("test:refused", limit=1, window=1) == 0


def test_requests_counted_at_once_by_many_connections_never_pass_the_limit():
    """As two hosts would: every thread has its own Redis connection, and all ask at the same moment."""
    start = threading.Barrier(24)
    answers: list[int] = []

    def ask():
        start.wait()
        answers.append(rate_hit("test:race", limit=5, window=60))

    threads = [threading.Thread(target=ask) for _ in range(24)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(answers)[:6] == [0, 0, 0, 0, 0, min(a for a in answers if a)]
    assert answers.count(0) == 5


def test_a_counted_key_expires_with_its_window():
    rate_hit("test:expiry", limit=2, window=7)
    connection = redis.Redis.from_url(settings.CACHES["default"]["LOCATION"])
    keys = list(connection.keys("*rate:test:expiry*"))
    assert len(keys) == 1
    assert 0 < connection.pttl(keys[0]) <= 7000


def _redis() -> redis.Redis:
    return redis.Redis.from_url(settings.CACHES["default"]["LOCATION"])


def _counted(key: str) -> int:
    (name,) = _redis().keys(f"*rate:{key}")
    return _redis().zcard(name)


def test_a_connection_the_server_closed_is_replaced_and_the_request_counted_once():
    """Redis restarted, or dropped an idle client: the next request is still answered, not refused with a 503."""
    assert rate_hit("test:killed", limit=5, window=60) == 0
    killed = _redis().client_kill_filter(_type="normal", skipme=True)
    assert killed >= 1  # this thread's own connection among them
    assert rate_hit("test:killed", limit=5, window=60) == 0
    assert _counted("test:killed") == 2


def test_a_script_redis_forgot_is_sent_again():
    """SCRIPT FLUSH, or a Redis restarted empty: the script is loaded again by the request that finds it missing."""
    assert rate_hit("test:flushed", limit=5, window=60) == 0
    _redis().script_flush()
    assert rate_hit("test:flushed", limit=5, window=60) == 0
    assert _counted("test:flushed") == 2
