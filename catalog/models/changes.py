from django.db import models
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _

__all__ = ["CatalogChange"]


class CatalogChange(models.Model):
    """One catalog entity changed by one committed transaction: the change feed (``/api/v1/changes/``) and what
    webhooks are sent about.

    Written by the database, never by the application: a trigger on every catalog fact table records the entity
    the row belongs to (a pin's device, a source's document, a pairing's crimp row's pairing) once per transaction,
    and the catalog-version trigger stamps the transaction's rows with the version it raises at commit (migration
    0020). So an admin edit, an import, an API write and plain SQL all appear, and a rolled-back write never does.
    """

    class Entity(models.TextChoices):
        DEVICE = "device", _("device")
        PAIRING = "pairing", _("documented pairing")
        PROTOCOL = "protocol", _("protocol")
        MANUFACTURER = "manufacturer", _("manufacturer")
        DOCUMENT = "document", _("document")

    class Kind(models.TextChoices):
        CREATED = "created", _("created")
        UPDATED = "updated", _("updated")
        DELETED = "deleted", _("deleted")

    entity = models.CharField(_("entity"), max_length=16, choices=Entity.choices)
    key = models.CharField(_("slug or key"), max_length=200)
    kind = models.CharField(_("change"), max_length=8, choices=Kind.choices)
    version = models.BigIntegerField(_("catalog version"), null=True, db_index=True)
    transaction = models.BigIntegerField(_("transaction"), db_default=models.Func(function="txid_current"))
    account = models.ForeignKey(
        "catalog.Account",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        db_constraint=False,
        related_name="+",
        verbose_name=_("partner account"),
    )
    changed_at = models.DateTimeField(_("changed at"), db_default=Now())

    class Meta:
        ordering = ["version", "id"]
        verbose_name = _("catalog change")
        verbose_name_plural = _("catalog changes")
        constraints = [
            models.UniqueConstraint(
                fields=["transaction", "entity", "key"], name="catalog_catalogchange_once_per_transaction"
            ),
            models.CheckConstraint(
                condition=models.Q(entity__in=["device", "pairing", "protocol", "manufacturer", "document"]),
                name="catalog_catalogchange_entity_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=["created", "updated", "deleted"]), name="catalog_catalogchange_kind_valid"
            ),
        ]

    def __str__(self):
        return f"{self.entity} {self.key} {self.kind} (version {self.version})"
