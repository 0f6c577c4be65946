"""Role predicates for `rules`; every object permission of the portal is built from these.

A user's roles are their Django groups (named as ``Role`` values); superusers count as
administrators. Objects expose their owning department as ``department_id``.
"""

import rules
from django.core.exceptions import PermissionDenied
from django.db.models import Q

from core.access import role_names
from core.workflow import WorkflowState, is_own_item

from .models import Role


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


@rules.predicate
def entered_it(user, item):
    """Four eyes (core.workflow): the user entered the item themselves."""
    return item is not None and is_own_item(item, user)


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


def own_unfinished_work(user, author_field="author"):
    """A filter on drafts and returned items for those that are ``user``'s to finish: every
    one of the department for an editor (and an administrator); for a head, only those they
    entered themselves — the editors' drafts are the editors', the head approves them once
    submitted."""
    if is_head(user) and not is_administrator(user):
        return Q(**{f"{author_field}_id": user.pk})
    return Q()


# --- who sees what -----------------------------------------------------------------------------
#
# The one rule for items that go through approval (progress reports, indicator values, and the
# evidence files that follow them; design.md, "Who sees what"):
# - approved items: every signed-in user, API clients included;
# - pending items (draft, submitted, returned): the editors and heads of the item's department
#   and administrators; not viewers, not other departments, not API clients.
# ``pending_departments`` decides it; the querysets' ``visible_to`` (``visibility_filter``)
# and the object permissions (``sees_item``) both ask it, so they cannot disagree.

EVERY_DEPARTMENT = object()


def pending_departments(user):
    """The departments whose pending items ``user`` may see: EVERY_DEPARTMENT, or a tuple of
    department ids (empty for viewers, API clients and anonymous users)."""
    if not user.is_authenticated:
        return ()
    if is_administrator(user):
        return EVERY_DEPARTMENT
    if is_editor(user) and user.department_id is not None:
        return (user.department_id,)
    return ()


def visibility_filter(user, department_field):
    """A filter on workflow items (their department reached by ``department_field``) for the
    rows ``user`` may see."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    departments = pending_departments(user)
    if departments is EVERY_DEPARTMENT:
        return Q()
    approved = Q(state=WorkflowState.APPROVED)
    if not departments:
        return approved
    return approved | Q(**{f"{department_field}__in": departments})


def sees_pending(user, department_id):
    """True when ``user`` may see the pending items of the department."""
    departments = pending_departments(user)
    return departments is EVERY_DEPARTMENT or department_id in departments


def sees_item(user, *, state, department_id):
    """The object form of ``visibility_filter``: may ``user`` see an item in ``state`` of the
    department?"""
    if not user.is_authenticated:
        return False
    return state == WorkflowState.APPROVED or sees_pending(user, department_id)


def require_perm(user, permission, obj=None):
    """Raise PermissionDenied (403) unless `user` has `permission` (on `obj`, by the rules)."""
    if not user.has_perm(permission, obj):
        raise PermissionDenied
