"""Catalog files: YAML loading with line numbers, JSON Schema and semantic validation, canonical output.

No database and no Django here: the import service (``catalog.services``) passes in what the database
already holds as a ``CatalogIndex`` so that a single file can refer to devices, protocols or documents
that are not in it.

A catalog file holds one or more sections (see ``fixtures/schema/catalog.schema.json``)::

    documents: [...]      manufacturers: [...]      protocols: [...]
    device: {...}  or  devices: [...]               pairing: {...}  or  pairings: [...]
"""

from __future__ import annotations

import contextlib
import copy
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource

from configurator.domain.vocabulary import BUS_NAMES, CONNECTOR_NAMES, CONNECTOR_POSITIONS, GROUND_SIGNALS

__all__ = [
    "CONNECTOR_POSITIONS",
    "CatalogError",
    "CatalogFile",
    "CatalogIndex",
    "DeviceFacts",
    "PortFacts",
    "dump_catalog_file",
    "expand_paths",
    "load_catalog_file",
    "load_catalog_files",
    "pin_key",
    "validate_catalog",
]

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "schema"
FILE_SCHEMA_ID = "urn:configurator:catalog:file"
YAML_SUFFIXES = {".yaml", ".yml"}


Path_ = tuple[str | int, ...]

# The words of the checks' messages (in the reader's language: the admin's upload and publish pages show them).
KIND_WORDS = {
    "document": _("document"),
    "manufacturer": _("manufacturer"),
    "protocol": _("protocol"),
    "device": _("device"),
    "pairing": _("pairing"),
    "battery": _("battery"),
    "inverter": _("inverter"),
    "adapter": _("adapter"),
}
END_NOT_ON_A_SIDE = {
    "battery": _("'{device}' is neither the pairing's battery nor its adapter"),
    "inverter": _("'{device}' is neither the pairing's inverter nor its adapter"),
}
POSITION_NOT_LISTED = {
    "battery": _("position {position} is not listed on the battery side's port '{port}'"),
    "inverter": _("position {position} is not listed on the inverter side's port '{port}'"),
}


@dataclass(frozen=True)
class CatalogError:
    """One problem in one file, with the line and the key path at fault."""

    path: str
    line: int | None
    where: str
    message: str

    def __str__(self) -> str:
        location = f"{self.path}:{self.line}" if self.line else self.path
        return f"{location}: {self.where}: {self.message}" if self.where else f"{location}: {self.message}"


class CatalogFileError(Exception):
    """Raised with every error found, so that a run reports them all at once."""

    def __init__(self, errors: list[CatalogError]):
        self.errors = errors
        super().__init__("\n".join(str(error) for error in errors))


@dataclass
class CatalogFile:
    """Catalog entries to check and import: a YAML file's (with the line of every key), or entries sent to the API
    (``from_request``: no file, no lines; errors name the key path only)."""

    path: Path | None
    data: dict
    lines: dict[Path_, int] = field(default_factory=dict)
    display_path: str = ""

    @classmethod
    def from_request(cls, data: dict) -> CatalogFile:
        return cls(path=None, data=data, display_path="request")

    def line_of(self, key_path: Path_) -> int | None:
        """The line of ``key_path``, or of its nearest ancestor that exists in the file."""
        for end in range(len(key_path), -1, -1):
            line = self.lines.get(tuple(key_path[:end]))
            if line is not None:
                return line
        return None

    def error(self, key_path: Path_, message: str) -> CatalogError:
        return CatalogError(self.display_path or str(self.path), self.line_of(key_path), _dotted(key_path), message)


def _dotted(key_path: Path_) -> str:
    text = ""
    for part in key_path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


# --- loading -------------------------------------------------------------------------------------------------


class _StrictLoader(yaml.SafeLoader):
    """Safe YAML loading that refuses duplicate keys and reads floats as Decimal."""


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    mapping = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in mapping:
            raise yaml.constructor.ConstructorError(
                "while reading a mapping", node.start_mark, f"found the key {key!r} twice", key_node.start_mark
            )
        mapping[key] = loader.construct_object(value_node, deep=deep)
    return mapping


def _construct_decimal(loader: _StrictLoader, node: yaml.ScalarNode) -> Decimal:
    return Decimal(loader.construct_scalar(node))


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_StrictLoader.add_constructor("tag:yaml.org,2002:float", _construct_decimal)


def _line_map(node: yaml.Node | None, prefix: Path_ = ()) -> dict[Path_, int]:
    lines: dict[Path_, int] = {}
    if node is None:
        return lines
    lines[prefix] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key_path = (*prefix, key_node.value)
            lines.update(_line_map(value_node, key_path))
            lines[key_path] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines.update(_line_map(item, (*prefix, index)))
    return lines


# A catalog file's bounds, checked on the parser's event stream before anything is built from it: a file of this
# size takes milliseconds, and nothing in it can multiply (anchors and aliases are refused; no catalog needs them).
MAX_FILE_BYTES = 1024 * 1024
MAX_NODES = 50_000
MAX_DEPTH = 24


def _too_large() -> str:
    return gettext("the file is larger than {size} KiB").format(size=MAX_FILE_BYTES // 1024)


def _bounds_problem(text: str) -> tuple[int | None, str] | None:
    """(line, problem) when the YAML text uses anchors or aliases or is too large, too deep or has too many
    nodes; None when it is within bounds. Reads events one by one: no node is built."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_FILE_BYTES:
        return None, _too_large()
    nodes = depth = 0
    for event in yaml.parse(text, Loader=_StrictLoader):
        line = event.start_mark.line + 1
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            return line, gettext(
                "anchors and aliases (&name, *name) are not allowed in catalog files; write the value out"
            )
        if isinstance(event, yaml.ScalarEvent | yaml.CollectionStartEvent):
            nodes += 1
            if nodes > MAX_NODES:
                return line, gettext("the file has more than {count} values").format(count=MAX_NODES)
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                return line, gettext("the file nests deeper than {depth} levels").format(depth=MAX_DEPTH)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return None


def load_catalog_file(path: Path, *, display_path: str | None = None, text: str | None = None) -> CatalogFile:
    shown = display_path or str(path)
    try:
        if text is None:
            if path.stat().st_size > MAX_FILE_BYTES:
                message = _too_large()
                raise CatalogFileError([CatalogError(shown, None, "", message)])
            text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogFileError(
            [CatalogError(shown, None, "", gettext("cannot read the file: {problem}").format(problem=exc))]
        ) from exc
    try:
        if problem := _bounds_problem(text):
            raise CatalogFileError([CatalogError(shown, problem[0], "", problem[1])])
        node = yaml.compose(text, Loader=_StrictLoader)
        data = yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - _StrictLoader is a SafeLoader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise CatalogFileError(
            [CatalogError(shown, line, "", gettext("not valid YAML: {problem}").format(problem=problem))]
        ) from exc
    if not isinstance(data, dict):
        raise CatalogFileError([CatalogError(shown, 1, "", gettext("a catalog file is a mapping of sections"))])
    return CatalogFile(path=path, data=data, lines=_line_map(node), display_path=shown)


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files as given, folders searched for *.yaml / *.yml; sorted for a stable order."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.suffix in YAML_SUFFIXES and p.is_file()))
        else:
            found.append(path)
    return found


def load_catalog_files(paths: Iterable[Path], *, relative_to: Path | None = None) -> list[CatalogFile]:
    files, errors = [], []
    for path in expand_paths(paths):
        shown = str(path)
        if relative_to is not None:
            with contextlib.suppress(ValueError):
                shown = str(path.resolve().relative_to(relative_to.resolve()))
        if not path.exists():
            errors.append(CatalogError(shown, None, "", gettext("no such file or folder")))
            continue
        try:
            files.append(load_catalog_file(path, display_path=shown))
        except CatalogFileError as exc:
            errors.extend(exc.errors)
    if errors:
        raise CatalogFileError(errors)
    return files


# --- schema --------------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _validator() -> Draft202012Validator:
    """The file schema's validator, built once per process from the schema documents (read once)."""
    resources = [(uri, Resource.from_contents(schema)) for uri, schema in schema_documents().items()]
    registry = Registry().with_resources(resources)
    root = registry.contents(FILE_SCHEMA_ID)
    return Draft202012Validator(root, registry=registry, format_checker=_FORMATS)


_FORMATS = FormatChecker()


@_FORMATS.checks("uri", raises=DjangoValidationError)
def _is_web_address(value) -> bool:
    """An http(s) address (jsonschema checks "uri" only with an optional package; ours is always checked)."""
    if isinstance(value, str):
        URLValidator(schemes=["http", "https"])(value)
    return True


def _schema_errors(catalog_file: CatalogFile, validator: Draft202012Validator) -> list[CatalogError]:
    errors = []
    for error in sorted(validator.iter_errors(catalog_file.data), key=lambda e: list(map(str, e.absolute_path))):
        # For "oneOf"/"anyOf" failures the most specific sub-error reads best.
        best = error
        if error.context:
            best = min(error.context, key=lambda e: (-len(e.absolute_path), str(e.message)))
        message, path = _schema_message(best), tuple(best.absolute_path)
        if best.validator == "enum":
            if "propertyNames" in best.absolute_schema_path:  # a key of a mapping (a note's languages): its line
                path = (*path, best.instance)
        elif best.validator == "required" and error.validator == "anyOf":  # e.g. a pin's position or terminal
            names = [name for sub in error.validator_value for name in sub.get("required", [])]
            message = gettext("needs one of: {fields}").format(fields=", ".join(names))
        elif best.validator == "additionalProperties" and isinstance(best.instance, dict):
            allowed = set(best.schema.get("properties", {}))
            for extra in sorted(key for key in best.instance if key not in allowed):
                errors.append(
                    catalog_file.error((*path, extra), gettext("Unknown field: not part of this entry's shape"))
                )
            continue
        errors.append(catalog_file.error(path, message))
    return errors


# What the schema's patterns expect (their "description"), for the message catalogs; a test checks this list
# against the schema files.
PATTERN_DESCRIPTIONS = (
    gettext_noop("a key of lower-case letters, digits and hyphens, like pylontech-us5000"),
    gettext_noop("a DIP pattern: one 0, 1 or x per switch, like 000100"),
    gettext_noop("a firmware condition: '>= 2.1', '< 4' or 'not 3.0-3.2', clauses joined by ', '"),
)
TYPE_WORDS = {
    "string": _("a text"),
    "integer": _("a whole number"),
    "number": _("a number"),
    "boolean": _("true or false"),
    "object": _("a mapping of keys and values"),
    "array": _("a list"),
    "null": _("empty"),
}


def _schema_message(error) -> str:
    """A schema check's failure in the reader's language (jsonschema words its own in English)."""
    value, limit = repr(error.instance), error.validator_value
    if error.validator == "enum":
        return gettext("{value} is not a valid choice: one of {choices}").format(
            value=value, choices=", ".join(map(str, limit))
        )
    if error.validator == "type":
        expected = [limit] if isinstance(limit, str) else limit  # the schema names one type per value
        words = " / ".join(str(TYPE_WORDS.get(name, name)) for name in expected)
        return gettext("{value} is not {expected}").format(value=value, expected=words)
    if error.validator == "required":
        missing = next((name for name in limit if name not in error.instance), limit[0])
        return gettext("'{field}' is required").format(field=missing)
    if error.validator == "minLength":
        if limit == 1:
            return gettext("may not be empty")
        return gettext("{value} is shorter than {count} characters").format(value=value, count=limit)
    if error.validator == "maxLength":
        return gettext("{value} is longer than {count} characters").format(value=value, count=limit)
    if error.validator == "minimum":
        return gettext("{value} is less than the minimum of {limit}").format(value=value, limit=limit)
    if error.validator == "maximum":
        return gettext("{value} is more than the maximum of {limit}").format(value=value, limit=limit)
    if error.validator == "uniqueItems":
        return gettext("a value is listed twice")
    if error.validator == "format":
        return gettext("{value} is not a web address (http:// or https://)").format(value=value)
    if error.validator == "minProperties":
        return gettext("a catalog file needs at least one section")
    if error.validator == "not":
        return gettext("not allowed here: only address and protocol switches have a bit")
    if error.validator in ("oneOf", "anyOf"):
        return gettext("{value} is not a valid value here").format(value=value)
    if error.validator == "pattern" and error.schema.get("description"):  # what is expected, not the regex
        expected = gettext(error.schema["description"])  # listed in PATTERN_DESCRIPTIONS
        return gettext("{value} is not {expected}").format(value=value, expected=expected)
    if error.validator == "pattern":
        return gettext("{value} does not have the expected form").format(value=value)
    return error.message


# --- defaults: declared once, in the schema --------------------------------------------------------------------


@lru_cache(maxsize=1)
def schema_documents() -> dict[str, dict]:
    """The catalog's JSON Schema documents by $id, read once per process."""
    documents = {}
    for schema_path in sorted(SCHEMA_DIR.glob("*.schema.json")):
        schema = json.loads(schema_path.read_text(encoding="utf-8"))
        documents[schema["$id"]] = schema
    return documents


def schema_node(uri: str) -> tuple[dict, str]:
    """The schema node an absolute reference names, with the $id of its document."""
    base, _, pointer = uri.partition("#")
    node = schema_documents()[base]
    for part in [p for p in pointer.split("/") if p]:
        node = node[part]
    return node, base


def _walk(instance, node: dict, base: str, visit) -> None:
    """Call ``visit(mapping, properties, required)`` for every mapping of ``instance`` the schema describes with
    properties, children first, following $ref, allOf and items."""
    if "$ref" in node:
        ref = node["$ref"]
        target, target_base = schema_node(base + ref if ref.startswith("#") else ref)
        _walk(instance, target, target_base, visit)
    for part in node.get("allOf", []):
        _walk(instance, part, base, visit)
    if isinstance(instance, list) and "items" in node:
        for item in instance:
            _walk(item, node["items"], base, visit)
    if isinstance(instance, dict) and "properties" in node:
        for name, child in node["properties"].items():
            if name in instance:
                _walk(instance[name], child, base, visit)
        visit(instance, node["properties"], set(node.get("required", ())))


def with_defaults(data: dict, schema: str) -> dict:
    """A copy of a valid entry with every key the schema gives a ``default`` filled in (the importer reads them
    from here, never from defaults of its own)."""
    data = copy.deepcopy(data)

    def fill(mapping, properties, required):
        for name, child in properties.items():
            if name not in mapping and "default" in child:
                mapping[name] = copy.deepcopy(child["default"])

    _walk(data, {"$ref": schema}, "", fill)
    return data


def without_defaults(data: dict, schema: str) -> dict:
    """Leave out (in place) every optional key whose value is the schema's ``default``, or empty (None) where the
    schema has none: the canonical form the export writes."""

    def drop(mapping, properties, required):
        for name, child in properties.items():
            if name not in mapping or name in required:
                continue
            if mapping[name] is None or ("default" in child and mapping[name] == child["default"]):
                del mapping[name]

    _walk(data, {"$ref": schema}, "", drop)
    return data


# --- semantic checks -----------------------------------------------------------------------------------------


def pin_key(pin: dict) -> int | str:
    """How a crimp row names a pin: its position number, or its terminal name where it has no number."""
    return pin["position"] if pin.get("position") is not None else pin["terminal"]


@dataclass
class PortFacts:
    buses: frozenset[str] = frozenset()
    pins: dict[int | str, str] = field(default_factory=dict)  # pin key -> signal


@dataclass
class DeviceFacts:
    kind: str
    manufacturer: str
    ports: dict[str, PortFacts] = field(default_factory=dict)


@dataclass
class CatalogIndex:
    """What is known to exist: the database's rows merged with the files being checked."""

    documents: set[str] = field(default_factory=set)
    manufacturers: set[str] = field(default_factory=set)
    protocols: dict[str, str] = field(default_factory=dict)  # slug -> bus
    devices: dict[str, DeviceFacts] = field(default_factory=dict)
    pairings: set[str] = field(default_factory=set)


def file_sections(catalog_file: CatalogFile, singular: str, plural: str) -> Iterator[tuple[Path_, dict]]:
    """Each item of a section with its key path, for sections that may be written one or many to a file."""
    data = catalog_file.data
    if singular in data and isinstance(data[singular], dict):
        yield (singular,), data[singular]
    for index, item in enumerate(data.get(plural) or []):
        if isinstance(item, dict):
            yield (plural, index), item


def _index_files(files: list[CatalogFile], existing: CatalogIndex) -> tuple[CatalogIndex, list[CatalogError]]:
    """Merge the files' keys into the existing index, reporting keys defined twice among the files."""
    index = CatalogIndex(
        documents=set(existing.documents),
        manufacturers=set(existing.manufacturers),
        protocols=dict(existing.protocols),
        devices=dict(existing.devices),
        pairings=set(existing.pairings),
    )
    errors: list[CatalogError] = []
    seen: dict[tuple[str, str], CatalogError] = {}

    def claim(kind: str, key: str, catalog_file: CatalogFile, key_path: Path_) -> None:
        here = catalog_file.error(key_path, "")
        if (kind, key) in seen:
            first = seen[(kind, key)]
            errors.append(
                catalog_file.error(
                    key_path,
                    gettext("{kind} '{key}' is also defined at {place}").format(
                        kind=KIND_WORDS[kind], key=key, place=f"{first.path}:{first.line}"
                    ),
                )
            )
        else:
            seen[(kind, key)] = here

    for catalog_file in files:
        for i, item in enumerate(catalog_file.data.get("documents") or []):
            claim("document", item["key"], catalog_file, ("documents", i, "key"))
            index.documents.add(item["key"])
        for i, item in enumerate(catalog_file.data.get("manufacturers") or []):
            claim("manufacturer", item["slug"], catalog_file, ("manufacturers", i, "slug"))
            index.manufacturers.add(item["slug"])
        for i, item in enumerate(catalog_file.data.get("protocols") or []):
            claim("protocol", item["slug"], catalog_file, ("protocols", i, "slug"))
            index.protocols[item["slug"]] = item["bus"]
        for key_path, device in file_sections(catalog_file, "device", "devices"):
            claim("device", device["slug"], catalog_file, (*key_path, "slug"))
            index.devices[device["slug"]] = DeviceFacts(
                kind=device["kind"],
                manufacturer=device["manufacturer"],
                ports={
                    port["name"]: PortFacts(
                        buses=frozenset(port.get("buses", [])),
                        pins={pin_key(pin): pin["signal"] for pin in port.get("pins", [])},
                    )
                    for port in device.get("ports", [])
                },
            )
        for key_path, pairing in file_sections(catalog_file, "pairing", "pairings"):
            claim("pairing", pairing["slug"], catalog_file, (*key_path, "slug"))
            index.pairings.add(pairing["slug"])
    return index, errors


def _check_source(catalog_file: CatalogFile, key_path: Path_, item: dict, index: CatalogIndex, errors: list) -> None:
    source = item.get("source")
    if source is not None and source["document"] not in index.documents:
        errors.append(
            catalog_file.error(
                (*key_path, "source", "document"),
                gettext("unknown document '{document}' (add it to documents.yaml)").format(
                    document=source["document"]
                ),
            )
        )


def _check_device(catalog_file: CatalogFile, key_path: Path_, device: dict, index: CatalogIndex) -> list[CatalogError]:
    errors: list[CatalogError] = []
    err = errors.append
    slug, kind = device["slug"], device["kind"]
    if device["manufacturer"] not in index.manufacturers:
        err(
            catalog_file.error(
                (*key_path, "manufacturer"),
                gettext("unknown manufacturer '{manufacturer}'").format(manufacturer=device["manufacturer"]),
            )
        )
    in_devices_folder = catalog_file.path is not None and catalog_file.path.parent.parent.name == "devices"
    if key_path == ("device",) and in_devices_folder:
        if catalog_file.path.stem != slug:
            err(
                catalog_file.error(
                    (*key_path, "slug"),
                    gettext("the file of device '{slug}' must be named {slug}.yaml").format(slug=slug),
                )
            )
        if catalog_file.path.parent.name != device["manufacturer"]:
            err(
                catalog_file.error(
                    (*key_path, "manufacturer"),
                    gettext("the file must sit in the folder of its manufacturer, devices/{manufacturer}/").format(
                        manufacturer=device["manufacturer"]
                    ),
                )
            )
    if device.get("voltage_class") == "n_a" and kind != "adapter":
        err(catalog_file.error((*key_path, "voltage_class"), gettext("only adapters may have no voltage class (n_a)")))
    if device.get("max_packs") is not None and kind != "battery":
        err(catalog_file.error((*key_path, "max_packs"), gettext("only batteries have a maximum pack count")))
    _check_source(catalog_file, key_path, device, index, errors)
    for i, note in enumerate(device.get("notes", [])):
        _check_source(catalog_file, (*key_path, "notes", i), note, index, errors)
    for i, setting in enumerate(device.get("settings", [])):
        _check_source(catalog_file, (*key_path, "settings", i), setting, index, errors)

    port_names: set[str] = set()
    for p, port in enumerate(device.get("ports", [])):
        port_path = (*key_path, "ports", p)
        _check_source(catalog_file, port_path, port, index, errors)
        if port["name"] in port_names:
            err(
                catalog_file.error(
                    (*port_path, "name"), gettext("port '{port}' is listed twice").format(port=port["name"])
                )
            )
        port_names.add(port["name"])
        fixed = CONNECTOR_POSITIONS.get(port["connector"])
        count = port.get("positions", fixed)
        if fixed is not None and count != fixed:
            err(
                catalog_file.error(
                    (*port_path, "positions"),
                    gettext("a {connector} connector has {count} positions").format(
                        connector=CONNECTOR_NAMES.get(port["connector"], port["connector"]), count=fixed
                    ),
                )
            )
        pins = port.get("pins", [])
        if port.get("pinout") == "unknown" and pins:
            err(catalog_file.error((*port_path, "pinout"), gettext("a port whose pin table is unknown lists no pins")))
        positions: set[int] = set()
        terminals: set[str] = set()
        for n, pin in enumerate(pins):
            pin_path = (*port_path, "pins", n)
            _check_source(catalog_file, pin_path, pin, index, errors)
            position, terminal = pin.get("position"), pin.get("terminal")
            if position is not None:
                if count is not None and position > count:
                    err(
                        catalog_file.error(
                            (*pin_path, "position"),
                            gettext("position {position} is beyond the {count} positions of port '{port}'").format(
                                position=position, count=count, port=port["name"]
                            ),
                        )
                    )
                if position in positions:
                    err(
                        catalog_file.error(
                            (*pin_path, "position"),
                            gettext("position {position} is listed twice").format(position=position),
                        )
                    )
                positions.add(position)
            if terminal is not None:
                if terminal in terminals:
                    err(
                        catalog_file.error(
                            (*pin_path, "terminal"),
                            gettext("terminal '{terminal}' is listed twice").format(terminal=terminal),
                        )
                    )
                terminals.add(terminal)

    bank_names: set[str] = set()
    bank_sizes: set[int] = set()
    for b, bank in enumerate(device.get("dip_banks", [])):
        bank_path = (*key_path, "dip_banks", b)
        _check_source(catalog_file, bank_path, bank, index, errors)
        if kind != "battery" and kind != "adapter":
            err(catalog_file.error(bank_path, gettext("DIP banks belong to batteries and adapters")))
        if bank["name"] in bank_names:
            err(
                catalog_file.error(
                    (*bank_path, "name"), gettext("DIP bank '{bank}' is listed twice").format(bank=bank["name"])
                )
            )
        bank_names.add(bank["name"])
        size = bank["switch_count"]
        bank_sizes.add(size)
        for pattern_key in ("all_packs_pattern", "last_pack_pattern"):
            pattern = bank.get(pattern_key)
            if pattern is not None and len(pattern) != size:
                err(
                    catalog_file.error(
                        (*bank_path, pattern_key),
                        gettext("'{pattern}' has {count} switches, the bank has {size}").format(
                            pattern=pattern, count=len(pattern), size=size
                        ),
                    )
                )
        switch_numbers: set[int] = set()
        bits: set[tuple[str, int]] = set()
        for s, switch in enumerate(bank.get("switches", [])):
            switch_path = (*bank_path, "switches", s)
            if switch["position"] > size:
                err(
                    catalog_file.error(
                        (*switch_path, "position"),
                        gettext("switch {switch} of a {size}-switch bank").format(
                            switch=switch["position"], size=size
                        ),
                    )
                )
            if switch["position"] in switch_numbers:
                err(
                    catalog_file.error(
                        (*switch_path, "position"),
                        gettext("switch {switch} is listed twice").format(switch=switch["position"]),
                    )
                )
            switch_numbers.add(switch["position"])
            if "bit" in switch:
                bit = (switch["function"], switch["bit"])
                if bit in bits:
                    err(
                        catalog_file.error(
                            (*switch_path, "bit"),
                            gettext("two switches set {function} {bit}").format(
                                function=switch["function"], bit=switch["bit"]
                            ),
                        )
                    )
                bits.add(bit)

    protocols_seen: set[str] = set()
    for r, entry in enumerate(device.get("protocols", [])):
        entry_path = (*key_path, "protocols", r)
        _check_source(catalog_file, entry_path, entry, index, errors)
        if entry["protocol"] not in index.protocols:
            err(
                catalog_file.error(
                    (*entry_path, "protocol"),
                    gettext("unknown protocol '{protocol}'").format(protocol=entry["protocol"]),
                )
            )
        if entry["protocol"] in protocols_seen:
            err(
                catalog_file.error(
                    (*entry_path, "protocol"),
                    gettext("protocol '{protocol}' is listed twice").format(protocol=entry["protocol"]),
                )
            )
        protocols_seen.add(entry["protocol"])
        for x, extra in enumerate(entry.get("extras", [])):
            _check_source(catalog_file, (*entry_path, "extras", x), extra, index, errors)
        if entry["method"] == "dip":
            if not bank_sizes:
                err(
                    catalog_file.error(
                        (*entry_path, "method"), gettext("selected by DIP switches, but the device has no DIP bank")
                    )
                )
            elif len(entry["value"]) not in bank_sizes:
                err(
                    catalog_file.error(
                        (*entry_path, "value"),
                        gettext("'{pattern}' has {count} switches; the DIP bank has {sizes}").format(
                            pattern=entry["value"],
                            count=len(entry["value"]),
                            sizes=", ".join(map(str, sorted(bank_sizes))),
                        ),
                    )
                )
    return errors


def _same_meaning(pin_signal: str, conductor_signal: str) -> bool:
    if pin_signal == conductor_signal:
        return True
    return pin_signal in GROUND_SIGNALS and conductor_signal in GROUND_SIGNALS


def _check_pairing(
    catalog_file: CatalogFile, key_path: Path_, pairing: dict, index: CatalogIndex
) -> list[CatalogError]:
    errors: list[CatalogError] = []
    err = errors.append
    _check_source(catalog_file, key_path, pairing, index, errors)
    in_folder = catalog_file.path is not None and catalog_file.path.parent.name == "pairings"
    in_pairings_folder = key_path == ("pairing",) and in_folder
    if in_pairings_folder and catalog_file.path.stem != pairing["slug"]:
        err(
            catalog_file.error(
                (*key_path, "slug"), gettext("the file must be named {slug}.yaml").format(slug=pairing["slug"])
            )
        )
    roles = {"battery": "battery", "inverter": "inverter", "adapter": "adapter"}
    for role, expected_kind in roles.items():
        slug = pairing.get(role)
        if slug is None:
            continue
        facts = index.devices.get(slug)
        if facts is None:
            err(catalog_file.error((*key_path, role), gettext("unknown device '{slug}'").format(slug=slug)))
        elif facts.kind != expected_kind:
            err(
                catalog_file.error(
                    (*key_path, role),
                    gettext("'{slug}' is catalogued as {kind}; this place needs: {expected}").format(
                        slug=slug, kind=KIND_WORDS[facts.kind], expected=KIND_WORDS[expected_kind]
                    ),
                )
            )
    if pairing.get("battery") == pairing.get("inverter"):
        err(catalog_file.error((*key_path, "inverter"), gettext("a pairing joins two different devices")))
    protocol = pairing.get("protocol")
    if protocol is not None:
        if protocol not in index.protocols:
            err(
                catalog_file.error(
                    (*key_path, "protocol"), gettext("unknown protocol '{protocol}'").format(protocol=protocol)
                )
            )
        elif index.protocols[protocol] != pairing["bus"]:
            err(
                catalog_file.error(
                    (*key_path, "protocol"),
                    gettext("protocol '{protocol}' runs on {bus}, the pairing on {pairing_bus}").format(
                        protocol=protocol,
                        bus=BUS_NAMES[index.protocols[protocol]],
                        pairing_bus=BUS_NAMES[pairing["bus"]],
                    ),
                )
            )

    ends: dict[str, PortFacts | None] = {}
    for end_key, default_role in (("battery_end", "battery"), ("inverter_end", "inverter")):
        end = pairing.get(end_key)
        ends[end_key] = None
        if end is None:
            continue
        device_slug = end.get("device", pairing.get(default_role))
        allowed = {pairing.get(default_role), pairing.get("adapter")} - {None}
        if device_slug not in allowed:
            err(
                catalog_file.error(
                    (*key_path, end_key, "device"), END_NOT_ON_A_SIDE[default_role].format(device=device_slug)
                )
            )
            continue
        facts = index.devices.get(device_slug)
        if facts is None:
            continue
        if end["port"] not in facts.ports:
            err(
                catalog_file.error(
                    (*key_path, end_key, "port"),
                    gettext("'{device}' has no port '{port}'").format(device=device_slug, port=end["port"]),
                )
            )
            continue
        port = ends[end_key] = facts.ports[end["port"]]
        if port.buses and pairing["bus"] not in port.buses:
            err(
                catalog_file.error(
                    (*key_path, end_key, "port"),
                    gettext("port '{port}' of '{device}' carries {buses}, not the pairing's {bus}").format(
                        port=end["port"],
                        device=device_slug,
                        buses=", ".join(BUS_NAMES[bus] for bus in sorted(port.buses)),
                        bus=BUS_NAMES[pairing["bus"]],
                    ),
                )
            )

    for c, conductor in enumerate(pairing.get("crimp", [])):
        for side, end_key in (("battery", "battery_end"), ("inverter", "inverter_end")):
            ref = conductor.get(side)
            if ref is None:
                continue
            if end_key not in pairing:
                err(
                    catalog_file.error(
                        (*key_path, "crimp", c, side),
                        gettext("a crimp position needs the pairing's {end}").format(end=end_key),
                    )
                )
            elif ends[end_key] is not None:
                pin_signal = ends[end_key].pins.get(ref)
                if pin_signal is None:
                    err(
                        catalog_file.error(
                            (*key_path, "crimp", c, side),
                            POSITION_NOT_LISTED[side].format(position=repr(ref), port=pairing[end_key]["port"]),
                        )
                    )
                elif not _same_meaning(pin_signal, conductor["signal"]):
                    err(
                        catalog_file.error(
                            (*key_path, "crimp", c, side),
                            gettext("a {signal} conductor lands on position {position}, which is {pin_signal}").format(
                                signal=conductor["signal"], position=repr(ref), pin_signal=pin_signal
                            ),
                        )
                    )
        if conductor.get("battery") is None and conductor.get("inverter") is None:
            err(catalog_file.error((*key_path, "crimp", c), gettext("a conductor joins at least one known position")))
    for s, setting in enumerate(pairing.get("settings", [])):
        _check_source(catalog_file, (*key_path, "settings", s), setting, index, errors)
        if setting["side"] == "adapter" and not pairing.get("adapter"):
            err(
                catalog_file.error(
                    (*key_path, "settings", s, "side"), gettext("an adapter setting needs the pairing's adapter")
                )
            )
    for n, note in enumerate(pairing.get("notes", [])):
        _check_source(catalog_file, (*key_path, "notes", n), note, index, errors)
    return errors


def _nul_errors(catalog_file: CatalogFile) -> list[CatalogError]:
    """A NUL character in any key or text (the database cannot store it)."""
    errors, stack = [], [((), catalog_file.data)]
    while stack:
        key_path, value = stack.pop()
        if isinstance(value, dict):
            stack.extend(((*key_path, str(key)), item) for key, item in value.items())
            if any(isinstance(key, str) and "\x00" in key for key in value):
                errors.append(catalog_file.error(key_path, gettext("a key contains a NUL character")))
        elif isinstance(value, list):
            stack.extend(((*key_path, index), item) for index, item in enumerate(value))
        elif isinstance(value, str) and "\x00" in value:
            errors.append(catalog_file.error(key_path, gettext("the text contains a NUL character")))
    return sorted(errors, key=lambda error: (error.line or 0, error.where))


def validate_catalog(files: list[CatalogFile], existing: CatalogIndex | None = None) -> list[CatalogError]:
    """Every error in the files: schema first; the semantic checks run on files that pass the schema."""
    validator = _validator()
    errors: list[CatalogError] = []
    valid: list[CatalogFile] = []
    for catalog_file in files:
        file_errors = _nul_errors(catalog_file) or _schema_errors(catalog_file, validator)
        errors.extend(file_errors)
        if not file_errors:
            valid.append(catalog_file)
    if errors:
        return errors
    index, errors = _index_files(valid, existing or CatalogIndex())
    for catalog_file in valid:
        for i, protocol in enumerate(catalog_file.data.get("protocols") or []):
            _check_source(catalog_file, ("protocols", i), protocol, index, errors)
        for key_path, device in file_sections(catalog_file, "device", "devices"):
            errors.extend(_check_device(catalog_file, key_path, device, index))
        for key_path, pairing in file_sections(catalog_file, "pairing", "pairings"):
            errors.extend(_check_pairing(catalog_file, key_path, pairing, index))
    return errors


# --- canonical output ----------------------------------------------------------------------------------------


class Flow(dict):
    """A mapping written on one line: ``{position: 4, signal: can_h, label: CANH}``."""


class FlowList(list):
    """A list written on one line: ``[can, rs485]``."""


class _CatalogDumper(yaml.SafeDumper):
    pass


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_CatalogDumper.add_representer(str, _represent_str)
_CatalogDumper.add_representer(Decimal, lambda d, v: d.represent_scalar("tag:yaml.org,2002:float", str(v)))
_CatalogDumper.add_representer(
    Flow, lambda d, v: d.represent_mapping("tag:yaml.org,2002:map", v.items(), flow_style=True)
)
_CatalogDumper.add_representer(
    FlowList, lambda d, v: d.represent_sequence("tag:yaml.org,2002:seq", v, flow_style=True)
)


def dump_catalog_file(data: dict) -> str:
    """The canonical text of a catalog file: what ``export_catalog`` writes and the shipped files use."""
    return yaml.dump(
        data, Dumper=_CatalogDumper, sort_keys=False, allow_unicode=True, width=1_000_000, default_flow_style=False
    )
