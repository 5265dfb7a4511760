from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _

from catalog.history import tracked

__all__ = ["Manufacturer"]


class Manufacturer(models.Model):
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=120, unique=True)
    website = models.URLField(_("website"), blank=True)
    named = models.BooleanField(
        _("named by the sources"),
        default=True,
        help_text=_(
            "Off for a placeholder such as 'Unnamed BMS maker' (the source does not name the maker): devices are then "
            "called by their model alone."
        ),
    )
    product_lines = ArrayField(
        models.CharField(max_length=80),
        default=list,
        blank=True,
        verbose_name=_("product lines"),
        help_text=_(
            "Names the maker sells product lines under (MultiPlus, Quattro, Axpert). A search for one leads to "
            "this maker's catalogued devices and says that the sources do not document that line by name; it never "
            "makes a device stand for it."
        ),
    )
    notes = models.TextField(_("notes"), blank=True)

    history = tracked()

    class Meta:
        ordering = ["name"]
        verbose_name = _("manufacturer")
        verbose_name_plural = _("manufacturers")

    def __str__(self):
        return self.name
