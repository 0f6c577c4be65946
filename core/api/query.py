"""The query string of API lists, checked in one place: unknown parameters, ordering.

Every list action (the list, the bulk series, the export) of every viewset accepts only:
- the paging parameters (``page``, ``page_size``, ``pagination``, ``cursor``: core.api.pagination);
- ``format`` and ``ordering``;
- its filterset's filters;
- the action's own parameters (``ViewSet.action_parameters``, e.g. the series' years).

Anything else is a 400 naming what is allowed: a typo such as ``updated_after=`` must not
answer the whole table as if no filter had been asked.

``UniqueOrderingFilter`` answers 400 to an ordering field the list does not offer, and ends
every ordering, the default one included, with the id: rows that tie on the ordered fields
(a year, a moment) then keep one order between two requests, so paging neither loses nor
repeats rows.
"""

from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.filters import OrderingFilter

PAGING_PARAMETERS = frozenset({"page", "page_size", "pagination", "cursor"})
COMMON_PARAMETERS = frozenset({"format", "ordering"}) | PAGING_PARAMETERS
# Actions that answer a collection (their query is checked, their validators are the list's).
COLLECTION_ACTIONS = frozenset({"list", "series_list", "export_csv", "export_ndjson"})
# What an export takes besides the list's filters and ordering (it is not paged).
EXPORT_PARAMETERS = {"export_csv": {"dialect"}, "export_ndjson": set()}


def allowed_parameters(view):
    """The query parameters `view`'s current action understands."""
    names = set(COMMON_PARAMETERS)
    filterset_class = getattr(view, "filterset_class", None)
    if filterset_class is not None:
        names |= set(filterset_class.base_filters)
    names |= set(getattr(view, "action_parameters", {}).get(view.action, ()))
    if view.action in EXPORT_PARAMETERS:
        names = (names - PAGING_PARAMETERS) | EXPORT_PARAMETERS[view.action]
    return names


def check_query_parameters(request, view):
    """400 when the query string has a parameter the action does not understand."""
    allowed = allowed_parameters(view)
    unknown = sorted(set(request.query_params) - allowed)
    if unknown:
        message = _("Unknown parameter. Allowed: %(allowed)s.") % {
            "allowed": ", ".join(sorted(allowed))
        }
        raise serializers.ValidationError({name: [message] for name in unknown})


def unique_ordering(ordering):
    """`ordering` ended with the id unless the id is already in it."""
    ordering = list(ordering or ())
    if any(str(term).lstrip("-") in {"id", "pk"} for term in ordering):
        return ordering
    return [*ordering, "id"]


class UniqueOrderingFilter(OrderingFilter):
    def get_ordering(self, request, queryset, view):
        params = request.query_params.get(self.ordering_param)
        if params:
            fields = [param.strip() for param in params.split(",") if param.strip()]
            valid = self.remove_invalid_fields(queryset, fields, view, request)
            if len(valid) != len(fields) or not fields:
                allowed = self.allowed_names(queryset, view, request)
                message = _("Unknown ordering. Allowed: %(allowed)s (prefix “-” to reverse).") % {
                    "allowed": ", ".join(allowed)
                }
                raise serializers.ValidationError({self.ordering_param: [message]})
            return valid
        return self.get_default_ordering(view)

    def get_template_context(self, request, queryset, view):
        # The browsable API's ordering menu, drawn for a 400 too: the bad ordering is ignored.
        try:
            return super().get_template_context(request, queryset, view)
        except serializers.ValidationError:
            return {"request": request, "current": None, "param": self.ordering_param,
                    "options": []}  # fmt: skip

    def allowed_names(self, queryset, view, request):
        return [
            name for name, _label in self.get_valid_fields(queryset, view, {"request": request})
        ]

    def filter_queryset(self, request, queryset, view):
        ordering = self.get_ordering(request, queryset, view)
        if not ordering:
            ordering = queryset.query.order_by or queryset.model._meta.ordering
        return queryset.order_by(*unique_ordering(ordering))
