from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from catalog.catalog_files import pin_key
from catalog.choices import Signal
from catalog.history import tracked

__all__ = ["PinAssignment"]


class PinAssignment(models.Model):
    """What one position of a port carries. A signal may sit on several positions; a position has one row.

    ``position`` is the number the maker prints (1 = leftmost looking into an RJ socket, latch down).
    Where the maker names terminals instead of numbering them ("J8", "485A2"), ``terminal`` holds the name
    and ``position`` may stay empty. A database trigger keeps ``position`` within the port's count.
    """

    port = models.ForeignKey("catalog.Port", on_delete=models.CASCADE, related_name="pin_assignments")
    position = models.PositiveSmallIntegerField(_("position"), null=True, blank=True)
    terminal = models.CharField(_("terminal name"), max_length=40, blank=True)
    signal = models.CharField(_("signal"), max_length=16, choices=Signal.choices)
    label = models.CharField(_("maker's label"), max_length=80, blank=True)
    channel = models.PositiveSmallIntegerField(
        _("bus channel"), null=True, blank=True, help_text=_("Where a port carries two buses of one kind (CAN0/CAN1).")
    )
    polarity_assumed = models.BooleanField(
        _("polarity assumed"),
        default=False,
        help_text=_(
            "The source does not say which RS485 line is + and which is -: this pin's sign is the usual convention "
            "(A = +, B = -), not the maker's word."
        ),
    )
    note = models.TextField(_("note"), blank=True)
    source = models.ForeignKey("catalog.Source", on_delete=models.PROTECT, related_name="pin_assignments")

    history = tracked()

    class Meta:
        ordering = ["port", "position", "terminal", "id"]
        verbose_name = _("pin assignment")
        verbose_name_plural = _("pin assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["port", "position"],
                condition=models.Q(position__isnull=False),
                name="catalog_pinassignment_unique_port_position",
                violation_error_message=_("This position already has a signal on this port."),
            ),
            models.UniqueConstraint(
                fields=["port", "terminal"],
                condition=~models.Q(terminal=""),
                name="catalog_pinassignment_unique_port_terminal",
                violation_error_message=_("This terminal already has a signal on this port."),
            ),
            models.CheckConstraint(
                condition=models.Q(position__isnull=False) | ~models.Q(terminal=""),
                name="catalog_pinassignment_position_or_terminal",
                violation_error_message=_("Give a position number or a terminal name."),
            ),
            models.CheckConstraint(
                condition=models.Q(position__isnull=True) | models.Q(position__gte=1),
                name="catalog_pinassignment_position_positive",
                violation_error_message=_("Positions start at 1."),
            ),
        ]

    def __str__(self):
        where = self.terminal if self.position is None else str(self.position)
        if self.terminal and self.position is not None:
            where = f"{self.position} ({self.terminal})"
        return f"{where}: {self.get_signal_display()}"

    @property
    def key(self) -> int | str:
        """How catalog files and crimp rows name this pin: its position, or its terminal name (``pin_key``)."""
        return pin_key({"position": self.position, "terminal": self.terminal})

    def clean(self):
        super().clean()
        # The database trigger enforces this too; here it becomes a form error on the right row. The port may
        # be unsaved (an admin add page validates pins before it saves the port), so use the object itself.
        port = self.port if self.port_id is not None or "port" in self._state.fields_cache else None
        count = port.positions if port is not None else None
        if self.position is not None and count is not None and self.position > count:
            raise ValidationError(
                {
                    "position": ValidationError(
                        _("Position %(position)s is beyond the %(count)s positions of this port."),
                        code="position_out_of_range",
                        params={"position": self.position, "count": count},
                    )
                }
            )
