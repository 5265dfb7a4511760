"""Who may change the catalog: tokens of distributor accounts (their manufacturers) and staff accounts."""

from __future__ import annotations

from rest_framework import permissions

from catalog.models import Account, ApiToken

__all__ = ["CatalogWrite", "editable_manufacturers"]


def editable_manufacturers(token: ApiToken) -> set[str] | None:
    """The manufacturer slugs a token may edit; None means all of them (staff)."""
    if token.account.kind == Account.Kind.STAFF:
        return None
    return set(token.account.manufacturers.values_list("slug", flat=True))


class CatalogWrite(permissions.BasePermission):
    """Reads for everyone; writes for write-enabled tokens of distributor and staff accounts."""

    def has_permission(self, request, view) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        token = request.auth
        if not isinstance(token, ApiToken):
            return False  # 401: the authentication header tells how to authenticate
        if token.read_only:
            self.message = "This API token is read-only."
            return False
        if token.account.kind not in (Account.Kind.DISTRIBUTOR, Account.Kind.STAFF):
            self.message = "Only distributor and staff accounts may change the catalog."
            return False
        return True
