"""Base viewsets shared by the apps' APIs."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers, viewsets

from .conditional import ConditionalReadMixin


def as_api_validation_error(error: DjangoValidationError):
    """A model or service ValidationError as DRF's, keyed by field like the form errors."""
    if hasattr(error, "error_dict"):
        return serializers.ValidationError(error.message_dict)
    return serializers.ValidationError({"non_field_errors": error.messages})


class ReadOnlyViewSet(ConditionalReadMixin, viewsets.ReadOnlyModelViewSet):
    """List and detail; paginated, filtered, ordered; ETag and Last-Modified."""


class ReadWriteViewSet(ConditionalReadMixin, viewsets.ModelViewSet):
    """Reads plus create and update (no delete over the API): writes follow the app's rules
    through `add_permission` / `change_permission` (see khv_strategy.api.permissions)."""

    http_method_names = ["get", "post", "put", "patch", "head", "options"]
