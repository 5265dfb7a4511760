"""A fingerprint of the catalog facts one configuration rests on."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict

from configurator.domain.types import DeviceSpec, PairingSpec

__all__ = ["catalog_revision"]


def catalog_revision(battery: DeviceSpec, inverter: DeviceSpec, pairings: tuple[PairingSpec, ...]) -> str:
    """SHA-256 over everything the engine read: the two devices and their documented pairings (adapters included).

    Two builds with the same revision read the same facts; a saved result whose revision differs from today's
    was issued from a catalog that has changed since.
    """
    facts = {"battery": asdict(battery), "inverter": asdict(inverter), "pairings": [asdict(p) for p in pairings]}
    text = json.dumps(facts, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()
