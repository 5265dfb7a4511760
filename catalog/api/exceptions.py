"""One error shape for every 4xx: ``{"error": {"code", "message", "fields"}}``.

``fields`` maps a field path (``ports[0].pins[2].position``) to its messages; it is empty for errors that are
not about one field.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, JsonResponse
from rest_framework import exceptions, serializers
from rest_framework.views import exception_handler as drf_exception_handler

__all__ = ["ErrorSerializer", "error_response", "exception_handler", "flatten_errors"]


def error_response(code: str, message: str, status: int) -> JsonResponse:
    """An error in the API's shape from outside DRF (URL resolution, middleware)."""
    return JsonResponse({"error": {"code": code, "message": message, "fields": {}}}, status=status)


def flatten_errors(detail, path: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail as {path: [messages]}."""
    if isinstance(detail, dict):
        flat: dict[str, list[str]] = {}
        for key, value in detail.items():
            if isinstance(key, int):  # a list's items, as DRF reports them for many=True
                flat.update(flatten_errors(value, f"{path}[{key}]"))
                continue
            name = "" if key in ("non_field_errors", "detail") else str(key)
            flat.update(flatten_errors(value, f"{path}.{name}" if path and name else path or name))
        return flat
    if isinstance(detail, list):
        if all(not isinstance(item, dict | list) for item in detail):
            return {path: [str(item) for item in detail]} if detail else {}
        flat = {}
        for index, item in enumerate(detail):
            flat.update(flatten_errors(item, f"{path}[{index}]"))
        return flat
    return {path: [str(detail)]}


def exception_handler(exc, context):
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(str(exc) or None)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        fields = flatten_errors(exc.detail)
        general = fields.pop("", [])
        message = general[0] if general else "The request has invalid fields."
        codes = exc.get_codes()
        general_codes = codes.get("non_field_errors", []) if isinstance(codes, dict) else codes
        code = str(general_codes[0]) if general and general_codes else "invalid"
    else:
        detail = getattr(exc, "detail", "")
        message = str(detail.get("detail", detail)) if isinstance(detail, dict) else str(detail)
        code = getattr(exc, "default_code", "error")
        fields = {}
    response.data = {"error": {"code": code, "message": message, "fields": fields}}
    return response


class _ErrorBody(serializers.Serializer):
    code = serializers.CharField(help_text="invalid, not_found, permission_denied, not_authenticated, throttled, ...")
    message = serializers.CharField()
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Field path (e.g. ports[0].pins[2].position) to its messages.",
    )


class ErrorSerializer(serializers.Serializer):
    error = _ErrorBody()
