"""`GET /api/v1/deletions/?since=…`: what was deleted, for clients that sync incrementally.

A client that keeps a copy pulls each list with `updated_since` and then asks here which rows
were deleted since its last pull (docs/api.md has the recipe). The tombstones are the history
records of a deletion (django-simple-history, `history_type` "-") of every API resource that
keeps a history; each answer row is the resource (its URL prefix), the row's id and when it was
deleted, oldest first.

Who sees a tombstone: whoever could have seen the row. For workflow items (reports, values)
that is asked of accounts.roles with the state the item had when it was deleted: a pending
item deleted before approval never existed for an API client or a viewer, and its tombstone
is not shown to them either.
"""

from django import forms
from django.core.exceptions import ImproperlyConfigured
from django.db.models import CharField, Value
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets

from accounts.roles import visibility_filter
from core.api.conditional import ConditionalReadMixin
from core.api.pagination import Pagination
from core.filters import UtcDateTimeField
from core.workflow import WorkflowItem

# Workflow items: where their department is, as their querysets' `visible_to` says.
DEPARTMENT_OF = {
    "indicators.indicatorvalue": "indicator__department_id",
    "activities.progressreport": "measure__department_id",
}


def tombstone_sources(registry):
    """(resource, history model, department lookup or None) of every registered viewset whose
    model keeps a history."""
    sources = []
    for prefix, viewset, _basename in registry:
        serializer_class = getattr(viewset, "serializer_class", None)
        model = getattr(getattr(serializer_class, "Meta", None), "model", None)
        if model is None or not hasattr(model, "history"):
            continue
        department = None
        if issubclass(model, WorkflowItem):
            department = DEPARTMENT_OF.get(model._meta.label_lower)
            if department is None:
                raise ImproperlyConfigured(f"{model._meta.label}: say where its department is")
        sources.append((prefix, model.history.model, department))
    return sources


class DeletionSerializer(serializers.Serializer):
    resource = serializers.CharField(help_text="The list the row was in, e.g. indicator-values.")
    id = serializers.IntegerField()
    deleted_at = serializers.DateTimeField()


class DeletionQuery(serializers.Serializer):
    since = serializers.DateTimeField(required=False)
    resource = serializers.CharField(required=False)


class DeletionPagination(Pagination):
    """Page numbers only: the tombstones of all resources are one union."""

    def is_cursor_mode(self, request):
        return False

    def get_schema_operation_parameters(self, view):
        return super(Pagination, self).get_schema_operation_parameters(view)


class DeletionViewSet(ConditionalReadMixin, viewsets.GenericViewSet):
    serializer_class = DeletionSerializer
    pagination_class = DeletionPagination
    filter_backends = []
    sources = ()  # set by the router module once every resource is registered
    allowed = frozenset({"since", "resource", "page", "page_size", "format"})

    @extend_schema(
        parameters=[
            OpenApiParameter("since", OpenApiTypes.DATETIME, description="Deleted at or after."),
            OpenApiParameter("resource", OpenApiTypes.STR, description="One resource only."),
        ]
    )
    def list(self, request):
        """Rows deleted since a moment, oldest first (resource, id, deleted_at)."""
        since, resource = self.checked_query(request)
        rows = self.tombstones(request.user, since, resource)
        page = self.paginate_queryset(rows)
        data = [{"resource": r, "id": pk, "deleted_at": at} for r, pk, at in page]
        return self.get_paginated_response(DeletionSerializer(data, many=True).data)

    def checked_query(self, request):
        unknown = sorted(set(request.query_params) - self.allowed)
        if unknown:
            message = _("Unknown parameter. Allowed: %(allowed)s.") % {
                "allowed": ", ".join(sorted(self.allowed))
            }
            raise serializers.ValidationError({name: [message] for name in unknown})
        resources = [resource for resource, _model, _department in self.sources]
        resource = request.query_params.get("resource")
        if resource is not None and resource not in resources:
            message = _("Allowed: %(allowed)s.") % {"allowed": ", ".join(resources)}
            raise serializers.ValidationError({"resource": [message]})
        since = None
        if "since" in request.query_params:
            field = UtcDateTimeField()
            try:
                since = field.clean(request.query_params["since"])
            except forms.ValidationError as error:
                raise serializers.ValidationError({"since": error.messages}) from error
        return since, resource

    def tombstones(self, user, since, resource):
        parts = []
        for name, history, department in self.sources:
            if resource is not None and name != resource:
                continue
            rows = history.objects.filter(history_type="-")
            if department is not None:
                rows = rows.filter(visibility_filter(user, department))
            if since is not None:
                rows = rows.filter(history_date__gte=since)
            rows = rows.annotate(resource=Value(name, output_field=CharField()))
            parts.append(rows.values_list("resource", "id", "history_date").order_by())
        combined = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
        return combined.order_by("history_date", "resource", "id")

    def get_paginated_response(self, data):
        return self.paginator.get_paginated_response(data)

    def get_queryset(self):  # the schema generator asks; the list does not use it
        return self.sources[0][1].objects.none()
