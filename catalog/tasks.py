"""The worker's tasks (Procrastinate, a task queue in PostgreSQL: README "The worker"). Run the worker with
``manage.py procrastinate worker``; ``make run`` starts one beside the web server.

- ``catalog_changes_dispatch``: queued by the database at the commit of a catalog change (migration 0021) while a
  webhook endpoint is active; turns the version's changes into deliveries (catalog.webhooks.dispatch). One at a
  time (a lock), so partners receive versions in order.
- ``deliver_webhook``: sends one delivery; retried with exponential backoff (``WEBHOOK_RETRY_SECONDS``, doubled
  each time) until it is delivered or ``WEBHOOK_ATTEMPTS`` have failed.
"""

from __future__ import annotations

from django.conf import settings
from procrastinate import BaseRetryStrategy, RetryDecision
from procrastinate.contrib.django import app

from catalog import webhooks

__all__ = ["catalog_changes_dispatch", "deliver_webhook"]


class Backoff(BaseRetryStrategy):
    """WEBHOOK_RETRY_SECONDS, then twice as long each time; catalog.webhooks.deliver stops raising (the delivery is
    marked failed) once the attempts run out."""

    def get_retry_decision(self, *, exception, job):
        if not isinstance(exception, webhooks.DeliveryFailed):
            return RetryDecision(retry_in={"seconds": settings.WEBHOOK_RETRY_SECONDS})  # a lost database, ...
        return RetryDecision(retry_in={"seconds": settings.WEBHOOK_RETRY_SECONDS * 2**job.attempts})


@app.task(name="catalog_changes_dispatch", queue="webhooks", retry=Backoff())
def catalog_changes_dispatch(version: int) -> int:
    return len(webhooks.dispatch(version))


@app.task(name="deliver_webhook", queue="webhooks", retry=Backoff())
def deliver_webhook(delivery_id: int) -> str:
    return webhooks.deliver(delivery_id)
