"""Who may change the catalog through the API: the catalog's one write rule (catalog.rules) for the token."""

from __future__ import annotations

from rest_framework import permissions

from catalog.models import ApiToken
from catalog.rules import actor_for_token

__all__ = ["CatalogWrite", "TokenWrite"]


class CatalogWrite(permissions.BasePermission):
    """Reads for everyone; writes for write-enabled tokens of active distributor and staff accounts. Which rows a
    writer may touch is decided per row by catalog.rules."""

    def has_permission(self, request, view) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        token = request.auth
        if not isinstance(token, ApiToken):
            return False  # 401: the authentication header tells how to authenticate
        if token.read_only:
            self.message = "This API token is read-only."
            return False
        if not actor_for_token(token).may_write:
            self.message = "Only distributor and staff accounts may change the catalog."
            return False
        return True


class TokenWrite(permissions.BasePermission):
    """An account's own settings (webhook endpoints): any token of an active account reads them; a token that is
    not read-only changes them."""

    def has_permission(self, request, view) -> bool:
        token = request.auth
        if not isinstance(token, ApiToken):
            return False
        if not token.account.is_active:
            self.message = "This account is not active."
            return False
        if request.method not in permissions.SAFE_METHODS and token.read_only:
            self.message = "This API token is read-only."
            return False
        return True
