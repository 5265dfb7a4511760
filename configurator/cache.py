"""The shared cache (settings.CACHES: Redis), as the health check sees it."""

from __future__ import annotations

import logging

from django.core.cache import cache

__all__ = ["cache_answers"]

logger = logging.getLogger(__name__)


def cache_answers() -> bool:
    """Does the shared cache answer a PING now (within its socket timeout)?"""
    try:
        return bool(cache._cache.get_client(write=True).ping())
    except Exception:
        logger.warning("health check: cache unavailable", exc_info=True)
        return False
