"""The OpenAPI schema is valid, and the API keeps to it: Schemathesis generates requests for every operation
(fixed seed, bounded examples), anonymously, with a staff token and with a distributor's token, and checks that
nothing answers 5xx and that every response matches the schema (status codes, content types, headers, bodies:
errors in the error shape)."""

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from drf_spectacular.validation import validate_schema
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.config import SchemathesisConfig

from catalog.models import Account, Manufacturer
from catalog.tokens import api_token_create

# One deliberate setting: a request can be well-formed by the schema and still name a device the catalog does
# not have (?inverter=0). The API answers that with 400 and the field at fault, so 400 counts as an expected
# answer to schema-valid data. Every other check runs as Schemathesis ships it.
CONFIG = SchemathesisConfig.from_dict(
    {"checks": {"positive_data_acceptance": {"expected-statuses": ["2xx", 400, 401, 403, 404, 409, 429]}}}
)

# Loaded through the application itself, as a client would (the schema view needs no database).
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application(), config=CONFIG)

UNLIMITED = {"anonymous": "1000000/minute", "token": "1000000/minute"}


def test_the_schema_is_valid_openapi(client):
    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200
    validate_schema(response.json())
    operations = [(path, method) for path, item in response.json()["paths"].items() for method in item]
    assert len(operations) == 55


def test_the_browsable_docs_load_everything_from_this_site(client):
    page = client.get("/api/docs/")
    assert page.status_code == 200
    assert "swagger-ui" in page.text
    assert "cdn." not in page.text
    assert "<script>" not in page.text  # the split view loads its setup script as a file


@pytest.fixture
def in_test_transaction():
    """Requests made straight to the WSGI application must not close the test's database connection (Django's
    test client does the same)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.usefixtures("shipped_catalog", "in_test_transaction")
@pytest.mark.parametrize("caller", ["anonymous", "staff token", "distributor token"])
@schema.parametrize()
@hypothesis_settings(
    max_examples=15,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_the_api_keeps_to_its_schema(case, settings, caller):
    """Anonymous; with a staff token, which reaches every write operation (catalog writes included); and with a
    distributor's token, whose writes the scope rule judges (WeCo's rows are its own)."""
    settings.REST_FRAMEWORK = {**django_settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": UNLIMITED}
    headers = {}
    if caller != "anonymous":
        kind = Account.Kind.STAFF if caller == "staff token" else Account.Kind.DISTRIBUTOR
        account = Account.objects.get_or_create(name=f"Schema {kind}", kind=kind)[0]
        account.manufacturers.set(Manufacturer.objects.filter(slug="weco"))
        headers["Authorization"] = f"Bearer {api_token_create(account=account, name='schema')[1]}"
    case.call_and_validate(headers=headers)


@pytest.mark.usefixtures("shipped_catalog", "in_test_transaction")
@pytest.mark.parametrize("caller", ["staff token", "distributor token"])
def test_sequences_of_calls_keep_to_the_schema(settings, caller):
    """Stateful: Schemathesis chains operations by the links it infers (a created entity read, changed and deleted
    by its key), with the same checks on every response."""
    settings.REST_FRAMEWORK = {**django_settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": UNLIMITED}
    kind = Account.Kind.STAFF if caller == "staff token" else Account.Kind.DISTRIBUTOR
    account = Account.objects.get_or_create(name=f"Stateful {kind}", kind=kind)[0]
    account.manufacturers.set(Manufacturer.objects.filter(slug="weco"))
    headers = {"Authorization": f"Bearer {api_token_create(account=account, name='stateful')[1]}"}

    answers = []
    # The token is the run's own authentication (configured, not generated): the auth checks know it is valid.
    authenticated = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application(), config=CONFIG)
    authenticated.config.update(headers=headers)

    class Workflow(authenticated.as_state_machine()):
        """Each generated sequence starts from the same database: what one wrote is rolled back before the next
        (Hypothesis replays sequences, and a key taken by an earlier one would change the answers)."""

        def setup(self):
            super().setup()
            self.savepoint = transaction.savepoint()

        def teardown(self):
            transaction.savepoint_rollback(self.savepoint)
            super().teardown()

        def after_call(self, response, case):
            super().after_call(response, case)
            answers.append((case.method, response.status_code))

    Workflow.run(
        settings=hypothesis_settings(
            max_examples=12,
            stateful_step_count=6,
            derandomize=True,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
    )
    assert len(answers) >= 40
    assert any(method in ("POST", "PUT", "PATCH", "DELETE") for method, _ in answers)
    if caller == "staff token":  # the team's sequences really wrote (and then read and changed what they wrote)
        assert any(answer == ("POST", 201) for answer in answers)
