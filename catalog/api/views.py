"""Catalog endpoints: manufacturers (read) and devices (read for everyone; write for distributor and staff
tokens, within their manufacturers). Writes go through the catalog-file import, so they get the same checks."""

from __future__ import annotations

from functools import cached_property

from django.db import transaction
from django.db.models import Count, Q
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from catalog.api.exceptions import ErrorSerializer
from catalog.api.permissions import CatalogWrite
from catalog.api.serializers import (
    DeviceBriefSerializer,
    DeviceSerializer,
    DeviceWriteSerializer,
    ManufacturerSerializer,
    ProtocolSerializer,
)
from catalog.catalog_files import CatalogFileError
from catalog.filters import DeviceFilterSet
from catalog.models import Device, Manufacturer, Protocol
from catalog.querysets import devices_full
from catalog.rules import WriteRefused, actor_for_token, drafts_visible, editable, write_refusal
from catalog.services import device_delete, device_record, device_save
from configurator.publishing import device_publish

__all__ = ["DeviceViewSet", "ManufacturerViewSet"]

ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="Invalid input; `fields` names each field at fault."),
    401: OpenApiResponse(ErrorSerializer, description="No or an invalid token."),
    403: OpenApiResponse(ErrorSerializer, description="The token may not do this."),
    404: OpenApiResponse(ErrorSerializer, description="No such object (or not yours to change)."),
    429: OpenApiResponse(ErrorSerializer, description="Too many requests; see Retry-After."),
}


# Reads need no token; a distributor's token also shows its unpublished devices.
OPTIONAL_TOKEN = [{"apiToken": []}, {}]


def _errors(*codes: int) -> dict:
    return {code: ERRORS[code] for code in codes}


@extend_schema_view(
    list=extend_schema(summary="Manufacturers", responses={200: ManufacturerSerializer(many=True), **_errors(429)}),
    retrieve=extend_schema(summary="One manufacturer", responses={200: ManufacturerSerializer, **_errors(404, 429)}),
)
class ManufacturerViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ManufacturerSerializer
    lookup_field = "slug"
    filter_backends = []
    queryset = Manufacturer.objects.annotate(
        device_count=Count("devices", filter=Q(devices__is_published=True))
    ).order_by("name")


@extend_schema_view(
    list=extend_schema(
        summary="Protocols: the slugs device files and writes use, with the names makers print",
        responses={200: ProtocolSerializer(many=True), **_errors(429)},
    ),
    retrieve=extend_schema(summary="One protocol", responses={200: ProtocolSerializer, **_errors(404, 429)}),
)
class ProtocolViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ProtocolSerializer
    lookup_field = "slug"
    lookup_value_regex = "[^/]+"  # any value reaches the view, which answers 404 in the API's shape
    filter_backends = []
    queryset = (
        Protocol.objects.select_related("source__document")
        .annotate(
            device_count=Count(
                "device_protocols__device", filter=Q(device_protocols__device__is_published=True), distinct=True
            )
        )
        .order_by("bus", "name")
    )


def _catalog_errors(error: CatalogFileError) -> ValidationError:
    """The catalog checks' errors as API field errors: ``device.ports[0].name`` -> ``ports[0].name``."""
    fields: dict[str, list[str]] = {}
    for item in error.errors:
        path = item.where.removeprefix("device").lstrip(".") or "non_field_errors"
        fields.setdefault(path, []).append(item.message)
    return ValidationError(fields)


@extend_schema_view(
    list=extend_schema(
        summary="Devices",
        auth=OPTIONAL_TOKEN,
        responses={200: DeviceBriefSerializer(many=True), **_errors(400, 429)},
    ),
    retrieve=extend_schema(
        summary="One device with its ports, pins, protocols, DIP banks, settings and sources",
        auth=OPTIONAL_TOKEN,
        responses={200: DeviceSerializer, **_errors(404, 429)},
    ),
    create=extend_schema(
        summary="Add a device (distributor or staff token)",
        request=DeviceWriteSerializer,
        examples=[
            OpenApiExample(
                "A battery with its CAN port",
                request_only=True,
                value={
                    "slug": "weco-new-pack",
                    "manufacturer": "weco",
                    "kind": "battery",
                    "model": "New pack",
                    "voltage_class": "lv",
                    "source": {"document": "002_c222e5cb0cff1dc1.txt", "section": "WECO 5K3 XP"},
                    "ports": [
                        {
                            "name": "CAN",
                            "connector": "rj45",
                            "role": "inverter_link",
                            "buses": ["can"],
                            "pins": [{"position": 4, "signal": "can_h"}, {"position": 5, "signal": "can_l"}],
                        }
                    ],
                },
            ),
            OpenApiExample(
                "A pin beyond the connector",
                response_only=True,
                status_codes=["400"],
                value={
                    "error": {
                        "code": "invalid",
                        "message": "The request has invalid fields.",
                        "fields": {
                            "ports[0].pins[1].position": ["position 9 is beyond the 8 positions of port 'CAN'"]
                        },
                    }
                },
            ),
        ],
        responses={201: DeviceSerializer, **_errors(400, 401, 403, 429)},
    ),
    update=extend_schema(
        summary="Replace a device, its ports and pins (distributor or staff token)",
        request=DeviceWriteSerializer,
        responses={200: DeviceSerializer, **_errors(400, 401, 403, 404, 429)},
    ),
    partial_update=extend_schema(
        summary="Change some of a device's top-level fields (distributor or staff token)",
        request=DeviceWriteSerializer(partial=True),
        responses={200: DeviceSerializer, **_errors(400, 401, 403, 404, 429)},
    ),
    destroy=extend_schema(
        summary="Delete a device (distributor or staff token)",
        responses={204: None, **_errors(400, 401, 403, 404, 429)},
    ),
)
class DeviceViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    lookup_field = "slug"
    lookup_value_regex = "[^/]+"  # any value reaches the view, which answers 404 in the API's shape
    permission_classes = [CatalogWrite]
    filterset_class = DeviceFilterSet

    @cached_property
    def actor(self):
        return actor_for_token(self.request.auth)

    def get_queryset(self):
        if self.request.method in ("GET", "HEAD", "OPTIONS"):
            queryset = Device.objects.filter(drafts_visible(self.actor))
            if self.action == "list":
                return queryset.select_related("manufacturer").order_by("manufacturer__name", "model")
            return devices_full(queryset)
        return editable(Device, devices_full(), self.actor)

    def get_serializer_class(self):
        if self.action == "list":
            return DeviceBriefSerializer
        if self.action in ("create", "update", "partial_update"):
            return DeviceWriteSerializer
        return DeviceSerializer

    def _in_scope(self, data: dict, existing: Device | None) -> None:
        """403 when the device, as stored now or as it would be saved, is not the token's to write."""
        manufacturer = Manufacturer.objects.filter(slug=data["manufacturer"]).first()
        if manufacturer is None:
            return  # the catalog checks name the unknown manufacturer (400)
        after = Device(pk=existing.pk if existing else None, slug=data["slug"], manufacturer=manufacturer)
        if refusal := write_refusal(self.actor, after):
            raise PermissionDenied(f"{str(refusal).capitalize()}.")

    def _save(self, data: dict, existing: Device | None) -> Device:
        """Save the device; a new one is a draft unless ``published: true`` is sent. Publishing a draft (or a new
        device) runs the publishing checks (configurator.publishing): a 400 listing the problems under
        ``published``, and nothing saved."""
        was_published = existing is not None and existing.is_published
        wanted = data.get("published", was_published)
        publishing = wanted and not was_published
        data = {**data, "published": wanted and not publishing}  # saved as a draft first, then published
        with transaction.atomic():
            try:
                saved = device_save(data=data, actor=self.actor)
            except CatalogFileError as error:
                raise _catalog_errors(error) from error
            if publishing and (problems := device_publish(device=saved, actor=self.actor)):
                raise ValidationError({"published": problems})  # leaves the atomic block: nothing is kept
        return devices_full(Device.objects.filter(pk=saved.pk)).get()

    def _validated(self, data) -> dict:
        serializer = DeviceWriteSerializer(data=data)
        serializer.is_valid(raise_exception=True)
        return _plain(serializer.validated_data)

    def create(self, request, *args, **kwargs):
        data = self._validated(request.data)
        existing = Device.objects.filter(slug=data["slug"]).first()
        self._in_scope(data, existing)
        if existing is not None:
            raise ValidationError({"slug": ["A device with this slug already exists."]})
        device = self._save(data, None)
        body = DeviceSerializer(device, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        device = self.get_object()
        if kwargs.get("partial"):
            if not isinstance(request.data, dict):
                raise ValidationError({"non_field_errors": ["Send an object of the fields to change."]})
            data = {**device_record(device=device), **request.data}
        else:
            data = request.data
        data = self._validated(data)
        if data["slug"] != device.slug:
            raise ValidationError({"slug": ["A device's slug cannot change; create a new device instead."]})
        self._in_scope(data, device)
        device = self._save(data, device)
        return Response(DeviceSerializer(device, context=self.get_serializer_context()).data)

    def destroy(self, request, *args, **kwargs):
        device = self.get_object()
        try:
            device_delete(device=device, actor=self.actor)
        except WriteRefused as refused:
            raise PermissionDenied(f"{str(refused).capitalize()}.") from refused
        except CatalogFileError as error:
            raise ValidationError({"non_field_errors": [item.message for item in error.errors]}) from error
        return Response(status=status.HTTP_204_NO_CONTENT)


def _plain(value):
    """Validated data (nested serializer dicts and lists) as plain dicts and lists, for the catalog import."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value
