"""Schema post-processing: the common error body on every operation."""

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
