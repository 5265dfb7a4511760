"""Devices installers asked for that the catalog does not hold: recorded once per text (counted after that), at
most a few new ones per client and hour, for distributors to read in the admin."""

from __future__ import annotations

from django.core.cache import cache
from django.db.models import F
from django.utils import timezone

from catalog.models import CatalogRequest
from catalog.selectors import squashed

__all__ = ["REQUESTS_PER_HOUR", "catalog_request_record"]

REQUESTS_PER_HOUR = 10  # per client: enough for a site survey, too few to fill the table


def catalog_request_record(*, kind: str, text: str, client: str) -> bool:
    """Record that ``client`` asked for ``text`` (a battery or an inverter); False when this client has asked
    too often this hour (nothing is recorded then)."""
    key = squashed(text)[:100]  # as search compares names: "Huawei " and "huawei" are one request
    if not key:
        return False
    budget = f"catalog-request:{client}"
    cache.add(budget, 0, timeout=3600)
    if cache.incr(budget) > REQUESTS_PER_HOUR:
        return False
    now = timezone.now()
    updated = CatalogRequest.objects.filter(kind=kind, key=key).update(times=F("times") + 1, last_asked=now)
    if not updated:
        _, created = CatalogRequest.objects.get_or_create(
            kind=kind, key=key, defaults={"text": text.strip()[:100], "first_asked": now, "last_asked": now}
        )
        if not created:  # asked at the same moment by another client
            CatalogRequest.objects.filter(kind=kind, key=key).update(times=F("times") + 1, last_asked=now)
    return True
