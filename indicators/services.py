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

from .models import Indicator, IndicatorValue, Target
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


def value_create(
    *, indicator, by, year, value, quarter=None, evidence_file=None, evidence_url="", comment=""
):
    """Record an actual value as a draft of `by`, in an open reporting year."""
    require_perm(by, EDIT, indicator)
    ensure_year_open(year)
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
        _check_period(indicator, year, quarter, exclude_pk=item.pk)
        item.year, item.quarter, item.value = year, quarter, value
        if evidence_file is not None:
            item.evidence_file = evidence_file or ""
        item.evidence_url, item.comment = evidence_url, comment
        item._history_user = by
        item.save()
    return item


def targets_set(*, indicator, targets, by, act=None):
    """Set the planned values {year: Decimal or None}; None removes the year's target.

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
    changed = 0
    with transaction.atomic():
        _locked_indicator(indicator.pk)
        existing = {t.year: t for t in Target.objects.filter(indicator=indicator, act=act)}
        for year, amount in sorted(targets.items()):
            current = existing.get(year)
            if amount == (current.value if current is not None else None):
                continue
            ensure_year_open(year)
            if amount is None:
                current._history_user = by
                current.delete()
            elif current is None:
                target = Target(indicator=indicator, year=year, value=amount, act=act)
                target._history_user = by
                target.save()
            else:
                current.value = amount
                current._history_user = by
                current.save()
            changed += 1
    return changed
