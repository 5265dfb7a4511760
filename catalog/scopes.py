"""Who may edit what in the catalog, in the admin (by user; API tokens, by account: catalog.api.permissions).

- Superusers, and staff users linked to no partner account or to a staff account, are the team: Django's
  own permissions apply.
- Users of a distributor account see everything, read-only, and edit the devices, ports, pins, protocols,
  DIP banks, settings, notes and documented pairings of the account's manufacturers. They may add sources.
- Users of a reviewer (or partner) account only read.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Model, Q

from catalog.catalog_files import file_sections
from catalog.models import (
    Account,
    Device,
    DeviceProtocol,
    DipSwitch,
    DipSwitchBank,
    DocumentedPairing,
    Manufacturer,
    Note,
    PairingConductor,
    PinAssignment,
    Port,
    Setting,
)

__all__ = ["MANUFACTURER_PATHS", "TEAM", "UserScope", "file_scope_errors", "in_scope", "scoped", "user_scope"]

TEAM, DISTRIBUTOR, REVIEWER = "team", "distributor", "reviewer"

# How each manufacturer-owned model reaches its manufacturer(s); a row is in scope when any path leads to one.
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
    DocumentedPairing: _PAIRING,
    PairingConductor: tuple(f"pairing__{path}" for path in _PAIRING),
}


@dataclass(frozen=True)
class UserScope:
    role: str
    manufacturer_ids: frozenset[int] | None = None  # None: every manufacturer

    @property
    def reads_only(self) -> bool:
        return self.role == REVIEWER

    @property
    def is_distributor(self) -> bool:
        return self.role == DISTRIBUTOR


def user_scope(user) -> UserScope:
    """The user's role and manufacturers (two queries; callers keep it for the request)."""
    if not user.is_authenticated or user.is_superuser:
        return UserScope(TEAM)
    accounts = list(user.catalog_accounts.filter(is_active=True).prefetch_related("manufacturers"))
    kinds = {account.kind for account in accounts}
    if not accounts or Account.Kind.STAFF in kinds:
        return UserScope(TEAM)
    if Account.Kind.DISTRIBUTOR in kinds:
        ids = {m.pk for a in accounts if a.kind == Account.Kind.DISTRIBUTOR for m in a.manufacturers.all()}
        return UserScope(DISTRIBUTOR, frozenset(ids))
    return UserScope(REVIEWER)


def _condition(model: type[Model], ids: frozenset[int]) -> Q:
    condition = Q(pk__in=[])
    for path in MANUFACTURER_PATHS[model]:
        condition |= Q(**{f"{path}__in": ids})
    return condition


def scoped(model: type[Model], queryset, scope: UserScope):
    """The rows of ``queryset`` the scope may edit."""
    if scope.manufacturer_ids is None:
        return queryset
    if model not in MANUFACTURER_PATHS:
        return queryset.none()
    return queryset.filter(_condition(model, scope.manufacturer_ids)).distinct()


def in_scope(obj: Model, scope: UserScope) -> bool:
    if scope.manufacturer_ids is None:
        return True
    model = type(obj)
    if model not in MANUFACTURER_PATHS or obj.pk is None:
        return False
    return model.objects.filter(_condition(model, scope.manufacturer_ids), pk=obj.pk).exists()


def file_scope_errors(catalog_file, scope: UserScope) -> list:
    """What in a catalog file the scope may not write (documents and sources are shared: anyone editing may add
    them). Returns CatalogError values naming the key at fault."""
    if scope.manufacturer_ids is None and not scope.reads_only:
        return []
    if scope.reads_only:
        return [catalog_file.error((), "your account may only read the catalog")]
    own = set(Manufacturer.objects.filter(pk__in=scope.manufacturer_ids).values_list("slug", flat=True))
    makers = dict(Device.objects.values_list("slug", "manufacturer__slug"))
    errors = []
    for section in ("manufacturers", "protocols"):
        if catalog_file.data.get(section):
            errors.append(catalog_file.error((section,), f"only the team may change {section}"))
    for path, device in file_sections(catalog_file, "device", "devices"):
        if device.get("manufacturer") not in own:
            maker = device.get("manufacturer")
            errors.append(catalog_file.error(path, f"your account may not edit devices of '{maker}'"))
    for path, pairing in file_sections(catalog_file, "pairing", "pairings"):
        sides = {makers.get(pairing.get("battery")), makers.get(pairing.get("inverter"))}
        if not sides & own:
            errors.append(catalog_file.error(path, "your account may not edit pairings of other makers' devices"))
    return errors
