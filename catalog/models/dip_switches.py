from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy as _

from catalog.choices import DipFunction
from catalog.history import tracked
from catalog.models.protocols import DIP_PATTERN_REGEX

__all__ = ["DipSwitch", "DipSwitchBank"]


def _pattern_fits_bank(field: str) -> models.Q:
    return models.Q(**{field: ""}) | models.Q(
        Exact(Length(field), models.F("switch_count")), **{f"{field}__regex": DIP_PATTERN_REGEX}
    )


class DipSwitchBank(models.Model):
    """A bank of DIP switches on a battery: what each switch means and how packs are addressed.

    Patterns (``all_packs_pattern``, ``last_pack_pattern``) have one character per switch from switch 1:
    ``1`` ON, ``0`` OFF, ``x`` left as the address/protocol rules say.
    """

    device = models.ForeignKey("catalog.Device", on_delete=models.CASCADE, related_name="dip_banks")
    position = models.PositiveSmallIntegerField(_("order"), default=1)
    name = models.CharField(_("name"), max_length=80, help_text=_("As printed, e.g. 'ADD', 'DIP'."))
    switch_count = models.PositiveSmallIntegerField(_("number of switches"))
    on_direction = models.CharField(_("ON is"), max_length=120, blank=True, help_text=_("e.g. 'up', 'towards ON'."))
    master_address = models.PositiveSmallIntegerField(_("address of the master pack"), null=True, blank=True)
    first_slave_address = models.PositiveSmallIntegerField(_("address of the first slave"), null=True, blank=True)
    max_packs = models.PositiveSmallIntegerField(_("most packs on one bus"), null=True, blank=True)
    all_packs_pattern = models.CharField(_("pattern for every pack"), max_length=16, blank=True)
    last_pack_pattern = models.CharField(_("pattern for the last pack"), max_length=16, blank=True)
    numbering_stated = models.BooleanField(
        _("switch 1 end stated"),
        default=True,
        help_text=_(
            "Off where the source does not say which end of the bank is switch 1: every drawing then shows both "
            "readings and asks the installer to check the numbers printed on the switch."
        ),
    )
    note = models.TextField(_("note"), blank=True)
    source = models.ForeignKey("catalog.Source", on_delete=models.PROTECT, related_name="dip_banks")

    history = tracked()

    class Meta:
        ordering = ["device", "position", "id"]
        verbose_name = _("DIP switch bank")
        verbose_name_plural = _("DIP switch banks")
        constraints = [
            models.UniqueConstraint(fields=["device", "name"], name="catalog_dipswitchbank_unique_device_name"),
            models.CheckConstraint(
                condition=models.Q(switch_count__gte=1, switch_count__lte=16),
                name="catalog_dipswitchbank_switch_count_range",
                violation_error_message=_("A bank has between 1 and 16 switches."),
            ),
            models.CheckConstraint(
                condition=models.Q(max_packs__isnull=True) | models.Q(max_packs__gte=1),
                name="catalog_dipswitchbank_max_packs_positive",
            ),
            models.CheckConstraint(
                condition=_pattern_fits_bank("all_packs_pattern"),
                name="catalog_dipswitchbank_all_packs_pattern_fits",
                violation_error_message=_("The pattern has one 0/1/x per switch of the bank."),
            ),
            models.CheckConstraint(
                condition=_pattern_fits_bank("last_pack_pattern"),
                name="catalog_dipswitchbank_last_pack_pattern_fits",
                violation_error_message=_("The pattern has one 0/1/x per switch of the bank."),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.switch_count} switches)"


class DipSwitch(models.Model):
    """What one switch of a bank does. ``bit`` is the bit it sets (0 = least significant) for address and
    protocol switches. A database trigger keeps ``position`` within the bank's switch count."""

    bank = models.ForeignKey(DipSwitchBank, on_delete=models.CASCADE, related_name="switches")
    position = models.PositiveSmallIntegerField(_("switch number"))
    function = models.CharField(_("function"), max_length=16, choices=DipFunction.choices)
    bit = models.PositiveSmallIntegerField(_("bit"), null=True, blank=True)
    label = models.CharField(_("label"), max_length=80, blank=True)

    history = tracked()

    class Meta:
        ordering = ["bank", "position"]
        verbose_name = _("DIP switch")
        verbose_name_plural = _("DIP switches")
        constraints = [
            models.UniqueConstraint(fields=["bank", "position"], name="catalog_dipswitch_unique_bank_position"),
            models.UniqueConstraint(
                fields=["bank", "function", "bit"],
                condition=models.Q(bit__isnull=False),
                name="catalog_dipswitch_unique_bank_function_bit",
                violation_error_message=_("Two switches of a bank cannot set the same bit."),
            ),
            models.CheckConstraint(condition=models.Q(position__gte=1), name="catalog_dipswitch_position_positive"),
            models.CheckConstraint(
                condition=(
                    models.Q(function__in=[DipFunction.ADDRESS_BIT, DipFunction.PROTOCOL_BIT], bit__isnull=False)
                    | (
                        ~models.Q(function__in=[DipFunction.ADDRESS_BIT, DipFunction.PROTOCOL_BIT])
                        & models.Q(bit__isnull=True)
                    )
                ),
                name="catalog_dipswitch_bit_for_bit_functions",
                violation_error_message=_("Address and protocol switches say which bit they set; others set none."),
            ),
        ]

    def __str__(self):
        return f"{self.position}: {self.get_function_display()}"

    def clean(self):
        super().clean()
        bank = self.bank if self.bank_id is not None or "bank" in self._state.fields_cache else None
        if bank is not None and self.position and bank.switch_count and self.position > bank.switch_count:
            raise ValidationError(
                {
                    "position": ValidationError(
                        _("Switch %(position)s is beyond the %(count)s switches of this bank."),
                        code="switch_out_of_range",
                        params={"position": self.position, "count": bank.switch_count},
                    )
                }
            )
