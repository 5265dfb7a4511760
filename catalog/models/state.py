import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = ["CATALOG_FACT_TABLES", "CatalogState"]

# The tables whose rows the configurator reads. A committed change to any of them raises the catalog's version
# (database triggers, migration 0007); results cached under the old version are then never served again.
CATALOG_FACT_TABLES = (
    "catalog_device",
    "catalog_deviceprotocol",
    "catalog_dipswitch",
    "catalog_dipswitchbank",
    "catalog_document",
    "catalog_documentedpairing",
    "catalog_manufacturer",
    "catalog_note",
    "catalog_notetranslation",
    "catalog_pairingconductor",
    "catalog_pinassignment",
    "catalog_port",
    "catalog_protocol",
    "catalog_setting",
    "catalog_source",
)


class CatalogState(models.Model):
    """One row: the catalog's version, which the database raises once per committed transaction that changes a
    catalog fact (whoever writes it: the admin, an import, the API, SQL). Never written by the application.

    ``generation`` changes when the row is created again (after the tables were emptied), so a version number is
    never reused for a different catalog.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    generation = models.UUIDField(_("generation"), default=uuid.uuid4)
    version = models.BigIntegerField(_("version"), default=0)
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        verbose_name = _("catalog state")
        constraints = [models.CheckConstraint(condition=Q(id=1), name="catalog_catalogstate_single_row")]

    def __str__(self):
        return f"catalog version {self.version}"

    @property
    def key(self) -> str:
        return f"{self.generation}:{self.version}"
