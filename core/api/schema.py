"""The OpenAPI schema (/api/schema/): one document whatever the request language, and the
post-processing that makes it tell clients the truth.

- The generator writes the schema in the portal's language (settings.LANGUAGE_CODE) whatever
  the request's, so every caller and every cache gets the same bytes; the texts (field
  descriptions, choices) are Russian, the identifiers English: titles, which drf-spectacular
  takes from the verbose names and generated clients name modules and classes after, are
  dropped.
- A link that may be blank is `anyOf` (a URI or ""), not `oneOf`: "" may match both.
- Number filters carry their form field's range (years 1900–2100).
- CSV answers are described as CSV text, not as the JSON page.
- The page size's range, the ordering fields of each list, the rate limit and the paging are
  documented.
- Every field of an answer is required: the serializers always give it (null when empty).
- Every operation documents the common error body.
"""

from django import forms
from django.conf import settings
from django.utils import translation
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.extensions import OpenApiFilterExtension
from drf_spectacular.generators import SchemaGenerator as BaseSchemaGenerator
from rest_framework.settings import api_settings

ERROR_SCHEMA = {
    "type": "object",
    "required": ["code", "message"],
    "properties": {
        "code": {"type": "string", "example": "validation_error"},
        "message": {
            "type": "object",
            "required": ["ru", "en"],
            "properties": {"ru": {"type": "string"}, "en": {"type": "string"}},
        },
        "fields": {
            "type": "object",
            "additionalProperties": True,
            "description": "Per-field messages, for validation errors only.",
        },
        "retry_after": {"type": "integer", "description": "Seconds to wait (429 only)."},
    },
}
ERROR_RESPONSES = {
    "400": "Invalid input: a filter value, a field or the page size is wrong.",
    "401": "No credentials, or an invalid, expired or revoked token.",
    "403": "The caller's role may not do this.",
    "404": "No such object, or a page number past the last page.",
    "406": "The requested format is not available.",
    "429": "Too many requests.",
}
WRITE_ERROR_RESPONSES = {
    "409": "The object's state forbids the action (e.g. already approved, year locked).",
    "415": "The body is not JSON.",
}


def add_error_responses(result, generator, request, public):
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"] = ERROR_SCHEMA
    reference = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path in result.get("paths", {}).values():
        for method, operation in path.items():
            responses = operation.setdefault("responses", {})
            errors = dict(ERROR_RESPONSES)
            if method in {"post", "put", "patch", "delete"}:
                errors.update(WRITE_ERROR_RESPONSES)
            for code, description in errors.items():
                responses.setdefault(code, {"description": description, "content": reference})
    return result


class SchemaGenerator(BaseSchemaGenerator):
    """The schema in the portal's language whatever the request's (Accept-Language, cookie,
    ?lang=): one document, byte for byte."""

    def get_schema(self, request=None, public=False):
        with translation.override(settings.LANGUAGE_CODE):
            return super().get_schema(request=request, public=public)


class OrderingFilterExtension(OpenApiFilterExtension):
    """`ordering` as the list's own fields, each ascending or descending (`-field`)."""

    target_class = "rest_framework.filters.OrderingFilter"
    match_subclasses = True

    def get_schema_operation_parameters(self, auto_schema, *args, **kwargs):
        fields = getattr(auto_schema.view, "ordering_fields", None)
        if not isinstance(fields, list | tuple):
            return []
        choices = [choice for field in fields for choice in (field, f"-{field}")]
        return [
            {
                "name": self.target.ordering_param,
                "required": False,
                "in": "query",
                "description": (
                    "Sort by a field; `-` before it sorts descending. Several fields: "
                    "comma-separated."
                ),
                "schema": {"type": "string", "enum": choices},
            }
        ]


class RangedFilterExtension(DjangoFilterExtension):
    """A number filter's range, from its form field (e.g. core.filters.YearField: 1900–2100)."""

    priority = 1

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        parameters = super().resolve_filter_field(
            auto_schema, model, filterset_class, field_name, filter_field
        )
        form_field = filter_field.field
        whole = isinstance(form_field, forms.IntegerField)  # "2015.5" is refused: integer
        bounds = {
            "minimum": getattr(form_field, "min_value", None),
            "maximum": getattr(form_field, "max_value", None),
        }
        for parameter in parameters:
            schema = parameter.get("schema", {})
            if schema.get("type") in {"integer", "number"}:
                if whole:
                    schema["type"] = "integer"
                schema.update({key: value for key, value in bounds.items() if value is not None})
        return parameters


def drop_titles(result, generator, request, public):
    """No `title` keyword but the document's: generated clients name classes and modules
    after titles, which drf-spectacular takes from the (translated) verbose names."""
    _drop_titles(result.get("paths", {}))
    _drop_titles(result.get("components", {}))
    return result


def _drop_titles(node, inside_properties=False):
    if isinstance(node, list):
        for item in node:
            _drop_titles(item)
    elif isinstance(node, dict):
        if not inside_properties and isinstance(node.get("title"), str):
            del node["title"]
        for key, value in node.items():
            _drop_titles(value, inside_properties=key == "properties")


BLANK = {"type": "string", "maxLength": 0}


def blank_as_any_of(result, generator, request, public):
    """`oneOf: [a URI, ""]` as `anyOf`: "" is a URI to some validators, and then matched
    both alternatives of `oneOf`, failing every row with an empty link."""
    for schema in result.get("components", {}).get("schemas", {}).values():
        for field in schema.get("properties", {}).values():
            alternatives = field.get("oneOf", [])
            if BLANK in alternatives:
                field["anyOf"] = field.pop("oneOf")
            if "oneOf" in field or "allOf" in field:
                # A choice of a small-integer column: its enum says which values, not the
                # column type's 0–32767 that drf-spectacular copies beside it.
                field.pop("minimum", None)
                field.pop("maximum", None)
    return result


CSV_SCHEMA = {
    "type": "string",
    "description": (
        "The rows as CSV (UTF-8 with a BOM, comma-separated, a header row; nested objects as "
        "dotted columns, lists as `; `-joined ids)."
    ),
}


def require_answer_fields(result, generator, request, public):
    """Every field of an answer is there (null when empty): required in the answers'
    components. drf-spectacular marks only the input-required ones, so a generated client
    types `comment` or `quarter` as maybe missing. Request bodies (`…Request`), pages
    (pagination's own) and the error body (optional `fields`) keep theirs."""
    for name, schema in result.get("components", {}).get("schemas", {}).items():
        if name.endswith("Request") or name.startswith("Paginated") or name == "Error":
            continue
        if schema.get("type") == "object" and schema.get("properties"):
            schema["required"] = sorted(schema["properties"])
    return result


def describe_csv(result, generator, request, public):
    """`text/csv` answers are CSV text, not the JSON page drf-spectacular copies there."""
    for operation in _operations(result):
        for response in operation.get("responses", {}).values():
            content = response.get("content", {})
            if "text/csv" in content:
                content["text/csv"] = {"schema": dict(CSV_SCHEMA)}
    return result


def describe_paging(result, generator, request, public):
    """The page size's range, and the API's rules (paging, rate, errors) in its description."""
    largest = api_settings.DEFAULT_PAGINATION_CLASS.max_page_size
    for operation in _operations(result):
        for parameter in operation.get("parameters", []):
            if parameter.get("in") == "query" and parameter.get("name") == "page_size":
                parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": largest}
                parameter["description"] = f"Rows per page, 1 to {largest} (default {_page()})."
    result.setdefault("info", {})["description"] = api_description()
    return result


def _page():
    return api_settings.DEFAULT_PAGINATION_CLASS.page_size


def api_description():
    rates = settings.REST_FRAMEWORK.get("DEFAULT_THROTTLE_RATES", {})
    largest = api_settings.DEFAULT_PAGINATION_CLASS.max_page_size
    return "\n\n".join(
        [
            settings.SPECTACULAR_SETTINGS.get("DESCRIPTION", ""),
            "**Authentication.** `Authorization: Token <key>` (keys are issued by an "
            "administrator) or the portal's session. API clients see approved data only.",
            f"**Paging.** Lists answer pages of `{_page()}` rows: `page` (from 1) and "
            f"`page_size` (1 to {largest}); `count`, `next` and `previous` come with "
            "`results`. `ordering` takes one of the list's fields, `-field` for descending.",
            f"**Rate limit.** `{rates.get('client', '')}` per API client (token or session), "
            f"`{rates.get('anonymous', '')}` per address without credentials. Past it the "
            "answer is `429` with a `Retry-After` header and `retry_after` (seconds) in the "
            "body.",
            "**Formats.** JSON by default; `?format=csv` (or `Accept: text/csv`) gives the same "
            "rows as CSV. Answers carry `ETag` and `Last-Modified`; send them back "
            "(`If-None-Match`, `If-Modified-Since`) for a `304`.",
            "**Errors.** Every error is `{code, message: {ru, en}, fields?}` (schema `Error`).",
        ]
    )


def _operations(result):
    for item in result.get("paths", {}).values():
        for operation in item.values():
            if isinstance(operation, dict):
                yield operation
