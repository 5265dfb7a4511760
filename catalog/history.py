"""Who a catalog change names as its author, for the row history (django-simple-history) and the change feed.

- An admin user's change names the user (``history_user``).
- An API write names the token's partner account, and an import run for an account (``import_catalog
  --as-account``) names that account: ``catalog_author(account)`` around the write.

Inside a transaction, ``catalog_author`` also hands the account to the database (a transaction-local setting),
where the change-feed triggers read it (catalog.models.changes).
"""

from __future__ import annotations

import contextvars
from contextlib import contextmanager

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import connection, models
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record

__all__ = ["AuthoredHistory", "catalog_author", "current_author_id", "history_user", "tracked"]

_author: contextvars.ContextVar[int | None] = contextvars.ContextVar("catalog_author", default=None)


def history_user(instance=None, request=None, **kwargs):
    user = getattr(request, "user", None)
    return user if isinstance(user, AbstractBaseUser) and user.is_authenticated else None


def current_author_id() -> int | None:
    """The partner account a change is being made for, if any (API token, import for an account)."""
    return _author.get()


@contextmanager
def catalog_author(account_id: int | None):
    """Name ``account_id`` as the author of the catalog changes made inside the block. Open the block inside the
    write's transaction: the database's change feed reads it from a transaction-local setting."""
    token = _author.set(account_id)
    try:
        if account_id is not None and connection.in_atomic_block:
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('catalog.author_account', %s, true)", [str(account_id)])
        yield
    finally:
        _author.reset(token)


class AuthoredHistory(models.Model):
    """What every catalog history row adds to django-simple-history's: the partner account that made the change
    through the API or an import for an account (the user field names admin users)."""

    history_account = models.ForeignKey(
        "catalog.Account",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,  # an account's deletion keeps the history row
        verbose_name=_("partner account"),
    )

    class Meta:
        abstract = True


def tracked(**options) -> HistoricalRecords:
    """The history of a catalog model: who (user or partner account), when, what (admin: History, with revert)."""
    return HistoricalRecords(get_user=history_user, bases=[AuthoredHistory], **options)


@receiver(pre_create_historical_record)
def _name_the_account(sender, history_instance, **kwargs):
    if hasattr(history_instance, "history_account_id"):
        history_instance.history_account_id = current_author_id()
