"""The approval workflow shared by progress reports and indicator values.

draft → submitted → approved, or → returned (comment required) → submitted again.
Only approved items count on dashboards, in reports and for API clients.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import BooleanField, Exists, OuterRef, Value
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class WorkflowState(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted for approval")
    APPROVED = "approved", _("approved")
    RETURNED = "returned", _("returned for revision")


# The states in which the item's author is still at work on it: it may be edited and submitted.
EDITABLE_STATES = (WorkflowState.DRAFT, WorkflowState.RETURNED)


class WorkflowItem(models.Model):
    """Fields every item that goes through approval carries."""

    state = models.CharField(
        _("state"),
        max_length=16,
        choices=WorkflowState.choices,
        default=WorkflowState.DRAFT,
        db_index=True,
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_comment = models.TextField(_("review comment"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True

    @property
    def is_approved(self):
        return self.state == WorkflowState.APPROVED

    @property
    def is_editable(self):
        return self.state in EDITABLE_STATES


# --- transitions -------------------------------------------------------------------------------
#
# A concrete WorkflowItem defines a ``workflow_year`` property (the reporting year the item is
# dated in, e.g. ``return self.year``) and the permissions ``<app>.submit_<model>`` and
# ``<app>.approve_<model>`` in its app's rules.py. The functions below then work for it unchanged.


class WorkflowError(ValidationError):
    """A transition the item's state, its author or the reporting year does not allow.

    ``code`` says why: "wrong_state", "year_locked", "comment_required", "not_editable",
    "own_item" (four eyes).
    """


# The HTTP status of a refusal, for pages, fragments and the API alike: a missing comment is
# bad input, reviewing one's own item is forbidden, the rest conflicts with the item's state.
REFUSAL_STATUS = {"comment_required": 400, "own_item": 403}


def refusal_status(error):
    return REFUSAL_STATUS.get(error.code, 409)


# The refusals speak of a report unless the model words them for its own items: it may define
# WORKFLOW_STATE_REFUSALS (one message per state), WORKFLOW_NOT_EDITABLE (with "%(reason)s",
# the state refusal), WORKFLOW_COMMENT_REQUIRED and WORKFLOW_OWN_ITEM.
STATE_REFUSALS = {
    WorkflowState.DRAFT: _("The report is still a draft; it has not been submitted."),
    WorkflowState.SUBMITTED: _("The report has already been submitted for approval."),
    WorkflowState.APPROVED: _("The report has already been approved."),
    WorkflowState.RETURNED: _("The report has already been returned for revision."),
}
NOT_EDITABLE = _("%(reason)s Only a draft or a returned report can be edited.")
OWN_ITEM = _(
    "You entered this report yourself; another head or an administrator has to review it "
    "(four eyes)."
)
COMMENT_REQUIRED = _("Say what has to be fixed: a returned report needs a comment.")


def _wording(item, name, default):
    return getattr(type(item), f"WORKFLOW_{name}", default)


def _state_refusal(item):
    return _wording(item, "STATE_REFUSALS", STATE_REFUSALS)[item.state]


# The model whose rows close a reporting year (a ``year`` and a ``locked`` field): the app that
# owns reporting years registers it in its AppConfig.ready() (activities.ReportingYear), so the
# engine asks it without importing that app. None registered: no year is ever closed.
_year_lock_model = None


def register_year_lock(model):
    global _year_lock_model
    _year_lock_model = model


def _locked_years():
    if _year_lock_model is None:
        return None
    return _year_lock_model.objects.filter(locked=True)


def is_year_locked(year):
    """True when an administrator has closed this reporting year for changes."""
    locked = _locked_years()
    if year is None or locked is None:
        return False
    return locked.filter(year=year).exists()


def with_year_lock(items):
    """Annotate each item of a queryset (dated by its ``year`` field) with ``year_locked``, so
    pages hide the actions a closed year refuses without a query per row."""
    locked = _locked_years()
    if locked is None:
        return items.annotate(year_locked=Value(False, output_field=BooleanField()))
    return items.annotate(year_locked=Exists(locked.filter(year=OuterRef("year"))))


def ensure_year_open(year):
    """Raise WorkflowError("year_locked") when the year is closed; call it in every write."""
    if is_year_locked(year):
        raise WorkflowError(
            _("Reporting year %(year)s is closed for changes."),
            code="year_locked",
            params={"year": year},
        )


def ensure_editable(item):
    """Only drafts and returned items may be edited; approved ones are read-only."""
    if not item.is_editable:
        raise WorkflowError(
            _wording(item, "NOT_EDITABLE", NOT_EDITABLE),
            code="not_editable",
            params={"reason": _state_refusal(item)},
        )


def is_own_item(item, user):
    """Four eyes: did ``user`` enter the item? Nobody approves or returns their own item,
    administrators included."""
    return item.author_id is not None and item.author_id == user.pk


def ensure_not_own(item, *, by):
    if is_own_item(item, by):
        raise WorkflowError(_wording(item, "OWN_ITEM", OWN_ITEM), code="own_item")


def _permission(item, action):
    opts = item._meta
    return f"{opts.app_label}.{action}_{opts.model_name}"


def ensure_permitted(item, *, by, permission):
    """PermissionDenied unless `by` may `permission` ("submit", "approve") the item."""
    if not by.has_perm(_permission(item, permission), item):
        raise PermissionDenied


# Sent after a transition's transaction commits, with ``item`` (its new state), ``by`` (who
# acted) and ``action`` ("submit", "approve", "return"). Feature apps that react to the workflow
# (notifications) connect to it, so the engine and the items' apps import none of them.
item_transitioned = Signal()


def _announce(item, *, by, action):
    # robust: a listener that fails is logged; the transition, already committed, still
    # answers as done.
    transaction.on_commit(
        lambda: item_transitioned.send(type(item), item=item, by=by, action=action),
        robust=True,
    )


def _transition(item, *, by, permission, allowed_states, change, action):
    """Lock the row, check who and what, apply ``change`` and save; the caller's object is
    refreshed so it shows the new state."""
    with transaction.atomic():
        locked = type(item).objects.select_for_update().get(pk=item.pk)
        ensure_permitted(locked, by=by, permission=permission)
        if permission == "approve":
            ensure_not_own(locked, by=by)
        if locked.state not in allowed_states:
            raise WorkflowError(_state_refusal(locked), code="wrong_state")
        ensure_year_open(locked.workflow_year)
        change(locked)
        locked._history_user = by
        locked.save()
        _announce(locked, by=by, action=action)
    for field in locked._meta.concrete_fields:
        setattr(item, field.attname, getattr(locked, field.attname))
    return item


def workflow_submit(*, item, by):
    """draft / returned → submitted, by an editor of the item's department."""

    def change(locked):
        locked.state = WorkflowState.SUBMITTED
        locked.submitted_at = timezone.now()

    return _transition(
        item,
        by=by,
        permission="submit",
        allowed_states=EDITABLE_STATES,
        change=change,
        action="submit",
    )


def workflow_approve(*, item, by):
    """submitted → approved, by the head of the item's department (or an administrator)."""

    def change(locked):
        locked.state = WorkflowState.APPROVED
        locked.reviewer = by
        locked.reviewed_at = timezone.now()
        locked.review_comment = ""

    return _transition(
        item,
        by=by,
        permission="approve",
        allowed_states={WorkflowState.SUBMITTED},
        change=change,
        action="approve",
    )


def workflow_return(*, item, by, comment):
    """submitted → returned with the head's comment saying what to fix. Who may return it is
    decided before what they wrote (refused, not asked for a comment)."""
    ensure_permitted(item, by=by, permission="approve")
    ensure_not_own(item, by=by)
    comment = (comment or "").strip()
    if not comment:
        raise WorkflowError(
            _wording(item, "COMMENT_REQUIRED", COMMENT_REQUIRED), code="comment_required"
        )

    def change(locked):
        locked.state = WorkflowState.RETURNED
        locked.reviewer = by
        locked.reviewed_at = timezone.now()
        locked.review_comment = comment

    return _transition(
        item,
        by=by,
        permission="approve",
        allowed_states={WorkflowState.SUBMITTED},
        change=change,
        action="return",
    )
