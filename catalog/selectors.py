"""Read functions over the catalog, used by commands, the admin, the API and the configurator."""

import re
from collections import defaultdict
from dataclasses import dataclass
from difflib import SequenceMatcher

from django.contrib.postgres.search import TrigramWordSimilarity
from django.db import InterfaceError, OperationalError, connection
from django.db.models import Case, Count, Q, QuerySet, Value, When
from django.db.models.functions import Greatest, Lower
from django.utils.translation import gettext

from catalog.catalog_files import CatalogIndex, DeviceFacts, PortFacts, pin_key
from catalog.models import (
    CatalogChange,
    Device,
    DeviceProtocol,
    Document,
    DocumentedPairing,
    Manufacturer,
    PinAssignment,
    Port,
    Protocol,
)
from catalog.naming import size_range
from catalog.querysets import devices_full, pairings_full

__all__ = [
    "SEARCH_MAX_LENGTH",
    "SEARCH_MAX_WORDS",
    "catalog_index_get",
    "change_devices",
    "device_export_list",
    "device_list",
    "device_search",
    "device_search_ranked",
    "devices_matching",
    "fetchone_checking_connection",
    "home_counts_get",
    "pair_changes_since",
    "pairing_export_list",
    "protocols_named",
    "search_problem",
    "squashed",
]

# A search's cost is bounded whatever the input: at most this many characters and words (each word is one
# trigram-indexed condition on Device.search_text). The wizard and the API refuse more with a message.
SEARCH_MAX_LENGTH = 100
SEARCH_MAX_WORDS = 8


def fetchone_checking_connection(sql: str) -> tuple | None:
    """One row of a plain query (no ORM compiling: every request asks it) that, run as a request's first query,
    also stands in for Django's connection health check (CONN_HEALTH_CHECKS: a separate ``SELECT 1`` before a
    reused connection's first query in each request). A connection that died meanwhile (the database restarted) is
    closed and the query run once more on a new one: one round trip instead of two on the busiest pages, the same
    recovery. Later queries in the request, and requests whose first query is another, keep Django's check."""
    first = not connection.health_check_done and not connection.in_atomic_block
    if first:
        connection.health_check_done = True  # this query is the check
    try:
        return _fetchone(sql)
    except (InterfaceError, OperationalError):
        if not first:
            raise
        connection.close()  # as Django's failed health check does; the next cursor connects anew
        return _fetchone(sql)


def _fetchone(sql: str) -> tuple | None:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()


def catalog_index_get() -> CatalogIndex:
    """What the database holds, in the shape the catalog-file checks need (five queries)."""
    ports: dict[int, dict[str, PortFacts]] = defaultdict(dict)
    by_id: dict[int, PortFacts] = {}
    for port_id, device_id, name, buses in Port.objects.values_list("id", "device_id", "name", "buses"):
        ports[device_id][name] = by_id[port_id] = PortFacts(buses=frozenset(buses))
    for port_id, position, terminal, signal in PinAssignment.objects.values_list(
        "port_id", "position", "terminal", "signal"
    ):
        by_id[port_id].pins[pin_key({"position": position, "terminal": terminal})] = signal
    return CatalogIndex(
        documents=set(Document.objects.values_list("key", flat=True)),
        manufacturers=set(Manufacturer.objects.values_list("slug", flat=True)),
        protocols=dict(Protocol.objects.values_list("slug", "bus")),
        devices={
            slug: DeviceFacts(kind=kind, manufacturer=manufacturer, ports=ports.get(device_id, {}))
            for device_id, slug, kind, manufacturer in Device.objects.values_list(
                "id", "slug", "kind", "manufacturer__slug"
            )
        },
        pairings=set(DocumentedPairing.objects.values_list("slug", flat=True)),
    )


def device_export_list() -> QuerySet[Device]:
    return devices_full().order_by("manufacturer__slug", "slug")


def pairing_export_list() -> QuerySet[DocumentedPairing]:
    return pairings_full().order_by("slug")


def home_counts_get() -> dict[str, int]:
    return {
        "device_count": Device.objects.filter(is_published=True).count(),
        "pairing_count": DocumentedPairing.objects.count(),
    }


def device_list(*, kind: str) -> QuerySet[Device]:
    """Every published device of one kind, by maker and model (any case: "senergy" among the S's)."""
    devices = Device.objects.filter(kind=kind, is_published=True).select_related("manufacturer")
    return devices.order_by(Lower("manufacturer__name"), Lower("model"), "slug")


def squashed(text: str) -> str:
    """Lower case, letters and digits only: how a search compares names ("RHI-3P" and "rhi 3p" alike)."""
    return re.sub(r"[^0-9a-z]+", "", text.casefold())


def protocols_named(text: str) -> list[int]:
    """The ids of the protocols whose slug, name or one of whose aliases is ``text`` (case, spaces and dashes
    ignored). The protocol table is small: it is read whole."""
    wanted = squashed(text)
    rows = Protocol.objects.values_list("pk", "slug", "name", "aliases")
    return [pk for pk, slug, name, aliases in rows if wanted in {squashed(n) for n in (slug, name, *aliases)}]


def search_problem(text: str) -> str | None:
    """Why ``text`` is not a search the catalog answers (too long, too many words), or None."""
    if len(text) > SEARCH_MAX_LENGTH:
        return gettext("Search with at most {limit} characters.").format(limit=SEARCH_MAX_LENGTH)
    if "\x00" in text:
        return gettext("The search contains a NUL character.")
    if len(text.split()) > SEARCH_MAX_WORDS:
        return gettext("Search with at most {limit} words.").format(limit=SEARCH_MAX_WORDS)
    return None


def _search_words(text: str) -> list[str]:
    words = [word for word in (squashed(part) for part in text.split()) if word]
    return sorted(set(words), key=words.index)[:SEARCH_MAX_WORDS]


def _sizes_named(queryset: QuerySet[Device], text: str) -> dict[str, dict[int, str]]:
    """For each typed word (squashed, as the search compares words) that names a size within the range of a
    model ("3.6K", "RHI-3.6K-48ES-5G" for "RHI-(3-4.6)K-48ES-5G"): the devices it names, with the size's name.
    One query, and only for text with a digit in it."""
    typed = text[:SEARCH_MAX_LENGTH].split()[:SEARCH_MAX_WORDS]
    if not any(ch.isdigit() for ch in text[:SEARCH_MAX_LENGTH]):
        return {}
    ranged = [
        (pk, sizes)
        for pk, model in queryset.filter(model__regex=r"\(\d").values_list("pk", "model")
        if (sizes := size_range(model))
    ]
    named: dict[str, dict[int, str]] = defaultdict(dict)
    for word in typed:
        for pk, sizes in ranged:
            if name := sizes.named(word):
                named[squashed(word)][pk] = name
    return named


@dataclass(frozen=True)
class LineNamed:
    """A typed word that names a maker's product line ("multiplus": Victron Energy's MultiPlus)."""

    line: str  # as the catalog writes it
    maker: str  # the maker's name
    manufacturer_id: int


def _lines_named(words: list[str]) -> dict[str, LineNamed]:
    """For each word (squashed) that names a maker's product line, alone or followed by a size ("sun5k" for Deye's
    SUN): the maker. One query over the makers that have product lines."""
    if not words:
        return {}
    named: dict[str, LineNamed] = {}
    makers = Manufacturer.objects.exclude(product_lines=[]).values_list("pk", "name", "product_lines")
    for pk, maker, lines in makers:
        for line in lines:
            key = squashed(line)
            first = squashed(line.split()[0]) if len(line.split()) > 1 else ""  # "cerbo" of "Cerbo GX"
            for word in words:
                sized = word.startswith(key) and word[len(key) :][:1].isdigit()  # "sun5k" of "SUN"
                if word == key or sized or (len(first) >= 4 and word == first):
                    named.setdefault(word, LineNamed(line, maker, pk))
    return named


def _word_found(word: str, sizes: dict[str, dict[int, str]], lines: dict[str, LineNamed] | None = None) -> Q:
    """The devices that hold ``word``: in their search text, as a size of their range, or as a product line of their
    maker."""
    found = Q(search_text__contains=word)
    if word in sizes:
        found |= Q(pk__in=list(sizes[word]))
    if lines and word in lines:
        found |= Q(manufacturer_id=lines[word].manufacturer_id)
    return found


def devices_matching(
    queryset: QuerySet[Device],
    text: str,
    *,
    sizes: dict[str, dict[int, str]] | None = None,
    lines: dict[str, LineNamed] | None = None,
) -> QuerySet[Device]:
    """The devices whose maker's name, model, family, variants or slug contain every word of ``text``, ignoring
    case, spaces, dashes and dots ("RHI-3P" and "rhi 3p" alike), a size within a model's range counting as its
    model ("5k" finds S5-EH1P(3-6)K-L). Empty text matches everything.

    Each word is one condition on the database-maintained ``search_text`` with a trigram index; callers refuse
    text ``search_problem`` objects to, and at most SEARCH_MAX_WORDS words are ever compared. ``sizes`` and
    ``lines``: what a caller already looked up for these words (device_search_ranked), else looked up here."""
    words = _search_words(text[:SEARCH_MAX_LENGTH])
    sizes = _sizes_named(queryset, text) if sizes is None else sizes
    lines = _lines_named(words) if lines is None else lines
    matches = Q()
    for word in words:
        matches &= _word_found(word, sizes, lines)
    return queryset.filter(matches)


def name_picked(device: Device, text: str) -> str:
    """The other name ``device`` was found by (a size within its model's range, an alias, a variant), when ``text``
    names it by that and not by its own model; else empty. The result then names it as the installer knows it."""
    sizes = size_range(device.model)
    for typed in (text, *text[:SEARCH_MAX_LENGTH].split()[:SEARCH_MAX_WORDS]) if sizes else ():
        if name := sizes.named(typed):
            return name
    words = _search_words(text[:SEARCH_MAX_LENGTH])
    maker = squashed(device.manufacturer.name)
    own = squashed(f"{device.model} {device.family} {device.slug}")
    if not words or all(word in own or word in maker for word in words):
        return ""
    for name in (*device.aliases, *device.variants):
        if all(word in squashed(name) or word in maker for word in words):
            return name
    return ""


@dataclass(frozen=True)
class SearchAnswer:
    """What a search found and how: every word (``all``), some of them (``some``: ``missing`` were found nowhere),
    only names close to a word (``similar``: ``suggestion`` is the name to offer, "Did you mean ..."), or nothing
    (``none``: the catalog does not hold it yet)."""

    devices: list[Device]
    matched: str  # all | some | similar | none
    missing: tuple[str, ...] = ()
    suggestion: str = ""
    lines: tuple[LineNamed, ...] = ()  # product lines the words named: the sources do not document them by name


SIMILAR = 0.4  # pg_trgm word similarity from which a maker's, model's or family's name is a candidate
CLOSE = 0.75  # how alike (difflib's ratio) a candidate's name and the word must be to count as a slip


def _closeness(word: str, device: Device) -> tuple[float, str]:
    """How close ``word`` is to one of the device's names (or a word of one), and that name."""
    best = (0.0, "")
    for name in (device.manufacturer.name, device.family, device.model, *device.aliases, *device.variants):
        for part in {squashed(name), *(squashed(piece) for piece in name.split())}:
            if part:
                best = max(best, (SequenceMatcher(None, word, part).ratio(), name))
    return best


def device_search_ranked(*, kind: str, text: str, limit: int = 60) -> SearchAnswer:
    """Published devices of one kind for what an installer typed, best first: those that contain every word;
    else those that contain the most words; else those with a name within a typo of a word (pg_trgm's word
    similarity on the indexed search text); else none. Callers refuse text ``search_problem`` objects to."""
    published = device_list(kind=kind)
    words = _search_words(text[:SEARCH_MAX_LENGTH])
    if not words:
        return SearchAnswer(list(published[:limit]), "all")
    # "SPF5000ES" is one word to the index: its letter and digit runs ("spf", "5000") are tried after every word.
    pieces = [piece for word in words for piece in re.findall(r"[a-z]+|[0-9]+", word) if len(piece) >= 3]
    tried = list(dict.fromkeys([*words, *pieces]))[: SEARCH_MAX_WORDS * 2]  # bounded
    sizes = _sizes_named(published, text)
    lines = _lines_named(tried)  # looked up once, for the words and their runs
    every = device_search(kind=kind, text=text, limit=limit, sizes=sizes, lines=lines)
    if every:
        return SearchAnswer(every, "all", lines=tuple(dict.fromkeys(lines[w] for w in words if w in lines)))
    words = tried
    hits = published.order_by().aggregate(
        **{f"w{n}": Count("pk", filter=_word_found(word, sizes, lines)) for n, word in enumerate(words)}
    )  # one query: how many devices hold each word
    found = [word for n, word in enumerate(words) if hits[f"w{n}"]]
    if found:
        score = sum((Case(When(_word_found(word, sizes, lines), then=1), default=0) for word in found), Value(0))
        ranked = (
            published.annotate(score=score)
            .filter(score__gt=0)
            .order_by("-score", Lower("manufacturer__name"), Lower("model"), "slug")
        )
        missing = tuple(w for w in words if w not in found)
        return SearchAnswer(list(ranked[:limit]), "some", missing, lines=tuple(dict.fromkeys(lines.values())))
    typed = [word for word in words if len(word) >= 4]  # shorter words are too close to everything
    if typed:
        names = (Lower("manufacturer__name"), Lower("model"), Lower("family"))
        likeness = Greatest(*(TrigramWordSimilarity(word, name) for word in typed for name in names))
        candidates = (
            published.annotate(likeness=likeness)
            .filter(likeness__gte=SIMILAR)
            .order_by("-likeness", Lower("manufacturer__name"), Lower("model"))[:limit]
        )
        scored = [(max(_closeness(word, device) for word in typed), device) for device in candidates]
        close = [(score, device) for score, device in scored if score[0] >= CLOSE]
        if close:
            best = max(close, key=lambda item: item[0][0])[0][1]
            return SearchAnswer([device for _score, device in close], "similar", suggestion=best)
    return SearchAnswer([], "none")


def device_search(
    *,
    kind: str,
    text: str,
    limit: int | None = 50,
    sizes: dict[str, dict[int, str]] | None = None,
    lines: dict[str, LineNamed] | None = None,
) -> list[Device]:
    """Published devices of one kind that ``text`` names: by slug, else every word found (``devices_matching``,
    given the ``sizes`` and ``lines`` a caller already looked up). An exact slug, full name or model wins over
    partial matches."""
    published = device_list(kind=kind)
    text = text.strip()
    exact = list(published.filter(slug__iexact=text))
    if exact or not squashed(text):
        return exact
    queryset = devices_matching(published, text, sizes=sizes, lines=lines).order_by(
        Lower("manufacturer__name"), Lower("model"), "slug"
    )
    found = list(queryset if limit is None else queryset[:limit])
    wanted = squashed(text)
    named = [d for d in found if wanted in (squashed(d.model), squashed(f"{d.manufacturer.name} {d.model}"))]
    return named if len(named) == 1 else found


def _pairing_devices(slug: str) -> set[str]:
    """The slugs of a pairing's devices, as it is or as it last was (a deleted pairing's history)."""
    pairing = DocumentedPairing.objects.filter(slug=slug).select_related("battery", "inverter", "adapter").first()
    if pairing is not None:
        return {d.slug for d in (pairing.battery, pairing.inverter, pairing.adapter) if d is not None}
    last = DocumentedPairing.history.filter(slug=slug).order_by("-history_id").first()
    if last is None:
        return set()
    ids = [i for i in (last.battery_id, last.inverter_id, last.adapter_id) if i]
    return set(Device.objects.filter(pk__in=ids).values_list("slug", flat=True))


def change_devices(change: CatalogChange) -> set[str]:
    """The devices a catalog change concerns: the device itself, a pairing's devices, a protocol's speakers."""
    if change.entity == "device":
        return {change.key}
    if change.entity == "pairing":
        return _pairing_devices(change.key)
    if change.entity == "protocol":
        rows = DeviceProtocol.objects.filter(protocol__slug=change.key).values_list("device__slug", flat=True)
        return set(rows)
    return set()


def pair_changes_since(*, battery: str, inverter: str, since) -> list[CatalogChange]:
    """The committed catalog changes after ``since`` that concern a battery or an inverter (their devices, their
    pairings, the protocols they speak), oldest first."""
    pair = {battery, inverter}
    changes = CatalogChange.objects.filter(version__isnull=False, changed_at__gt=since).order_by("version", "id")
    return [change for change in changes[:500] if change_devices(change) & pair]
