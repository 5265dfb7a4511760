"""Request rates: one for anonymous callers (by address), one per API token. Answers 429 with Retry-After."""

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from catalog.models import ApiToken
from configurator.client import client_address

__all__ = ["AnonymousRateThrottle", "TokenRateThrottle"]


class _SettingsRate(SimpleRateThrottle):
    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)  # read per request: settings may change

    def get_ident(self, request):
        return client_address(request)  # X-Forwarded-For only as far as DJANGO_TRUSTED_PROXIES vouches


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
