"""The OpenAPI schema (/api/schema/): one document whatever the request language, English
identifiers, real types and ranges, limits and orderings, CSV described as CSV — and a client
generated from it by openapi-python-client without a warning."""

import copy
import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from django.conf import settings

from khv_strategy.api.router import router
from tests.api.schema import find_operation, response_schema, schema_document, strict, validate
from tests.indicators.factories import IndicatorValueFactory

SCHEMA_URL = "/api/schema/"
LIST_PATHS = [f"/api/v1/{prefix}/" for prefix, _viewset, _basename in router.registry]


def component(name):
    return schema_document()["components"]["schemas"][name]


def list_operation(path):
    return schema_document()["paths"][path]["get"]


def parameter(operation, name):
    return next(item for item in operation["parameters"] if item["name"] == name)


def keyword_titles(node, inside_properties=False):
    """Every `title` keyword of the document's schemas (not a property called "title")."""
    if isinstance(node, list):
        return [title for item in node for title in keyword_titles(item)]
    if not isinstance(node, dict):
        return []
    titles = []
    for key, value in node.items():
        if key == "title" and not inside_properties and isinstance(value, str):
            titles.append(value)
        titles += keyword_titles(value, inside_properties=key == "properties")
    return titles


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "headers"),
    [
        ("", {"HTTP_ACCEPT_LANGUAGE": "en"}),
        ("", {"HTTP_ACCEPT_LANGUAGE": "ru"}),
        ("", {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}),
        ("?lang=en", {}),
        ("?format=json", {"HTTP_ACCEPT_LANGUAGE": "en"}),
    ],
)
def test_one_schema_whatever_the_request_language(client, query, headers):
    default = client.get(SCHEMA_URL + ("?format=json" if "format" in query else "")).content
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with_cookie = client.get(SCHEMA_URL + query, **headers)

    assert with_cookie.status_code == 200
    assert with_cookie.content == default
    assert with_cookie["Content-Language"] == settings.LANGUAGE_CODE


@pytest.mark.django_db
def test_the_served_schema_is_the_one_the_tests_read(client):
    served = client.get(SCHEMA_URL + "?format=json", HTTP_ACCEPT_LANGUAGE="en").json()

    assert served == schema_document()


def test_identifiers_are_english():
    document = schema_document()
    names = list(document["components"]["schemas"])
    operation_ids = [
        operation["operationId"]
        for item in document["paths"].values()
        for operation in item.values()
    ]
    parameters = [
        parameter["name"]
        for item in document["paths"].values()
        for operation in item.values()
        for parameter in operation.get("parameters", [])
    ]

    assert all(name.isascii() for name in names + operation_ids + parameters)
    assert not any(path.startswith("/api/schema") for path in document["paths"])
    # Generated clients name classes and modules after titles: the only one is the API's.
    assert keyword_titles(document) == [document["info"]["title"]]


@pytest.mark.parametrize(
    ("name", "field"),
    [
        ("IndicatorValue", "evidence_url"),
        ("ProgressReport", "evidence_url"),
        ("PartnerOrganisation", "website"),
    ],
)
def test_a_blank_link_validates(name, field):
    schema = {**strict(component(name)["properties"][field]), "$defs": {}}

    validate("", schema)
    validate("https://khabarovskadm.ru/docs/1.pdf", schema)


def test_years_and_quarters_are_integers_in_their_real_ranges():
    value = component("IndicatorValue")["properties"]

    assert value["year"].items() >= {"type": "integer", "minimum": 1900, "maximum": 2100}.items()
    assert value["quarter"].items() >= {"type": "integer", "minimum": 1, "maximum": 4}.items()
    assert component("Target")["properties"]["year"].items() >= {
        "type": "integer", "minimum": 1900, "maximum": 2100
    }.items()  # fmt: skip
    with pytest.raises(jsonschema.ValidationError):
        validate(2015.5, {**strict(value["year"]), "$defs": {}})


@pytest.mark.parametrize("path", LIST_PATHS)
def test_every_list_documents_its_page_size_orderings_and_csv(path):
    operation = list_operation(path)
    viewset = next(v for p, v, _b in router.registry if f"/api/v1/{p}/" == path)

    page_size = parameter(operation, "page_size")["schema"]
    assert page_size["type"] == "integer"
    assert (page_size["minimum"], page_size["maximum"]) == (1, 500)
    ordering = parameter(operation, "ordering")["schema"]
    fields = list(viewset.ordering_fields)
    assert set(ordering["enum"]) == {*fields, *(f"-{field}" for field in fields)}
    csv = operation["responses"]["200"]["content"]["text/csv"]["schema"]
    assert csv["type"] == "string" and "$ref" not in str(csv)


def test_the_description_tells_the_rate_limit_and_the_paging():
    description = schema_document()["info"]["description"]
    rate = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["client"]

    assert rate in description
    assert "page_size" in description and "500" in description
    assert "429" in description and "Retry-After" in description


def test_the_indicator_values_carry_their_indicator_section_and_plan():
    properties = component("IndicatorValue")["properties"]

    for field in ["indicator_code", "indicator_unit", "section", "section_number", "plan",
                  "plan_title", "author_name", "reviewer_name"]:  # fmt: skip
        assert properties[field]["readOnly"] is True, field
    assert {"plan", "plan_title", "section_number"} <= set(component("Indicator")["properties"])


def test_a_generated_client_has_no_warning_and_ascii_names(tmp_path):
    """openapi-python-client on the schema /api/schema/ serves: no warning, ASCII names."""
    schema_file = tmp_path / "schema.json"
    schema_file.write_bytes(json.dumps(schema_document(), ensure_ascii=False).encode())
    output = tmp_path / "client"
    # A generated client reads the bulk export's NDJSON stream as bytes (the generator knows
    # no NDJSON media type; the schema names it as it is, application/x-ndjson).
    config = tmp_path / "config.json"
    config.write_text(
        json.dumps({"content_type_overrides": {"application/x-ndjson": "application/octet-stream"}})
    )
    bin_dir = str(Path(sys.executable).parent)  # its ruff formats the generated code
    result = subprocess.run(
        [
            os.path.join(bin_dir, "openapi-python-client"),
            "generate",
            "--path",
            str(schema_file),
            "--meta",
            "none",
            "--config",
            str(config),
            "--output-path",
            str(output),
        ],  # fmt: skip
        capture_output=True,
        text=True,
        env={**os.environ, "PATH": bin_dir + os.pathsep + os.environ.get("PATH", "")},
        check=False,
        timeout=300,
    )

    log = result.stdout + result.stderr
    assert result.returncode == 0, log
    assert "Warning" not in log and "warning" not in log, log
    files = [path.relative_to(output).as_posix() for path in output.rglob("*")]
    assert files and all(name.isascii() for name in files), [n for n in files if not n.isascii()]
    assert (output / "api" / "v1" / "v1_indicator_values_list.py").exists()


@pytest.mark.django_db
def test_the_answer_check_refuses_what_the_schema_does_not_declare(client_for, viewer):
    """The check every API test's answer passes (tests/api/conftest.py) is strict: an
    undeclared property or a wrong type fails it."""
    IndicatorValueFactory()
    answer = client_for(viewer).get("/api/v1/indicator-values/").json()  # checked: it fits
    _template, operation = find_operation("GET", "/api/v1/indicator-values/")
    schema = response_schema(operation, 200)
    value = schema["$defs"]["IndicatorValue"]

    without_comment = copy.deepcopy(schema)
    del without_comment["$defs"]["IndicatorValue"]["properties"]["comment"]
    year_as_text = copy.deepcopy(schema)
    year_as_text["$defs"]["IndicatorValue"]["properties"]["year"] = {"type": "string"}

    validate(answer, schema)
    assert value["additionalProperties"] is False
    for broken in (without_comment, year_as_text):
        with pytest.raises(jsonschema.ValidationError):
            validate(answer, broken)


def test_year_parameters_are_integers_in_range():
    """A year filter refuses 2015.5 and 1800 (core.filters.YearFilter): the schema says so."""
    years = [
        (path, parameter["schema"])
        for path, item in schema_document()["paths"].items()
        for operation in item.values()
        for parameter in operation.get("parameters", [])
        if parameter["name"] in {"year", "year_from", "year_to"}
    ]

    assert len(years) > 10
    for path, schema in years:
        assert schema == {"type": "integer", "minimum": 1900, "maximum": 2100}, path


def test_a_report_quarter_is_its_enum_without_the_column_range():
    quarter = component("ProgressReport")["properties"]["quarter"]

    assert "minimum" not in quarter and "maximum" not in quarter
    assert component("QuarterEnum")["enum"] == [1, 2, 3, 4]


@pytest.mark.parametrize("name", ["IndicatorValue", "ProgressReport", "Agreement", "Series"])
def test_every_field_of_an_answer_is_required(name):
    """The serializers always give every field (null when empty); a client can rely on it."""
    schema = component(name)

    assert sorted(schema["required"]) == sorted(schema["properties"])


def test_what_a_write_may_leave_out_stays_optional():
    required = component("IndicatorValueRequest")["required"]

    assert "comment" not in required and "evidence_url" not in required
    # A milestone's value has no number (its status instead): the service asks for one or the
    # other by the indicator's kind.
    assert {"indicator", "year"} <= set(required)
    assert "value" not in required and "milestone_status" not in required
