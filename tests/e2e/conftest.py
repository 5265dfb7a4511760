"""End-to-end tests: the wizard in a real Chromium (Debian's, via Playwright) against a live server.

Playwright's sync API runs an event loop in the test thread; the test thread only sets up data, so Django's
async-safety check is relaxed for this process.
"""

import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import PROJECT_DIR

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARTIFACTS = PROJECT_DIR / "test-artifacts"

# Chromium on a machine without network access or a display: no background traffic, no sandbox (root in CI).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    path = os.environ.get("CHROMIUM") or shutil.which("chromium")
    if not path:
        pytest.fail("No Chromium: run the tests with `make test`, which installs it, or set CHROMIUM.")
    return {**browser_type_launch_args, "executable_path": path, "args": CHROMIUM_ARGS}


class _ThroughTheApp:
    """Instead of Django's test static handler (which serves unhashed files from the apps): hand /static/ to the
    application itself, where WhiteNoise serves the collected, hashed files as in production."""

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        return self.application(environ, start_response)


@pytest.fixture(scope="session")
def live_server():
    """pytest-django's live server on 127.0.0.1, serving static files the production way."""
    from django.test.testcases import LiveServerThread
    from pytest_django.live_server_helper import LiveServer

    server = LiveServer("127.0.0.1", start=False)
    server.thread = LiveServerThread("127.0.0.1", static_handler=_ThroughTheApp, connections_override={})
    server.thread.daemon = True
    server.start()
    yield server
    server.stop()


@pytest.fixture
def live_catalog(committed_catalog):
    """The shipped catalog for a live-server test."""


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
