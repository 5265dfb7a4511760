from pathlib import Path

import pytest

from catalog.services import catalog_import

PROJECT_DIR = Path(__file__).resolve().parent.parent
FIXTURES_DIR = PROJECT_DIR / "fixtures"


@pytest.fixture
def shipped_catalog(db):
    """The shipped catalog from fixtures/, imported into the test database."""
    return catalog_import(paths=[FIXTURES_DIR])
