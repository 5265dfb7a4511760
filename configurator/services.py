"""Building a configuration (load the pair, turn the rows into domain values, run the engine) and saving one."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from configurator import selectors, specs
from configurator.domain import Configuration, ConfigurationError, Options, configure
from configurator.domain.revision import catalog_revision
from configurator.domain.types import DeviceSpec, PairingSpec
from configurator.models import PUBLIC_ID_ALPHABET, PUBLIC_ID_LENGTH, SavedConfiguration

__all__ = ["UnknownDevice", "configuration_build", "configuration_revision", "configuration_save"]


class UnknownDevice(ConfigurationError):
    pass


@dataclass(frozen=True)
class _PairSpecs:
    battery: DeviceSpec
    inverter: DeviceSpec
    pairings: tuple[PairingSpec, ...]

    @property
    def revision(self) -> str:
        return catalog_revision(self.battery, self.inverter, self.pairings)


def _pair_specs(battery: str, inverter: str) -> _PairSpecs:
    rows = selectors.pair_get(battery=battery, inverter=inverter)
    if rows.battery is None:
        raise UnknownDevice(f"No published battery '{battery}' in the catalog.")
    if rows.inverter is None:
        raise UnknownDevice(f"No published inverter '{inverter}' in the catalog.")
    adapters = {pk: specs.device_spec(device) for pk, device in rows.adapters.items()}
    pairings = tuple(specs.pairing_spec(p, adapters.get(p.adapter_id)) for p in rows.pairings)
    return _PairSpecs(specs.device_spec(rows.battery), specs.device_spec(rows.inverter), pairings)


def configuration_build(*, battery: str, inverter: str, options: Options | None = None) -> Configuration:
    """The configuration for a battery and an inverter given by slug. Raises UnknownDevice, ConfigurationError."""
    pair = _pair_specs(battery, inverter)
    return configure(pair.battery, pair.inverter, pair.pairings, options)


def configuration_revision(*, battery: str, inverter: str) -> str:
    """The fingerprint of today's catalog facts for this pair (compare with a saved ``catalog_revision``)."""
    return _pair_specs(battery, inverter).revision


def _new_public_id() -> str:
    return "".join(secrets.choice(PUBLIC_ID_ALPHABET) for _ in range(PUBLIC_ID_LENGTH))


def configuration_save(*, battery: str, inverter: str, options: Options | None = None) -> SavedConfiguration:
    """Build the configuration and keep it, immutable, under a new short public id.

    Raises what configuration_build raises; nothing is stored then.
    """
    options = options or Options()
    pair = _pair_specs(battery, inverter)
    result = configure(pair.battery, pair.inverter, pair.pairings, options)
    saved = SavedConfiguration(
        battery_slug=battery,
        inverter_slug=inverter,
        bus=options.bus,
        packs=options.packs,
        colours=options.colours,
        verdict=result.verdict,
        result=result.to_dict(),
        catalog_revision=pair.revision,
    )
    for _attempt in range(5):
        saved.public_id = _new_public_id()
        saved.full_clean(validate_unique=False, validate_constraints=False)
        try:
            with transaction.atomic():
                saved.save(force_insert=True)
        except IntegrityError as error:
            if "public_id" not in str(error):
                raise
            continue  # 32**10 ids: a clash is rare; draw again
        return saved
    raise RuntimeError("Could not draw an unused public id.")
