"""One JSON shape for every 4xx of the API.

    {"code": "validation_error",
     "message": {"ru": "Проверьте введённые данные.", "en": "Check the data you sent."},
     "fields": {"year": ["…"]}}

`fields` is present only for validation errors. Field messages are in the request's language
(Russian unless the client asks for English with Accept-Language). The message is rendered
here, once per language, so it must reach `error_body` untranslated: a lazy string, never one
formatted or joined beforehand (`Conflict.refusing` keeps a ValidationError's messages lazy;
a message with placeholders carries them as the ValidationError's `params`).
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import translation
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.views import exception_handler as drf_exception_handler

MESSAGES = {
    "validation_error": _("Check the data you sent."),
    "parse_error": _("The request body is not valid JSON."),
    "not_authenticated": _("Authentication credentials were not provided."),
    "authentication_failed": _("The API token is not valid, has expired or has been revoked."),
    "permission_denied": _("You do not have permission to do this."),
    "not_found": _("Not found."),
    "method_not_allowed": _("This method is not allowed here."),
    "not_acceptable": _("The requested format is not available."),
    "unsupported_media_type": _("Send the request body as JSON (application/json)."),
    "throttled": _("Too many requests; try again later."),
    "conflict": _("The object is not in a state that allows this action."),
    "error": _("The request could not be processed."),
}


def both_languages(message):
    with translation.override("ru"):
        russian = str(message)
    with translation.override("en"):
        english = str(message)
    return {"ru": russian, "en": english}


def error_body(code, *, message=None, fields=None):
    message = message or MESSAGES.get(code) or MESSAGES["error"]
    body = {"code": code, "message": both_languages(message)}
    if fields is not None:
        body["fields"] = fields
    return body


def exception_handler(exc, context):
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # not a client error: Django's 500 handling (logged, generic page)
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail
        fields = detail if isinstance(detail, dict) else {"non_field_errors": detail}
        response.data = error_body("validation_error", fields=fields)
        return response
    code = getattr(exc, "default_code", "error")
    # A specific lazy message (e.g. "the report is already approved") beats the generic one.
    response.data = error_body(code, message=getattr(exc, "lazy_message", None))
    if isinstance(exc, exceptions.Throttled) and exc.wait:
        response.data["retry_after"] = int(exc.wait)
    return response


class Conflict(exceptions.APIException):
    """The object's state forbids the action (approving an approved report, a locked year)."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"
    default_detail = _("The object is not in a state that allows this action.")

    def __init__(self, message=None):
        self.lazy_message = message
        super().__init__(detail=str(message) if message else None)

    @classmethod
    def refusing(cls, error):
        """The 409 of a Django ValidationError (a workflow refusal)."""
        return cls(joined_lazily(error))


class Forbidden(exceptions.PermissionDenied):
    """A refusal with its own reason (e.g. four eyes: reviewing an item one entered)."""

    def __init__(self, message):
        self.lazy_message = message
        super().__init__(detail=str(message))

    @classmethod
    def refusing(cls, error):
        return cls(joined_lazily(error))


def joined_lazily(error):
    """The messages of a Django ValidationError, joined lazily: each is formatted with its
    params and translated when the body is rendered, once per language, never in the
    request's language before that."""
    return lazy(lambda: " ".join(error.messages), str)()
