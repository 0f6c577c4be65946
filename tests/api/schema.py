"""The OpenAPI schema as the tests read it: generated in-process like /api/schema/, and the
strict JSON Schema of one operation's answer (every property declared, nothing else)."""

import copy
import functools
import json
import re

import jsonschema
from drf_spectacular.renderers import OpenApiJsonRenderer
from drf_spectacular.settings import spectacular_settings


@functools.cache
def schema_document():
    """The schema /api/schema/ serves, as a dict (generated once per test process)."""
    generator = spectacular_settings.DEFAULT_GENERATOR_CLASS()
    return json.loads(OpenApiJsonRenderer().render(generator.get_schema(public=True)))


def _path_pattern(path):
    """`/api/v1/indicators/{id}/series/` as a regular expression of concrete paths."""
    return re.compile("^" + re.sub(r"\\\{[^}]+\\\}", r"[^/]+", re.escape(path)) + "$")


@functools.cache
def _operations():
    return [
        (_path_pattern(path), path, method, operation)
        for path, item in schema_document()["paths"].items()
        for method, operation in item.items()
    ]


def find_operation(method, path):
    """The (path template, operation) that documents `method path`, or None. The path belongs
    to the template with the fewest parameters that matches it (`/indicators/series/` is not
    `/indicators/{id}/`, `/reports/export.csv/` is not `/reports/{id}/`); a method that template
    does not have is no documented operation."""
    templates = [
        (template.count("{"), template)
        for pattern, template, _method, _operation in _operations()
        if pattern.match(path)
    ]
    if not templates:
        return None
    _count, template = min(templates)
    for _pattern, documented, documented_method, operation in _operations():
        if documented == template and documented_method == method.lower():
            return template, operation
    return None


def strict(schema):
    """A copy of an OpenAPI 3.0 schema as plain JSON Schema that refuses undeclared
    properties: `nullable` becomes a null alternative, objects with declared properties get
    additionalProperties false unless they say otherwise."""
    if isinstance(schema, list):
        return [strict(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    result = {}
    for key, value in schema.items():
        if key in {"properties", "patternProperties"}:
            result[key] = {name: strict(item) for name, item in value.items()}
        elif key == "$ref":
            result[key] = value.replace("#/components/schemas/", "#/$defs/")
        elif key in {"nullable", "readOnly", "writeOnly", "example", "discriminator"}:
            continue
        else:
            result[key] = strict(value)
    if "properties" in result and "additionalProperties" not in result:
        result["additionalProperties"] = False
    if schema.get("nullable"):
        result = {"anyOf": [result, {"type": "null"}]}
    return result


@functools.cache
def _definitions():
    return {
        name: strict(component)
        for name, component in schema_document()["components"]["schemas"].items()
    }


def response_schema(operation, status, media_type="application/json"):
    """The strict JSON Schema of an operation's answer, or None when it documents none."""
    response = operation.get("responses", {}).get(str(status))
    if response is None:
        return None
    content = response.get("content", {}).get(media_type)
    if content is None or "schema" not in content:
        return None
    return {**strict(copy.deepcopy(content["schema"])), "$defs": _definitions()}


def validate(instance, schema):
    """Raise jsonschema.ValidationError naming every error when `instance` does not fit."""
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    errors = sorted(validator.iter_errors(instance), key=lambda error: list(error.path))
    if errors:
        raise jsonschema.ValidationError(
            "\n".join(f"{list(error.absolute_path)}: {error.message}" for error in errors[:10])
        )
