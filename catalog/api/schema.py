"""OpenAPI post-processing: answers every operation can give, documented once here instead of on each view."""

__all__ = ["add_catalog_shapes", "add_common_errors"]

COMMON = {
    "400": "Invalid input (a parameter, the body, or a page size); `fields` names each field at fault.",
    "401": "The token is missing where required, malformed, unknown or expired.",
    "404": "No such object, or no such page of a list.",
    "429": "Too many requests; the Retry-After header says when to try again.",
}


def add_common_errors(result, generator, request, public):
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for item in result.get("paths", {}).values():
        for operation in item.values():
            responses = operation.setdefault("responses", {})
            for status, description in COMMON.items():
                responses.setdefault(status, {"description": description, "content": error})
    return result


def _name(uri: str) -> str:
    """``urn:configurator:catalog:device#/$defs/port`` -> ``CatalogDevicePort``; the file schema's own definitions
    drop the "file" (``CatalogManufacturer``)."""
    base, _, pointer = uri.partition("#")
    parts = [] if base.endswith(":file") else [base.rsplit(":", 1)[-1]]
    if pointer:
        parts.append(pointer.rsplit("/", 1)[-1])
    return "Catalog" + "".join(part.replace("_", " ").title().replace(" ", "") for part in parts)


def _converted(node, base: str, wanted: list[str]):
    """A JSON Schema node with its references pointed at OpenAPI components (OpenAPI 3.1 is JSON Schema 2020-12)."""
    if isinstance(node, list):
        return [_converted(item, base, wanted) for item in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key in ("$schema", "$id", "$defs"):
            continue
        if key == "$ref":
            target = base + value if value.startswith("#") else value
            wanted.append(target)
            out[key] = f"#/components/schemas/{_name(target)}"
        else:
            out[key] = _converted(value, base, wanted)
    return out


def add_catalog_shapes(result, generator, request, public):
    """The catalog entities' write shapes, from the JSON Schema the catalog files are checked against (the one
    declaration of each entity's fields: catalog.shapes), as components ``CatalogDevice``, ``CatalogPairing``, ..."""
    from catalog.catalog_files import schema_node
    from catalog.shapes import SHAPES

    components = result.setdefault("components", {}).setdefault("schemas", {})
    wanted = [shape.schema for shape in SHAPES.values()]
    while wanted:
        uri = wanted.pop()
        name = _name(uri)
        if name in components:
            continue
        components[name] = {}  # a recursive reference stops here
        node, base = schema_node(uri)
        components[name] = _converted(node, base, wanted)
    return result
