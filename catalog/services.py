"""Writes to one catalog entity at a time (the API's catalog writes and the admin's publish): create or replace a
manufacturer, document, protocol, device or documented pairing from its catalog-file mapping (catalog.shapes) with
every check a catalog file gets, atomically; change some of its keys; delete it. Each write names its author, the
partner account (catalog.history), in the row history and the change feed.

Importing and exporting whole catalogs is in catalog.importing and catalog.exporting.
"""

from __future__ import annotations

import json

from django.db import transaction
from django.db.models import Model, Q
from django.db.models.deletion import ProtectedError

from catalog.catalog_files import CatalogError, CatalogFileError
from catalog.history import catalog_author
from catalog.importing import catalog_import_files
from catalog.models import Device, DocumentedPairing
from catalog.rules import Actor, check_delete
from catalog.shapes import SHAPES, Shape

__all__ = ["device_record", "entity_delete", "entity_merge", "entity_record", "entity_save"]


def _request_error(message: str, where: str = "") -> CatalogFileError:
    return CatalogFileError([CatalogError("request", None, where, message)])


def entity_save(
    *, shape: Shape, data: dict, actor: Actor, author: int | None = None, rows_only: bool = False
) -> Model:
    """Create or replace one entity from its catalog-file mapping, with every check a catalog file gets (schema,
    references, semantics, the write rule, database constraints), in one transaction, or nothing. ``author``: the
    partner account to name in the history and the change feed. Raises ``CatalogFileError`` (errors name the key
    path within the entity: ``ports[0].pins[1].position``) or ``WriteRefused``. ``rows_only``: the change leaves the
    entity's nested entries (a device's ports, a pairing's crimp) as they are; the whole entry is still checked,
    but only the entity's own row is written."""
    if not isinstance(data, dict):
        raise _request_error(f"send one {shape.entity} as a JSON object")
    with transaction.atomic(), catalog_author(author):
        catalog_import_files(files=[shape.request(data)], actor=actor, rows_only=rows_only)
    return shape.prefetched(shape.model.objects.filter(**{shape.key: data[shape.key]})).get()


def entity_merge(*, shape: Shape, row: Model, changes: dict) -> dict:
    """A partial update: the entity's stored entry with the top-level keys of ``changes`` replaced (a key sent as
    null goes back to its default; a list or nested mapping is replaced whole, as in JSON Merge Patch at the first
    level). The merged entry is what the checks judge: a change to one key is checked against the rest (a kind
    against the ports' roles). The key itself cannot change."""
    if not isinstance(changes, dict):
        raise _request_error("send an object of the fields to change")
    merged = {**shape.record(row)}
    for name, value in changes.items():
        if value is None:
            merged.pop(name, None)
        else:
            merged[name] = value
    return merged


def _users(shape: Shape, row: Model) -> list[str]:
    """What still needs the row: documented pairings of a device (facts from a source, deleted deliberately)."""
    if shape.model is not Device:
        return []
    pairings = DocumentedPairing.objects.filter(Q(battery=row) | Q(inverter=row) | Q(adapter=row))
    return list(pairings.order_by("slug").values_list("slug", flat=True))


def entity_delete(*, shape: Shape, row: Model, actor: Actor, author: int | None = None) -> None:
    """Delete an entity with its own rows (a device's ports and pins, a pairing's crimp). Refused with
    ``CatalogFileError`` while other facts use it (a device in documented pairings, a document cited by sources,
    a protocol a device speaks), and with ``WriteRefused`` when it is not the actor's."""
    check_delete(actor, row)
    if pairings := _users(shape, row):
        shown = ", ".join(pairings[:5]) + (f" and {len(pairings) - 5} more" if len(pairings) > 5 else "")
        raise _request_error(
            f"{row.slug} is part of {len(pairings)} documented pairing(s) ({shown}): unpublish it instead, "
            "or delete those pairings first."
        )
    try:
        with transaction.atomic(), catalog_author(author):
            row.delete()
    except ProtectedError as exc:
        users = ", ".join(sorted(str(obj) for obj in list(exc.protected_objects)[:10]))
        raise _request_error(f"still used by: {users}") from exc


def entity_record(shape: Shape, row: Model) -> dict:
    """An entity as its catalog-file entry, as plain JSON-ready data (the row prefetched: ``shape.prefetched``)."""
    return json.loads(json.dumps(shape.record(row)))


def device_record(*, device: Device) -> dict:
    """A device as its catalog file's ``device:`` mapping, as plain JSON-ready data (the device prefetched)."""
    return entity_record(SHAPES["device"], device)
