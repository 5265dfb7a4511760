"""Publishing a draft device: installers see a device only once it passes the checks a catalog file gets and
every answer the engine would give for it keeps the rules an installer relies on.

A device entered in the admin (or through the API without ``published: true``) starts as a draft: the team and its
maker's distributors see it and can preview it; the wizard, the API's lists and the sweeps do not. Publishing runs
``publish_problems`` and refuses with the list, or publishes the device in one transaction.
"""

from __future__ import annotations

from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext, ngettext

from catalog.catalog_files import CatalogFile, validate_catalog
from catalog.models import Device
from catalog.querysets import devices_full
from catalog.rules import Actor, check_write
from catalog.selectors import catalog_index_get
from catalog.services import device_record
from configurator.invariants import KINDS, Violation, answer_violations
from configurator.services import device_pairs
from configurator.sweep import pair_answers

__all__ = ["MAX_LISTED", "device_publish", "publish_problems"]

MAX_LISTED = 20  # answer problems listed one by one; the rest are counted


def _file_problems(device: Device) -> list[str]:
    """The catalog-file checks (schema, sources, ports and pins, DIP banks, settings) on the device as it stands."""
    record = device_record(device=device)
    where = f"devices/{record['manufacturer']}/{record['slug']}.yaml"
    catalog_file = CatalogFile(path=Path(where), data={"device": record}, display_path=where)
    errors = validate_catalog([catalog_file], catalog_index_get())
    return [f"{error.where}: {error.message}" if error.where else error.message for error in errors]


def _completeness_problems(device: Device) -> list[str]:
    """What a half-entered device lacks: a port whose pin table is said to be known but lists no pins."""
    said = gettext(
        "port '{port}' lists no pins although its pin table is marked '{pinout}': enter the pins, or mark the pin "
        "table unknown"
    )
    return [
        said.format(port=port.name, pinout=port.get_pinout_display())
        for port in device.ports.all()
        if port.pinout != "unknown" and not port.pin_assignments.all()
    ]


def _draft_protocol_problems(device: Device) -> list[str]:
    """A protocol still proposed (a draft the team has not published) cannot carry a published device's answers."""
    said = gettext("protocol '{protocol}' is a draft the team has not published yet")
    return [
        said.format(protocol=selection.protocol.slug)
        for selection in device.device_protocols.all()
        if not selection.protocol.is_published
    ]


def _answer_problems(device: Device) -> list[str]:
    """Every answer the engine would give for the device with each published counterpart, judged by the rules of
    ``manage.py check_answers``."""
    if device.kind not in ("battery", "inverter"):
        return []
    problems: list[str] = []
    for pair in device_pairs(slug=device.slug):
        for answer in pair_answers(pair):
            problems.extend(_violation(v) for v in answer_violations(answer))
    problems = list(dict.fromkeys(problems))
    if len(problems) > MAX_LISTED:
        more = len(problems) - MAX_LISTED
        said = ngettext("and {count} more answer problem", "and {count} more answer problems", more)
        problems = [*problems[:MAX_LISTED], said.format(count=more)]
    return problems


def _violation(violation: Violation) -> str:
    """A broken rule as the publish check lists it; its detail (positions, signals, slugs) as the sweep found it."""
    said = ngettext(
        "{meaning}: {battery} + {inverter} (bus {bus}, {packs} pack): {detail}",
        "{meaning}: {battery} + {inverter} (bus {bus}, {packs} packs): {detail}",
        violation.packs,
    )
    return said.format(
        meaning=KINDS[violation.kind],
        battery=violation.battery,
        inverter=violation.inverter,
        bus=violation.bus,
        packs=violation.packs,
        detail=violation.detail,
    )


def publish_problems(*, device: Device) -> list[str]:
    """Why the device may not be published yet; empty when it may. The answers are swept only for a device whose
    entries pass the catalog checks (an answer over a broken entry says nothing new)."""
    device = devices_full(Device.objects.filter(pk=device.pk)).get()
    return _file_problems(device) + _completeness_problems(device) + _draft_protocol_problems(
        device
    ) or _answer_problems(device)


def device_publish(*, device: Device, actor: Actor) -> list[str]:
    """Publish a draft the actor may change. Returns the problems that refuse it (nothing changes then), or an empty
    list once it is published. Raises WriteRefused outside the actor's scope."""
    check_write(actor, device)
    if device.is_published:
        return []
    with transaction.atomic():
        device = Device.objects.select_for_update().get(pk=device.pk)
        if problems := publish_problems(device=device):
            return problems
        device.is_published = True
        device.save(update_fields=["is_published"])
    return []
