"""Writes of the dashboards app: the heads' notes in the annual monitoring report and the
publication of a year's report."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from accounts.roles import require_perm
from core.filters import YEAR_MAX, YEAR_MIN
from core.workflow import ensure_year_open
from notifications import calendar as notification_calendar
from notifications import services as notification_services
from notifications.models import Kind as NotificationKind

from . import selectors
from .models import (
    Cause,
    CorrectiveAction,
    PublishedReport,
    ReasonForDeviation,
    SectionProposal,
)


def _ensure_deviates(indicator, year):
    """Causes and corrective actions are for a year at risk or not achieved (the one rule:
    selectors.deviates), nothing else."""
    status, forecast = selectors.deviation_status(indicator, year)
    if not selectors.deviates(status, forecast):
        raise ValidationError(
            _(
                "A cause of deviation and corrective actions are recorded only for a year in "
                "which the indicator is at risk or not achieved."
            ),
            code="no_deviation",
        )


def _valid_cause(cause):
    if cause not in Cause.values or cause == Cause.UNSPECIFIED:
        raise ValidationError(_("Choose the kind of the cause from the list."), code="cause")
    return cause


def reason_for_deviation_set(*, indicator, year, cause, text, by):
    """Create or replace the cause of `indicator`'s deviation in `year` (its kind and text);
    history keeps the earlier one. The head of the indicator's department (or an
    administrator) writes it, for a year at risk or not achieved."""
    require_perm(by, "dashboards.write_reason_for_deviation", indicator)
    text = text.strip()
    if not text:
        raise ValidationError(_("Write the reason for the deviation."), code="required")
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise ValidationError(_("The year must be between 1900 and 2100."), code="year")
    _valid_cause(cause)
    ensure_year_open(year)
    _ensure_deviates(indicator, year)
    # update_or_create locks an existing row and, when two heads create the first note at
    # once, retries the loser as an update instead of failing on the unique constraint.
    reason, _created = ReasonForDeviation.objects.update_or_create(
        indicator=indicator, year=year, defaults={"cause": cause, "text": text, "author": by}
    )
    return reason


# How far ahead of the report year a corrective action may fall due: a plan's horizon is rarely
# further, and a date beyond it is a typing error (2205 for 2025).
ACTION_YEARS_AHEAD = 5


def _valid_due_on(due_on, year):
    first = datetime.date(year, 1, 1)
    last = datetime.date(year + ACTION_YEARS_AHEAD, 12, 31)
    if not first <= due_on <= last:
        raise ValidationError(
            _("The due date must fall between %(first)s and %(last)s.")
            % {"first": first.strftime("%d.%m.%Y"), "last": last.strftime("%d.%m.%Y")},
            code="due_on",
        )
    return due_on


def _valid_done_on(done_on, since):
    today = timezone.localdate()
    if done_on > today:
        raise ValidationError(_("The day it was done cannot be in the future."), code="done_on")
    if done_on < since:
        raise ValidationError(
            _("The day it was done cannot be before %(date)s.")
            % {"date": since.strftime("%d.%m.%Y")},
            code="done_on",
        )
    return done_on


def _action_fields(text, responsible, responsible_position, status, *, not_open):
    """An action's text, person and stage as it is written, added or changed: the text and
    the person required, the stage planned or in progress (`not_open` says why not)."""
    text, responsible = text.strip(), responsible.strip()
    if not text:
        raise ValidationError(_("Describe the corrective action."), code="required")
    if not responsible:
        raise ValidationError(_("Name the person responsible."), code="required")
    if status not in (CorrectiveAction.Status.PLANNED, CorrectiveAction.Status.IN_PROGRESS):
        raise ValidationError(not_open, code="status")
    return {
        "text": text,
        "responsible": responsible,
        "responsible_position": responsible_position.strip(),
        "status": status,
    }


@transaction.atomic
def corrective_action_add(
    *, indicator, year, text, responsible, responsible_position="", due_on, status, by
):
    """Add a corrective action to the cause of `indicator`'s deviation in `year` (the cause is
    written first). Planned or in progress: an action is marked done afterwards
    (``corrective_action_mark_done``)."""
    require_perm(by, "dashboards.write_reason_for_deviation", indicator)
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise ValidationError(_("The year must be between 1900 and 2100."), code="year")
    fields = _action_fields(
        text, responsible, responsible_position, status,
        not_open=_("A new action is planned or in progress."),
    )  # fmt: skip
    ensure_year_open(year)
    _ensure_deviates(indicator, year)
    _valid_due_on(due_on, year)
    reason = (
        ReasonForDeviation.objects.select_for_update()
        .filter(indicator=indicator, year=year)
        .first()
    )
    if reason is None:
        raise ValidationError(
            _("Record the cause of the deviation before its corrective actions."), code="cause"
        )
    return CorrectiveAction.objects.create(reason=reason, due_on=due_on, author=by, **fields)


@transaction.atomic
def corrective_action_mark_done(*, action, done_on=None, by):
    """Mark a corrective action done on `done_on` (today by default); history keeps who did it
    and when. The head of the indicator's department or an administrator marks it; an action
    done already is left as it is. The row is locked, so two heads marking it at once do it
    once."""
    require_perm(by, "dashboards.write_reason_for_deviation", action.reason.indicator)
    ensure_year_open(action.reason.year)
    action = CorrectiveAction.objects.select_for_update().get(pk=action.pk)
    if action.is_done:
        return action
    since = datetime.date(action.reason.year, 1, 1)
    action.done_on = _valid_done_on(done_on or timezone.localdate(), since)
    action.status = CorrectiveAction.Status.DONE
    action.save(update_fields=["status", "done_on", "updated_at"])
    return action


def _changeable(action, by):
    """The action, locked, if `by` may change or delete it: the head of the indicator's
    department or an administrator, in an open year, and not done (a done action stays as it
    was recorded)."""
    require_perm(by, "dashboards.write_reason_for_deviation", action.reason.indicator)
    ensure_year_open(action.reason.year)
    action = CorrectiveAction.objects.select_for_update().get(pk=action.pk)
    if action.is_done:
        raise ValidationError(
            _("A done action is kept as it was: it is neither changed nor deleted."), code="done"
        )
    return action


@transaction.atomic
def corrective_action_update(
    *, action, text, responsible, responsible_position="", due_on, status, by
):
    """Change what an open corrective action says, who answers for it, its due date and
    whether it is under way (done is ``corrective_action_mark_done``). History keeps the
    previous wording."""
    action = _changeable(action, by)
    fields = _action_fields(
        text, responsible, responsible_position, status,
        not_open=_("An action is marked done with its own button."),
    )  # fmt: skip
    for name, value in fields.items():
        setattr(action, name, value)
    action.due_on = _valid_due_on(due_on, action.reason.year)
    action.save()
    return action


@transaction.atomic
def corrective_action_delete(*, action, by):
    """Delete an open corrective action (entered by mistake); history keeps it and who deleted
    it."""
    action = _changeable(action, by)
    action.delete()


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


# --- reminders ---------------------------------------------------------------------------------


@receiver(notification_services.daily_reminders)
def _remind_in_the_daily_run(sender, *, day, **kwargs):
    return remind_corrective_actions(day)


def remind_corrective_actions(today):
    """The heads of the indicator's department: a corrective action not done that falls due
    within 7 days, or is overdue; each told once per action, due date and head."""
    horizon = today + datetime.timedelta(days=notification_calendar.WARNING_DAYS)
    actions = (
        CorrectiveAction.objects.exclude(status=CorrectiveAction.Status.DONE)
        .filter(due_on__lte=horizon)
        .select_related("reason__indicator")
        .order_by("due_on", "pk")
    )
    made = 0
    for action in actions:
        indicator = action.reason.indicator
        status = notification_calendar.status(due=action.due_on, today=today)
        overdue = status.standing == notification_calendar.Standing.OVERDUE
        if overdue:
            text = _(
                "The corrective action on indicator %(code)s is overdue: it was due on "
                "%(due)s (%(days)s days ago): «%(action)s»"
            )
        else:
            text = _(
                "The corrective action on indicator %(code)s is due on %(due)s (in %(days)s "
                "days): «%(action)s»"
            )
        text = text % {
            "code": indicator.code,
            "due": action.due_on.strftime("%d.%m.%Y"),
            "days": status.days,
            "action": action.text[:200],
        }
        link = reverse("dashboards:annual_report", args=[action.reason.year])
        heads = notification_services.department_members(indicator.department_id, roles=[Role.HEAD])
        for head in heads:
            if not head.has_perm("dashboards.write_reason_for_deviation", indicator):
                continue
            made += bool(
                notification_services.notify(
                    user=head,
                    kind=NotificationKind.CORRECTIVE_ACTION,
                    key=f"action_{'overdue' if overdue else 'soon'}:{action.pk}:"
                    f"{action.due_on}:{head.pk}",
                    text=text,
                    link=f"{link}#indicator-{indicator.pk}",
                )
            )
    return made
