"""Who is asking: the client's address, for rate limits (API and sheets) and the login lockout alike.

``X-Forwarded-For`` is a header any client can send, so it is believed only as far as the deployment says:
``DJANGO_TRUSTED_PROXIES`` is the number of reverse proxies in front of the app that each append the address they
received a connection from (0, the default: the app is reached directly and the header is ignored). With N proxies
the client is the N-th address from the right; whatever a client wrote further left is its own claim and ignored.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest

__all__ = ["client_address"]


def _address(text: str) -> str | None:
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str:
    """The client's IP address as far as the trusted proxies vouch for it; REMOTE_ADDR without proxies."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    proxies = settings.TRUSTED_PROXIES
    if proxies <= 0:
        return remote
    forwarded = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if not forwarded:
        return remote
    return _address(forwarded[-min(proxies, len(forwarded))]) or remote
