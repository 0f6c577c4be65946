"""Writes of the dashboards app: the heads' notes in the annual monitoring report."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accounts.roles import require_perm
from core.filters import YEAR_MAX, YEAR_MIN
from core.workflow import ensure_year_open

from .models import ReasonForDeviation


def reason_for_deviation_set(*, indicator, year, text, by):
    """Create or replace the reason for deviation of `indicator` in `year`; history keeps the
    earlier text. The head of the indicator's department (or an administrator) writes it."""
    require_perm(by, "dashboards.write_reason_for_deviation", indicator)
    text = text.strip()
    if not text:
        raise ValidationError(_("Write the reason for the deviation."), code="required")
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise ValidationError(_("The year must be between 1900 and 2100."), code="year")
    ensure_year_open(year)
    # update_or_create locks an existing row and, when two heads create the first note at
    # once, retries the loser as an update instead of failing on the unique constraint.
    reason, _created = ReasonForDeviation.objects.update_or_create(
        indicator=indicator, year=year, defaults={"text": text, "author": by}
    )
    return reason
