"""Request logging: one line per request (method, path, status, duration, request id), and the request id
echoed in an ``X-Request-ID`` header so that a user's report can be matched with the log.

A database or a shared cache (Redis) that cannot be reached (down, restarting, out of connections) is answered
with a 503 and a Retry-After, in the API's error shape under /api/, not with a server error."""

from __future__ import annotations

import logging
import re
import time
import uuid

from django.db.utils import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from redis.exceptions import ConnectionError as CacheConnectionError
from redis.exceptions import TimeoutError as CacheTimeoutError

from catalog.api.exceptions import error_response

__all__ = ["DatabaseUnavailableMiddleware", "NulCharacterMiddleware", "RequestLogMiddleware", "bad_request_response"]

RETRY_AFTER_SECONDS = 5

logger = logging.getLogger("configurator.requests")
_VALID_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        request_id = given if _VALID_ID.match(given) else uuid.uuid4().hex
        request.request_id = request_id
        start = time.perf_counter()
        response = self.get_response(request)
        duration_ms = (time.perf_counter() - start) * 1000
        response["X-Request-ID"] = request_id
        logger.info(
            "request method=%s path=%s status=%s duration_ms=%.1f request_id=%s",
            request.method,
            request.path,
            response.status_code,
            duration_ms,
            request_id,
            extra={
                "request_id": request_id,
                "status": response.status_code,
                "duration_ms": round(duration_ms, 1),
                "method": request.method,
                "path": request.path,
            },
        )
        return response


def bad_request_response(
    request, message: str, status: int = 400, *, code: str = "bad_request", heading: str = ""
) -> HttpResponse:
    """An error page, or the API's error shape under /api/, rendered without touching the database."""
    if request.path.startswith("/api/"):
        return error_response(code, message, status)
    context = {"heading": heading or "This request cannot be answered", "problems": [message]}
    return HttpResponse(render_to_string("configurator/bad_request.html", context), status=status)


class NulCharacterMiddleware:
    """A NUL character in the path or the query string names nothing in the catalog (PostgreSQL cannot even
    compare text with it): 400 before any view or lookup runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any("\x00" in key or "\x00" in value for key, value in request.GET.items()):
            return bad_request_response(request, "The address contains a NUL character.")
        return self.get_response(request)


class DatabaseUnavailableMiddleware:
    """Turns a view's database connection error into a 503 with Retry-After (the app reconnects by itself once
    the database is back: CONN_HEALTH_CHECKS). The page is rendered without the request, so that nothing on the
    way (sessions, messages) touches the database again."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, (OperationalError, InterfaceError)):
            service, code = "database", "database_unavailable"
        elif isinstance(exception, (CacheConnectionError, CacheTimeoutError)):
            service, code = "cache", "cache_unavailable"
        else:
            return None
        first_line = (str(exception).strip().splitlines() or [""])[0]
        logger.error("%s unavailable: %s", service, first_line)
        message = f"The {service} is unavailable for a moment; please try again in a few seconds."
        response = bad_request_response(request, message, 503, code=code, heading="Back in a moment")
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
