"""``manage.py create_api_token``: a new API token for a partner account (created if needed), printed once."""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from catalog.models import Account, Manufacturer
from catalog.tokens import api_token_create


class Command(BaseCommand):
    help = "Create an API token for a partner account and print it once (only its digest is stored)."

    def add_arguments(self, parser):
        parser.add_argument("--account", required=True, help="The account's name (created when new).")
        parser.add_argument("--name", required=True, help="What the token is for.")
        parser.add_argument("--kind", choices=Account.Kind.values, help="The account's kind, when it is created.")
        parser.add_argument(
            "--manufacturer", action="append", default=[], help="A manufacturer slug a distributor may edit."
        )
        parser.add_argument("--read-only", action="store_true")
        parser.add_argument("--expires-in-days", type=int, help="Expiry, in days from now.")

    def handle(self, *args, account, name, kind, manufacturer, read_only, expires_in_days, **options):
        known = set(Manufacturer.objects.filter(slug__in=manufacturer).values_list("slug", flat=True))
        if unknown := sorted(set(manufacturer) - known):
            raise CommandError(f"Unknown manufacturer(s): {', '.join(unknown)}")
        if expires_in_days is not None and expires_in_days < 1:
            raise CommandError("--expires-in-days must be at least 1.")
        with transaction.atomic():
            row, created = Account.objects.get_or_create(name=account, defaults={"kind": kind or Account.Kind.PARTNER})
            if not created and kind and kind != row.kind:
                raise CommandError(f"Account '{account}' exists with kind '{row.kind}'.")
            if manufacturer:
                row.manufacturers.add(*Manufacturer.objects.filter(slug__in=manufacturer))
            expires_at = timezone.now() + timedelta(days=expires_in_days) if expires_in_days else None
            token_row, token = api_token_create(account=row, name=name, read_only=read_only, expires_at=expires_at)
        self.stderr.write(
            f"Token '{token_row.name}' for {row.kind} account '{row.name}'"
            + (", read-only" if read_only else "")
            + (f", expires {expires_at:%Y-%m-%d}" if expires_at else "")
            + ". It is shown only now:"
        )
        self.stdout.write(token)
