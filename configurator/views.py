"""Project-level views that belong to no app: the health check and the home page."""

import logging

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.utils import Error as DatabaseError
from django.http import HttpRequest, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from catalog.selectors import home_counts_get

logger = logging.getLogger(__name__)


def _database_answers() -> bool:
    """Open a brand-new connection (not the pooled/persistent one) and run a trivial query."""
    connection = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        logger.warning("health check: database unavailable", exc_info=True)
        return False
    finally:
        connection.close()


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    if _database_answers():
        return JsonResponse({"status": "ok", "database": "ok"})
    return JsonResponse({"status": "error", "database": "unavailable"}, status=503)


@require_GET
def home(request: HttpRequest):
    return render(request, "home.html", home_counts_get())
