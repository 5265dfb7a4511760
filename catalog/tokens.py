"""API tokens: create one (shown once), and find the token a request presents. Only digests are stored."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from django.utils import timezone

from catalog.models import Account, ApiToken

__all__ = ["TOKEN_PREFIX", "InvalidToken", "api_token_authenticate", "api_token_create"]

# Makes a leaked token recognisable in logs and secret scanners (battery-inverter configurator).
TOKEN_PREFIX = "bic"  # noqa: S105 (not a secret)
LAST_USED_PRECISION = timedelta(minutes=1)


class InvalidToken(Exception):
    """The presented token is unknown, malformed, expired, or its account is inactive. The message says which."""


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def api_token_create(
    *, account: Account, name: str, read_only: bool = False, expires_at: datetime | None = None
) -> tuple[ApiToken, str]:
    """A new token for the account: the stored row and the token itself, which is not kept anywhere."""
    prefix = secrets.token_hex(4)
    token = f"{TOKEN_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    row = ApiToken(
        account=account, name=name, prefix=prefix, digest=_digest(token), read_only=read_only, expires_at=expires_at
    )
    row.full_clean()
    row.save()
    return row, token


def api_token_authenticate(token: str) -> ApiToken:
    """The token row for a presented token (one query). Raises InvalidToken."""
    parts = token.split("_", 2)  # the secret part may itself contain underscores
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX:
        raise InvalidToken("Malformed API token.")
    row = ApiToken.objects.select_related("account").filter(prefix=parts[1]).first()
    if row is None or not hmac.compare_digest(row.digest, _digest(token)):
        raise InvalidToken("Unknown API token.")
    now = timezone.now()
    if row.is_expired(now):
        raise InvalidToken("This API token has expired.")
    if not row.account.is_active:
        raise InvalidToken("This API token's account is inactive.")
    if row.last_used_at is None or now - row.last_used_at > LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
    return row
