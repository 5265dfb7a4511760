"""Request rates: one for anonymous callers (by address), one per API token. Answers 429 with Retry-After.

Counted in Redis for the whole site (configurator.rates: exact sliding window, atomic, one round trip), not with
DRF's read-then-write history list, which two hosts can both pass at once and which grows with every request."""

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from catalog.models import ApiToken
from configurator.client import client_address
from configurator.rates import rate_hit

__all__ = ["AnonymousRateThrottle", "TokenRateThrottle"]


class _SettingsRate(SimpleRateThrottle):
    _wait = 0

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)  # read per request: settings may change

    def get_ident(self, request):
        return client_address(request)  # X-Forwarded-For only as far as DJANGO_TRUSTED_PROXIES vouches

    def allow_request(self, request, view) -> bool:
        if self.rate is None:
            return True
        key = self.get_cache_key(request, view)
        if key is None:
            return True
        self._wait = rate_hit(key, limit=self.num_requests, window=self.duration)
        return self._wait == 0

    def wait(self) -> int:
        return self._wait


class AnonymousRateThrottle(_SettingsRate):
    scope = "anonymous"

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class TokenRateThrottle(_SettingsRate):
    scope = "token"

    def get_cache_key(self, request, view):
        if not isinstance(request.auth, ApiToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}
