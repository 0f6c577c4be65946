"""Base viewsets shared by the apps' APIs."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import serializers, viewsets

from core.workflow import WorkflowError

from .cache import cached_read
from .conditional import ConditionalReadMixin
from .errors import Conflict
from .export import ExportMixin
from .fast_list import build_spec
from .query import COLLECTION_ACTIONS, COMMON_PARAMETERS, check_query_parameters


def as_api_validation_error(error: DjangoValidationError):
    """A model or service ValidationError as DRF's, keyed by field like the form errors."""
    if hasattr(error, "error_dict"):
        return serializers.ValidationError(error.message_dict)
    return serializers.ValidationError({"non_field_errors": error.messages})


class QueryCheckMixin:
    """A list action answers 400 to a query parameter it does not understand (core.api.query).
    `action_parameters` ({action: names}) adds an action's own parameters."""

    action_parameters: dict = {}

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if self.action in COLLECTION_ACTIONS:
            check_query_parameters(request, self)


class ValuesListMixin:
    """The `list` action from `values_list()` rows instead of serialized model instances.

    Same JSON as the serializer (core.api.fast_list says how); the count and the page
    are two queries whatever the page holds. A field the serializer reads from a property or
    a method needs an expression in `fast_list_expressions` ({field name: expression}, e.g.
    an annotation); a serializer with a field the fast path cannot reproduce keeps the
    serializer's path. `fast_list = False` turns the fast path off (the tests compare both).
    """

    fast_list = True
    fast_list_expressions: dict = {}
    _fast_list_specs: dict = {}  # (viewset class, serializer class) -> spec or None

    def fast_list_spec(self):
        if not self.fast_list:
            return None
        serializer_class = self.get_serializer_class()
        key = (type(self), serializer_class)
        if key not in ValuesListMixin._fast_list_specs:
            ValuesListMixin._fast_list_specs[key] = build_spec(
                serializer_class(context={}), self.fast_list_expressions
            )
        return ValuesListMixin._fast_list_specs[key]

    @cached_read
    def list(self, request, *args, **kwargs):
        spec = self.fast_list_spec()
        if spec is None or self.paginator is None:
            return super().list(request, *args, **kwargs)
        queryset = self.get_queryset()
        if set(request.query_params) <= COMMON_PARAMETERS:
            # No filter parameter: a filterset filters nothing; skip building its form.
            for backend in self.filter_backends:
                if not issubclass(backend, DjangoFilterBackend):
                    queryset = backend().filter_queryset(request, queryset, self)
        else:
            queryset = self.filter_queryset(queryset)
        page = self.paginate_queryset(spec.rows(queryset))
        return self.get_paginated_response(spec.represent(page, request))


def call_service(service, **arguments):
    """Run a write service for the API: a state the workflow refuses (approved, closed year)
    answers 409, bad input 400 with the messages by field, as the forms show them."""
    try:
        return service(**arguments)
    except WorkflowError as error:
        raise Conflict.refusing(error) from error
    except DjangoValidationError as error:
        raise as_api_validation_error(error) from error


class CachedRetrieveMixin:
    @cached_read
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)


class ReadOnlyViewSet(
    QueryCheckMixin,
    ExportMixin,
    ConditionalReadMixin,
    CachedRetrieveMixin,
    ValuesListMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """List and detail; paginated, filtered, ordered; ETag and Last-Modified; answers kept in
    the cache until the data changes (core.api.cache)."""


class ReadWriteViewSet(
    QueryCheckMixin,
    ExportMixin,
    ConditionalReadMixin,
    CachedRetrieveMixin,
    ValuesListMixin,
    viewsets.ModelViewSet,
):
    """Reads plus create and update (no delete over the API): writes follow the app's rules
    through `add_permission` / `change_permission` (see core.api.permissions)."""

    http_method_names = ["get", "post", "put", "patch", "head", "options"]
