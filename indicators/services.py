"""Writes of indicators: targets, values and their approval workflow.

Every function runs in one transaction and locks the rows it decides on, so two people acting
at once cannot both win. Bad input raises ``ValidationError`` with a message for the user;
an action the item's state does not allow raises ``WorkflowConflict`` (HTTP 409).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from khv_strategy.workflow import WorkflowState

from .models import Indicator, IndicatorValue, Target
from .selectors import indicator_years


class WorkflowConflict(ValidationError):
    """The item is not in a state that allows this action."""


# target state → states it may be reached from
TRANSITIONS = {
    WorkflowState.SUBMITTED: {WorkflowState.DRAFT, WorkflowState.RETURNED},
    WorkflowState.APPROVED: {WorkflowState.SUBMITTED},
    WorkflowState.RETURNED: {WorkflowState.SUBMITTED},
}


def _refusal(to, state):
    label = WorkflowState(state).label
    if to == WorkflowState.SUBMITTED:
        message = _("Only a draft or a returned item can be submitted; this one is “%(state)s”.")
    elif to == WorkflowState.APPROVED:
        message = _("Only an item submitted for approval can be approved; this one is “%(state)s”.")
    else:
        message = _("Only an item submitted for approval can be returned; this one is “%(state)s”.")
    return WorkflowConflict(message, code="wrong_state", params={"state": label})


def workflow_transition(*, item, to, by, comment=""):
    """Move any WorkflowItem to state `to`; returns the updated row.

    Returning requires a comment (the author must know what to fix).
    """
    comment = comment.strip()
    with transaction.atomic():
        locked = type(item).objects.select_for_update().get(pk=item.pk)
        if locked.state not in TRANSITIONS[to]:
            raise _refusal(to, locked.state)
        if to == WorkflowState.RETURNED and not comment:
            raise ValidationError(
                _("Say why the item is returned: the comment is required."),
                code="comment_required",
            )
        now = timezone.now()
        locked.state = to
        if to == WorkflowState.SUBMITTED:
            locked.submitted_at = now
        else:
            locked.reviewer, locked.reviewed_at, locked.review_comment = by, now, comment
        locked._history_user = by
        locked.save()
    return locked


def value_submit(*, item, by):
    return workflow_transition(item=item, to=WorkflowState.SUBMITTED, by=by)


def value_approve(*, item, by, comment=""):
    return workflow_transition(item=item, to=WorkflowState.APPROVED, by=by, comment=comment)


def value_return(*, item, by, comment):
    return workflow_transition(item=item, to=WorkflowState.RETURNED, by=by, comment=comment)


def _locked_indicator(indicator_id):
    return (
        Indicator.objects.select_related("expected_result__section__plan")
        .select_for_update(of=("self",))
        .get(pk=indicator_id)
    )


def _check_period(indicator, year, quarter, exclude_pk=None):
    """Refuse a value the indicator's periods cannot take. Call with the indicator locked."""
    if indicator.is_computed:
        raise ValidationError(
            _(
                "The values of a computed indicator come from the partner records; "
                "they cannot be entered by hand."
            ),
            code="computed",
        )
    years = indicator_years(indicator)
    if year not in years:
        raise ValidationError(
            {
                "year": ValidationError(
                    _("The year must be within the plan's years, %(first)s–%(last)s."),
                    code="year_out_of_range",
                    params={"first": years[0], "last": years[-1]},
                )
            }
        )
    taken = set(
        IndicatorValue.objects.filter(indicator=indicator, year=year)
        .exclude(pk=exclude_pk)
        .values_list("quarter", flat=True)
    )
    params = {"year": year, "quarter": quarter}
    if quarter is None and None in taken:
        message = _("A value for %(year)s has already been entered.")
    elif quarter is None and taken:
        message = _(
            "Quarterly values have already been entered for %(year)s; "
            "enter the remaining quarters, not a value for the whole year."
        )
    elif quarter is not None and None in taken:
        message = _(
            "A value for the whole of %(year)s has already been entered; "
            "quarterly values cannot be added to it."
        )
    elif quarter in taken:
        message = _("A value for quarter %(quarter)s of %(year)s has already been entered.")
    else:
        return
    raise ValidationError(message, code="duplicate_period", params=params)


def value_create(
    *, indicator, by, year, value, quarter=None, evidence_file=None, evidence_url="", comment=""
):
    """Record an actual value as a draft of `by`."""
    with transaction.atomic():
        # Locking the indicator serialises entries for it, so the period checks hold.
        indicator = _locked_indicator(indicator.pk)
        _check_period(indicator, year, quarter)
        item = IndicatorValue(
            indicator=indicator,
            year=year,
            quarter=quarter,
            value=value,
            evidence_file=evidence_file or "",
            evidence_url=evidence_url,
            comment=comment,
            author=by,
            state=WorkflowState.DRAFT,
        )
        item._history_user = by
        item.save()
    return item


def value_update(
    *, item, by, year, value, quarter=None, evidence_file=None, evidence_url="", comment=""
):
    """Correct a draft or returned value; a submitted or approved one is read-only.

    `evidence_file`: None keeps the current file, False clears it, a file replaces it.
    """
    with transaction.atomic():
        indicator = _locked_indicator(item.indicator_id)
        item = IndicatorValue.objects.select_for_update().get(pk=item.pk)
        if not item.is_editable:
            raise WorkflowConflict(
                _("Only a draft or a returned value can be changed; this one is “%(state)s”."),
                code="read_only",
                params={"state": WorkflowState(item.state).label},
            )
        _check_period(indicator, year, quarter, exclude_pk=item.pk)
        item.year, item.quarter, item.value = year, quarter, value
        if evidence_file is not None:
            item.evidence_file = evidence_file or ""
        item.evidence_url, item.comment = evidence_url, comment
        item._history_user = by
        item.save()
    return item


def targets_set(*, indicator, targets, by):
    """Set the planned values {year: Decimal or None}; None removes the year's target.

    Rows whose value does not change are not written (their history stays quiet).
    """
    years = indicator_years(indicator)
    outside = sorted(year for year in targets if year not in years)
    if outside:
        raise ValidationError(
            _("The year must be within the plan's years, %(first)s–%(last)s."),
            code="year_out_of_range",
            params={"first": years[0], "last": years[-1]},
        )
    changed = 0
    with transaction.atomic():
        _locked_indicator(indicator.pk)
        existing = {t.year: t for t in Target.objects.filter(indicator=indicator)}
        for year, amount in sorted(targets.items()):
            current = existing.get(year)
            if amount is None:
                if current is not None:
                    current._history_user = by
                    current.delete()
                    changed += 1
            elif current is None:
                target = Target(indicator=indicator, year=year, value=amount)
                target._history_user = by
                target.save()
                changed += 1
            elif current.value != amount:
                current.value = amount
                current._history_user = by
                current.save()
                changed += 1
    return changed
