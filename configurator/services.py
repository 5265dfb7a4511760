"""Building a configuration (load the pair, turn the rows into domain values, run the engine) and saving one."""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Collection, Iterator
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache
from urllib.parse import urlencode

import segno
from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext

from catalog.selectors import device_list, pair_changes_since
from configurator import selectors, specs, verdict_matrix
from configurator.domain import (
    Configuration,
    ConfigurationError,
    OptionChoices,
    Options,
    Verdict,
    available_options,
    configure,
    require_bus,
)
from configurator.domain.result import finding_from_dict
from configurator.domain.revision import catalog_revision
from configurator.domain.types import DeviceSpec, PairingSpec, device_name
from configurator.forms import battery_serials, site_rows
from configurator.messages import message
from configurator.models import IssuedSheet, SavedConfiguration, public_id_typed, save_with_new_public_id
from configurator.pdf import RenderLimits, SheetRenderError, StaticFiles, html_to_pdf_bounded
from configurator.presentation import present
from configurator.records import record_sections
from configurator.sheet_limits import SheetRefused, remember_failure, remembered_failure, render_slot
from configurator.verdict_matrix import VERDICT_ORDER, battery_order, summary_findings

__all__ = [
    "VERDICT_ORDER",
    "BatteryChoice",
    "BatteryPage",
    "InverterChoices",
    "LoadedPair",
    "SheetRefused",
    "SheetRenderError",
    "UnknownDevice",
    "battery_choices",
    "battery_makers",
    "battery_page",
    "catalog_cache_clear",
    "catalog_pairs",
    "catalog_version",
    "commissioning_sheet_render",
    "configuration_build",
    "configuration_options",
    "configuration_revision",
    "configuration_save",
    "device_pairs",
    "issued_sheet_prepare",
    "issued_sheet_queue",
    "pair_load",
    "pair_save",
    "qr_svg",
    "record_pdf_render",
    "reissue_query",
    "saved_facts_changed",
    "saved_sheet_download",
    "saved_url",
    "sheet_render_limits",
    "sheet_request",
    "sheet_source",
    "sheet_static_files",
]


logger = logging.getLogger(__name__)


class UnknownDevice(ConfigurationError):
    """A slug that names no battery or inverter in the catalog; ``kind`` says which of the two it was given as."""

    def __init__(self, kind: str, slug: str, *, published: bool = True):
        self.kind, self.slug = kind, slug
        code = f"unknown_{kind.replace(' ', '_')}" + ("" if published else "_draft")
        super().__init__(
            f"No {'published ' if published else ''}{kind} '{slug}' in the catalog.", code=code, slug=slug
        )


@dataclass(frozen=True)
class LoadedPair:
    """One pair's catalog facts, loaded once: ask it for its choices, a configuration, its revision."""

    battery: DeviceSpec
    inverter: DeviceSpec
    pairings: tuple[PairingSpec, ...]

    @cached_property
    def revision(self) -> str:
        return catalog_revision(self.battery, self.inverter, self.pairings)

    @cached_property
    def choices(self) -> OptionChoices:
        return available_options(self.battery, self.inverter, self.pairings)

    def build(self, options: Options | None = None) -> Configuration:
        """The engine's result for these options, computed once per pair and options (a cached pair serves many
        requests; its results are immutable values)."""
        options = options or Options()
        require_bus(options, self.choices)  # a bus asked for by name is the bus answered, or a refusal
        built = self.__dict__.setdefault("_built", {})  # at most 3 buses x 64 packs x 2 colour standards
        if options not in built:
            built[options] = configure(self.battery, self.inverter, self.pairings, options)
        return built[options]

    def incompatible_reason(self, choices: OptionChoices) -> str:
        """Why the pair cannot be configured at all (no bus works), or "" when it can."""
        if choices.buses:
            return ""
        default = self.build()
        return " ".join(map(message, default.reasons)) if default.verdict == Verdict.INCOMPATIBLE else ""


# --- reading the catalog, cached by its version ---------------------------------------------------------------
#
# The engine's inputs are immutable values, so what was loaded for one catalog version is kept in the process and
# handed to every request that sees the same version, instead of a dozen queries. The database raises the version
# at the commit of any catalog change (catalog.models.CatalogState) and notifies every process listening for it
# (configurator.version_watch), so the first request after an edit loads the new facts. Inside a transaction the
# cache is not used: that transaction may have changed facts the version does not count until it commits.

CACHED_PAIRS = 512  # per process: a pair is a few kilobytes
CACHED_INVERTER_LISTS = 32  # per process: every battery with its verdict, for one inverter


def catalog_version() -> str | None:
    """The version cached reads are keyed by, or None where they must not be used (inside a transaction)."""
    versions = verdict_matrix.versions()  # known to the process between changes (configurator.version_watch)
    return None if versions is None else versions.key


def catalog_cache_clear() -> None:
    """Forget every cached read of this process (tests; a version change makes it unnecessary otherwise)."""
    _pair_at.cache_clear()
    _battery_choices_at.cache_clear()
    _inverter_at.cache_clear()
    _battery_makers_at.cache_clear()
    _matrix_page_at.cache_clear()
    _kept_download_at.cache_clear()
    verdict_matrix.process_caches_clear()
    from configurator.pages import pages_clear  # pages renders through this module

    pages_clear()


def pair_load(*, battery: str, inverter: str, drafts: bool = False) -> LoadedPair:
    """The pair's facts: from this process's cache for the current catalog version, else in a fixed number of
    queries. With ``drafts``, unpublished devices too (the admin's preview; never cached). Raises UnknownDevice."""
    version = None if drafts else catalog_version()
    if version is None:
        return _pair_specs(battery, inverter, drafts=drafts)
    return _pair_at(version, battery, inverter)


@lru_cache(maxsize=CACHED_PAIRS)
def _pair_at(version: str, battery: str, inverter: str) -> LoadedPair:
    return _pair_specs(battery, inverter)  # an unknown device raises, and is not cached


def _pair_specs(battery: str, inverter: str, *, drafts: bool = False) -> LoadedPair:
    rows = selectors.pair_get(battery=battery, inverter=inverter, drafts=drafts)
    if rows.battery is None:
        raise UnknownDevice("battery", battery, published=not drafts)
    if rows.inverter is None:
        raise UnknownDevice("inverter", inverter, published=not drafts)
    adapters = {pk: specs.device_spec(device) for pk, device in rows.adapters.items()}
    pairings = tuple(specs.pairing_spec(p, adapters.get(p.adapter_id)) for p in rows.pairings)
    return LoadedPair(specs.device_spec(rows.battery), specs.device_spec(rows.inverter), pairings)


def configuration_build(*, battery: str, inverter: str, options: Options | None = None) -> Configuration:
    """The configuration for a battery and an inverter given by slug. Raises UnknownDevice, ConfigurationError."""
    return pair_load(battery=battery, inverter=inverter).build(options)


def configuration_options(*, battery: str, inverter: str) -> OptionChoices:
    """What the installer may choose for this pair: its buses and the pack limit. Raises UnknownDevice."""
    return pair_load(battery=battery, inverter=inverter).choices


@dataclass(frozen=True)
class BatteryChoice:
    """One battery as step 2 lists it for the chosen inverter: its verdict and the one-line reason."""

    slug: str
    manufacturer: str
    model: str
    voltage_class: str
    verdict: str
    summary: tuple  # the findings of its one-line reason (worded at the edge, in the reader's language)
    bus: str | None
    maker_named: bool = True  # false: a placeholder maker ("Unnamed BMS maker"): the card shows the model alone

    @property
    def name(self) -> str:
        return device_name(self.manufacturer, self.model, self.maker_named)

    @property
    def reason(self) -> str:
        """The one line step 2 shows: the document for a documented pair, else what the derivation found."""
        return " ".join(map(message, self.summary))


@dataclass(frozen=True)
class InverterChoices:
    inverter: DeviceSpec
    batteries: tuple[BatteryChoice, ...]  # documented first, then derived, needs check, incompatible


@dataclass(frozen=True)
class BatteryPage:
    """A page of the batteries for one inverter, best verdict first (from the verdict matrix)."""

    inverter: DeviceSpec
    batteries: tuple[BatteryChoice, ...]
    total: int  # the batteries that match the filters, on every page
    refreshing: bool = False  # the matrix lags the catalog: the cells the newer changes concern were computed now

    def kept(self, name: str, make):
        """``make()``, computed once for this page (a page of a current matrix is shared by the requests that ask
        the same question): e.g. the API's serialised rows. ``name`` includes whatever else the value depends on
        (the language its reasons are worded in)."""
        memo = self.__dict__.setdefault("_kept", {})
        if name not in memo:
            memo[name] = make()
        return memo[name]


def _choice_order(choice: BatteryChoice) -> tuple[int, str]:
    """The list's order, as the matrix stores it: verdict, then maker, model and slug."""
    return VERDICT_ORDER.index(choice.verdict), battery_order(choice.manufacturer, choice.model, choice.slug)


def _choice(spec: DeviceSpec, result: Configuration) -> BatteryChoice:
    return BatteryChoice(
        slug=spec.slug,
        manufacturer=spec.manufacturer,
        model=spec.model,
        voltage_class=spec.voltage_class,
        verdict=result.verdict,
        summary=summary_findings(result),
        bus=result.bus,
        maker_named=spec.maker_named,
    )


def battery_choices(*, inverter: str) -> InverterChoices:
    """Every published battery with the engine's verdict for this inverter, computed now (cached like pair_load):
    what battery_page answers from when the matrix cannot serve. Raises UnknownDevice."""
    return _battery_choices_of(catalog_version(), inverter)


def _battery_choices_of(version: str | None, inverter: str) -> InverterChoices:
    """Cached for ``version``; computed each time without one (inside a transaction)."""
    return _battery_choices(inverter) if version is None else _battery_choices_at(version, inverter)


@lru_cache(maxsize=CACHED_INVERTER_LISTS)
def _battery_choices_at(version: str, inverter: str) -> InverterChoices:
    return _battery_choices(inverter)


@lru_cache(maxsize=CACHED_PAIRS)
def _inverter_at(version: str, inverter: str) -> tuple[int, DeviceSpec]:
    device = selectors.inverter_get(inverter=inverter)
    if device is None:
        raise UnknownDevice("inverter", inverter)
    return device.pk, specs.device_spec(device)


def battery_page(
    *,
    inverter: str,
    batteries: Collection[str] | None = None,
    manufacturer: str = "",
    voltage_classes: Collection[str] = (),
    offset: int = 0,
    limit: int | None = None,
) -> BatteryPage:
    """The published batteries for an inverter with their verdicts, filtered (``batteries``: these slugs only;
    a maker's name; voltage classes), best verdict first, ``limit`` from ``offset``. Read from the verdict matrix
    in a fixed number of indexed queries whatever the catalog's size (configurator.verdict_matrix); computed now
    where the matrix cannot answer for today's catalog. Raises UnknownDevice."""
    versions = verdict_matrix.versions()
    version = versions.key if versions is not None else None
    stale = verdict_matrix.stale_since(versions) if versions is not None else None
    if stale is None or inverter in stale.devices:
        # No usable matrix, or this inverter changed: all of it, now (cached for the version just read).
        found = _battery_choices_of(version, inverter)
        wanted = _battery_filter(batteries, manufacturer, voltage_classes)
        rows = [choice for choice in found.batteries if wanted(choice.slug, choice.manufacturer, choice.voltage_class)]
        end = None if limit is None else offset + limit
        return BatteryPage(found.inverter, tuple(rows[offset:end]), len(rows), refreshing=version is not None)
    only = None if batteries is None else tuple(sorted(batteries))
    if not stale.devices and not stale.pairs:  # the matrix is current: the same question, the same page
        return _matrix_page_at(version, inverter, only, manufacturer, tuple(sorted(voltage_classes)), offset, limit)
    return _matrix_page(version, stale, inverter, only, manufacturer, tuple(voltage_classes), offset, limit)


def _battery_filter(batteries: Collection[str] | None, manufacturer: str, voltage_classes: Collection[str]):
    """The list's filters as a test of one battery's (slug, maker, voltage class), for the batteries computed now
    rather than read from the matrix (which applies the same filters in SQL)."""

    def wanted(slug: str, maker: str, voltage_class: str) -> bool:
        return (
            (batteries is None or slug in batteries)
            and (not manufacturer or maker == manufacturer)
            and (not voltage_classes or voltage_class in voltage_classes)
        )

    return wanted


CACHED_BATTERY_PAGES = 256  # per process: a page is a few kilobytes


@lru_cache(maxsize=CACHED_BATTERY_PAGES)
def _matrix_page_at(version: str, inverter: str, *query) -> BatteryPage:
    return _matrix_page(version, verdict_matrix.Stale(frozenset(), frozenset()), inverter, *query)


def _matrix_page(
    version: str,
    stale: verdict_matrix.Stale,
    inverter: str,
    batteries: tuple[str, ...] | None,
    manufacturer: str,
    voltage_classes: tuple[str, ...],
    offset: int,
    limit: int | None,
) -> BatteryPage:
    inverter_id, inverter_spec = _inverter_at(version, inverter)
    cells = verdict_matrix.cells_for(inverter_id, all_published=not stale.devices)
    if batteries is not None:
        cells = cells.filter(battery__slug__in=list(batteries))
    if manufacturer:
        cells = cells.filter(battery__manufacturer__name=manufacturer)
    if voltage_classes:
        cells = cells.filter(battery__voltage_class__in=list(voltage_classes))
    concerned = stale.devices | {battery for battery, other in stale.pairs if other == inverter}
    if not concerned:
        end = None if limit is None else offset + limit
        page = tuple(_matrix_choice(row) for row in cells[offset:end])
        total = len(page) if limit is None and not offset else cells.count()
        return BatteryPage(inverter_spec, page, total)
    # The matrix lags: the batteries the newer changes concern are computed now, the rest read from the matrix.
    wanted = _battery_filter(batteries, manufacturer, voltage_classes)
    now = [
        _choice(pair.battery, pair.build())
        for pair in (_pair_now(version, slug, inverter) for slug in sorted(concerned))
        if pair is not None and wanted(pair.battery.slug, pair.battery.manufacturer, pair.battery.voltage_class)
    ]
    cells = cells.exclude(battery__slug__in=sorted(concerned))
    read = [_matrix_choice(row) for row in (cells if limit is None else cells[: offset + limit])]
    merged = sorted(read + now, key=_choice_order)
    end = None if limit is None else offset + limit
    total = (len(read) if limit is None else cells.count()) + len(now)
    return BatteryPage(inverter_spec, tuple(merged[offset:end]), total, refreshing=True)


def _pair_now(version: str, battery: str, inverter: str) -> LoadedPair | None:
    """The pair's facts for today's catalog, or None when the battery is not a published battery now."""
    try:
        pair = _pair_at(version, battery, inverter)
    except UnknownDevice:
        return None
    return pair


def _matrix_choice(row) -> BatteryChoice:
    battery = row.battery
    return BatteryChoice(
        slug=battery.slug,
        manufacturer=battery.manufacturer.name,
        model=battery.model,
        voltage_class=battery.voltage_class,
        verdict=row.verdict,
        summary=tuple(finding_from_dict(item) for item in row.summary),
        bus=row.bus or None,
        maker_named=battery.manufacturer.named,
    )


@lru_cache(maxsize=CACHED_INVERTER_LISTS)
def _battery_makers_at(version: str) -> dict[str, int]:
    return selectors.battery_makers_get()


def battery_makers() -> dict[str, int]:
    """The makers of published batteries by name, with their number of batteries (the battery list's maker filter
    and count)."""
    version = catalog_version()
    return selectors.battery_makers_get() if version is None else _battery_makers_at(version)


def _inverter_pairs(inverter: str) -> tuple[DeviceSpec, list[LoadedPair]]:
    """One published inverter with every published battery, each pair with its documented pairings, in a fixed
    number of queries. Raises UnknownDevice."""
    rows = selectors.inverter_batteries_get(inverter=inverter)
    if rows.inverter is None:
        raise UnknownDevice("inverter", inverter)
    inverter_spec = specs.device_spec(rows.inverter)
    adapters = {pk: specs.device_spec(device) for pk, device in rows.adapters.items()}
    pairings: dict[str, list[PairingSpec]] = {}
    for row in rows.pairings:
        pairings.setdefault(row.battery.slug, []).append(specs.pairing_spec(row, adapters.get(row.adapter_id)))
    return inverter_spec, [
        LoadedPair(spec, inverter_spec, tuple(pairings.get(spec.slug, ())))
        for spec in (specs.device_spec(battery) for battery in rows.batteries)
    ]


def _battery_choices(inverter: str) -> InverterChoices:
    inverter_spec, pairs = _inverter_pairs(inverter)
    choices = [_choice(pair.battery, configure(pair.battery, inverter_spec, pair.pairings)) for pair in pairs]
    return InverterChoices(inverter_spec, tuple(sorted(choices, key=_choice_order)))


def catalog_pairs() -> Iterator[LoadedPair]:
    """Every published battery with every published inverter, each with its documented pairings, loaded in a fixed
    number of queries per inverter (the answers sweep, manage.py check_answers)."""
    for inverter in device_list(kind="inverter").order_by("slug").values_list("slug", flat=True):
        yield from _inverter_pairs(inverter)[1]


def device_pairs(*, slug: str) -> list[LoadedPair]:
    """One battery or inverter, published or draft, paired with every published device of the other kind, each
    pair with its documented pairings (publishing a draft sweeps them), in a fixed number of queries. Raises
    UnknownDevice."""
    rows = selectors.device_counterparts_get(slug=slug)
    if rows.device is None:
        raise UnknownDevice("battery or inverter", slug, published=False)
    spec = specs.device_spec(rows.device)
    adapters = {pk: specs.device_spec(device) for pk, device in rows.adapters.items()}
    pairings: dict[str, list[PairingSpec]] = {}
    for row in rows.pairings:
        other = row.inverter if spec.kind == "battery" else row.battery
        pairings.setdefault(other.slug, []).append(specs.pairing_spec(row, adapters.get(row.adapter_id)))
    pairs = []
    for counterpart in rows.counterparts:
        other = specs.device_spec(counterpart)
        battery, inverter = (spec, other) if spec.kind == "battery" else (other, spec)
        pairs.append(LoadedPair(battery, inverter, tuple(pairings.get(other.slug, ()))))
    return pairs


def configuration_revision(*, battery: str, inverter: str) -> str:
    """The fingerprint of today's catalog facts for this pair (compare with a saved ``catalog_revision``)."""
    return pair_load(battery=battery, inverter=inverter).revision


@dataclass(frozen=True)
class FactsChanged:
    """An issued configuration whose catalog facts are no longer today's: what changed since (the change feed's
    rows about its devices, their pairings and protocols), and whether a device is gone from the catalog."""

    changes: tuple
    device_gone: bool


def saved_facts_changed(*, saved: SavedConfiguration) -> FactsChanged | None:
    """None while today's facts for the pair still fingerprint to the configuration's revision. Never alters what
    was issued: the page and sheet keep showing it."""
    try:
        current = configuration_revision(battery=saved.battery_slug, inverter=saved.inverter_slug)
    except UnknownDevice:
        current = None
    if current == saved.catalog_revision:
        return None
    changes = pair_changes_since(battery=saved.battery_slug, inverter=saved.inverter_slug, since=saved.created_at)
    return FactsChanged(tuple(changes), device_gone=current is None)


def reissue_query(saved: SavedConfiguration) -> str:
    """The wizard's result query for the same pair, options and site, to issue a new configuration on today's
    facts."""
    state = {
        "inverter": saved.inverter_slug,
        "battery": saved.battery_slug,
        "bus": saved.bus,
        "packs": saved.packs,
        "colours": saved.colours,
        "protocol": saved.protocol,
        "battery_port": saved.battery_port,
        "inverter_port": saved.inverter_port,
        "battery_as": saved.battery_as,
        "inverter_as": saved.inverter_as,
        **saved.site,
    }
    return urlencode({key: value for key, value in state.items() if value not in ("", None)})


def configuration_save(
    *,
    battery: str,
    inverter: str,
    options: Options | None = None,
    site: dict[str, str] | None = None,
    account=None,
) -> SavedConfiguration:
    """Build the configuration and keep it, immutable, under a new short public id.

    Raises what configuration_build raises; nothing is stored then.
    """
    pair = pair_load(battery=battery, inverter=inverter)
    return pair_save(pair=pair, options=options, site=site, account=account)


def pair_save(
    *,
    pair: LoadedPair,
    options: Options | None = None,
    site: dict[str, str] | None = None,
    account=None,
    site_root: str | None = None,
    language: str = "en",
) -> SavedConfiguration:
    """configuration_save for a pair already loaded (the wizard and the API have validated against it).
    ``account``: the partner account whose API token saved it, told by webhook when its facts change.
    ``site_root`` ("https://host/"): the site's address as the saving request saw it; given, the worker is asked in
    the same transaction to render the issued sheet, which prints the configuration's address under it, in
    ``language`` on its region's paper (the saver's; other languages are rendered and kept on first download)."""

    def queue_sheet(saved: SavedConfiguration) -> None:
        issued_sheet_queue(
            saved=saved,
            public_url=saved_url(site_root, saved),
            paper=sheet_paper_default(language),
            language=language,
        )

    return _pair_save(
        pair=pair, options=options, site=site, account=account, then=None if site_root is None else queue_sheet
    )


def saved_url(site_root: str, saved: SavedConfiguration) -> str:
    """The address a saved configuration is printed under: its page on the site the request reached."""
    return site_root.rstrip("/") + reverse("saved_configuration", args=[saved.public_id])


def _pair_save(
    *, pair: LoadedPair, options: Options | None, site: dict[str, str] | None, account, then=None
) -> SavedConfiguration:
    """Build and insert; ``then(saved)`` runs in the insert's transaction (one transaction, no savepoint)."""
    options = options or Options()
    result = pair.build(options)
    saved = SavedConfiguration(
        site={key: value for key, value in (site or {}).items() if value},
        battery_slug=pair.battery.slug,
        inverter_slug=pair.inverter.slug,
        bus=options.bus,
        packs=options.packs,
        colours=options.colours,
        protocol=options.protocol,
        battery_port=options.battery_port,
        inverter_port=options.inverter_port,
        battery_as=options.battery_as,
        inverter_as=options.inverter_as,
        verdict=result.verdict,
        result=result.to_dict(),
        catalog_revision=pair.revision,
        account=account,
    )
    saved.full_clean(exclude=["public_id"], validate_unique=False, validate_constraints=False)
    save_with_new_public_id(saved, then=None if then is None else lambda: then(saved))
    saved.__dict__["configuration"] = result  # the cached property: what was saved, without reading its JSON back
    return saved


# --- the commissioning sheet -------------------------------------------------------------------------------------

SHEET_VERSION = 5  # raise when the sheet's template or styles change, so cached sheets are not served again
SHEET_CACHE_SECONDS = 24 * 3600
PAPER_SIZES = {"a4": "A4", "letter": "letter"}
# The languages a sheet is printed in (settings.LANGUAGES): en-us is English on Letter with month-first dates.
SHEET_LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)
LETTER_LANGUAGES = ("en-us",)  # paper by the language's region: Letter in the US, A4 elsewhere


def sheet_paper_default(language: str) -> str:
    return "letter" if language in LETTER_LANGUAGES else "a4"


def sheet_filename(*, site: dict[str, str], battery: str, inverter: str, public_id: str = "") -> str:
    """The name a downloaded sheet is saved under: the site, the pair and the saved id, in plain ASCII."""
    parts = [slugify(site.get("site_name", ""))[:40], battery, inverter, public_id]
    return "commissioning-" + "-".join(part for part in parts if part) + ".pdf"


@dataclass(frozen=True)
class SheetRequest:
    paper: str
    language: str
    problems: dict[str, str]  # by parameter; empty when nothing is wrong


def sheet_request(params, *, language: str) -> SheetRequest:
    """A sheet request's language (``language``, or its short form ``lang``; else the reader's, ``language``) and
    paper (``paper``; else the language's region's), and what is wrong with them, by parameter. The wizard and the
    API read requests alike."""
    named = "language" if "language" in params else "lang"
    asked = (params.get(named) or "").strip().lower().replace("_", "-")
    language = asked or (language if language in SHEET_LANGUAGES else settings.LANGUAGE_CODE)
    paper = (params.get("paper") or "").lower() or sheet_paper_default(language)
    problems = {}
    if paper not in PAPER_SIZES:
        problems["paper"] = gettext("Unknown paper '{paper}': choose a4 or letter.").format(paper=paper)
    if language not in SHEET_LANGUAGES:
        problems[named] = gettext("No sheet in '{language}': choose one of {languages}.").format(
            language=language, languages=", ".join(SHEET_LANGUAGES)
        )
    return SheetRequest(paper, language, problems)


@dataclass(frozen=True)
class Sheet:
    pdf: bytes
    key: str  # what the sheet was rendered from, hashed: the same key, the same bytes
    cached: bool
    served: tuple[str, ...] = ()  # what the renderer loaded (our stylesheets); empty when cached
    refused: tuple[str, ...] = ()  # what it was asked for and refused; empty unless something went wrong
    peak_memory_mb: float = 0.0  # the render child's peak; 0 when cached
    render_ms: int = 0  # how long the render took; 0 when cached
    stored: bool = False  # the issued sheet's kept bytes (IssuedSheet), not a render or the cache


def sheet_source(sheet: Sheet) -> str:
    """Where a downloaded sheet came from (the X-Sheet-Cache header): "stored" (an issued sheet's kept bytes),
    "hit" (the shared cache) or "miss" (rendered for this request)."""
    return "stored" if sheet.stored else "hit" if sheet.cached else "miss"


def sheet_static_files() -> StaticFiles:
    """Where the renderer may read static files: the collected static root, or in development the source folders
    (STATICFILES_DIRS, then each app's static/, as Django's finders look)."""
    prefix = "/" + settings.STATIC_URL.strip("/") + "/"
    if not settings.DEBUG:
        return StaticFiles(prefix, (str(settings.STATIC_ROOT),))
    app_folders = [f"{app.path}/static" for app in apps.get_app_configs()]
    return StaticFiles(prefix, tuple(str(folder) for folder in [*settings.STATICFILES_DIRS, *app_folders]))


def sheet_render_limits() -> RenderLimits:
    return RenderLimits(seconds=settings.SHEET_RENDER_SECONDS, memory_bytes=settings.SHEET_RENDER_MEMORY_MB * 2**20)


def qr_svg(url: str) -> str:
    """A QR code of the sheet's public URL, as inline SVG (drawn in Python, nothing fetched)."""
    return mark_safe(segno.make(url, error="m").svg_inline(scale=4, border=2, dark="#000", light="#fff"))  # noqa: S308


@dataclass(frozen=True)
class SheetFacts:
    """Everything a sheet prints: the same facts, the same bytes. ``language``: the sheet's, whatever the page it
    was asked from is in."""

    configuration: Configuration
    site: dict[str, str]
    public_url: str
    sheet_id: str | None
    revision: str
    paper: str
    language: str

    def key(self) -> str:
        """The hash of the facts (the shared cache's key and the remembered failure's)."""
        facts = {
            "version": SHEET_VERSION,
            "configuration": self.configuration.to_dict(),
            "site": self.site,
            "url": self.public_url,
            "id": self.sheet_id,
            "revision": self.revision,
            "paper": self.paper,
            "language": self.language,
        }
        return hashlib.sha256(json.dumps(facts, sort_keys=True, default=str).encode()).hexdigest()

    def html(self) -> str:
        with translation.override(self.language):
            return render_to_string(
                "configurator/pdf/sheet.html",
                {
                    "configuration": self.configuration,
                    "p": present(self.configuration),
                    "site_rows": site_rows(self.site, with_empty=True),
                    "serials": battery_serials(self.site),
                    "public_url": self.public_url,
                    "qr_svg": qr_svg(self.public_url),
                    "sheet_id": self.sheet_id,
                    "revision": self.revision,
                    "paper_size": PAPER_SIZES[self.paper],
                },
            )


def _sheet_bounded(key: str, html: str) -> Sheet:
    """Render in the bounded child process (settings.SHEET_RENDER_*); a failure is remembered for a while."""
    started = time.perf_counter()
    try:
        rendered = html_to_pdf_bounded(html, static=sheet_static_files(), limits=sheet_render_limits())
    except SheetRenderError as error:
        logger.error("sheet render failed: %s (sheet %s)", error, key[:12])
        remember_failure(key, str(error))
        raise
    return Sheet(
        rendered.pdf,
        key,
        cached=False,
        served=rendered.served,
        refused=rendered.refused,
        peak_memory_mb=rendered.peak_memory_mb,
        render_ms=round((time.perf_counter() - started) * 1000),
    )


def commissioning_sheet_render(
    *,
    configuration: Configuration,
    site: dict[str, str],
    public_url: str,
    sheet_id: str | None,
    revision: str,
    client: str,
    paper: str = "a4",
    language: str = "en",
) -> Sheet:
    """The PDF commissioning sheet of a result, in ``language``. Identical inputs are served from the shared
    cache, not rendered again. A render counts against ``client``'s rate and takes one of the process's render slots
    (configurator.sheet_limits): raises SheetRefused past either. Raises SheetRenderError when the render exceeds
    its limits (settings.SHEET_RENDER_*), and again at once for that sheet for a while after."""
    facts = SheetFacts(configuration, site, public_url, sheet_id, revision, paper, language)
    key = facts.key()
    cached = cache.get(f"sheet:{key}")
    if cached is not None:
        return Sheet(cached, key, cached=True)
    if failure := remembered_failure(key):
        raise SheetRenderError(failure)
    with render_slot(client):  # rendered only now: a cached sheet costs no template
        sheet = _sheet_bounded(key, facts.html())
    cache.set(f"sheet:{key}", sheet.pdf, SHEET_CACHE_SECONDS)
    return sheet


def _stored_sheet(row: IssuedSheet) -> Sheet:
    return Sheet(bytes(row.pdf), row.sha256, cached=True, stored=True)


class _NotKept(Exception):
    """No sheet is kept yet for that configuration and paper (not cached: it may be kept a moment later)."""


CACHED_ISSUED_SHEETS = 32  # per process: a kept sheet never changes, so its bytes need not be read again


@dataclass(frozen=True)
class SheetDownload:
    """A saved configuration's sheet as it is downloaded: its bytes and the file name it is saved under."""

    sheet: Sheet
    filename: str


def _saved_filename(saved: SavedConfiguration) -> str:
    return sheet_filename(
        site=saved.site, battery=saved.battery_slug, inverter=saved.inverter_slug, public_id=saved.public_id
    )


@lru_cache(maxsize=CACHED_ISSUED_SHEETS)
def _kept_download_at(public_id: str, paper: str, language: str) -> SheetDownload:
    row = selectors.issued_sheet_download_get(public_id=public_id, paper=paper, language=language)
    if row is None:
        raise _NotKept
    return SheetDownload(_stored_sheet(row), _saved_filename(row.configuration))


def saved_sheet_download(
    *, public_id: str, site_root: str, client: str, paper: str = "a4", language: str = "en"
) -> SheetDownload | None:
    """The issued sheet of the saved configuration with that public id (as people type it), or None when there is
    no such configuration. Kept bytes are read once per process (one query), then served without a query: a kept
    sheet is never changed and a saved configuration never deleted (the database refuses both), so they are the
    same however the catalog or the sheet's template changed since. The first time (the worker has not rendered it
    yet, or another paper is asked for), it is rendered from the stored snapshot like an unsaved sheet, with
    ``client``'s limits, and kept. ``site_root`` ("https://host/"): the site's address as the request saw it,
    printed under the sheet's QR code."""
    typed = public_id_typed(public_id)
    try:
        return _kept_download_at(typed, paper, language)
    except _NotKept:
        pass
    saved = selectors.saved_configuration_get(public_id=typed)
    if saved is None:
        return None
    public_url = saved_url(site_root, saved)
    sheet = commissioning_sheet_render(
        client=client,
        configuration=saved.configuration,
        site=saved.site,
        public_url=public_url,
        sheet_id=saved.public_id,
        revision=saved.catalog_revision,
        paper=paper,
        language=language,
    )
    kept = _issued_sheet_keep(saved, paper, language, public_url, sheet, IssuedSheet.RenderedBy.DOWNLOAD)
    return SheetDownload(replace(sheet, pdf=bytes(kept.pdf), key=kept.sha256, stored=False), _saved_filename(saved))


def issued_sheet_queue(*, saved: SavedConfiguration, public_url: str, paper: str = "a4", language: str = "en") -> None:
    """Ask the worker to render the saved configuration's sheet (configurator.tasks), in the caller's transaction:
    the job exists exactly when the configuration does."""
    from configurator.tasks import issued_sheet_render  # the task module imports this one

    issued_sheet_render.defer(public_id=saved.public_id, public_url=public_url, paper=paper, language=language)


def issued_sheet_prepare(
    *, saved: SavedConfiguration, public_url: str, paper: str = "a4", language: str = "en"
) -> IssuedSheet:
    """The worker's side: render the sheet once, in the bounded child process, and keep it. No client rate or
    process slots: the worker's concurrency is the bound. Raises SheetRenderError past the limits (remembered, so
    that downloads answer at once instead of trying again)."""
    stored = selectors.issued_sheet_get(configuration=saved, paper=paper, language=language)
    if stored is not None:
        return stored
    facts = SheetFacts(
        saved.configuration, saved.site, public_url, saved.public_id, saved.catalog_revision, paper, language
    )
    key = facts.key()
    if failure := remembered_failure(key):
        raise SheetRenderError(failure)
    sheet = _sheet_bounded(key, facts.html())
    return _issued_sheet_keep(saved, paper, language, public_url, sheet, IssuedSheet.RenderedBy.WORKER)


def _issued_sheet_keep(
    saved: SavedConfiguration, paper: str, language: str, public_url: str, sheet: Sheet, rendered_by: str
) -> IssuedSheet:
    """Keep a rendered sheet unless one is kept already (a worker and a download may race): the first one kept is
    the issued sheet, and the one returned."""
    row = IssuedSheet(
        configuration=saved,
        paper=paper,
        language=language,
        sheet_version=SHEET_VERSION,
        public_url=public_url,
        pdf=sheet.pdf,
        sha256=hashlib.sha256(sheet.pdf).hexdigest(),
        size=len(sheet.pdf),
        render_ms=sheet.render_ms,
        peak_memory_mb=sheet.peak_memory_mb,
        rendered_by=rendered_by,
    )
    IssuedSheet.objects.bulk_create([row], ignore_conflicts=True)
    return selectors.issued_sheet_get(configuration=saved, paper=paper, language=language)


# --- the commissioning record's PDF -----------------------------------------------------------------------------

RECORD_VERSION = 1  # raise when the record's PDF template or styles change


def record_pdf_render(*, context: dict, client: str) -> bytes:
    """An issued commissioning record as a PDF (configurator/pdf/record.html) in the language it was issued in,
    rendered once through the sheet's
    bounded renderer, render slots and per-client rate, then served from the cache: a record never changes."""
    record = context["record"]
    key = f"{RECORD_VERSION}:{record.public_id}:{record.language}:{context['public_url']}"
    key = "record:" + hashlib.sha256(key.encode()).hexdigest()
    cached = cache.get(key)
    if cached is not None:
        return cached
    with translation.override(record.language):  # the language it was issued in, whatever the page's
        html = render_to_string("configurator/pdf/record.html", {**context, "sections": record_sections(record)})
    with render_slot(client):
        rendered = html_to_pdf_bounded(html, static=sheet_static_files(), limits=sheet_render_limits())
    cache.set(key, rendered.pdf, SHEET_CACHE_SECONDS)
    return rendered.pdf
