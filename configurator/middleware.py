"""Request logging: one line per request (method, path, status, duration, request id), and the request id
echoed in an ``X-Request-ID`` header so that a user's report can be matched with the log."""

from __future__ import annotations

import logging
import re
import time
import uuid

__all__ = ["RequestLogMiddleware"]

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
