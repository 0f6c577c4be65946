"""Hostile input on every API endpoint: each is a 4xx in the API's error shape, never a 500.

The endpoints are read from the OpenAPI schema (every path, method and parameter it
documents) plus the API root, which the schema does not list:
- every method on every path, the root included;
- a JSON body nested 10,000 levels deep on every write;
- ``1e309`` (past the largest float: infinity once parsed) as every path and query
  parameter, and as every field of every write body.
"""

import json
import re

import pytest
from drf_spectacular.generators import SchemaGenerator

from tests.api.test_endpoints import populate

pytestmark = pytest.mark.django_db

HUGE = "1e309"
HUGE_INTEGER = "1" + "0" * 400
DEEP_JSON = "[" * 10_000 + "]" * 10_000
METHODS = ["get", "post", "put", "patch", "delete", "head", "options"]


def _operations():
    schema = SchemaGenerator().get_schema(public=True)
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            fields = []
            if body:
                reference = body["schema"]["$ref"].rsplit("/", 1)[-1]
                fields = list(schema["components"]["schemas"][reference].get("properties", {}))
            yield path, method, operation.get("parameters", []), fields


OPERATIONS = list(_operations())
PATHS = sorted({path for path, *_rest in OPERATIONS}) + ["/api/v1/"]
WRITES = [(path, method, fields) for path, method, _p, fields in OPERATIONS if method != "get"]
PARAMETERS = [
    (path, method, parameters) for path, method, parameters, _fields in OPERATIONS if parameters
]


def operation_id(value):
    """Test ids name the path and method only (e.g. "/api/v1/goals/-get")."""
    return value if isinstance(value, str) else "-"


@pytest.fixture
def existing_ids(department):
    """The id of a row of every kind (the first of each list), to fill path parameters."""
    populate(department, 1)


def nested(value, depth):
    for _level in range(depth):
        value = [value]
    return value


def concrete(path, client, **values):
    """`path` with its {id} replaced: by `values` when given, else by a real row's id."""

    def fill(match):
        name = match.group(1)
        if name in values:
            return values[name]
        list_path = path[: match.start()]
        return str(client.get(list_path).json()["results"][0]["id"])

    return re.sub(r"\{(\w+)\}", fill, path)


def assert_error_shape(response, *context):
    assert 400 <= response.status_code < 500, (*context, response.status_code)
    body = response.json()
    assert isinstance(body["code"], str), context
    assert set(body["message"]) == {"ru", "en"}, context


@pytest.fixture
def admin_client(client_for, administrator, existing_ids):
    return client_for(administrator)


@pytest.mark.parametrize("path", PATHS)
def test_every_method_on_every_path_is_answered(admin_client, path):
    url = concrete(path, admin_client)
    for method in METHODS:
        response = getattr(admin_client, method)(url, content_type="application/json")

        assert response.status_code < 500, (url, method)
        if response.status_code >= 400 and method != "head":
            assert_error_shape(response, url, method)


@pytest.mark.parametrize("method", ["post", "put", "patch"])
def test_the_api_root_allows_reads_only(admin_client, method):
    response = getattr(admin_client, method)("/api/v1/", "{}", content_type="application/json")

    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


@pytest.mark.parametrize(("path", "method", "fields"), WRITES, ids=operation_id)
def test_a_deeply_nested_body_is_a_400(admin_client, path, method, fields):
    url = concrete(path, admin_client)

    response = getattr(admin_client, method)(url, DEEP_JSON, content_type="application/json")

    # A 400 where the body is read; an action that reads none answers as without it.
    assert_error_shape(response, url, method)


def test_a_deeply_nested_body_is_refused_as_such(admin_client):
    response = admin_client.post("/api/v1/delegations/", DEEP_JSON, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"
    assert response.json()["message"] == {
        "ru": "Тело запроса вложено слишком глубоко.",
        "en": "The request body is nested too deeply.",
    }


def test_a_nested_body_within_the_limit_is_read(admin_client):
    """The depth limit leaves ordinary bodies alone: 20 levels is still validated as data."""
    body = json.dumps({"comment": nested(["x"], 20)})
    url = concrete("/api/v1/indicator-values/{id}/return/", admin_client)

    response = admin_client.post(url, body, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["code"] == "validation_error"


@pytest.mark.parametrize(("path", "method", "parameters"), PARAMETERS, ids=operation_id)
def test_a_huge_number_as_a_parameter_is_refused(admin_client, path, method, parameters):
    """Where an integer is expected (an id, a year) it is a 4xx; elsewhere never a 500."""
    for parameter in parameters:
        name = parameter["name"]
        if parameter["in"] == "path":
            url = concrete(path, admin_client, **{name: HUGE})
        else:
            url = f"{concrete(path, admin_client)}?{name}={HUGE}"

        response = getattr(admin_client, method)(url, content_type="application/json")

        assert response.status_code < 500, (url, method)
        if parameter.get("schema", {}).get("type") == "integer" and name != "page_size":
            assert_error_shape(response, url, method)


@pytest.mark.parametrize(
    ("path", "method", "fields"), [w for w in WRITES if w[2]], ids=operation_id
)
def test_a_huge_number_in_every_field_of_a_body_is_refused(admin_client, path, method, fields):
    url = concrete(path, admin_client)
    for field in fields:
        response = getattr(admin_client, method)(
            url, f'{{"{field}": {HUGE}}}', content_type="application/json"
        )

        assert_error_shape(response, url, method, field)
        assert response.json()["message"]["en"] == "A number in the request body is too large."

        # A 400-digit integer is a number, and text where text is expected.
        response = getattr(admin_client, method)(
            url, f'{{"{field}": {HUGE_INTEGER}}}', content_type="application/json"
        )

        assert response.status_code < 500, (url, method, field)
        if response.status_code >= 400:
            assert_error_shape(response, url, method, field)
