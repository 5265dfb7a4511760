from django.apps import apps
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from catalog.choices import DeviceKind, NoteKind, NoteLanguage, VoltageClass
from catalog.history import tracked

__all__ = ["Device", "Note", "NoteTranslation"]


class Device(models.Model):
    """An inverter, a battery or an adapter box, as its maker sells it (one model, possibly several sizes)."""

    manufacturer = models.ForeignKey("catalog.Manufacturer", on_delete=models.PROTECT, related_name="devices")
    kind = models.CharField(_("kind"), max_length=16, choices=DeviceKind.choices)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    model = models.CharField(_("model"), max_length=200)
    family = models.CharField(_("family / series"), max_length=200, blank=True)
    variants = ArrayField(
        models.CharField(max_length=80),
        default=list,
        blank=True,
        verbose_name=_("variants"),
        help_text=_("Sizes or sub-models sold under this model, e.g. HVS 5.1, HVS 7.7."),
    )
    aliases = ArrayField(
        models.CharField(max_length=120),
        default=list,
        blank=True,
        verbose_name=_("also sold as"),
        help_text=_("Other names of the same device: a rebrand, a regional name. Search finds it by any of them."),
    )
    voltage_class = models.CharField(_("voltage class"), max_length=8, choices=VoltageClass.choices)
    max_packs = models.PositiveSmallIntegerField(
        _("maximum packs in parallel"), null=True, blank=True, help_text=_("Batteries only.")
    )
    description = models.TextField(_("description"), blank=True)
    is_published = models.BooleanField(_("published"), default=True)
    source = models.ForeignKey("catalog.Source", on_delete=models.PROTECT, related_name="devices")
    # What a search compares words with: the maker's name, model, family, slug, variants and aliases in lower case,
    # letters and digits only. Written by the database (trigger catalog_device_search_text, migrations 0008 and
    # 0013) on every change of the device or its maker's name; a trigram index makes "contains a word" an index
    # lookup.
    search_text = models.TextField(_("search text"), default="", editable=False)

    # every change: who, when, what (admin: History, with revert)
    history = tracked(excluded_fields=["search_text"])

    class Meta:
        ordering = ["manufacturer__name", "model"]
        verbose_name = _("device")
        verbose_name_plural = _("devices")
        constraints = [
            models.UniqueConstraint(fields=["manufacturer", "model"], name="catalog_device_unique_manufacturer_model"),
            models.CheckConstraint(
                condition=models.Q(kind=DeviceKind.ADAPTER) | ~models.Q(voltage_class=VoltageClass.NOT_APPLICABLE),
                name="catalog_device_voltage_class_applies",
                violation_error_message=_("Only adapters may have no voltage class."),
            ),
            models.CheckConstraint(
                condition=models.Q(max_packs__isnull=True) | models.Q(kind=DeviceKind.BATTERY, max_packs__gte=1),
                name="catalog_device_max_packs_battery_only",
                violation_error_message=_("Only batteries have a maximum pack count, and it is at least 1."),
            ),
            models.CheckConstraint(condition=~models.Q(model=""), name="catalog_device_model_not_empty"),
        ]
        indexes = [GinIndex(fields=["search_text"], opclasses=["gin_trgm_ops"], name="catalog_device_search_trgm")]

    def __str__(self):
        # The maker's name only when it is already loaded: printing a device never costs a query.
        if "manufacturer" in self._state.fields_cache:
            return f"{self.manufacturer.name} {self.model}"
        return self.model

    def clean(self):
        """A device that documented pairings use as a battery, inverter or adapter keeps its kind (the database
        refuses it too: trigger catalog_device_kind_fixed_while_paired)."""
        if self.pk is None:
            return
        stored = type(self).objects.filter(pk=self.pk).values_list("kind", flat=True).first()
        if stored is None or stored == self.kind:
            return
        pairings = (
            apps.get_model("catalog", "DocumentedPairing")
            .objects.filter(Q(battery_id=self.pk) | Q(inverter_id=self.pk) | Q(adapter_id=self.pk))
            .count()
        )
        if pairings:
            raise ValidationError(
                {
                    "kind": _(
                        "%(count)d documented pairing(s) use this %(kind)s: its kind cannot change. Delete or "
                        "change those pairings first."
                    )
                    % {"count": pairings, "kind": stored}
                }
            )


class Note(models.Model):
    """A visible note on a device or a documented pairing: extra information, a warning, or a conflict
    between sources that the catalog did not silently resolve."""

    device = models.ForeignKey(
        "catalog.Device", on_delete=models.CASCADE, null=True, blank=True, related_name="catalog_notes"
    )
    pairing = models.ForeignKey(
        "catalog.DocumentedPairing", on_delete=models.CASCADE, null=True, blank=True, related_name="catalog_notes"
    )
    position = models.PositiveSmallIntegerField(_("order"), default=1)
    kind = models.CharField(_("kind"), max_length=16, choices=NoteKind.choices, default=NoteKind.INFO)
    text = models.TextField(_("text"))
    source = models.ForeignKey("catalog.Source", on_delete=models.PROTECT, related_name="notes")

    history = tracked()

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(device__isnull=False, pairing__isnull=True)
                    | models.Q(device__isnull=True, pairing__isnull=False)
                ),
                name="catalog_note_on_device_xor_pairing",
                violation_error_message=_("A note belongs to exactly one device or one pairing."),
            ),
            models.UniqueConstraint(
                fields=["device", "pairing", "position"],
                nulls_distinct=False,
                name="catalog_note_unique_device_pairing_position",
            ),
            models.CheckConstraint(condition=~models.Q(text=""), name="catalog_note_text_not_empty"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.text[:60]}"

    def translated(self) -> dict[str, str]:
        """The note's translations by language (from the prefetched rows, where the query brought them)."""
        return {translation.language: translation.text for translation in self.translations.all()}


class NoteTranslation(models.Model):
    """A note in another language, written by a catalog editor. A note without a row for the reader's language is
    shown in its own words, marked as not translated. Belongs to its note's device or pairing (catalog.rules)."""

    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(_("language"), max_length=8, choices=NoteLanguage.choices)
    text = models.TextField(_("text"))

    history = tracked()

    class Meta:
        ordering = ["language"]
        verbose_name = _("note translation")
        verbose_name_plural = _("note translations")
        constraints = [
            models.UniqueConstraint(
                fields=["note", "language"],
                name="catalog_notetranslation_unique_note_language",
                violation_error_message=_("The note already has a translation in this language."),
            ),
            models.CheckConstraint(
                condition=Q(language__in=NoteLanguage.values),
                name="catalog_notetranslation_language_offered",
                violation_error_message=_("Notes are translated into the site's languages only."),
            ),
            models.CheckConstraint(condition=~Q(text=""), name="catalog_notetranslation_text_not_empty"),
        ]

    def __str__(self):
        return f"{self.language}: {self.text[:60]}"
