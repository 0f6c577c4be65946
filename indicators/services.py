"""Writes of indicators: targets and values. A value's approval goes through the portal's
workflow (core.workflow: workflow_submit / workflow_approve / workflow_return).

Every function runs in one transaction and locks the rows it decides on, so two people acting
at once cannot both win. Bad input raises ``ValidationError`` with a message for the user; a
value its state makes read-only, or a year an administrator has closed, raises the workflow's
``WorkflowError`` (a ValidationError too; ``code`` says which).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.roles import require_perm
from core.workflow import WorkflowState, ensure_editable, ensure_year_open

from .models import Indicator, IndicatorValue, MilestoneStatus, Target
from .selectors import indicator_years

# Entering values and setting targets: the indicator's department's editors (indicators/rules.py).
EDIT = "indicators.edit_indicator_data"


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


def check_kind(indicator, value, milestone_status, quarter):
    """Refuse a number for a milestone or a status for a numeric indicator: the rule across
    the indicator and its values that the database cannot check (models.IndicatorValue)."""
    if indicator.is_milestone:
        if value is not None or quarter is not None:
            raise ValidationError(
                _(
                    "This indicator is a milestone: choose its status for the whole year, "
                    "without a number or a quarter."
                ),
                code="number_for_milestone",
            )
        if milestone_status not in MilestoneStatus.values:
            raise ValidationError(
                {
                    "milestone_status": ValidationError(
                        _("Choose the milestone's status."), code="status_required"
                    )
                }
            )
    elif milestone_status:
        raise ValidationError(
            _("This indicator is numeric: enter a number, not a milestone status."),
            code="status_for_number",
        )
    elif value is None:
        raise ValidationError(
            {"value": ValidationError(_("Enter the value."), code="value_required")}
        )


def value_create(
    *,
    indicator,
    by,
    year,
    value=None,
    milestone_status="",
    quarter=None,
    evidence_file=None,
    evidence_url="",
    comment="",
):
    """Record an actual value (a number, or a milestone's status) as a draft of `by`, in an
    open reporting year."""
    require_perm(by, EDIT, indicator)
    ensure_year_open(year)
    with transaction.atomic():
        # Locking the indicator serialises entries for it, so the period checks hold.
        indicator = _locked_indicator(indicator.pk)
        check_kind(indicator, value, milestone_status, quarter)
        _check_period(indicator, year, quarter)
        item = IndicatorValue(
            indicator=indicator,
            year=year,
            quarter=quarter,
            value=value,
            milestone_status=milestone_status,
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
    *,
    item,
    by,
    year,
    value=None,
    milestone_status="",
    quarter=None,
    evidence_file=None,
    evidence_url="",
    comment="",
):
    """Correct a draft or returned value; a submitted or approved one is read-only, and its old
    and new years must both be open.

    `evidence_file`: None keeps the current file, False clears it, a file replaces it.
    """
    require_perm(by, EDIT, item.indicator)
    with transaction.atomic():
        indicator = _locked_indicator(item.indicator_id)
        item = IndicatorValue.objects.select_for_update().get(pk=item.pk)
        ensure_editable(item)
        ensure_year_open(item.year)
        ensure_year_open(year)
        check_kind(indicator, value, milestone_status, quarter)
        _check_period(indicator, year, quarter, exclude_pk=item.pk)
        item.year, item.quarter, item.value = year, quarter, value
        item.milestone_status = milestone_status
        if evidence_file is not None:
            item.evidence_file = evidence_file or ""
        item.evidence_url, item.comment = evidence_url, comment
        item._history_user = by
        item.save()
    return item


def check_target_kind(indicator, value):
    """A milestone's target row has no value (it is due by that year's end); a numeric
    indicator's has one — the rule across the indicator and its targets that the database
    cannot check (models.Target). The targets form and the admin ask it."""
    if indicator.is_milestone and value is not None:
        raise ValidationError(
            _("A milestone's target is the year by which it is to be done, not a number."),
            code="target_kind",
        )
    if not indicator.is_milestone and value is None:
        raise ValidationError(_("Enter the target as a number."), code="target_kind")


def targets_set(*, indicator, targets, by, act=None):
    """Set the planned values {year: Decimal or None}; None removes the year's target. A
    milestone's targets have no number: {year: True or None}, True for "due by the end of the
    year" (stored as a row without a value, models.Target).

    Without an act the original targets are set (or corrected); with an act (a LegalAct) the
    targets that act sets, beside the earlier ones, which are never overwritten. Rows whose
    value does not change are not written (their history stays quiet); a year whose target
    does change must be open.
    """
    require_perm(by, EDIT, indicator)
    years = indicator_years(indicator)
    outside = sorted(year for year in targets if year not in years)
    if outside:
        raise ValidationError(
            _("The year must be within the plan's years, %(first)s–%(last)s."),
            code="year_out_of_range",
            params={"first": years[0], "last": years[-1]},
        )
    milestone = indicator.is_milestone
    for amount in targets.values():
        if amount is not None:
            # `True is 1` compares equal to Decimal(1): ask for the type, not the value.
            check_target_kind(indicator, None if amount is True else amount)
    changed = 0
    with transaction.atomic():
        _locked_indicator(indicator.pk)
        existing = {t.year: t for t in Target.objects.filter(indicator=indicator, act=act)}
        for year, amount in sorted(targets.items()):
            current = existing.get(year)
            # A milestone's row has no value: its presence is the target (True).
            current_amount = None if current is None else (True if milestone else current.value)
            if amount == current_amount:
                continue
            ensure_year_open(year)
            if amount is None:
                current._history_user = by
                current.delete()
            elif current is None:
                value = None if milestone else amount
                target = Target(indicator=indicator, year=year, value=value, act=act)
                target._history_user = by
                target.save()
            else:
                current.value = amount
                current._history_user = by
                current.save()
            changed += 1
    return changed
