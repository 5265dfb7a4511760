"""One shape per catalog entity, declared once in the JSON Schema of fixtures/schema/: the export writes it, the
importer fills its defaults from it, and the API's OpenAPI document publishes it as the write body."""

import pytest
from jsonschema import Draft202012Validator

from catalog.catalog_files import _validator, with_defaults, without_defaults
from catalog.shapes import SHAPES

pytestmark = pytest.mark.usefixtures("shipped_catalog")


def _entity_validator(uri: str) -> Draft202012Validator:
    files = _validator()
    return Draft202012Validator({"$ref": uri}, registry=files._registry, format_checker=files.format_checker)


@pytest.mark.parametrize("entity", list(SHAPES))
def test_every_exported_entity_is_valid_in_its_schema_and_canonical(entity):
    shape = SHAPES[entity]
    validator = _entity_validator(shape.schema)
    rows = shape.prefetched(shape.model.objects.all())
    assert rows.exists()
    for row in rows:
        record = shape.record(row)
        errors = [error.message for error in validator.iter_errors(record)]
        assert errors == [], (entity, getattr(row, shape.key))
        # Every default left out is the schema's: filling them in and leaving them out again gives the same entry.
        assert without_defaults(with_defaults(record, shape.schema), shape.schema) == record


def test_the_openapi_write_bodies_are_the_file_schema(client):
    document = client.get("/api/schema/?format=json").json()
    components = document["components"]["schemas"]
    collections = {
        "manufacturer": "manufacturers",
        "document": "documents",
        "protocol": "protocols",
        "device": "devices",
        "pairing": "pairings",
    }
    for entity, shape in SHAPES.items():
        component = components[shape.component]
        body = document["paths"][f"/api/v1/{collections[entity]}/"]["post"]["requestBody"]
        assert body["content"]["application/json"]["schema"] == {"$ref": f"#/components/schemas/{shape.component}"}
        resolved = _entity_validator(shape.schema).schema
        target = _validator()._registry.resolver().lookup(resolved["$ref"]).contents
        assert set(component["properties"]) == set(target["properties"]), entity
        assert component.get("required") == target.get("required"), entity
        defaults = {k: v["default"] for k, v in target["properties"].items() if "default" in v}
        assert {k: v["default"] for k, v in component["properties"].items() if "default" in v} == defaults
