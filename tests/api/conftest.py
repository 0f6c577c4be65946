"""Every JSON answer of the API tests is checked against the schema /api/schema/ serves.

The `client` of these tests (and so `client_for`) is a Django test client that validates each
JSON answer of an operation the schema documents against that operation's schema for the
status, strictly (tests/api/schema.py: undeclared properties fail). An answer whose status the
operation does not document fails too. A test that means to send what the schema forbids
still gets the schema's answer checked; only the request is free.
"""

import pytest
from django.test import Client

from tests.api.schema import find_operation, response_schema, validate

JSON_TYPES = {"application/json"}
# Answers no schema can describe: no body, or the schema and docs pages themselves.
UNCHECKED_STATUSES = {204, 304}
CHECKED = {"answers": 0}


class SchemaError(AssertionError):
    pass


def check_against_schema(response, method, path):
    """Raise SchemaError when a JSON answer of a documented operation does not fit it."""
    media_type = response.get("Content-Type", "").split(";")[0].strip()
    if method == "HEAD" or media_type not in JSON_TYPES:
        return False
    if response.status_code in UNCHECKED_STATUSES:
        return False
    found = find_operation(method, path)
    if found is None:
        return False
    template, operation = found
    schema = response_schema(operation, response.status_code)
    if schema is None:
        raise SchemaError(
            f"{method} {path} answered {response.status_code}, which {template} does not "
            f"document: {response.content[:300]!r}"
        )
    try:
        validate(response.json(), schema)
    except Exception as error:
        raise SchemaError(
            f"{method} {path} ({response.status_code}) does not fit the schema of {template}:"
            f"\n{error}"
        ) from error
    CHECKED["answers"] += 1
    return True


class SchemaCheckingClient(Client):
    def request(self, **request):
        response = super().request(**request)
        check_against_schema(response, request["REQUEST_METHOD"], request["PATH_INFO"])
        return response


@pytest.fixture
def client():
    """The test client, checking every JSON answer against the schema."""
    return SchemaCheckingClient()
