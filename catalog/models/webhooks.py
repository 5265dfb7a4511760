import secrets

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = ["WebhookDelivery", "WebhookEndpoint", "WebhookEvent", "new_webhook_secret"]


class WebhookEvent(models.TextChoices):
    DEVICE = "device.changed", _("A device changed (created, updated, deleted)")
    PAIRING = "pairing.changed", _("A documented pairing changed")
    PROTOCOL = "protocol.changed", _("A protocol changed")
    CONFIGURATION = "configuration.facts_changed", _("A saved configuration's catalog facts changed")


def new_webhook_secret() -> str:
    """A Standard Webhooks signing secret: ``whsec_`` and 32 random bytes in base64."""
    import base64

    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


class WebhookEndpoint(models.Model):
    """Where a partner account wants to be told about catalog changes, signed with its own secret (Standard
    Webhooks: headers webhook-id, webhook-timestamp, webhook-signature)."""

    account = models.ForeignKey(
        "catalog.Account", on_delete=models.CASCADE, related_name="webhook_endpoints", verbose_name=_("account")
    )
    url = models.URLField(_("URL"), max_length=500)
    description = models.CharField(_("description"), max_length=200, blank=True)
    events = ArrayField(
        models.CharField(max_length=40, choices=WebhookEvent.choices),
        verbose_name=_("events"),
        help_text=_("Which events are sent to this URL."),
    )
    devices = ArrayField(
        models.SlugField(max_length=120),
        default=list,
        blank=True,
        verbose_name=_("devices"),
        help_text=_(
            "Only changes to these devices (slugs) and to the pairings and configurations they are part of; empty: "
            "every device."
        ),
    )
    secret = models.CharField(_("signing secret"), max_length=80, default=new_webhook_secret, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["account__name", "url"]
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(url__regex=r"^https?://"), name="catalog_webhookendpoint_url_http"
            ),
            models.CheckConstraint(condition=~models.Q(events=[]), name="catalog_webhookendpoint_events_not_empty"),
        ]

    def __str__(self):
        return f"{self.url} ({self.account})"


class WebhookDelivery(models.Model):
    """One event for one endpoint: written by the worker when it reads a committed catalog change, then sent,
    retried with backoff until it is delivered or the attempts run out. Kept with the last response."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        DELIVERED = "delivered", _("delivered")
        FAILED = "failed", _("failed (no more retries)")

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("endpoint")
    )
    message_id = models.CharField(_("message id"), max_length=80)
    event = models.CharField(_("event"), max_length=40, choices=WebhookEvent.choices)
    payload = models.JSONField(_("payload"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_status_code = models.PositiveSmallIntegerField(_("last HTTP status"), null=True, blank=True)
    last_response = models.TextField(_("last response (first 2,000 characters)"), blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["endpoint", "message_id"], name="catalog_webhookdelivery_once_per_endpoint"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["pending", "delivered", "failed"]),
                name="catalog_webhookdelivery_status_valid",
            ),
        ]

    def __str__(self):
        return f"{self.event} {self.message_id} -> {self.endpoint.url} ({self.status})"
