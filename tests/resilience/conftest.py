"""The fault runs' site: a PostgreSQL cluster of their own (they stop and start it), migrated and loaded with
the shipped catalog, and gunicorn serving it on 127.0.0.1 as the Dockerfile runs it. Run with
`make test-resilience`; `make test` leaves these tests out (they take a few minutes)."""

import os

import pytest

from bench.server import gunicorn
from tests.servers import Cluster, manage, owner_url

PG_PORT = os.environ.get("RESILIENCE_PG_PORT", "25434")
APP_PORT = int(os.environ.get("RESILIENCE_APP_PORT", "8093"))


@pytest.fixture(scope="session")
def cluster(tmp_path_factory):
    cluster = Cluster(tmp_path_factory.mktemp("resilience-pg"), PG_PORT)
    url = cluster.start()  # the app role's URL; migrations run as the owner role
    try:
        manage("migrate", "--noinput", database_url=owner_url(url))
        manage("import_catalog", database_url=url)
        yield cluster, url
    finally:
        cluster.stop()


@pytest.fixture(scope="session")
def server(cluster):
    _, url = cluster
    env = {
        "DATABASE_URL": url,
        "API_ANONYMOUS_RATE": "100000000/minute",
        "SHEET_RENDER_RATE": "100000000/minute",
        "DJANGO_SECURE_COOKIES": "false",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
    }
    with gunicorn(port=APP_PORT, env=env) as server:
        yield server
