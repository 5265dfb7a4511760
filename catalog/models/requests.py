from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog.choices import DeviceKind


class CatalogRequest(models.Model):
    """A device an installer looked for and the catalog does not hold: what was typed, how often, since when.
    Distributors read them in the admin to see what to add next."""

    kind = models.CharField(_("kind"), max_length=12, choices=DeviceKind.choices)
    text = models.CharField(_("asked for"), max_length=100)
    key = models.CharField(_("search key"), max_length=100, editable=False)  # the text squashed: one row per ask
    times = models.PositiveIntegerField(_("times asked"), default=1)
    first_asked = models.DateTimeField(_("first asked"), default=timezone.now)
    last_asked = models.DateTimeField(_("last asked"), default=timezone.now)

    class Meta:
        ordering = ["-times", "-last_asked"]
        verbose_name = _("device request")
        verbose_name_plural = _("device requests")
        constraints = [
            models.UniqueConstraint(fields=["kind", "key"], name="catalog_catalogrequest_unique_kind_key"),
            models.CheckConstraint(condition=~models.Q(key=""), name="catalog_catalogrequest_key_not_empty"),
        ]

    def __str__(self):
        return f"{self.text} ({self.get_kind_display()}, {self.times}x)"
