"""Webhooks: telling partner accounts that catalog facts changed, signed by the Standard Webhooks scheme.

The path of one change, each step durable:

1. A catalog write commits its rows, their change-feed rows (catalog.models.CatalogChange) and one dispatch job
   for the worker, in the same transaction (database triggers, migration 0021).
2. The worker runs ``dispatch(version)``: for each change of that version, an event for each active endpoint that
   asked for it (and for the devices it names), written as a ``WebhookDelivery`` with a queued ``deliver`` job,
   again in one transaction. Running it twice writes nothing new (one delivery per endpoint and message id).
3. ``deliver(delivery_id)`` POSTs the signed event. A 2xx marks it delivered; anything else is kept as the last
   response and retried with exponential backoff (catalog.tasks) until ``WEBHOOK_ATTEMPTS``, then marked failed.
   Deliveries and their last responses are in the admin.

Targets are checked when an endpoint is saved and again before every delivery: http(s) only, and no loopback,
private, link-local or reserved address unless ``WEBHOOK_ALLOW_PRIVATE_TARGETS`` (tests, a closed LAN). Redirects
are not followed.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import socket
import urllib.error
import urllib.request
from datetime import UTC, datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from catalog.models import (
    CatalogChange,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)
from catalog.selectors import change_devices

__all__ = ["DeliveryFailed", "deliver", "dispatch", "target_problem"]

logger = logging.getLogger(__name__)

RESPONSE_KEPT = 2000  # characters of a response body kept with a delivery
_EVENTS = {"device": WebhookEvent.DEVICE, "pairing": WebhookEvent.PAIRING, "protocol": WebhookEvent.PROTOCOL}


class DeliveryFailed(Exception):
    """A delivery attempt that should be tried again later."""


# --- targets --------------------------------------------------------------------------------------------------


def _addresses(host: str) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return []
    return [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]


def target_problem(url: str) -> str | None:
    """Why a webhook may not be sent to ``url``; None when it may."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return "Not a valid URL."
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "Give an http:// or https:// URL with a host name."
    if parts.username or parts.password:
        return "Leave credentials out of the URL: deliveries are signed instead."
    if port == 0:
        return "Not a valid port."
    addresses = _addresses(parts.hostname)
    if not addresses:
        return f"The host '{parts.hostname}' cannot be resolved."
    if settings.WEBHOOK_ALLOW_PRIVATE_TARGETS:
        return None
    for address in addresses:
        if not address.is_global or address.is_multicast:
            return (
                f"'{parts.hostname}' is a loopback, private, link-local or reserved address ({address}): webhooks "
                "go to public hosts only."
            )
    return None


# --- dispatch: changes into deliveries ----------------------------------------------------------------------------


def _api_path(entity: str, key: str) -> str:
    return reverse(f"api:{entity}-detail", args=[key])


def _wants(endpoint: WebhookEndpoint, event: str, devices: set[str]) -> bool:
    return event in endpoint.events and (not endpoint.devices or bool(devices & set(endpoint.devices)))


def _queue(endpoint: WebhookEndpoint, message_id: str, event: str, data: dict, queued: list[int]) -> None:
    payload = {"type": event, "timestamp": timezone.now().isoformat(), "data": data}
    delivery, created = WebhookDelivery.objects.get_or_create(
        endpoint=endpoint, message_id=message_id, defaults={"event": event, "payload": payload}
    )
    if created:
        queued.append(delivery.pk)


def _configuration_events(version: int, devices: set[str], endpoints: list[WebhookEndpoint], queued: list) -> None:
    """Saved configurations of partner accounts whose facts a change touched: an event to their owner's endpoints
    when today's catalog facts for the pair no longer match the configuration's revision fingerprint."""
    from configurator.models import SavedConfiguration
    from configurator.services import configuration_revision

    wanting = {e.account_id for e in endpoints if WebhookEvent.CONFIGURATION in e.events}
    if not wanting or not devices:
        return
    saved = SavedConfiguration.objects.filter(
        Q(battery_slug__in=devices) | Q(inverter_slug__in=devices), account_id__in=wanting
    ).order_by("id")
    revisions: dict[tuple[str, str], str | None] = {}
    for configuration in saved:
        pair = (configuration.battery_slug, configuration.inverter_slug)
        if pair not in revisions:
            try:
                revisions[pair] = configuration_revision(battery=pair[0], inverter=pair[1])
            except Exception:  # a device unpublished or deleted: its facts are gone, which is a change too
                revisions[pair] = None
        if revisions[pair] == configuration.catalog_revision:
            continue
        data = {
            "configuration": configuration.public_id,
            "battery": pair[0],
            "inverter": pair[1],
            "catalog_version": version,
            "issued_revision": configuration.catalog_revision,
            "path": reverse("saved_configuration", args=[configuration.public_id]),
        }
        for endpoint in endpoints:
            if endpoint.account_id == configuration.account_id and _wants(
                endpoint, WebhookEvent.CONFIGURATION, set(pair)
            ):
                _queue(
                    endpoint, f"msg_cfg_{configuration.public_id}_{version}", WebhookEvent.CONFIGURATION, data, queued
                )


def dispatch(version: int) -> list[int]:
    """Turn the changes of one catalog version into deliveries; returns the new deliveries' ids (each queued for the
    worker in the same transaction). Idempotent."""
    from catalog.tasks import deliver_webhook

    queued: list[int] = []
    with transaction.atomic():
        endpoints = list(WebhookEndpoint.objects.filter(is_active=True, account__is_active=True))
        if not endpoints:
            return []
        touched: set[str] = set()
        for change in CatalogChange.objects.filter(version=version).order_by("id"):
            devices = change_devices(change)
            touched |= devices
            event = _EVENTS.get(change.entity)
            if event is None:
                continue
            data = {
                "entity": change.entity,
                "key": change.key,
                "kind": change.kind,
                "catalog_version": version,
                "devices": sorted(devices),
                "path": None if change.kind == "deleted" else _api_path(change.entity, change.key),
            }
            for endpoint in endpoints:
                if _wants(endpoint, event, devices):
                    _queue(endpoint, f"msg_{version}_{change.pk}", event, data, queued)
        _configuration_events(version, touched, endpoints, queued)
        for delivery_id in queued:
            deliver_webhook.defer(delivery_id=delivery_id)
    return queued


# --- delivery ---------------------------------------------------------------------------------------------------


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # a 3xx is the endpoint's answer, recorded as a failure; never followed elsewhere


_opener = urllib.request.build_opener(_NoRedirects)


def signed_request(endpoint: WebhookEndpoint, delivery: WebhookDelivery, body: str) -> urllib.request.Request:
    now = datetime.now(UTC)
    signature = Webhook(endpoint.secret).sign(delivery.message_id, now, body)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "battery-inverter-configurator-webhooks/1",
        "webhook-id": delivery.message_id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": signature,
    }
    return urllib.request.Request(endpoint.url, data=body.encode(), headers=headers, method="POST")  # noqa: S310


def _record(delivery: WebhookDelivery, *, status: int | None, response: str, error: str) -> None:
    delivery.attempts += 1
    delivery.last_status_code = status
    delivery.last_response = response[:RESPONSE_KEPT]
    delivery.last_error = error
    delivery.last_attempt_at = timezone.now()
    if status is not None and 200 <= status < 300:
        delivery.status = WebhookDelivery.Status.DELIVERED
        delivery.delivered_at = delivery.last_attempt_at
    elif delivery.attempts >= settings.WEBHOOK_ATTEMPTS:
        delivery.status = WebhookDelivery.Status.FAILED
    delivery.save()


def deliver(delivery_id: int) -> str:
    """Send one delivery once. Returns its status; raises ``DeliveryFailed`` when it should be tried again."""
    delivery = WebhookDelivery.objects.select_related("endpoint").filter(pk=delivery_id).first()
    if delivery is None or delivery.status != WebhookDelivery.Status.PENDING:
        return delivery.status if delivery else "gone"
    endpoint = delivery.endpoint
    problem = target_problem(endpoint.url) if endpoint.is_active else "the endpoint is switched off"
    if problem:
        _record(delivery, status=None, response="", error=problem)
        if delivery.status == WebhookDelivery.Status.PENDING:
            raise DeliveryFailed(problem)
        return delivery.status
    body = json.dumps(delivery.payload, separators=(",", ":"), sort_keys=True)
    status, response, error = None, "", ""
    try:
        with _opener.open(signed_request(endpoint, delivery, body), timeout=settings.WEBHOOK_TIMEOUT_SECONDS) as reply:
            status, response = reply.status, reply.read(RESPONSE_KEPT).decode("utf-8", "replace")
    except urllib.error.HTTPError as reply:
        status, response = reply.code, reply.read(RESPONSE_KEPT).decode("utf-8", "replace")
        error = f"HTTP {reply.code}"
    except (OSError, ValueError) as exc:  # refused, timed out, TLS, DNS
        error = f"{type(exc).__name__}: {exc}"
    _record(delivery, status=status, response=response, error=error)
    logger.info(
        "webhook delivery=%s endpoint=%s status=%s attempt=%s %s",
        delivery.pk,
        endpoint.pk,
        status,
        delivery.attempts,
        delivery.status,
    )
    if delivery.status == WebhookDelivery.Status.PENDING:
        raise DeliveryFailed(error or f"HTTP {status}")
    return delivery.status
