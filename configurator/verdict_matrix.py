"""The verdict matrix: every published battery x inverter with the engine's verdict and its one-line reason, kept
in PostgreSQL (PairVerdict) so that the battery list and the compatibility API read a page of it in indexed
queries instead of running the engine for every battery.

- **Refresh** (``matrix_refresh``, the worker's ``verdict_matrix_refresh`` job, queued by the database after every
  catalog change; ``manage.py refresh_verdicts`` by hand): the first time, or for a new catalog generation, every
  pair; after that only the pairs the committed changes since the matrix's version concern (a changed battery's
  row, a changed inverter's column, a changed pairing's or adapter's pairs, a protocol's speakers, a renamed
  maker's batteries, whose place in the list's order is stored with each cell). Rows of
  devices that are no longer published go. The matrix then records the catalog version it is complete for.
- **Read** (``matrix_page``): one inverter's cells, filtered and a page at a time. While the matrix lags the
  catalog (the refresh has not run yet), the cells the newer changes concern are computed now, with the engine, and
  the answer says it is ``refreshing``: the other cells rest on facts that did not change, so no answer is wrong
  for the new catalog. An inverter that changed itself is computed whole, now.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from catalog.choices import DeviceKind
from catalog.models import CatalogChange, CatalogState, Device, DocumentedPairing
from catalog.selectors import change_devices, fetchone_checking_connection
from configurator.domain import Verdict, configure
from configurator.domain.result import finding_to_dict
from configurator.models import PairVerdict, VerdictMatrix
from configurator.version_watch import VersionWatch

__all__ = ["VERDICT_ORDER", "MatrixRefresh", "matrix_refresh", "stale_since", "summary_findings"]

logger = logging.getLogger(__name__)

VERDICT_ORDER = (Verdict.DOCUMENTED, Verdict.DERIVED, Verdict.NEEDS_CHECK, Verdict.INCOMPATIBLE)


def summary_findings(result) -> tuple:
    """The findings of the one line the battery list shows: the document for a documented pair, else what the
    derivation found."""
    if result.verdict in (Verdict.DERIVED, Verdict.NEEDS_CHECK) and len(result.reasons) > 1:
        return tuple(result.reasons[1:])
    return tuple(result.reasons[:1])


@dataclass(frozen=True)
class MatrixRefresh:
    version: int
    pairs: int  # cells computed
    full: bool
    seconds: float


@dataclass(frozen=True)
class Stale:
    """What the catalog changed after the matrix's version: the cells to compute now rather than read."""

    devices: frozenset[str]  # batteries and inverters whose every cell changed
    pairs: frozenset[tuple[str, str]]  # (battery, inverter) cells that changed


@dataclass(frozen=True)
class Versions:
    """The catalog's version and the one the matrix is complete for (each a generation and a counter)."""

    generation: uuid.UUID
    version: int
    matrix_generation: uuid.UUID | None
    matrix_version: int

    @property
    def key(self) -> str:  # as CatalogState.key: what per-process caches are keyed by
        return f"{self.generation}:{self.version}"

    @property
    def matrix_usable(self) -> bool:
        """The matrix was filled for this catalog generation (else it waits for a full refresh)."""
        return self.matrix_generation == self.generation and bool(self.matrix_version)


def versions() -> Versions | None:
    """The catalog's and the matrix's versions, as this process last read them, read again after each change
    (configurator.version_watch); what per-process caches are keyed by. None when the catalog has no state row,
    and inside a transaction, where nothing cached may be used: that transaction may have changed facts the
    version does not count until it commits."""
    if connection.in_atomic_block:
        return None
    pinned = _pinned.get()
    return pinned if pinned is not None else _versions.get()


@contextmanager
def versions_pinned(pinned: Versions | None) -> Iterator[None]:
    """Within, ``versions()`` answers ``pinned`` (outside a transaction): a kept page is rendered from the versions
    it is kept under, read once for the request, even where every read is a query (VERSION_NOTIFICATIONS off) or
    a commit lands while it renders. None pins nothing."""
    token = _pinned.set(pinned)
    try:
        yield
    finally:
        _pinned.reset(token)


def versions_read() -> Versions | None:
    """The catalog's and the matrix's versions in one query, as the database has them now (plain SQL: every
    request whose process does not listen for them asks)."""
    row = fetchone_checking_connection(
        "SELECT s.generation, s.version, m.generation, m.version FROM catalog_catalogstate s "
        "LEFT JOIN configurator_verdictmatrix m ON m.id = 1 WHERE s.id = 1"
    )
    return None if row is None else Versions(row[0], row[1], row[2], row[3] or 0)


_versions = VersionWatch(versions_read)
_pinned: ContextVar[Versions | None] = ContextVar("versions_pinned", default=None)


def process_caches_clear() -> None:
    """Forget what this process keeps of the matrix: the versions (read again at the next request) and what the
    changes between two versions concern (configurator.services.catalog_cache_clear)."""
    _versions.forget()
    _changes_between.cache_clear()


def versions_stop_listening() -> None:
    """Close this process's listening connection (before its database is dropped); the next request opens it."""
    _versions.close()


CACHED_STALE_SETS = 16  # per process: what changed between two versions never changes


@lru_cache(maxsize=CACHED_STALE_SETS)
def _changes_between(generation: uuid.UUID, after: int, upto: int) -> Stale:
    """What the committed changes after version ``after`` up to ``upto`` concern (``generation``: the cache's key;
    the versions of one generation never repeat). Kept: a list request asks it every time while the matrix lags,
    and after a large import that is thousands of changes."""
    devices: set[str] = set()
    pairs: set[tuple[str, str]] = set()
    makers: set[str] = set()
    changes = CatalogChange.objects.filter(version__gt=after, version__lte=upto).exclude(
        entity="document"  # titles: read live, no verdict rests on them
    )
    for change in changes.order_by("id"):
        if change.entity == "manufacturer":  # no verdict rests on a name, but the list's order does (battery_order)
            makers.add(change.key)
        elif change.entity == "pairing":  # that pair only (its adapter's other pairs did not change)
            kinds = dict(Device.objects.filter(slug__in=change_devices(change)).values_list("slug", "kind"))
            batteries = [slug for slug, kind in kinds.items() if kind == DeviceKind.BATTERY]
            inverters = [slug for slug, kind in kinds.items() if kind == DeviceKind.INVERTER]
            pairs |= {(battery, inverter) for battery in batteries for inverter in inverters}
        else:
            devices |= change_devices(change)
    devices |= set(
        Device.objects.filter(manufacturer__slug__in=makers, kind=DeviceKind.BATTERY).values_list("slug", flat=True)
    )
    adapters = Device.objects.filter(slug__in=devices, kind=DeviceKind.ADAPTER)
    for battery, inverter in DocumentedPairing.objects.filter(adapter__in=adapters).values_list(
        "battery__slug", "inverter__slug"
    ):
        pairs.add((battery, inverter))
    return Stale(frozenset(devices), frozenset(pairs))


def stale_since(versions: Versions) -> Stale | None:
    """What changed after the matrix's version, or None when the matrix is for another generation (or empty)."""
    if not versions.matrix_usable:
        return None
    if versions.matrix_version == versions.version:
        return Stale(frozenset(), frozenset())
    return _changes_between(versions.generation, versions.matrix_version, versions.version)


def battery_order(manufacturer: str, model: str, slug: str) -> str:
    """A battery's place among those of one verdict (PairVerdict.battery_order, compared byte by byte): by maker,
    then model, lower-cased, then slug; U+001F sorts before every character a name holds."""
    return f"{manufacturer.lower()}\x1f{model.lower()}\x1f{slug}"


def cell(battery, inverter, pairings, version: int, ids: dict[str, int]) -> PairVerdict:
    """One matrix cell from the engine's answer for two device specs (and their documented pairings); ``ids``: the
    devices' primary keys by slug."""
    result = configure(battery, inverter, pairings)
    return PairVerdict(
        battery_id=ids[battery.slug],
        inverter_id=ids[inverter.slug],
        verdict=result.verdict,
        rank=VERDICT_ORDER.index(result.verdict),
        bus=result.bus or "",
        summary=[finding_to_dict(item) for item in summary_findings(result)],
        catalog_version=version,
        battery_order=battery_order(battery.manufacturer, battery.model, battery.slug),
    )


def _column(inverter: str, version: int, ids: dict[str, int]) -> list[PairVerdict]:
    from configurator.services import _inverter_pairs  # services reads the matrix too

    _spec, pairs = _inverter_pairs(inverter)
    return [cell(pair.battery, pair.inverter, pair.pairings, version, ids) for pair in pairs]


def _cells(pairs: set[tuple[str, str]], version: int, ids: dict[str, int]) -> list[PairVerdict]:
    from configurator.services import _pair_specs

    made = []
    for battery, inverter in sorted(pairs):
        pair = _pair_specs(battery, inverter)
        made.append(cell(pair.battery, pair.inverter, pair.pairings, version, ids))
    return made


def matrix_refresh(*, full: bool = False) -> MatrixRefresh:
    """Bring the matrix to the committed catalog's version (see the module's docstring). One at a time: the matrix
    row is locked for the refresh's transaction."""
    started = time.perf_counter()
    with transaction.atomic():
        VerdictMatrix.objects.get_or_create(pk=1)
        matrix = VerdictMatrix.objects.select_for_update().get(pk=1)
        state = CatalogState.objects.filter(pk=1).first()
        if state is None:
            PairVerdict.objects.all().delete()
            return MatrixRefresh(0, 0, True, 0.0)
        known = Versions(state.generation, state.version, matrix.generation, matrix.version)
        stale = None if full else stale_since(known)
        if stale is not None and matrix.version == state.version:
            return MatrixRefresh(state.version, 0, False, 0.0)
        published = Device.objects.filter(is_published=True, kind__in=[DeviceKind.BATTERY, DeviceKind.INVERTER])
        kinds = {slug: (kind, pk) for slug, kind, pk in published.values_list("slug", "kind", "pk")}
        ids = {slug: pk for slug, (_kind, pk) in kinds.items()}
        inverters = {slug for slug, (kind, _pk) in kinds.items() if kind == DeviceKind.INVERTER}
        batteries = {slug for slug, (kind, _pk) in kinds.items() if kind == DeviceKind.BATTERY}
        gone = Q(inverter__is_published=False) | Q(battery__is_published=False)
        PairVerdict.objects.filter(gone).delete()
        made: list[PairVerdict] = []
        if stale is None:
            PairVerdict.objects.all().delete()
            for inverter in sorted(inverters):
                made += _column(inverter, state.version, ids)
        else:
            columns = stale.devices & inverters
            for inverter in sorted(columns):
                made += _column(inverter, state.version, ids)
            rows = stale.devices & batteries
            cells = {(b, i) for b in rows for i in inverters - columns}
            cells |= {(b, i) for b, i in stale.pairs if b in batteries and i in inverters - columns}
            made += _cells(cells, state.version, ids)
            PairVerdict.objects.filter(
                Q(inverter__slug__in=columns) | Q(battery__slug__in=rows) | _pairs_q(stale.pairs)
            ).delete()
        PairVerdict.objects.bulk_create(made, batch_size=2000)
        if stale is None:  # a new matrix: statistics for its plans now, not at autovacuum's next round
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE configurator_pairverdict")
        seconds = time.perf_counter() - started
        matrix.generation, matrix.version = state.generation, state.version
        matrix.refreshed_at, matrix.pairs, matrix.seconds = timezone.now(), len(made), seconds
        matrix.save()
    logger.info("verdict matrix at catalog version %s: %s cells in %.1f s", state.version, len(made), seconds)
    return MatrixRefresh(state.version, len(made), stale is None, seconds)


def matrix_column_fill(inverter: str) -> MatrixRefresh:
    """Compute one inverter's column and mark the matrix current (benchmarks at sizes where a full refresh would
    take hours: bench/scaling.py). Not for a real deployment: the other columns are left as they were."""
    started = time.perf_counter()
    with transaction.atomic():
        state = CatalogState.objects.get(pk=1)
        published = Device.objects.filter(is_published=True, kind__in=[DeviceKind.BATTERY, DeviceKind.INVERTER])
        ids = dict(published.values_list("slug", "pk"))
        made = _column(inverter, state.version, ids)
        PairVerdict.objects.filter(inverter__slug=inverter).delete()
        PairVerdict.objects.bulk_create(made, batch_size=2000)
        seconds = time.perf_counter() - started
        VerdictMatrix.objects.update_or_create(
            pk=1,
            defaults={
                "generation": state.generation,
                "version": state.version,
                "refreshed_at": timezone.now(),
                "pairs": len(made),
                "seconds": seconds,
            },
        )
    return MatrixRefresh(state.version, len(made), False, seconds)


def _pairs_q(pairs) -> Q:
    q = Q(pk__in=[])
    for battery, inverter in pairs:
        q |= Q(battery__slug=battery, inverter__slug=inverter)
    return q


def cells_for(inverter_id: int, *, all_published: bool = False):
    """One inverter's cells with their batteries and makers, best verdict first, then maker and model (read in the
    order of the index on inverter, rank and battery_order). ``all_published``: no battery changed since the
    matrix's version, so every row's battery is published (a refresh deletes the others, and withdrawing one is a
    change): the rows need not be joined to their batteries to be counted."""
    cells = PairVerdict.objects.filter(inverter_id=inverter_id)
    if not all_published:
        cells = cells.filter(battery__is_published=True)
    return cells.select_related("battery__manufacturer").order_by("rank", "battery_order")
