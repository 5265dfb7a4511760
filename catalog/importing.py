"""Catalog files into the database: ``catalog_import`` validates every file before it touches the database, then
writes inside one transaction, comparing each row with what is stored so that a second import of the same files
changes nothing. Every row written is judged by the catalog's one write rule (catalog.rules) for the actor.

An entry's left-out keys take the JSON Schema's ``default`` (catalog_files.with_defaults): the importer writes no
default of its own, except a port's positions (its connector's) and a row's source (its parent's).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models.deletion import ProtectedError
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from catalog.catalog_files import (
    CONNECTOR_POSITIONS,
    CatalogError,
    CatalogFile,
    CatalogFileError,
    file_sections,
    load_catalog_files,
    pin_key,
    validate_catalog,
    with_defaults,
)
from catalog.exporting import pin_ref
from catalog.models import (
    Device,
    DeviceProtocol,
    DipSwitch,
    DipSwitchBank,
    Document,
    DocumentedPairing,
    Manufacturer,
    Note,
    NoteTranslation,
    PairingConductor,
    PinAssignment,
    Port,
    Protocol,
    Setting,
    Source,
)
from catalog.rules import Actor, WriteRefused, check_delete, check_write
from catalog.selectors import catalog_index_get

__all__ = ["CatalogFileError", "ImportReport", "catalog_import", "catalog_import_files"]

_FILE = "urn:configurator:catalog:file"


REPORT_LINES = (_("created {count} {rows}"), _("updated {count} {rows}"), _("deleted {count} {rows}"))


@dataclass
class ImportReport:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    deleted: Counter = field(default_factory=Counter)
    files: int = 0
    dry_run: bool = False

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deleted)

    def lines(self) -> list[str]:
        """ "created 2 note translations", ... in the reader's language (the rows by their models' plural names)."""
        lines = []
        for said, counter in zip(REPORT_LINES, (self.created, self.updated, self.deleted), strict=True):
            for name, count in sorted(counter.items(), key=lambda item: str(item[0])):
                lines.append(str(said).format(count=count, rows=name))
        return lines

    def summary(self) -> str:
        head = ngettext("{count} file read", "{count} files read", self.files).format(count=self.files)
        if not self.changed:
            return gettext("{head}: the catalog is already up to date, nothing changed.").format(head=head)
        said = gettext("{head}; would change: {changes}.") if self.dry_run else gettext("{head}; changed: {changes}.")
        return said.format(head=head, changes=", ".join(self.lines()))


class _Writer:
    """Upserts rows by natural key, saving only what differs, one ``save()`` per changed row. Every row it creates,
    changes or deletes is first judged by the catalog's one write rule (``catalog.rules``) for the actor: the row as
    it is stored now and as it would be saved must both be the actor's to write."""

    def __init__(self, report: ImportReport, actor: Actor, *, rows_only: bool = False):
        self.report = report
        self.actor = actor
        self.rows_only = rows_only  # write each section's own row, leave its nested rows as they are
        self._sources: dict[tuple[str, str, str], Source] = {}
        self._documents: dict[str, Document] = {}
        self._protocols: dict[str, Protocol] = {}
        self._devices: dict[str, Device] = {}
        self._ports: dict[tuple[str, str], Port] = {}

    def upsert(self, model: type[models.Model], obj: models.Model | None, values: dict) -> models.Model:
        name = model._meta.verbose_name_plural
        if obj is None:
            obj = model(**values)
            self.report.created[name] += 1
        else:
            changed = [key for key, value in values.items() if _differs(obj, key, value)]
            if not changed:
                return obj
            for key in changed:
                setattr(obj, key, values[key])
            self.report.updated[name] += 1
        # Field rules and clean() run here; unique and check constraints are left to PostgreSQL, which enforces
        # them on save (a query per constraint per row would triple the import time). A violation surfaces as
        # IntegrityError and is reported with the constraint's own message (see _errors_from_database).
        # Foreign keys point at rows this import just read or wrote, so their existence check is skipped too.
        relations = [f.name for f in model._meta.concrete_fields if f.is_relation]
        check_write(self.actor, obj)
        obj.full_clean(exclude=relations, validate_unique=False, validate_constraints=False)
        obj.save()
        return obj

    def delete(self, obj: models.Model) -> None:
        check_delete(self.actor, obj)
        self.report.deleted[obj._meta.verbose_name_plural] += 1
        obj.delete()

    def sync_ordered(self, model, existing: list, parent: dict, desired: list[dict]) -> list:
        """Rows without a natural key (notes, settings, crimp rows) are matched by their order."""
        saved = []
        for index, values in enumerate(desired):
            obj = existing[index] if index < len(existing) else None
            saved.append(self.upsert(model, obj, {**parent, "position": index + 1, **values}))
        for obj in existing[len(desired) :]:
            self.delete(obj)
        return saved

    def protocol(self, slug: str) -> Protocol:
        if slug not in self._protocols:
            self._protocols[slug] = Protocol.objects.get(slug=slug)
        return self._protocols[slug]

    def device(self, slug: str) -> Device:
        """Only for pairings: devices are all written before the first pairing is read."""
        if slug not in self._devices:
            self._devices[slug] = Device.objects.get(slug=slug)
        return self._devices[slug]

    def port(self, device_slug: str, name: str) -> Port:
        key = (device_slug, name)
        if key not in self._ports:
            self._ports[key] = Port.objects.prefetch_related("pin_assignments").get(
                device__slug=device_slug, name=name
            )
        return self._ports[key]

    def document(self, key: str) -> Document:
        if key not in self._documents:
            self._documents[key] = Document.objects.get(key=key)
        return self._documents[key]

    def source(self, data: dict) -> Source:
        key = (data["document"], data["section"], data["page"])
        if key not in self._sources:
            document = self.document(key[0])
            source = Source.objects.filter(document=document, section=key[1], page=key[2]).first()
            if source is None:
                source = self.upsert(Source, None, {"document": document, "section": key[1], "page": key[2]})
            self._sources[key] = source
        return self._sources[key]


def _differs(obj: models.Model, name: str, value) -> bool:
    field_ = obj._meta.get_field(name)
    if field_.is_relation:
        return getattr(obj, field_.attname) != (value.pk if value is not None else None)
    return getattr(obj, name) != value


def _import_document(writer: _Writer, item: dict) -> None:
    item = with_defaults(item, _FILE + "#/$defs/document")
    existing = Document.objects.filter(key=item["key"]).first()
    values = {
        "key": item["key"],
        "title": item["title"],
        "description": item["description"],
        "url": item["url"],
    }
    writer._documents[item["key"]] = writer.upsert(Document, existing, values)


def _import_manufacturer(writer: _Writer, item: dict) -> None:
    item = with_defaults(item, _FILE + "#/$defs/manufacturer")
    values = {
        "slug": item["slug"],
        "name": item["name"],
        "website": item["website"],
        "named": item["named"],
        "product_lines": list(item["product_lines"]),
        "notes": item["notes"],
    }
    writer.upsert(Manufacturer, Manufacturer.objects.filter(slug=item["slug"]).first(), values)


def _import_protocol(writer: _Writer, item: dict) -> None:
    item = with_defaults(item, _FILE + "#/$defs/protocol")
    values = {
        "slug": item["slug"],
        "name": item["name"],
        "bus": item["bus"],
        "bitrate": item.get("bitrate"),
        "aliases": list(item["aliases"]),
        "master": item["master"],
        "notes": item["notes"],
        "is_published": item["published"],
        "source": writer.source(item["source"]),
    }
    writer.upsert(Protocol, Protocol.objects.filter(slug=item["slug"]).first(), values)


def _sync_notes(writer: _Writer, existing: list[Note], parent: dict, data: dict, parent_source: dict) -> None:
    """A section's notes in their order, then each note's translations by language (``translations: {de: ...}``);
    a language the file no longer names is deleted."""
    desired = [
        {"kind": note["kind"], "text": note["text"], "source": writer.source(note.get("source", parent_source))}
        for note in data["notes"]
    ]
    saved = writer.sync_ordered(Note, existing, parent, desired)
    for note, row in zip(saved, data["notes"], strict=True):
        stored = {translation.language: translation for translation in note.translations.all()}
        for language, text in row["translations"].items():
            values = {"note": note, "language": language, "text": text}
            writer.upsert(NoteTranslation, stored.pop(language, None), values)
        for leftover in stored.values():
            writer.delete(leftover)


def _setting_values(writer: _Writer, setting: dict, parent_source: dict) -> dict:
    return {
        "name": setting["name"],
        "menu_path": setting["menu_path"],
        "value": setting["value"],
        "optional": setting["optional"],
        "fallback": setting["fallback"],
        "note": setting["note"],
        "source": writer.source(setting.get("source", parent_source)),
    }


class _SectionInvalid(Exception):
    """A section's own row (the device, the pairing) failed its model checks: its errors are per key of the section
    (``device.kind``), not of the file."""

    def __init__(self, error: ValidationError):
        super().__init__(str(error))
        self.error = error


def _section_row(writer: _Writer, model, existing, values: dict):
    try:
        return writer.upsert(model, existing, values)
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            raise
        raise _SectionInvalid(error) from error


def _import_device(writer: _Writer, data: dict) -> None:
    data = with_defaults(data, "urn:configurator:catalog:device")
    source = data["source"]
    device = _section_row(
        writer,
        Device,
        Device.objects.filter(slug=data["slug"]).first(),
        {
            "slug": data["slug"],
            "manufacturer": Manufacturer.objects.get(slug=data["manufacturer"]),
            "kind": data["kind"],
            "model": data["model"],
            "family": data["family"],
            "variants": list(data["variants"]),
            "aliases": list(data["aliases"]),
            "voltage_class": data["voltage_class"],
            "max_packs": data.get("max_packs"),
            "description": data["description"],
            "is_published": data["published"],
            "source": writer.source(source),
        },
    )
    if writer.rows_only:
        return

    existing_ports = {port.name: port for port in device.ports.prefetch_related("pin_assignments")}
    for order, port_data in enumerate(data["ports"], start=1):
        port_source = port_data.get("source", source)
        port = writer.upsert(
            Port,
            existing_ports.pop(port_data["name"], None),
            {
                "device": device,
                "position": order,
                "name": port_data["name"],
                "connector": port_data["connector"],
                "positions": port_data.get("positions", CONNECTOR_POSITIONS.get(port_data["connector"])),
                "role": port_data["role"],
                "buses": list(port_data["buses"]),
                "bitrates": list(port_data["bitrates"]),
                "pinout": port_data["pinout"],
                "termination": port_data["termination"],
                "termination_note": port_data["termination_note"],
                "note": port_data["note"],
                "source": writer.source(port_source),
            },
        )
        existing_pins = {pin_ref(p): p for p in port.pin_assignments.all()}
        for pin in port_data["pins"]:
            writer.upsert(
                PinAssignment,
                existing_pins.pop(pin_key(pin), None),
                {
                    "port": port,
                    "position": pin.get("position"),
                    "terminal": pin["terminal"],
                    "signal": pin["signal"],
                    "label": pin["label"],
                    "channel": pin.get("channel"),
                    "polarity_assumed": pin["polarity_assumed"],
                    "note": pin["note"],
                    "source": writer.source(pin.get("source", port_source)),
                },
            )
        for leftover in existing_pins.values():
            writer.delete(leftover)
    for leftover in existing_ports.values():
        writer.delete(leftover)

    existing_protocols = {dp.protocol.slug: dp for dp in device.device_protocols.select_related("protocol")}
    for entry in data["protocols"]:
        selection = writer.upsert(
            DeviceProtocol,
            existing_protocols.pop(entry["protocol"], None),
            {
                "device": device,
                "protocol": writer.protocol(entry["protocol"]),
                "method": entry["method"],
                "menu_path": entry["menu_path"],
                "value": entry["value"],
                "priority": entry.get("priority"),
                "firmware": entry["firmware"],
                "limitations": list(entry["limitations"]),
                "derivation": entry["derivation"],
                "note": entry["note"],
                "source": writer.source(entry.get("source", source)),
            },
        )
        selection_source = entry.get("source", source)
        writer.sync_ordered(
            Setting,
            list(selection.extras.order_by("position")) if selection.pk else [],
            {"device": device, "pairing": None, "selection": selection},
            [_setting_values(writer, extra, selection_source) for extra in entry["extras"]],
        )
    for leftover in existing_protocols.values():
        writer.delete(leftover)

    existing_banks = {bank.name: bank for bank in device.dip_banks.prefetch_related("switches")}
    for order, bank_data in enumerate(data["dip_banks"], start=1):
        bank = writer.upsert(
            DipSwitchBank,
            existing_banks.pop(bank_data["name"], None),
            {
                "device": device,
                "position": order,
                "name": bank_data["name"],
                "switch_count": bank_data["switch_count"],
                "on_direction": bank_data["on_direction"],
                "master_address": bank_data.get("master_address"),
                "first_slave_address": bank_data.get("first_slave_address"),
                "max_packs": bank_data.get("max_packs"),
                "all_packs_pattern": bank_data["all_packs_pattern"],
                "last_pack_pattern": bank_data["last_pack_pattern"],
                "numbering_stated": bank_data["numbering_stated"],
                "note": bank_data["note"],
                "source": writer.source(bank_data.get("source", source)),
            },
        )
        existing_switches = {switch.position: switch for switch in bank.switches.all()}
        for switch in bank_data["switches"]:
            writer.upsert(
                DipSwitch,
                existing_switches.pop(switch["position"], None),
                {
                    "bank": bank,
                    "position": switch["position"],
                    "function": switch["function"],
                    "bit": switch.get("bit"),
                    "label": switch["label"],
                },
            )
        for leftover in existing_switches.values():
            writer.delete(leftover)
    for leftover in existing_banks.values():
        writer.delete(leftover)

    writer.sync_ordered(
        Setting,
        list(device.settings.filter(pairing__isnull=True, selection__isnull=True).order_by("position")),
        {"device": device, "pairing": None, "selection": None},
        [_setting_values(writer, setting, source) for setting in data["settings"]],
    )
    notes = list(device.catalog_notes.order_by("position"))
    _sync_notes(writer, notes, {"device": device, "pairing": None}, data, source)


def _end_port(writer: _Writer, data: dict, end_key: str, default_role: str) -> Port | None:
    end = data.get(end_key)
    if end is None:
        return None
    return writer.port(end.get("device", data[default_role]), end["port"])


def _import_pairing(writer: _Writer, data: dict) -> None:
    data = with_defaults(data, "urn:configurator:catalog:pairing")
    devices = {role: writer.device(data[role]) for role in ("battery", "inverter", "adapter") if data.get(role)}
    if data.get("protocol") and not writer.protocol(data["protocol"]).is_published:
        message = gettext("protocol '{protocol}' is a draft the team has not published yet").format(
            protocol=data["protocol"]
        )
        raise _SectionInvalid(ValidationError({"protocol": [message]}))
    battery_port = _end_port(writer, data, "battery_end", "battery")
    inverter_port = _end_port(writer, data, "inverter_end", "inverter")
    pairing = _section_row(
        writer,
        DocumentedPairing,
        DocumentedPairing.objects.filter(slug=data["slug"]).first(),
        {
            "slug": data["slug"],
            "battery": devices["battery"],
            "inverter": devices["inverter"],
            "adapter": devices.get("adapter"),
            "bus": data["bus"],
            "protocol": writer.protocol(data["protocol"]) if data.get("protocol") else None,
            "battery_port": battery_port,
            "inverter_port": inverter_port,
            "standard_cable": data.get("standard_cable"),
            "battery_firmware": data["battery_firmware"],
            "inverter_firmware": data["inverter_firmware"],
            "limitations": list(data["limitations"]),
            "documented_by": data["documented_by"],
            "source": writer.source(data["source"]),
        },
    )
    if writer.rows_only:
        return

    def pin(port: Port | None, ref):
        if ref is None or port is None:
            return None
        return next(p for p in port.pin_assignments.all() if pin_ref(p) == ref)

    writer.sync_ordered(
        PairingConductor,
        list(pairing.conductors.order_by("position")),
        {"pairing": pairing},
        [
            {
                "signal": row["signal"],
                "battery_pin": pin(battery_port, row.get("battery")),
                "inverter_pin": pin(inverter_port, row.get("inverter")),
                "note": row["note"],
            }
            for row in data["crimp"]
        ],
    )
    existing_settings = list(pairing.settings.order_by("position"))
    desired_settings = [
        {"device": devices[setting["side"]], **_setting_values(writer, setting, data["source"])}
        for setting in data["settings"]
    ]
    writer.sync_ordered(Setting, existing_settings, {"pairing": pairing}, desired_settings)
    notes = list(pairing.catalog_notes.order_by("position"))
    _sync_notes(writer, notes, {"device": None, "pairing": pairing}, data, data["source"])


def _errors_from_database(exc: Exception, catalog_file: CatalogFile, key_path: tuple) -> CatalogError:
    if isinstance(exc, ValidationError):
        message = (
            "; ".join(f"{key}: {' '.join(msgs)}" for key, msgs in exc.message_dict.items())
            if hasattr(exc, "error_dict")
            else " ".join(exc.messages)
        )
    elif isinstance(exc, ProtectedError):
        used_by = ", ".join(str(obj) for obj in exc.protected_objects)
        message = gettext("cannot delete, still used by: {rows}").format(rows=used_by)
    else:
        message = _constraint_message(exc)
    return catalog_file.error(key_path, gettext("rejected by the database: {problem}").format(problem=message))


def _items(catalog_file: CatalogFile, section: str) -> list[tuple[tuple, dict]]:
    return [((section, index), item) for index, item in enumerate(catalog_file.data.get(section) or [])]


def _constraint_message(exc: Exception) -> str:
    """The violated constraint's own message where the model declares it, else the database's first line."""
    name = getattr(getattr(exc.__cause__, "diag", None), "constraint_name", None)
    for model in apps.get_app_config("catalog").get_models():
        for constraint in model._meta.constraints:
            if constraint.name != name:
                continue
            if isinstance(constraint, models.UniqueConstraint) and constraint.fields:
                fields = ", ".join(constraint.fields)
                said = gettext("another {row} already has the same {fields} ({constraint})")
                return said.format(row=model._meta.verbose_name, fields=fields, constraint=name)
            return f"{constraint.get_violation_error_message()} ({name})"
    return str(exc).splitlines()[0]


def catalog_import(
    *, paths: list[Path], actor: Actor, relative_to: Path | None = None, dry_run: bool = False
) -> ImportReport:
    """Validate every file, then write them all in one transaction, or nothing.

    Raises ``CatalogFileError`` listing every problem (file, line, key) when anything is wrong.
    """
    files = load_catalog_files(paths, relative_to=relative_to)
    return catalog_import_files(files=files, actor=actor, dry_run=dry_run)


def catalog_import_files(
    *, files: list[CatalogFile], actor: Actor, dry_run: bool = False, rows_only: bool = False
) -> ImportReport:
    """Validate parsed catalog files against the schema, each other and the database, then write them all in
    one transaction, or nothing. Every row written is judged for ``actor`` (``catalog.rules``): a row of another
    maker, or a change to a shared row by a distributor, is an error naming the file's line and key. With
    ``rows_only`` (a partial update that leaves a device's or pairing's nested entries alone), everything is checked
    as usual but only each section's own row is written. Raises ``CatalogFileError``."""
    errors = validate_catalog(files, catalog_index_get())
    if errors:
        raise CatalogFileError(errors)
    report = ImportReport(files=len(files), dry_run=dry_run)
    writer = _Writer(report, actor, rows_only=rows_only)
    steps = [
        (lambda f: _items(f, "documents"), _import_document),
        (lambda f: _items(f, "manufacturers"), _import_manufacturer),
        (lambda f: _items(f, "protocols"), _import_protocol),
        (lambda f: list(file_sections(f, "device", "devices")), _import_device),
        (lambda f: list(file_sections(f, "pairing", "pairings")), _import_pairing),
    ]
    with transaction.atomic():
        for sections_of, import_one in steps:
            for catalog_file in files:
                for key_path, item in sections_of(catalog_file):
                    try:
                        with transaction.atomic():
                            import_one(writer, item)
                    except _SectionInvalid as invalid:
                        for name, messages in invalid.error.message_dict.items():
                            where = key_path if name == NON_FIELD_ERRORS else (*key_path, name)
                            errors.append(catalog_file.error(where, " ".join(messages)))
                    except WriteRefused as refused:
                        where = (*key_path, refused.field) if refused.field else key_path
                        errors.append(catalog_file.error(where, str(refused)))
                    except (ValidationError, IntegrityError, ProtectedError) as exc:
                        errors.append(_errors_from_database(exc, catalog_file, key_path))
        if errors or dry_run:
            transaction.set_rollback(True)
    if errors:
        raise CatalogFileError(errors)
    return report
