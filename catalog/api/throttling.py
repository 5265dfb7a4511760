"""Request rates: one for anonymous callers (by address), one per API token. Answers 429 with Retry-After.

Counted in Redis for the whole site (configurator.rates: exact sliding window, atomic, one round trip), not with
DRF's read-then-write history list, which two hosts can both pass at once and which grows with every request."""

from functools import lru_cache

from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle

from catalog.models import ApiToken
from configurator.client import client_address
from configurator.rates import rate_hit

__all__ = ["ApiRateThrottle"]

_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@lru_cache(maxsize=16)
def _rate(rate: str) -> tuple[int, int]:
    """ "120/minute" -> (120, 60): requests and seconds, as DRF reads a rate."""
    requests, period = rate.split("/")
    return int(requests), _SECONDS[period[0]]


class ApiRateThrottle(BaseThrottle):
    """A request with an API token counts against its token's rate ("token"), any other against its address's
    ("anonymous"): one count, one Redis round trip, per request."""

    _wait = 0

    def allow_request(self, request, view) -> bool:
        token = request.auth if isinstance(request.auth, ApiToken) else None
        scope = "anonymous" if token is None else "token"
        rate = api_settings.DEFAULT_THROTTLE_RATES.get(scope)  # read per request: settings may change
        if rate is None:
            return True
        ident = client_address(request) if token is None else token.pk  # client_address: as the proxies vouch
        limit, window = _rate(rate)
        self._wait = rate_hit(f"throttle_{scope}_{ident}", limit=limit, window=window)
        return self._wait == 0

    def wait(self) -> int:
        return self._wait
