from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = ["Account", "ApiToken"]


class Account(models.Model):
    """A partner organisation. Partners read and configure; reviewers read; distributors also edit the devices of
    their manufacturers; staff accounts edit everything. Users (admin) and API tokens belong to an account."""

    class Kind(models.TextChoices):
        PARTNER = "partner", _("Partner (read and configure)")
        DISTRIBUTOR = "distributor", _("Distributor (edits its manufacturers' devices)")
        REVIEWER = "reviewer", _("Reviewer (reads the catalog)")
        STAFF = "staff", _("Staff (edits the whole catalog)")

    name = models.CharField(_("name"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.PARTNER)
    manufacturers = models.ManyToManyField(
        "catalog.Manufacturer",
        blank=True,
        related_name="accounts",
        verbose_name=_("manufacturers"),
        help_text=_("What a distributor account may edit."),
    )
    users = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="catalog_accounts", verbose_name=_("users")
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner account")
        verbose_name_plural = _("partner accounts")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["partner", "distributor", "reviewer", "staff"]),
                name="catalog_account_kind_valid",
            )
        ]

    def __str__(self):
        return self.name


class ApiToken(models.Model):
    """An API token of an account. Only a SHA-256 digest is stored; the token itself is shown once."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="tokens", verbose_name=_("account"))
    name = models.CharField(_("name"), max_length=100, help_text=_("What the token is for, e.g. 'shop backend'."))
    prefix = models.CharField(_("prefix"), max_length=12, unique=True, editable=False)
    digest = models.CharField(_("digest"), max_length=64, unique=True, editable=False)
    read_only = models.BooleanField(_("read only"), default=False)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["account__name", "name"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(digest__regex=r"^[0-9a-f]{64}$"), name="catalog_apitoken_digest_is_sha256"
            ),
            models.CheckConstraint(
                condition=models.Q(prefix__regex=r"^[0-9a-f]{8,12}$"), name="catalog_apitoken_prefix_hex"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    def is_expired(self, now=None) -> bool:
        return self.expires_at is not None and self.expires_at <= (now or timezone.now())
