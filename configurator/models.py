"""Saved configurations: an issued result, kept exactly as it was computed."""

import secrets
from collections.abc import Callable

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from configurator.choices import BusPreference, ColourStandard, VerdictChoice
from configurator.domain import Configuration

__all__ = [
    "PUBLIC_ID_ALPHABET",
    "PUBLIC_ID_LENGTH",
    "CommissioningRecord",
    "SavedConfiguration",
    "new_public_id",
    "public_id_typed",
    "save_with_new_public_id",
]

# Crockford's base 32: no I, L, O or U, so an id read aloud or off paper is not mistyped.
PUBLIC_ID_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
PUBLIC_ID_LENGTH = 10
PUBLIC_ID_PATTERN = rf"^[{PUBLIC_ID_ALPHABET}]{{{PUBLIC_ID_LENGTH}}}$"
_MISREAD = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_public_id() -> str:
    """A random public id (32**10 of them: a clash is rare, and the unique index catches it)."""
    return "".join(secrets.choice(PUBLIC_ID_ALPHABET) for _ in range(PUBLIC_ID_LENGTH))


def save_with_new_public_id(row: models.Model, *, then: Callable[[], object] | None = None) -> None:
    """Insert ``row`` (a saved configuration, a record) under a freshly drawn public id, drawing again on the rare
    clash the unique index reports; any other integrity error is raised. ``then`` runs after the insert in the same
    transaction (what must exist exactly when the row does); a clash undoes both and they are tried again."""
    for _attempt in range(5):
        row.public_id = new_public_id()
        try:
            with transaction.atomic():
                row.save(force_insert=True)
                if then is not None:
                    then()
        except IntegrityError as error:
            if "public_id" not in str(error):
                raise
            continue  # 32**10 ids: a clash is rare; draw again
        return
    raise RuntimeError("Could not draw an unused public id.")


def public_id_typed(text: str) -> str:
    """A public id as people type it: any case, O for 0, I or L for 1."""
    return text.strip().upper().translate(_MISREAD)


class SavedConfiguration(models.Model):
    """A configuration as it was issued: the request, the JSON of the result, when, and from which catalog facts.

    Rows are never updated (a database trigger refuses it): editing the catalog later changes what a new build
    answers, never what an issued sheet says. ``catalog_revision`` fingerprints the facts the result rests on.
    """

    public_id = models.CharField(
        _("public id"),
        max_length=PUBLIC_ID_LENGTH,
        unique=True,
        editable=False,
        validators=[RegexValidator(PUBLIC_ID_PATTERN)],
    )
    battery_slug = models.SlugField(_("battery"), max_length=200)
    inverter_slug = models.SlugField(_("inverter"), max_length=200)
    bus = models.CharField(_("preferred bus"), max_length=8, choices=BusPreference.choices)
    packs = models.PositiveSmallIntegerField(_("packs"))
    colours = models.CharField(_("colour standard"), max_length=8, choices=ColourStandard.choices)
    protocol = models.CharField(_("protocol asked for"), max_length=120, blank=True)
    battery_port = models.CharField(_("battery port asked for"), max_length=120, blank=True)
    inverter_port = models.CharField(_("inverter port asked for"), max_length=120, blank=True)
    battery_as = models.CharField(_("battery picked as"), max_length=80, blank=True)
    inverter_as = models.CharField(_("inverter picked as"), max_length=80, blank=True)
    verdict = models.CharField(_("verdict"), max_length=16, choices=VerdictChoice.choices)
    result = models.JSONField(_("result"))
    catalog_revision = models.CharField(_("catalog revision"), max_length=64)
    site = models.JSONField(
        _("site"), default=dict, blank=True, help_text=_("Site name, installer, serial numbers: printed on the sheet.")
    )
    account = models.ForeignKey(
        "catalog.Account",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="configurations",
        verbose_name=_("partner account"),
        help_text=_(
            "The partner account whose API token saved it (told by webhook when its facts change); empty: saved "
            "from the website."
        ),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("saved configuration")
        verbose_name_plural = _("saved configurations")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(public_id__regex=PUBLIC_ID_PATTERN),
                name="configurator_savedconfiguration_public_id_format",
            ),
            models.CheckConstraint(
                condition=models.Q(packs__gte=1), name="configurator_savedconfiguration_packs_at_least_one"
            ),
            models.CheckConstraint(
                condition=models.Q(bus__in=BusPreference.values), name="configurator_savedconfiguration_bus_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(colours__in=ColourStandard.values),
                name="configurator_savedconfiguration_colours_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(verdict__in=VerdictChoice.values),
                name="configurator_savedconfiguration_verdict_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(catalog_revision__regex=r"^[0-9a-f]{64}$"),
                name="configurator_savedconfiguration_revision_is_sha256",
            ),
        ]
        indexes = [models.Index(fields=["battery_slug", "inverter_slug"], name="configurator_saved_pair_idx")]

    def __str__(self) -> str:
        return f"{self.public_id}: {self.battery_slug} + {self.inverter_slug}"

    @cached_property
    def configuration(self) -> Configuration:
        """The issued result as the same value the engine returns, for the wizard, the API and the PDF (read once
        per instance; the service that saves it hands over the value it saved)."""
        return Configuration.from_dict(self.result)


class IssuedSheet(models.Model):
    """The PDF commissioning sheet of a saved configuration, rendered once and kept: every later download, on any
    host, serves these bytes. The worker renders it when the configuration is saved; a download that comes first
    renders it through the bounded renderer and keeps it. Never updated (a database trigger refuses it).

    Kept in PostgreSQL, beside the configuration it prints (README "Scaling out": one store every host already
    shares, transactional with the save, in the same backups; a sheet is 50 to 500 kB)."""

    class Paper(models.TextChoices):
        A4 = "a4", "A4"
        LETTER = "letter", "Letter"

    class RenderedBy(models.TextChoices):
        WORKER = "worker", _("the worker, after the save")
        DOWNLOAD = "download", _("the first download")

    configuration = models.ForeignKey(
        SavedConfiguration, on_delete=models.PROTECT, related_name="sheets", verbose_name=_("configuration")
    )
    paper = models.CharField(_("paper"), max_length=8, choices=Paper.choices)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="en")
    sheet_version = models.PositiveSmallIntegerField(_("sheet template version"))
    public_url = models.URLField(_("printed address"), max_length=300)
    pdf = models.BinaryField(_("PDF"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveIntegerField(_("bytes"))
    render_ms = models.PositiveIntegerField(_("render time (ms)"))
    peak_memory_mb = models.FloatField(_("renderer's peak memory (MB)"))
    rendered_by = models.CharField(_("rendered by"), max_length=8, choices=RenderedBy.choices)
    rendered_at = models.DateTimeField(_("rendered at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("issued sheet")
        verbose_name_plural = _("issued sheets")
        constraints = [
            models.UniqueConstraint(
                fields=["configuration", "paper", "language"], name="configurator_issuedsheet_one_per_paper_language"
            ),
            models.CheckConstraint(
                condition=models.Q(paper__in=["a4", "letter"]), name="configurator_issuedsheet_paper_valid"
            ),
            models.CheckConstraint(condition=models.Q(size__gt=0), name="configurator_issuedsheet_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.configuration_id} {self.paper} {self.language}"


class PairVerdict(models.Model):
    """One cell of the verdict matrix: the engine's verdict for a published battery with a published inverter, and
    the findings of its one-line reason (codes with parameters, put in words when shown). Computed by the worker
    after each catalog change, for the devices the change concerns (configurator.verdict_matrix); read by the
    battery list and the compatibility API, a page at a time, in indexed queries."""

    inverter = models.ForeignKey("catalog.Device", on_delete=models.CASCADE, related_name="+")
    battery = models.ForeignKey("catalog.Device", on_delete=models.CASCADE, related_name="+")
    verdict = models.CharField(_("verdict"), max_length=16, choices=VerdictChoice.choices)
    rank = models.PositiveSmallIntegerField(_("order of the verdict"), help_text=_("0 documented ... 3 incompatible"))
    bus = models.CharField(_("bus"), max_length=8, blank=True)
    summary = models.JSONField(_("reason"), default=list)
    catalog_version = models.BigIntegerField(_("computed at catalog version"))
    # The battery's place within a verdict: maker, model and slug, lower-cased and joined by U+001F, compared byte
    # by byte (collation "C") as Python compares them; a page of the list is then read in index order.
    battery_order = models.TextField(_("battery's sort key"), default="", db_collation="C")

    class Meta:
        verbose_name = _("verdict")
        verbose_name_plural = _("verdict matrix")
        constraints = [
            models.UniqueConstraint(fields=["inverter", "battery"], name="configurator_pairverdict_one_per_pair"),
            models.CheckConstraint(
                condition=models.Q(verdict__in=VerdictChoice.values), name="configurator_pairverdict_verdict_valid"
            ),
        ]
        indexes = [models.Index(fields=["inverter", "rank", "battery_order"], name="configurator_verdict_order")]

    def __str__(self) -> str:
        return f"{self.battery_id} x {self.inverter_id}: {self.verdict}"


class VerdictMatrix(models.Model):
    """The matrix's state (one row): the catalog version it is complete for, and its last refresh."""

    generation = models.UUIDField(_("catalog generation"), null=True)
    version = models.BigIntegerField(_("catalog version"), default=0)
    refreshed_at = models.DateTimeField(_("refreshed at"), null=True)
    pairs = models.PositiveIntegerField(_("pairs computed in the last refresh"), default=0)
    seconds = models.FloatField(_("duration of the last refresh (s)"), default=0)

    class Meta:
        verbose_name = _("verdict matrix state")
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="configurator_verdictmatrix_one_row")]

    def __str__(self) -> str:
        return f"verdict matrix at catalog version {self.version}"


class CommissioningRecord(models.Model):
    """What an installer found on site against an issued configuration, issued as an immutable record.

    A correction is a new revision linked to the one it corrects (``previous``); nothing issued is ever updated or
    deleted (database triggers refuse both, like a saved configuration). ``deviations`` are computed when the
    record is issued (configurator.domain.commissioning) and kept with it.
    """

    public_id = models.CharField(
        _("public id"),
        max_length=PUBLIC_ID_LENGTH,
        unique=True,
        editable=False,
        validators=[RegexValidator(PUBLIC_ID_PATTERN)],
    )
    configuration = models.ForeignKey(
        SavedConfiguration, on_delete=models.PROTECT, related_name="records", verbose_name=_("configuration")
    )
    revision = models.PositiveSmallIntegerField(_("revision"), default=1)
    previous = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="correction",
        verbose_name=_("corrects"),
    )
    found = models.JSONField(_("found on site"))
    deviations = models.JSONField(_("deviations"), default=list)
    installer = models.CharField(_("installer"), max_length=120)
    company = models.CharField(_("company"), max_length=120, blank=True)
    commissioned_on = models.DateField(_("commissioned on"))
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default="en",
        help_text=_("The language it was issued in: its PDF is printed in it, always."),
    )
    account = models.ForeignKey(
        "catalog.Account",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="records",
        verbose_name=_("partner account"),
        help_text=_("The partner account whose API token issued it; empty: issued from the website."),
    )
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("commissioning record")
        verbose_name_plural = _("commissioning records")
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(public_id__regex=PUBLIC_ID_PATTERN),
                name="configurator_record_public_id_format",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(revision=1, previous__isnull=True) | models.Q(revision__gt=1, previous__isnull=False)
                ),
                name="configurator_record_revision_follows_previous",
            ),
            models.CheckConstraint(condition=~models.Q(installer=""), name="configurator_record_installer_named"),
        ]

    def __str__(self) -> str:
        return f"{self.public_id} (revision {self.revision}) of {self.configuration.public_id}"
