"""The worker's configurator tasks (Procrastinate, like catalog.tasks: README "The worker").

- ``issued_sheet_render``: queued in the transaction that saves a configuration (services.pair_save); renders its
  commissioning sheet once, within the sheet's time and memory limits, and keeps it (configurator.IssuedSheet).
  A sheet past its limits is not tried again: the failure is remembered, and a download reports it at once.
- ``verdict_matrix_refresh``: queued by the database at the commit of every catalog change (migration 0011); brings
  the verdict matrix to the committed catalog (configurator.verdict_matrix). One at a time (a lock); a refresh
  that finds the matrix current does nothing.
"""

from __future__ import annotations

import logging

from procrastinate.contrib.django import app

from configurator import selectors
from configurator.pdf import SheetRenderError
from configurator.services import issued_sheet_prepare
from configurator.verdict_matrix import matrix_refresh

__all__ = ["issued_sheet_render", "verdict_matrix_refresh"]

logger = logging.getLogger(__name__)


@app.task(name="issued_sheet_render", queue="sheets")
def issued_sheet_render(public_id: str, public_url: str, paper: str = "a4", language: str = "en") -> str:
    saved = selectors.saved_configuration_get(public_id=public_id)
    if saved is None:
        return "no such configuration"  # a job outliving its row (a database restored to an older backup)
    try:
        sheet = issued_sheet_prepare(saved=saved, public_url=public_url, paper=paper, language=language)
    except SheetRenderError as error:
        logger.error("issued sheet of %s not rendered: %s", public_id, error)
        return f"failed: {error}"
    return f"kept {sheet.size} bytes ({sheet.rendered_by})"


@app.task(name="verdict_matrix_refresh", queue="verdicts", lock="verdict-matrix")
def verdict_matrix_refresh(version: int | None = None) -> str:
    """``version``: the catalog version whose commit queued it (for the log); the refresh goes to the latest."""
    done = matrix_refresh()
    return f"catalog version {done.version}: {done.pairs} cells computed{' (all)' if done.full else ''}"
