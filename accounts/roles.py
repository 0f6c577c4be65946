"""Role predicates for `rules`; every object permission of the portal is built from these.

A user's roles are their Django groups (named as ``Role`` values); superusers count as
administrators. Objects expose their owning department as ``department_id``.
"""

import rules
from django.core.exceptions import PermissionDenied
from django.db.models import Q

from .models import Role


def role_names(user):
    """The names of the user's roles (groups). Cached on the user object, so a page that checks
    many objects asks the database once."""
    if not hasattr(user, "_role_names"):
        user._role_names = frozenset(user.groups.values_list("name", flat=True))
    return user._role_names


def has_role(user, role):
    return user.is_authenticated and role in role_names(user)


@rules.predicate
def is_administrator(user):
    return user.is_authenticated and (user.is_superuser or has_role(user, Role.ADMINISTRATOR))


@rules.predicate
def is_head(user):
    return has_role(user, Role.HEAD)


@rules.predicate
def is_editor(user):
    # A head edits their department's data as an editor does, and approves it too.
    return has_role(user, Role.EDITOR) or has_role(user, Role.HEAD)


@rules.predicate
def is_staff_member(user):
    """Anyone who may read the portal's pages: every role but a bare API client."""
    return user.is_authenticated and (
        user.is_superuser
        or bool(role_names(user) & {r.value for r in Role if r != Role.API_CLIENT})
    )


@rules.predicate
def owns_department(user, obj):
    department_id = getattr(obj, "department_id", None)
    return department_id is not None and department_id == user.department_id


can_edit_department_data = is_administrator | (is_editor & owns_department)
can_approve_department_data = is_administrator | (is_head & owns_department)


def department_scope(user, field):
    """A filter on ``field`` (a department id lookup) for the rows the user works on:
    administrators every department, everyone else only their own."""
    if is_administrator(user):
        return Q()
    if user.department_id is None:
        return Q(pk__in=[])
    return Q(**{field: user.department_id})


def require_perm(user, permission, obj=None):
    """Raise PermissionDenied (403) unless `user` has `permission` (on `obj`, by the rules)."""
    if not user.has_perm(permission, obj):
        raise PermissionDenied
