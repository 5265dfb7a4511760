"""Request rates: one for anonymous callers (by address), one per API token. Answers 429 with Retry-After.

Counted in Redis for the whole site (configurator.rates: exact sliding window, atomic, one round trip), not with
DRF's read-then-write history list, which two hosts can both pass at once and which grows with every request."""

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from catalog.models import ApiToken
from configurator.client import client_address
from configurator.rates import rate_hit

__all__ = ["ApiRateThrottle"]


class ApiRateThrottle(SimpleRateThrottle):
    """A request with an API token counts against its token's rate ("token"), any other against its address's
    ("anonymous"): one count, one Redis round trip, per request. DRF's rate grammar and key format, counted by
    configurator.rates instead of DRF's history list."""

    _wait = 0

    def __init__(self):
        """Nothing to read yet: the scope, and so the rate, is chosen per request (DRF reads one per class)."""

    def allow_request(self, request, view) -> bool:
        token = request.auth if isinstance(request.auth, ApiToken) else None
        scope = "anonymous" if token is None else "token"
        rate = api_settings.DEFAULT_THROTTLE_RATES.get(scope)  # read per request: settings may change
        if rate is None:
            return True
        ident = client_address(request) if token is None else token.pk  # client_address: as the proxies vouch
        limit, window = self.parse_rate(rate)
        self._wait = rate_hit(self.cache_format % {"scope": scope, "ident": ident}, limit=limit, window=window)
        return self._wait == 0

    def wait(self) -> int:
        return self._wait
