"""Writes of the dashboards app: the heads' notes in the annual monitoring report and the
publication of a year's report."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import require_perm
from core.filters import YEAR_MAX, YEAR_MIN
from core.workflow import ensure_year_open

from .models import PublishedReport, ReasonForDeviation, SectionProposal


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


def _publishable_year(year):
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise ValidationError(_("The year must be between 1900 and 2100."), code="year")
    if year > timezone.localdate().year:
        raise ValidationError(
            _("A report can be published only for a year that has begun."), code="future"
        )
    return year


@transaction.atomic
def report_publish(*, year, by):
    """Publish the annual report of `year`: its approved data may then leave the portal.
    Publishing a published year again changes nothing."""
    require_perm(by, "dashboards.publish_report")
    report, _created = PublishedReport.objects.get_or_create(
        year=_publishable_year(year), defaults={"published_by": by}
    )
    return report


@transaction.atomic
def report_withdraw(*, year, by):
    """Withdraw the publication of `year` (history keeps who published it and when)."""
    require_perm(by, "dashboards.publish_report")
    deleted, _rows = PublishedReport.objects.filter(year=year).delete()
    return bool(deleted)


def section_proposals_set(*, section, year, text, by):
    """Create or replace a section's proposals for `year` (history keeps the earlier text); an
    empty text removes them."""
    require_perm(by, "dashboards.write_section_proposals", section)
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise ValidationError(_("The year must be between 1900 and 2100."), code="year")
    ensure_year_open(year)
    text = text.strip()
    if not text:
        SectionProposal.objects.filter(section=section, year=year).delete()
        return None
    proposal, _created = SectionProposal.objects.update_or_create(
        section=section, year=year, defaults={"text": text, "author": by}
    )
    return proposal
