"""Who may change what in the catalog: one rule for every write path (admin forms and inlines, history revert, the
catalog file upload, the REST API and the import command), for admin users and API tokens alike.

An *actor* is who writes, whatever the path:

- **team**: superusers; staff users linked to no partner account or to an active staff account; staff tokens;
  the import command run without ``--as-user`` or ``--as-account``. Everything (in the admin, Django's permissions
  still apply).
- **distributor**: users and tokens of an active distributor account. They change the rows of the account's
  manufacturers (devices, ports, pins, protocols of a device, DIP banks, settings, notes and their
  translations, documented pairings where one side is their own *published* device), and may *add* documents,
  sources and protocols (a protocol only as a draft the team publishes) but never change or delete an existing
  shared row: those are cited by every maker's facts. Manufacturers are added by the team, which links them to
  the distributor's account.
- **reader**: reviewer and partner accounts, read-only distributor tokens: read, change nothing.
- **nobody**: users whose partner accounts are all inactive: no catalog rights at all.

A write is judged on the row **as it is now** (``before``: whose row is it?) and **as it would be** after the
write (``after``: whose row would it become?): both must be the actor's. Drafts (unpublished devices) are seen by
the team and by distributors for their own manufacturers only.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext

from catalog.models import (
    Account,
    ApiToken,
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

__all__ = [
    "DISTRIBUTOR_ADDS",
    "MANUFACTURER_PATHS",
    "NOBODY",
    "SHARED_MODELS",
    "TEAM",
    "TEAM_ACTOR",
    "Actor",
    "WriteRefused",
    "actor_for_account",
    "actor_for_token",
    "actor_for_user",
    "check_delete",
    "check_write",
    "drafts_visible",
    "editable",
    "may_add",
    "may_change",
    "write_refusal",
]

TEAM, DISTRIBUTOR, READER, NOBODY = "team", "distributor", "reader", "nobody"

# How each manufacturer-owned model reaches its manufacturer(s); a row is the actor's when any path leads to one
# of the actor's manufacturers.
_PAIRING = ("battery__manufacturer", "inverter__manufacturer")
MANUFACTURER_PATHS: dict[type[Model], tuple[str, ...]] = {
    Device: ("manufacturer",),
    Port: ("device__manufacturer",),
    PinAssignment: ("port__device__manufacturer",),
    DeviceProtocol: ("device__manufacturer",),
    DipSwitchBank: ("device__manufacturer",),
    DipSwitch: ("bank__device__manufacturer",),
    Setting: ("device__manufacturer", *(f"pairing__{path}" for path in _PAIRING)),
    Note: ("device__manufacturer", *(f"pairing__{path}" for path in _PAIRING)),
    NoteTranslation: ("note__device__manufacturer", *(f"note__pairing__{path}" for path in _PAIRING)),
    DocumentedPairing: _PAIRING,
    PairingConductor: tuple(f"pairing__{path}" for path in _PAIRING),
}

# Rows every maker's facts cite: the team changes them; distributors may only add new ones.
SHARED_MODELS: frozenset[type[Model]] = frozenset({Document, Source, Protocol, Manufacturer})


@dataclass(frozen=True)
class Actor:
    role: str
    manufacturer_ids: frozenset[int] = frozenset()  # a distributor's manufacturers
    read_only: bool = False  # a read-only token of a distributor account: sees its drafts, writes nothing

    @property
    def is_team(self) -> bool:
        return self.role == TEAM

    @property
    def is_distributor(self) -> bool:
        return self.role == DISTRIBUTOR

    @property
    def may_write(self) -> bool:
        return self.role in (TEAM, DISTRIBUTOR) and not self.read_only

    @property
    def reads_only(self) -> bool:
        return not self.may_write


TEAM_ACTOR = Actor(TEAM)


def _account_actor(accounts: Iterable[Account], *, read_only: bool = False) -> Actor:
    active = [account for account in accounts if account.is_active]
    kinds = {account.kind for account in active}
    if Account.Kind.STAFF in kinds:
        return Actor(TEAM, read_only=read_only)
    if Account.Kind.DISTRIBUTOR in kinds:
        ids = {m.pk for a in active if a.kind == Account.Kind.DISTRIBUTOR for m in a.manufacturers.all()}
        return Actor(DISTRIBUTOR, frozenset(ids), read_only=read_only)
    if active:
        return Actor(READER)
    return Actor(NOBODY)


def actor_for_user(user) -> Actor:
    """An admin user's role (two queries; callers keep it for the request). A staff user linked to no account is
    the team; one whose accounts are all inactive has no rights, not the team's."""
    if not user.is_authenticated or not user.is_active:
        return Actor(NOBODY)
    if user.is_superuser:
        return TEAM_ACTOR
    accounts = list(user.catalog_accounts.prefetch_related("manufacturers"))
    if not accounts:
        return TEAM_ACTOR if user.is_staff else Actor(NOBODY)
    return _account_actor(accounts)


def actor_for_account(account: Account) -> Actor:
    """A partner account's role, for work done in its name outside a request (``import_catalog --as-account``)."""
    return _account_actor([account])


def actor_for_token(token: ApiToken | None) -> Actor:
    """An API caller's role: anonymous callers and partner tokens read; distributor and staff tokens write unless
    the token is read-only."""
    if not isinstance(token, ApiToken):
        return Actor(READER)
    account = token.account
    if account.kind in (Account.Kind.STAFF, Account.Kind.DISTRIBUTOR):
        return _account_actor([account], read_only=token.read_only)
    return _account_actor([account])


# --- rows -------------------------------------------------------------------------------------------------------


def _condition(model: type[Model], ids: frozenset[int]) -> Q:
    condition = Q(pk__in=[])
    for path in MANUFACTURER_PATHS[model]:
        condition |= Q(**{f"{path}__in": ids})
    return condition


def editable(model: type[Model], queryset: QuerySet, actor: Actor) -> QuerySet:
    """The rows of ``queryset`` the actor may change."""
    if actor.is_team and not actor.read_only:
        return queryset
    if not actor.may_write or model not in MANUFACTURER_PATHS:
        return queryset.none()
    return queryset.filter(_condition(model, actor.manufacturer_ids)).distinct()


def drafts_visible(actor: Actor) -> Q:
    """Which devices the actor sees beside the published ones: the team all, a distributor its makers', others
    none. A condition on Device."""
    if actor.is_team:
        return Q()
    if actor.is_distributor:
        return Q(is_published=True) | Q(manufacturer_id__in=actor.manufacturer_ids)
    return Q(is_published=True)


def _owners(obj: Model) -> set[int]:
    """The manufacturer ids a row (saved or not, as its attributes stand) belongs to, following its foreign keys
    in memory (a related row not loaded yet is read)."""
    found = set()
    for path in MANUFACTURER_PATHS[type(obj)]:
        value = obj
        *hops, last = path.split("__")
        for hop in hops:
            value = getattr(value, hop, None)
            if value is None:
                break
        else:
            manufacturer_id = getattr(value, f"{last}_id", None)
            if manufacturer_id is not None:
                found.add(manufacturer_id)
    return found


def _stored(obj: Model) -> Model | None:
    """The row as the database holds it now (not as the caller may have changed it in memory)."""
    if obj.pk is None:
        return None
    return type(obj)._default_manager.filter(pk=obj.pk).first()


# Shared rows a distributor may add (a protocol as a draft); the others are the team's alone.
DISTRIBUTOR_ADDS: frozenset[type[Model]] = frozenset({Document, Source, Protocol})


def may_add(actor: Actor, model: type[Model]) -> bool:
    if actor.is_team:
        return actor.may_write
    return actor.may_write and (model in MANUFACTURER_PATHS or model in DISTRIBUTOR_ADDS)


def may_change(actor: Actor, obj: Model) -> bool:
    """May the actor change or delete this row as the database holds it now?"""
    if actor.is_team:
        return actor.may_write
    if not actor.may_write or type(obj) not in MANUFACTURER_PATHS:
        return False
    stored = _stored(obj)
    return stored is None or bool(_owners(stored) & actor.manufacturer_ids)


class WriteRefused(Exception):
    """A write outside the actor's scope. ``field`` names the key at fault (for a file's line, a form's field)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def _label(obj: Model) -> str:
    return gettext("{kind} '{name}'").format(kind=obj._meta.verbose_name, name=obj)


def write_refusal(actor: Actor, obj: Model, *, changes: bool = True) -> WriteRefused | None:
    """Why the actor may not save ``obj`` as it stands in memory (None when it may). ``changes`` is False when the
    stored row would be saved unchanged (an identical shared row in a file is not a change)."""
    model = type(obj)
    if actor.is_team:
        return None if actor.may_write else WriteRefused(gettext("this account may only read the catalog"))
    if not actor.may_write:
        return WriteRefused(gettext("your account may only read the catalog"))
    stored = _stored(obj)
    if model in SHARED_MODELS:
        if stored is not None and changes:
            return WriteRefused(
                gettext(
                    "{row} is shared by every maker's facts: only the team may change it; add a new one with its "
                    "own key instead"
                ).format(row=_label(stored))
            )
        if stored is None and model not in DISTRIBUTOR_ADDS:
            return WriteRefused(
                gettext("only the team adds {kinds}: ask it to add '{name}' and link it to your account").format(
                    kinds=model._meta.verbose_name_plural, name=getattr(obj, "slug", None) or obj
                )
            )
        if stored is None and model is Protocol and obj.is_published:
            return WriteRefused(
                gettext("a protocol a distributor proposes is a draft the team publishes"), "published"
            )
        return None
    if model not in MANUFACTURER_PATHS:
        return WriteRefused(gettext("only the team may change {kinds}").format(kinds=model._meta.verbose_name_plural))
    if stored is not None and not _owners(stored) & actor.manufacturer_ids:
        key = "slug" if hasattr(stored, "slug") else None
        refused = gettext("{row} already exists and belongs to another manufacturer").format(row=_label(stored))
        return WriteRefused(refused, key)
    if not _owners(obj) & actor.manufacturer_ids:
        key = "manufacturer" if model is Device else None
        refused = gettext("your account may not write the {kind} of another manufacturer")
        return WriteRefused(refused.format(kind=model._meta.verbose_name), key)
    if model is DocumentedPairing and not _own_published_side(obj, actor):
        return WriteRefused(gettext("a documented pairing needs one side that is your own published device"))
    return None


def _own_published_side(pairing: DocumentedPairing, actor: Actor) -> bool:
    sides = [pairing.battery, pairing.inverter]
    return any(side.is_published and side.manufacturer_id in actor.manufacturer_ids for side in sides)


def check_write(actor: Actor, obj: Model, *, changes: bool = True) -> None:
    """Raise WriteRefused when the actor may not save ``obj`` as it stands in memory."""
    refusal = write_refusal(actor, obj, changes=changes)
    if refusal is not None:
        raise refusal


def check_delete(actor: Actor, obj: Model) -> None:
    if not may_change(actor, obj):
        raise WriteRefused(gettext("your account may not delete {row}").format(row=_label(obj)))
