"""Catalog endpoints: every entity (manufacturers, documents and their sources, protocols, devices and their
aliases, documented pairings), the change feed and the account's webhooks.

Reads need no token (a distributor's token also shows its drafts). Writes take an entity in its catalog-file shape
(catalog.shapes: one JSON Schema per entity, the same the catalog files are checked against) and go through the
same checks as a file, in one transaction, judged by the catalog's one write rule (catalog.rules) for the token.
Every catalog response carries the catalog version (``X-Catalog-Version``) and, for reads, an ``ETag`` that
``If-None-Match`` answers with 304 while the catalog has not changed.
"""

from __future__ import annotations

import hashlib
from functools import cached_property

from django.db import IntegrityError, transaction
from django.db.models import Count, Prefetch, Q
from django.db.models.deletion import ProtectedError
from django.utils.cache import parse_etags
from django.utils.translation import gettext
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.metadata import SimpleMetadata
from rest_framework.response import Response

from catalog.api.exceptions import ErrorSerializer
from catalog.api.permissions import CatalogWrite, TokenWrite
from catalog.api.serializers import (
    ChangeSerializer,
    DeviceBriefSerializer,
    DeviceSerializer,
    DocumentSerializer,
    ManufacturerSerializer,
    PairingRecordSerializer,
    ProtocolDetailSerializer,
    ProtocolSerializer,
    SourceRowSerializer,
    WebhookDeliverySerializer,
    WebhookEndpointSerializer,
)
from catalog.catalog_files import CatalogFileError
from catalog.filters import (
    ChangeFilterSet,
    DeviceFilterSet,
    DocumentFilterSet,
    ManufacturerFilterSet,
    PairingFilterSet,
    ProtocolFilterSet,
    SourceFilterSet,
)
from catalog.history import catalog_author
from catalog.models import (
    ApiToken,
    CatalogChange,
    CatalogState,
    Device,
    DeviceProtocol,
    Document,
    DocumentedPairing,
    Manufacturer,
    Protocol,
    Source,
    WebhookEndpoint,
)
from catalog.rules import (
    Actor,
    WriteRefused,
    actor_for_token,
    check_delete,
    drafts_visible,
    editable,
    write_refusal,
)
from catalog.services import entity_delete, entity_merge, entity_record, entity_save
from catalog.shapes import SHAPES, Shape
from configurator.publishing import device_publish

__all__ = [
    "ChangeViewSet",
    "DeviceViewSet",
    "DocumentViewSet",
    "ManufacturerViewSet",
    "PairingViewSet",
    "ProtocolViewSet",
    "SourceViewSet",
    "WebhookEndpointViewSet",
]

ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="Invalid input; `fields` names each field at fault."),
    401: OpenApiResponse(ErrorSerializer, description="No or an invalid token."),
    403: OpenApiResponse(ErrorSerializer, description="The token may not do this."),
    404: OpenApiResponse(ErrorSerializer, description="No such object (or not yours to change)."),
    429: OpenApiResponse(ErrorSerializer, description="Too many requests; see Retry-After."),
}

# Reads need no token; a distributor's token also shows its unpublished devices and proposed protocols.
OPTIONAL_TOKEN = [{"apiToken": []}, {}]
VERSION_HEADER = "X-Catalog-Version"


def _errors(*codes: int) -> dict:
    return {code: ERRORS[code] for code in codes}


def _component(shape: Shape) -> dict:
    """The entity's catalog-file shape, added to the OpenAPI document from its JSON Schema (catalog.api.schema)."""
    return {"application/json": {"$ref": f"#/components/schemas/{shape.component}"}}


def _author(request) -> int | None:
    token = request.auth
    return token.account_id if isinstance(token, ApiToken) else None


class _NotModified(Exception):
    pass


class CatalogVersioned:
    """The catalog version on every response, and conditional reads: the ETag of a read is the catalog version
    with what the caller may see (drafts), so it changes with any committed catalog change."""

    def _state(self) -> tuple[str, int] | None:
        if not hasattr(self, "_catalog_state"):
            self._catalog_state = CatalogState.objects.filter(pk=1).values_list("generation", "version").first()
        return self._catalog_state

    def _etag(self) -> str | None:
        state = self._state()
        if state is None:
            return None
        actor = self.actor
        seen = f"{actor.role}:{sorted(actor.manufacturer_ids)}:{getattr(self.request.auth, 'account_id', '')}"
        digest = hashlib.sha256(f"{state[0]}:{seen}".encode()).hexdigest()[:12]
        return f'"{state[1]}-{digest}"'

    @cached_property
    def actor(self) -> Actor:
        return actor_for_token(self.request.auth)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        reading = request.method in ("GET", "HEAD")
        if reading and (etag := self._etag()) and etag in parse_etags(request.headers.get("If-None-Match", "")):
            raise _NotModified

    def handle_exception(self, exc):
        if isinstance(exc, _NotModified):
            return Response(status=status.HTTP_304_NOT_MODIFIED)
        return super().handle_exception(exc)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        read = request.method in ("GET", "HEAD") and response.status_code in (200, 304)
        if read and (etag := self._etag()):
            response["ETag"] = etag
        if state := self._state():
            # after a write, the version it committed (the state row is read again)
            if request.method not in ("GET", "HEAD", "OPTIONS"):
                state = CatalogState.objects.filter(pk=1).values_list("generation", "version").first() or state
            response[VERSION_HEADER] = str(state[1])
        return response


def _catalog_errors(shape: Shape, error: CatalogFileError) -> ValidationError:
    """The catalog checks' errors as API field errors, by path within the entity."""
    fields: dict[str, list[str]] = {}
    for item in error.errors:
        path = shape.field_path(item.where) or "non_field_errors"
        fields.setdefault(path, []).append(item.message)
    return ValidationError(fields)


class _Metadata(SimpleMetadata):
    """OPTIONS: the methods and what the endpoint takes; a body's shape is the OpenAPI document's."""

    def determine_actions(self, request, view):
        return {}


class EntityViewSet(
    CatalogVersioned,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """List, read, create (POST), replace (PUT), change some keys (PATCH) and delete one catalog entity. A write
    body is the entity's catalog-file mapping; the response is the entity as read."""

    shape: Shape
    permission_classes = [CatalogWrite]
    metadata_class = _Metadata
    lookup_value_regex = "[^/]+"  # any value reaches the view, which answers 404 in the API's shape

    def visible(self, queryset):
        return queryset

    def read_queryset(self):
        return self.visible(self.shape.model.objects.all())

    def get_queryset(self):
        return self.read_queryset()

    def represent(self, row) -> dict:
        return self.get_serializer(row).data

    def probe(self, data: dict, existing):
        """The row as it would be saved, for the write rule's verdict before any work (None: the checks say)."""
        return self.shape.model(pk=existing.pk if existing else None, **{self.shape.key: data[self.shape.key]})

    def prepare(self, data: dict, existing) -> dict:
        return data

    def finish(self, row, existing, data: dict):
        """After the save, inside its transaction."""
        return row

    def _refused(self, data: dict, existing) -> None:
        if (probe := self.probe(data, existing)) is not None and (refusal := write_refusal(self.actor, probe)):
            raise PermissionDenied(f"{str(refusal).capitalize()}.")

    def _save(self, data, existing, *, created: bool, rows_only: bool = False) -> Response:
        if not isinstance(data, dict):
            raise ValidationError(
                {"non_field_errors": [gettext("Send one {entity} as a JSON object.").format(entity=self.shape.entity)]}
            )
        key = data.get(self.shape.key)
        if isinstance(key, str) and key:
            stored = self.shape.model.objects.filter(**{self.shape.key: key}).first() if created else existing
            self._refused(data, stored)  # another maker's row under that key: 403, whether it exists or not
            if created and stored is not None:
                raise ValidationError(
                    {self.shape.key: [f"A {self.shape.entity} with this {self.shape.key} already exists."]}
                )
            if existing is not None and key != getattr(existing, self.shape.key):
                raise ValidationError(
                    {
                        self.shape.key: [
                            f"A {self.shape.entity}'s {self.shape.key} cannot change; create a new one instead."
                        ]
                    }
                )
        data = self.prepare(data, existing)
        with transaction.atomic():
            try:
                row = entity_save(
                    shape=self.shape, data=data, actor=self.actor, author=_author(self.request), rows_only=rows_only
                )
            except CatalogFileError as error:
                raise _catalog_errors(self.shape, error) from error
            except WriteRefused as refused:
                raise PermissionDenied(f"{str(refused).capitalize()}.") from refused
            row = self.finish(row, existing, data)
        body = self.represent(self.read_queryset().get(pk=row.pk))  # as a read shows it (annotations included)
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    def create(self, request, *args, **kwargs):
        return self._save(request.data, None, created=True)

    def update(self, request, *args, **kwargs):
        row = self.get_object()
        data = request.data
        rows_only = False
        if kwargs.get("partial"):
            try:
                data = entity_merge(shape=self.shape, row=row, changes=request.data)
            except CatalogFileError as error:
                raise _catalog_errors(self.shape, error) from error
            rows_only = not set(request.data) & self.shape.children  # its nested rows are left as they are
        return self._save(data, row, created=False, rows_only=rows_only)

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    def destroy(self, request, *args, **kwargs):
        row = self.get_object()
        try:
            entity_delete(shape=self.shape, row=row, actor=self.actor, author=_author(request))
        except WriteRefused as refused:
            raise PermissionDenied(f"{str(refused).capitalize()}.") from refused
        except CatalogFileError as error:
            raise ValidationError({"non_field_errors": [item.message for item in error.errors]}) from error
        return Response(status=status.HTTP_204_NO_CONTENT)


def _entity_schema(
    shape: Shape, read, *, summary: str, example: dict | None = None, writers: str, more_examples=(), list_read=None
) -> dict:
    """The OpenAPI description of an entity's six operations."""
    examples = [OpenApiExample(f"A {shape.entity}", value=example, request_only=True)] if example else []
    body = _component(shape)
    return {
        "list": extend_schema(
            summary=summary, auth=OPTIONAL_TOKEN, responses={200: (list_read or read)(many=True), **_errors(400)}
        ),
        "retrieve": extend_schema(
            summary=f"One {shape.entity}", auth=OPTIONAL_TOKEN, responses={200: read, **_errors(404)}
        ),
        "create": extend_schema(
            summary=f"Add a {shape.entity} ({writers})",
            request=body,
            examples=[*examples, *more_examples],
            responses={201: read, **_errors(400, 401, 403)},
        ),
        "update": extend_schema(
            summary=f"Replace a {shape.entity} ({writers})",
            request=body,
            examples=examples,
            responses={200: read, **_errors(400, 401, 403, 404)},
        ),
        "partial_update": extend_schema(
            summary=f"Change some of a {shape.entity}'s keys; null resets one ({writers})",
            request={"application/json": {"type": "object", "additionalProperties": True}},
            responses={200: read, **_errors(400, 401, 403, 404)},
        ),
        "destroy": extend_schema(
            summary=f"Delete a {shape.entity} ({writers}); refused while other facts use it",
            responses={204: None, **_errors(400, 401, 403, 404)},
        ),
    }


# --- manufacturers --------------------------------------------------------------------------------------------


@extend_schema_view(
    **_entity_schema(
        SHAPES["manufacturer"],
        ManufacturerSerializer,
        summary="Manufacturers",
        writers="staff token; the team links a new maker to a distributor's account",
        example={"slug": "acme-storage", "name": "ACME Storage", "website": "https://acme.example"},
    )
)
class ManufacturerViewSet(EntityViewSet):
    shape = SHAPES["manufacturer"]
    lookup_field = "slug"
    serializer_class = ManufacturerSerializer
    filterset_class = ManufacturerFilterSet

    def read_queryset(self):
        return Manufacturer.objects.annotate(
            device_count=Count("devices", filter=Q(devices__is_published=True))
        ).order_by("name")


# --- documents and their sources ------------------------------------------------------------------------------


@extend_schema_view(
    **_entity_schema(
        SHAPES["document"],
        DocumentSerializer,
        summary="Source documents, with the sections the catalog cites",
        writers="distributors add new ones; the team changes and deletes",
        example={"key": "acme-manual-2026.pdf", "title": "ACME LV pack manual, 2026", "url": "https://acme.example"},
    )
)
class DocumentViewSet(EntityViewSet):
    shape = SHAPES["document"]
    lookup_field = "key"
    serializer_class = DocumentSerializer
    filterset_class = DocumentFilterSet

    def read_queryset(self):
        return Document.objects.prefetch_related(
            Prefetch("sources", queryset=Source.objects.order_by("section", "page"))
        ).order_by("key")


@extend_schema_view(
    list=extend_schema(summary="Sources: sections of documents that facts cite", auth=OPTIONAL_TOKEN),
    retrieve=extend_schema(summary="One source", auth=OPTIONAL_TOKEN, responses={200: SourceRowSerializer}),
    create=extend_schema(
        summary="Add a section of a document (distributor or staff token)",
        examples=[
            OpenApiExample(
                "A section to cite",
                request_only=True,
                value={"document": "acme-manual-2026.pdf", "section": "4.2 Communication", "page": "17"},
            )
        ],
        responses={201: SourceRowSerializer, **_errors(400, 401, 403)},
    ),
    update=extend_schema(
        summary="Correct a source's section or page (staff token); every fact citing it follows",
        responses={200: SourceRowSerializer, **_errors(400, 401, 403, 404)},
    ),
    partial_update=extend_schema(
        summary="Correct some of a source (staff token)",
        responses={200: SourceRowSerializer, **_errors(400, 401, 403, 404)},
    ),
    destroy=extend_schema(
        summary="Delete a source no fact cites (staff token)", responses={204: None, **_errors(400, 401, 403, 404)}
    ),
)
class SourceViewSet(
    CatalogVersioned,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Sources are also added by citing ``{document, section}`` in any catalog write; here they can be added before
    the facts that cite them, and removed once nothing cites them."""

    serializer_class = SourceRowSerializer
    permission_classes = [CatalogWrite]
    filterset_class = SourceFilterSet
    queryset = Source.objects.select_related("document").order_by("document__key", "section", "page", "id")

    def perform_create(self, serializer):
        row = Source(**serializer.validated_data)
        if refusal := write_refusal(self.actor, row):
            raise PermissionDenied(f"{str(refusal).capitalize()}.")
        try:
            with transaction.atomic(), catalog_author(_author(self.request)):
                serializer.save()
        except IntegrityError as error:
            raise ValidationError(
                {"section": [gettext("This document already has this section and page.")]}
            ) from error

    def perform_update(self, serializer):
        row = Source(pk=serializer.instance.pk, **serializer.validated_data)
        if refusal := write_refusal(self.actor, row):  # a source is shared: the team's to change
            raise PermissionDenied(f"{str(refusal).capitalize()}.")
        try:
            with transaction.atomic(), catalog_author(_author(self.request)):
                serializer.save()
        except IntegrityError as error:
            raise ValidationError(
                {"section": [gettext("This document already has this section and page.")]}
            ) from error

    def perform_destroy(self, instance):
        try:
            check_delete(self.actor, instance)
        except WriteRefused as refused:
            raise PermissionDenied(f"{str(refused).capitalize()}.") from refused
        try:
            with transaction.atomic():
                instance.delete()
        except ProtectedError as error:
            raise ValidationError({"non_field_errors": [gettext("Facts still cite this source.")]}) from error


# --- protocols ------------------------------------------------------------------------------------------------


@extend_schema_view(
    **_entity_schema(
        SHAPES["protocol"],
        ProtocolDetailSerializer,
        list_read=ProtocolSerializer,
        summary="Protocols: the slugs device files and writes use, with the names makers print",
        writers="staff token; a distributor's new protocol is a draft the team publishes",
        example={
            "slug": "acme-can",
            "name": "ACME CAN",
            "bus": "can",
            "bitrate": 500000,
            "aliases": ["ACME"],
            "source": {"document": "acme-manual-2026.pdf", "section": "4.2 Communication"},
        },
    )
)
class ProtocolViewSet(EntityViewSet):
    shape = SHAPES["protocol"]
    lookup_field = "slug"
    serializer_class = ProtocolSerializer
    filterset_class = ProtocolFilterSet

    def visible(self, queryset):
        """Drafts: to the team, and to the distributor account that proposed them."""
        if self.actor.is_team:
            return queryset
        account = getattr(self.request.auth, "account_id", None)
        return queryset.filter(Q(is_published=True) | Q(proposed_by_id=account, proposed_by__isnull=False))

    def read_queryset(self):
        published = Q(device_protocols__device__is_published=True)
        queryset = (
            self.visible(Protocol.objects.select_related("source__document"))
            .annotate(device_count=Count("device_protocols__device", filter=published, distinct=True))
            .order_by("bus", "name")
        )
        if self.action == "list":
            return queryset
        selections = (
            DeviceProtocol.objects.filter(device__is_published=True)
            .select_related("device")
            .order_by("device__kind", "device__slug")
        )
        return queryset.prefetch_related(Prefetch("device_protocols", selections, to_attr="published_selections"))

    def get_serializer_class(self):
        return ProtocolSerializer if self.action == "list" else ProtocolDetailSerializer

    def probe(self, data, existing):
        probe = super().probe(data, existing)
        probe.is_published = False if not self.actor.is_team else data.get("published", True)
        return probe

    def prepare(self, data, existing):
        if not self.actor.is_team and existing is None:
            return {**data, "published": False}  # proposed: the team publishes it
        return data

    def finish(self, row, existing, data):
        if existing is None and not self.actor.is_team:
            Protocol.objects.filter(pk=row.pk).update(proposed_by_id=_author(self.request))
        return row


# --- devices --------------------------------------------------------------------------------------------------


_DEVICE_EXAMPLE = {
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
}

_device_schema = _entity_schema(
    SHAPES["device"],
    DeviceSerializer,
    summary="Devices",
    writers="distributor or staff token; a new device is a draft unless `published: true` passes the checks",
    example=_DEVICE_EXAMPLE,
    list_read=DeviceBriefSerializer,
    more_examples=[
        OpenApiExample(
            "A pin beyond the connector",
            response_only=True,
            status_codes=["400"],
            value={
                "error": {
                    "code": "invalid",
                    "message": "The request has invalid fields.",
                    "fields": {"ports[0].pins[1].position": ["position 9 is beyond the 8 positions of port 'CAN'"]},
                }
            },
        )
    ],
)


class AliasesSerializer(DeviceBriefSerializer):
    class Meta(DeviceBriefSerializer.Meta):
        fields = ["slug", "aliases"]


@extend_schema_view(**_device_schema)
class DeviceViewSet(EntityViewSet):
    shape = SHAPES["device"]
    lookup_field = "slug"
    filterset_class = DeviceFilterSet

    def visible(self, queryset):
        return queryset.filter(drafts_visible(self.actor))

    def read_queryset(self):
        queryset = self.visible(Device.objects.all())
        if self.action == "list":
            return queryset.select_related("manufacturer").order_by("manufacturer__name", "model")
        return self.shape.prefetched(queryset)

    def get_serializer_class(self):
        return DeviceBriefSerializer if self.action == "list" else DeviceSerializer

    def get_queryset(self):
        if self.request.method in permissions.SAFE_METHODS:
            return self.read_queryset()
        return editable(Device, self.shape.prefetched(Device.objects.all()), self.actor)

    def probe(self, data, existing):
        slug = data.get("manufacturer")
        manufacturer = Manufacturer.objects.filter(slug=slug).first() if isinstance(slug, str) else None
        if manufacturer is None:
            return None  # the catalog checks name the unknown manufacturer (400)
        return Device(pk=existing.pk if existing else None, slug=data["slug"], manufacturer=manufacturer)

    def prepare(self, data, existing):
        """Saved as a draft first; publishing (``published: true`` on a draft) runs the publishing checks after."""
        was_published = existing is not None and existing.is_published
        wanted = data.get("published", was_published)
        if not isinstance(wanted, bool):
            self._publishing = False
            return data  # the schema check names the field (400)
        self._publishing = wanted is True and not was_published
        return {**data, "published": bool(wanted) and not self._publishing}

    def finish(self, row, existing, data):
        if self._publishing and (problems := device_publish(device=row, actor=self.actor)):
            raise ValidationError({"published": problems})  # leaves the atomic block: nothing is kept
        return row

    @extend_schema(
        methods=["GET"], summary="A device's aliases (the other names it is sold under)", responses=AliasesSerializer
    )
    @extend_schema(
        methods=["PUT"],
        summary="Replace a device's aliases (distributor or staff token)",
        request={"application/json": {"type": "object", "properties": {"aliases": {"type": "array"}}}},
        responses={200: AliasesSerializer, **_errors(400, 401, 403, 404)},
    )
    @extend_schema(
        methods=["POST"],
        summary="Add one alias to a device (distributor or staff token)",
        request={"application/json": {"type": "object", "properties": {"alias": {"type": "string"}}}},
        examples=[OpenApiExample("Another name on the case", request_only=True, value={"alias": "LV-5K"})],
        responses={200: AliasesSerializer, **_errors(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["get", "put", "post"], url_path="aliases")
    def aliases(self, request, slug=None):
        device = self.get_object()
        if request.method == "GET":
            return Response(AliasesSerializer(device).data)
        if not isinstance(request.data, dict):
            raise ValidationError({"non_field_errors": [gettext("Send a JSON object.")]})
        if request.method == "PUT":
            aliases = request.data.get("aliases")
            if not isinstance(aliases, list):
                raise ValidationError({"aliases": [gettext("Send the list of aliases.")]})
        else:
            alias = request.data.get("alias")
            if not isinstance(alias, str) or not alias.strip():
                raise ValidationError({"alias": [gettext("Send the alias as a string.")]})
            aliases = [*device.aliases, alias] if alias not in device.aliases else device.aliases
        return self._aliases_saved(device, aliases)

    @extend_schema(
        summary="Remove one alias from a device (distributor or staff token)",
        responses={200: AliasesSerializer, **_errors(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["delete"], url_path=r"aliases/(?P<alias>[^/]+)")
    def alias_remove(self, request, slug=None, alias=None):
        device = self.get_object()
        if alias not in device.aliases:
            raise NotFound(f"{device.slug} has no alias '{alias}'.")
        return self._aliases_saved(device, [a for a in device.aliases if a != alias])

    def _aliases_saved(self, device, aliases) -> Response:
        response = self._save(
            entity_merge(shape=self.shape, row=device, changes={"aliases": aliases}), device, created=False
        )
        return Response({"slug": response.data["slug"], "aliases": response.data["aliases"]})


# --- documented pairings --------------------------------------------------------------------------------------


_PAIRING_EXAMPLE = {
    "slug": "acme-lv-pack--deye-sun-5k-sg03lp1-eu",
    "battery": "acme-lv-pack",
    "inverter": "deye-sun-5k-sg03lp1-eu",
    "bus": "can",
    "protocol": "pylon-can",
    "battery_end": {"port": "CAN"},
    "inverter_end": {"port": "BMS"},
    "documented_by": "battery_maker",
    "source": {"document": "acme-manual-2026.pdf", "section": "5 Inverter list"},
    "crimp": [{"signal": "can_h", "battery": 4, "inverter": 4}, {"signal": "can_l", "battery": 5, "inverter": 5}],
}


@extend_schema_view(
    **_entity_schema(
        SHAPES["pairing"],
        PairingRecordSerializer,
        summary="Documented pairings: a battery and an inverter a source pairs, with the crimp, settings, notes",
        writers="distributor (one side its own published device) or staff token",
        example=_PAIRING_EXAMPLE,
    )
)
class PairingViewSet(EntityViewSet):
    shape = SHAPES["pairing"]
    lookup_field = "slug"
    filterset_class = PairingFilterSet

    def visible(self, queryset):
        drafts = drafts_visible(self.actor)
        return queryset.filter(battery__in=Device.objects.filter(drafts), inverter__in=Device.objects.filter(drafts))

    def read_queryset(self):
        return self.shape.prefetched(self.visible(DocumentedPairing.objects.all())).order_by("slug")

    def get_queryset(self):
        if self.request.method in permissions.SAFE_METHODS:
            return self.read_queryset()
        return editable(DocumentedPairing, self.shape.prefetched(DocumentedPairing.objects.all()), self.actor)

    def represent(self, row) -> dict:
        return entity_record(self.shape, row)

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response([self.represent(row) for row in page])

    def retrieve(self, request, *args, **kwargs):
        return Response(self.represent(self.get_object()))

    def probe(self, data, existing):
        sides = [data.get("battery"), data.get("inverter")]
        if not all(isinstance(slug, str) for slug in sides):
            return None  # the catalog checks say what is wrong (400)
        devices = {d.slug: d for d in Device.objects.filter(slug__in=sides)}
        battery, inverter = devices.get(sides[0]), devices.get(sides[1])
        if battery is None or inverter is None:
            return None
        return DocumentedPairing(
            pk=existing.pk if existing else None, slug=data["slug"], battery=battery, inverter=inverter
        )


# --- the change feed ------------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="What changed in the catalog since a version, oldest first (sync a copy of the catalog)",
        auth=OPTIONAL_TOKEN,
        parameters=[OpenApiParameter(VERSION_HEADER, location="header", response=True, type=int)],
        examples=[
            OpenApiExample(
                "A distributor's new battery",
                response_only=True,
                value={
                    "version": 42,
                    "entity": "device",
                    "key": "acme-lv-pack",
                    "kind": "created",
                    "changed_at": "2026-12-02T09:30:00Z",
                    "account": "ACME distribution",
                    "url": "https://configurator.example/api/v1/devices/acme-lv-pack/",
                },
            )
        ],
    )
)
class ChangeViewSet(CatalogVersioned, mixins.ListModelMixin, viewsets.GenericViewSet):
    """One row per entity per committed catalog transaction, stamped with the catalog version that transaction
    raised. Keep the highest ``version`` you have read and ask again with ``?since=`` it. A device's changes show
    only to whoever may see the device (drafts)."""

    serializer_class = ChangeSerializer
    filterset_class = ChangeFilterSet

    def get_queryset(self):
        hidden = Device.objects.exclude(drafts_visible(self.actor)).values("slug")
        return (
            CatalogChange.objects.filter(version__isnull=False)
            .exclude(entity="device", key__in=hidden)
            .select_related("account")
            .order_by("version", "id")
        )


# --- webhooks -------------------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Your account's webhook endpoints"),
    retrieve=extend_schema(summary="One of your webhook endpoints, with its signing secret"),
    create=extend_schema(
        summary="Register a webhook endpoint (any write token)",
        examples=[
            OpenApiExample(
                "Pairings and configurations of one inverter",
                request_only=True,
                value={
                    "url": "https://partner.example/hooks/catalog",
                    "events": ["pairing.changed", "device.changed", "configuration.facts_changed"],
                    "devices": ["deye-sun-5k-sg03lp1-eu"],
                },
            )
        ],
    ),
    update=extend_schema(summary="Replace a webhook endpoint"),
    partial_update=extend_schema(summary="Change a webhook endpoint"),
    destroy=extend_schema(summary="Remove a webhook endpoint"),
    deliveries=extend_schema(
        examples=[
            OpenApiExample(
                "A delivery retried once",
                response_only=True,
                value={
                    "id": 7,
                    "message_id": "msg_43_118",
                    "event": "pairing.changed",
                    "status": "delivered",
                    "attempts": 2,
                    "last_status_code": 204,
                    "last_error": "",
                    "last_attempt_at": "2026-12-02T09:31:12Z",
                    "delivered_at": "2026-12-02T09:31:12Z",
                    "created_at": "2026-12-02T09:31:01Z",
                    "payload": {
                        "type": "pairing.changed",
                        "timestamp": "2026-12-02T09:31:01Z",
                        "data": {
                            "entity": "pairing",
                            "key": "acme-lv-pack--deye-hybrid",
                            "kind": "created",
                            "catalog_version": 43,
                            "devices": ["acme-lv-pack", "deye-hybrid"],
                            "path": "/api/v1/pairings/acme-lv-pack--deye-hybrid/",
                        },
                    },
                },
            )
        ],
        summary="The endpoint's latest deliveries, with the last response",
        responses=WebhookDeliverySerializer(many=True),
    ),
)
class WebhookEndpointViewSet(viewsets.ModelViewSet):
    """A partner account's endpoints. Deliveries are signed with the endpoint's secret by the Standard Webhooks
    scheme (headers webhook-id, webhook-timestamp, webhook-signature)."""

    serializer_class = WebhookEndpointSerializer
    permission_classes = [TokenWrite]
    filter_backends = []

    def get_queryset(self):
        token = self.request.auth
        if not isinstance(token, ApiToken):
            return WebhookEndpoint.objects.none()
        return WebhookEndpoint.objects.filter(account_id=token.account_id).order_by("id")

    def perform_create(self, serializer):
        serializer.save(account_id=self.request.auth.account_id)

    @action(detail=True, methods=["get"])
    def deliveries(self, request, pk=None):
        endpoint = self.get_object()
        page = self.paginate_queryset(endpoint.deliveries.order_by("-created_at", "-id"))
        return self.get_paginated_response(WebhookDeliverySerializer(page, many=True).data)
