"""Property-based run over the whole OpenAPI schema (schemathesis), as an API client with a
token and as an editor with a browser session: no server errors, every response as documented.
"""

import copy

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import response_schema_conformance

from accounts.tokens import api_token_issue
from tests.activities.test_plan_pages import make_plan
from tests.api.schema import schema_document

# One xdist worker runs the whole module where it can (make test: --dist loadgroup).
pytestmark = pytest.mark.xdist_group("schemathesis")

CHECKS = [not_a_server_error, response_schema_conformance]
STATS = {"cases": 0, "checks": 0}


def load_schema(*, coverage):
    """The schema as /api/schema/ serves it, generated in-process at collection time.

    `coverage`: also run schemathesis's coverage phase (boundary and invalid values of every
    parameter); it is thorough and slow, so one of the two runs has it.
    """
    document = copy.deepcopy(schema_document())
    config = SchemathesisConfig.from_dict({"phases": {"coverage": {"enabled": coverage}}})
    loaded = schemathesis.openapi.from_dict(document, config=config)
    loaded.app = get_wsgi_application()
    return loaded


token_schema = load_schema(coverage=True)
session_schema = load_schema(coverage=False)


@pytest.fixture(autouse=True, scope="module")
def keep_the_test_transaction():
    # As Django's test client does: the test's transaction must survive each request.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def token_credentials(db, api_client_user):
    make_plan(sections=2, measures_per_section=3)
    _token, key = api_token_issue(user=api_client_user, name="schemathesis")
    return {"headers": {"Authorization": f"Token {key}"}, "cookies": {}}


@pytest.fixture
def session_credentials(db, client, editor):
    make_plan(sections=2, measures_per_section=3)
    client.force_login(editor)
    return {"headers": {}, "cookies": {"sessionid": client.cookies["sessionid"].value}}


FUZZ_SETTINGS = settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def call_and_check(case, credentials):
    response = case.call(headers=credentials["headers"], cookies=credentials["cookies"])
    case.validate_response(response, checks=CHECKS)
    STATS["cases"] += 1
    STATS["checks"] += len(CHECKS)


@token_schema.parametrize()
@FUZZ_SETTINGS
def test_as_an_api_client_with_a_token(case, token_credentials):
    call_and_check(case, token_credentials)


@session_schema.parametrize()
@FUZZ_SETTINGS
def test_as_an_editor_with_a_session(case, session_credentials):
    call_and_check(case, session_credentials)


@pytest.fixture(autouse=True, scope="module")
def print_totals():
    """Prints the totals of the cases this worker ran, for the notes."""
    yield
    if STATS["cases"]:
        print(f"\nschemathesis: {STATS['cases']} generated cases, {STATS['checks']} checks")


@pytest.mark.parametrize("loaded", [token_schema, session_schema], ids=["token", "session"])
def test_every_operation_of_the_schema_is_fuzzed(loaded):
    """The parametrization covers every operation /api/schema/ documents, none fails to load.

    (The cases themselves may run on any xdist worker, so no test counts them across workers.)
    """
    documented = {
        (method.upper(), path)
        for path, item in schema_document()["paths"].items()
        for method in item
        if method in {"get", "put", "post", "patch", "delete", "head", "options"}
    }
    loaded_operations = [result.ok() for result in loaded.get_all_operations()]
    assert {(op.method.upper(), op.path) for op in loaded_operations} == documented
    assert len(documented) > 50
