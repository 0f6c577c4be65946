"""Who entered and who reviewed an item, as the API shows them (docs/api.md, "People").

Staff (every role but a bare API client) get the person's name, as the portal's pages show
it (`User.__str__`: last name, first name, or the username); API clients get null — nothing
personal leaves the portal through open data. The decision is `is_staff_member`'s.

Lists read the names as annotations of the queryset (`person_names`), in the rows' query;
an item answered after a write, which has none, reads its user.
"""

from django.db import models
from django.db.models import F, Func, Value
from django.db.models.functions import Coalesce, NullIf
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.roles import is_staff_member

# The people of a workflow item (core.workflow): {API field: user field}, and the fast list's
# columns of their annotations (core.api.fast_list).
WORKFLOW_PEOPLE = {"author_name": "author", "reviewer_name": "reviewer"}
WORKFLOW_PEOPLE_COLUMNS = {name: F(name) for name in WORKFLOW_PEOPLE}


def person_name_expression(user_field):
    """SQL for `str(user)` of the user in `user_field`: "Last First", or the username."""
    parts = [NullIf(F(f"{user_field}__{part}"), Value("")) for part in ("last_name", "first_name")]
    return Coalesce(
        # PostgreSQL's CONCAT_WS skips the NULLs (the blank parts).
        NullIf(
            Func(Value(" "), *parts, function="CONCAT_WS", output_field=models.CharField()),
            Value(""),
        ),  # fmt: skip
        F(f"{user_field}__username"),
        output_field=models.CharField(),
    )


def person_names(viewer, **user_fields):
    """Annotations {name: the user's name, or null for `viewer` who may not see it}, e.g.
    person_names(request.user, author_name="author", reviewer_name="reviewer")."""
    if is_staff_member(viewer):
        return {name: person_name_expression(field) for name, field in user_fields.items()}
    return {name: Value(None, output_field=models.CharField()) for name in user_fields}


@extend_schema_field(
    {
        "type": "string",
        "nullable": True,
        "readOnly": True,
        "description": "The person's name for staff; null for API clients.",
    }
)
class PersonNameField(serializers.CharField):
    """The name of the user in `user_field`, from the queryset's annotation of the same name
    when there is one (lists; see person_names), else from the user."""

    def __init__(self, user_field, **kwargs):
        self.user_field = user_field
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, instance):
        if hasattr(instance, self.field_name):
            return getattr(instance, self.field_name)
        request = self.context.get("request")
        user = getattr(instance, self.user_field)
        if request is None or user is None or not is_staff_member(request.user):
            return None
        return str(user)
