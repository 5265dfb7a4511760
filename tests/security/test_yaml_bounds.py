"""Catalog files cannot make the web process do unbounded work: anchors and aliases are refused (the 370-byte
"billion laughs" would expand to gigabytes), and size, nesting and node count are checked on the parser's event
stream before anything is built. Each refusal names the file and the line, and nothing is written."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from catalog.catalog_files import MAX_DEPTH, MAX_FILE_BYTES, MAX_NODES, CatalogFileError, load_catalog_file
from catalog.models import Document

BOMB = "\n".join(
    ["a: &a [x, x, x, x, x, x, x, x, x]"]
    + [
        f"{chr(98 + n)}: &{chr(98 + n)} [*{chr(97 + n)}, *{chr(97 + n)}, *{chr(97 + n)}, *{chr(97 + n)}]"
        for n in range(8)
    ]
    + ["documents: [*i]"]
)


def problem(text: str):
    with pytest.raises(CatalogFileError) as caught:
        load_catalog_file(Path("upload.yaml"), text=text)
    [error] = caught.value.errors
    return error


def test_an_alias_bomb_is_refused_at_its_first_anchor():
    assert len(BOMB) < 400
    error = problem(BOMB)
    assert error.line == 1
    assert "anchors and aliases" in error.message


def test_a_single_alias_is_refused_too():
    error = problem("documents:\n- &doc {key: k, title: t}\n- *doc\n")
    assert error.line == 2


def test_a_file_nested_too_deep_is_refused():
    error = problem("a: " + "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1))
    assert f"deeper than {MAX_DEPTH}" in error.message


def test_a_file_with_too_many_values_is_refused():
    error = problem("documents: [" + ", ".join("1" for _ in range(MAX_NODES + 1)) + "]")
    assert f"more than {MAX_NODES} values" in error.message


def test_a_file_too_large_is_refused(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_text("# " + "x" * MAX_FILE_BYTES)
    with pytest.raises(CatalogFileError, match="larger than"):
        load_catalog_file(path)


@pytest.mark.usefixtures("shipped_catalog")
def test_the_bomb_uploaded_in_the_admin_is_an_error_and_writes_nothing(admin_client):
    documents = Document.objects.count()
    response = admin_client.post(
        reverse("admin:catalog_upload"), {"file": SimpleUploadedFile("bomb.yaml", BOMB.encode())}
    )
    assert response.status_code == 200
    assert "bomb.yaml:1" in response.text
    assert "anchors and aliases" in response.text
    assert Document.objects.count() == documents
