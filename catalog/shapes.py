"""The catalog's entities and their one shape: each is written and read as its catalog-file mapping, whose JSON
Schema (fixtures/schema/) is the single declaration of its fields. The file import and export, the API's request
and response bodies and their OpenAPI description all follow that schema (catalog.api.schema)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Model, QuerySet

from catalog.catalog_files import CatalogFile
from catalog.exporting import device_record, document_record, manufacturer_record, pairing_record, protocol_record
from catalog.models import Device, Document, DocumentedPairing, Manufacturer, Protocol
from catalog.querysets import devices_full, pairings_full

__all__ = ["SHAPES", "Shape"]

FILE_SCHEMA = "urn:configurator:catalog:file"


@dataclass(frozen=True)
class Shape:
    entity: str  # as the change feed names it (catalog.models.CatalogChange.Entity)
    model: type[Model]
    key: str  # the natural key: what URLs and files name a row by
    section: str  # the catalog-file key it is written under
    many: bool  # the section is a list ("documents:") rather than one mapping ("device:")
    schema: str  # the JSON Schema of one entity
    component: str  # its OpenAPI component name
    record: Callable[[Model], dict]
    prefetched: Callable[[QuerySet], QuerySet]
    children: frozenset[str] = frozenset()  # keys whose rows hang below the entity's own row (ports, crimp, ...)

    def request(self, data) -> CatalogFile:
        """An API request body as what the catalog checks read: one entity of one section, no lines."""
        return CatalogFile.from_request({self.section: [data] if self.many else data})

    def field_path(self, where: str) -> str:
        """A catalog error's key path as the request's field path: ``device.ports[0].name`` -> ``ports[0].name``."""
        prefix = f"{self.section}[0]" if self.many else self.section
        return where.removeprefix(prefix).lstrip(".")


def _same(queryset: QuerySet) -> QuerySet:
    return queryset


SHAPES: dict[str, Shape] = {
    shape.entity: shape
    for shape in (
        Shape(
            "manufacturer",
            Manufacturer,
            "slug",
            "manufacturers",
            True,
            f"{FILE_SCHEMA}#/$defs/manufacturer",
            "CatalogManufacturer",
            manufacturer_record,
            _same,
        ),
        Shape(
            "document",
            Document,
            "key",
            "documents",
            True,
            f"{FILE_SCHEMA}#/$defs/document",
            "CatalogDocument",
            document_record,
            _same,
        ),
        Shape(
            "protocol",
            Protocol,
            "slug",
            "protocols",
            True,
            f"{FILE_SCHEMA}#/$defs/protocol",
            "CatalogProtocol",
            protocol_record,
            lambda queryset: queryset.select_related("source__document"),
        ),
        Shape(
            "device",
            Device,
            "slug",
            "device",
            False,
            "urn:configurator:catalog:device",
            "CatalogDevice",
            device_record,
            devices_full,
            frozenset({"ports", "protocols", "dip_banks", "settings", "notes"}),
        ),
        Shape(
            "pairing",
            DocumentedPairing,
            "slug",
            "pairing",
            False,
            "urn:configurator:catalog:pairing",
            "CatalogPairing",
            pairing_record,
            pairings_full,
            frozenset({"crimp", "settings", "notes", "battery", "inverter", "adapter", "battery_end", "inverter_end"}),
        ),
    )
}
