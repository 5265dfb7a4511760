"""The catalog: devices, their ports and pins, protocols, DIP banks, settings and documented pairings.

Every fact row points at a ``Source`` (document + section).
"""

from catalog.models.accounts import Account, ApiToken
from catalog.models.changes import CatalogChange
from catalog.models.devices import Device, Note, NoteTranslation
from catalog.models.dip_switches import DipSwitch, DipSwitchBank
from catalog.models.manufacturers import Manufacturer
from catalog.models.pairings import DocumentedPairing, PairingConductor
from catalog.models.pins import PinAssignment
from catalog.models.ports import Port
from catalog.models.protocols import DeviceProtocol, Protocol
from catalog.models.requests import CatalogRequest
from catalog.models.settings import Setting
from catalog.models.sources import Document, Source
from catalog.models.state import CATALOG_FACT_TABLES, CatalogState
from catalog.models.webhooks import WebhookDelivery, WebhookEndpoint, WebhookEvent

__all__ = [
    "CATALOG_FACT_TABLES",
    "Account",
    "ApiToken",
    "CatalogChange",
    "CatalogRequest",
    "CatalogState",
    "Device",
    "DeviceProtocol",
    "DipSwitch",
    "DipSwitchBank",
    "Document",
    "DocumentedPairing",
    "Manufacturer",
    "Note",
    "NoteTranslation",
    "PairingConductor",
    "PinAssignment",
    "Port",
    "Protocol",
    "Setting",
    "Source",
    "WebhookDelivery",
    "WebhookEndpoint",
    "WebhookEvent",
]
