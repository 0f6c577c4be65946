"""Writes: notifications made, marked read, preferences saved; and the daily run that tells
people about due dates and expiring agreements.

Who is told is decided by the permissions (accounts.roles through each app's rules), asked
of each candidate: nothing here re-states who sees what.
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from accounts.models import Role
from indicators.models import Indicator
from indicators.selectors import year_end_forecasts
from partners.models import Agreement

from . import calendar, selectors
from .models import Delivery, Kind, Notification, NotificationPreference, OutgoingEmail

User = get_user_model()
AGREEMENT_WARNINGS = (90, 30)

# Sent by the daily run with ``day``: an app above this one (the dashboards' corrective
# actions) adds its own reminders without this app importing it; each receiver returns how
# many notifications it made.
daily_reminders = Signal()


def _absolute(link):
    """An e-mail's link: the portal's address (PORTAL_URL) before the page's path."""
    return settings.PORTAL_URL.rstrip("/") + link if link.startswith("/") else link


def _email_for(notification):
    subject = _("KHV Strategy: %(kind)s") % {"kind": Kind(notification.kind).label}
    link = notification.link
    return subject, notification.text + ("\n\n" + _absolute(link) if link else "")


def notify(*, user, kind, key, text, link=""):
    """Tell ``user`` once: a second call with the same ``key`` does nothing. Returns the
    notification if it was made now. A user who wants this kind at once also gets an e-mail
    written to the outbox in the same transaction (the worker sends it)."""
    with transaction.atomic():
        notification, created = Notification.objects.get_or_create(
            key=key, defaults={"user": user, "kind": kind, "text": text, "link": link}
        )
        if not created:
            return None
        delivery = selectors.delivery_by_user([user], kind)[user.pk]
        if delivery == Delivery.IMMEDIATE and user.email:
            with override("ru"):
                subject, body = _email_for(notification)
            OutgoingEmail.objects.create(
                key=f"now:{key}", user=user, to=user.email, subject=subject, body=body
            )
            notification.emailed_at = timezone.now()
            notification.save(update_fields=["emailed_at"])
            transaction.on_commit(_wake_the_worker)
    return notification


def _wake_the_worker():
    from .tasks import deliver_emails  # the tasks module imports this one

    deliver_emails.enqueue()


def mark_read(*, user, notification_id):
    """Mark one of the user's notifications read; another user's is not found (None)."""
    return (
        Notification.objects.filter(user=user, pk=notification_id, read_at__isnull=True).update(
            read_at=timezone.now()
        )
        or Notification.objects.filter(user=user, pk=notification_id).exists()
    )


def mark_all_read(*, user):
    return Notification.objects.filter(user=user).unread().update(read_at=timezone.now())


def preferences_save(*, user, choices):
    """``choices``: {kind: delivery} for every kind, written at once."""
    with transaction.atomic():
        for kind, delivery in choices.items():
            NotificationPreference.objects.update_or_create(
                user=user, kind=kind, defaults={"delivery": delivery}
            )


# --- who is told -------------------------------------------------------------------------------


def department_members(department_id, *, roles):
    """Active users of the department with one of ``roles``."""
    if department_id is None:
        return User.objects.none()
    return (
        User.objects.filter(department_id=department_id, is_active=True, groups__name__in=roles)
        .distinct()
        .order_by("pk")
    )


def _permitted(users, permission, obj):
    return [user for user in users if user.has_perm(permission, obj)]


def item_department_id(item):
    owner = getattr(item, "measure", None) or getattr(item, "indicator", None)
    return owner.department_id


def _item_label(item):
    owner = getattr(item, "measure", None)
    if owner is not None:
        return _("the report on measure %(number)s (%(period)s)") % {
            "number": owner.number,
            "period": item.period,
        }
    return _("the value of indicator %(code)s (%(period)s)") % {
        "code": item.indicator.code,
        "period": item.period_label,
    }


def _item_link(item):
    """The item's page; an indicator value has none of its own: its indicator's."""
    if hasattr(item, "get_absolute_url"):
        return item.get_absolute_url()
    return item.indicator.get_absolute_url()


def _item_key(item):
    return f"{item._meta.label_lower}:{item.pk}"


def _moment(when):
    """A transition's time in a key: each return or submission is told once, a later one anew."""
    return (when or timezone.now()).isoformat()


def _permission(item, action):
    return f"{item._meta.app_label}.{action}_{item._meta.model_name}"


def item_returned(item, *, by):
    """Tell the author that the head returned the item, with the head's comment."""
    author = item.author
    if (
        author is None
        or not author.is_active
        or not author.has_perm(_permission(item, "view"), item)
    ):
        return
    text = _("%(who)s returned %(item)s for revision: «%(comment)s»") % {
        "who": by,
        "item": _item_label(item),
        "comment": item.review_comment,
    }
    notify(
        user=author,
        kind=Kind.RETURNED,
        key=f"returned:{_item_key(item)}:{_moment(item.reviewed_at)}",
        text=text,
        link=_item_link(item),
    )


def item_submitted(item, *, by):
    """Tell the heads who may approve the item (four eyes: not its author) that it waits."""
    heads = department_members(item_department_id(item), roles=[Role.HEAD])
    text = _("%(who)s submitted %(item)s for your approval") % {
        "who": by,
        "item": _item_label(item),
    }
    for head in _permitted(heads, _permission(item, "review"), item):
        notify(
            user=head,
            kind=Kind.AWAITING_APPROVAL,
            key=f"submitted:{_item_key(item)}:{_moment(item.submitted_at)}:{head.pk}",
            text=text,
            link=_item_link(item),
        )


# --- the daily run ----------------------------------------------------------------------------


def _editors_of(department_id):
    return department_members(department_id, roles=[Role.EDITOR, Role.HEAD])


def _plans_due(year, today, quarter=None):
    """{DUE_SOON: {plan id: Status}, OVERDUE: {…}}: the plans in force whose due date for
    ``year`` (``quarter``) is within 7 days, or has passed."""
    plans = {Kind.DUE_SOON: {}, Kind.OVERDUE: {}}
    for plan_id, plan_deadlines in selectors.plan_deadlines().items():
        status = calendar.status(due=plan_deadlines.due_date(year, quarter), today=today)
        if status.due_soon:
            plans[Kind.DUE_SOON][plan_id] = status
        elif status.standing == calendar.Standing.OVERDUE:
            plans[Kind.OVERDUE][plan_id] = status
    return plans


def remind_due_reports(today):
    """Due in 7 days, or overdue: the editors of each department owing last year's annual
    report on a measure or value of an indicator. Each reminder once per item and user."""
    year = calendar.last_closed_period(today)
    made = 0
    for kind, plans in _plans_due(year, today).items():
        if not plans:
            continue
        measures = selectors.measures_without_annual_report(year, plans).select_related(
            "section", "department"
        )
        for measure in measures:
            made += _remind(
                kind,
                measure,
                plans[measure.section.plan_id],
                year,
                today,
                "activities.add_progressreport",
                _("the annual report on measure %(number)s") % {"number": measure.number},
            )
        indicators = selectors.indicators_without_annual_value(year, plans)
        made += _remind_values(kind, indicators, plans, year, today)
    return made


def _remind_values(kind, indicators, plans, year, today, quarter=None):
    """Remind the editors of each of ``indicators`` of its value for ``year`` (``quarter``)."""
    made = 0
    for indicator in indicators.select_related("expected_result__section"):
        made += _remind(
            kind,
            indicator,
            plans[indicator.expected_result.section.plan_id],
            year,
            today,
            "indicators.edit_indicator_data",
            _("the value of indicator %(code)s") % {"code": indicator.code},
            quarter=quarter,
        )
    return made


def _remind(kind, owner, status, year, today, permission, what, quarter=None):
    due = (
        today + datetime.timedelta(days=status.days)
        if kind == Kind.DUE_SOON
        else today - datetime.timedelta(days=status.days)
    )
    if quarter is not None:
        if kind == Kind.DUE_SOON:
            text = _(
                "%(what)s for quarter %(quarter)s of %(year)s is due on %(due)s (in %(days)s days)"
            )
        else:
            text = _(
                "%(what)s for quarter %(quarter)s of %(year)s is overdue: it was due on "
                "%(due)s (%(days)s days ago)"
            )
    elif kind == Kind.DUE_SOON:
        text = _("%(what)s for %(year)s is due on %(due)s (in %(days)s days)")
    else:
        text = _("%(what)s for %(year)s is overdue: it was due on %(due)s (%(days)s days ago)")
    text = text % {
        "what": what,
        "year": year,
        "quarter": quarter,
        "due": due.strftime("%d.%m.%Y"),
        "days": status.days,
    }
    period = year if quarter is None else f"{year}q{quarter}"
    made = 0
    for user in _permitted(_editors_of(owner.department_id), permission, owner):
        made += bool(
            notify(
                user=user,
                kind=kind,
                key=f"{kind}:{owner._meta.label_lower}:{owner.pk}:{period}:{user.pk}",
                text=text[:1].upper() + text[1:],
                link=owner.get_absolute_url(),
            )
        )
    return made


def remind_due_quarterly_values(today):
    """Due in 7 days, or overdue: the editors of each department owing the value of the last
    quarter that has ended, for the indicators reported by quarter (those with a quarterly
    value this year or last). Each reminder once per indicator, quarter and user."""
    year, quarter = calendar.last_closed_quarter(today)
    made = 0
    for kind, plans in _plans_due(year, today, quarter).items():
        if not plans:
            continue
        indicators = selectors.indicators_without_quarterly_value(year, quarter, plans)
        made += _remind_values(kind, indicators, plans, year, today, quarter=quarter)
    return made


def remind_expiring_agreements(today):
    """Agreements in force ending within 90 and within 30 days: told once each, to the editors
    and heads of the department keeping the record."""
    made = 0
    for days in AGREEMENT_WARNINGS:
        agreements = Agreement.objects.expiring(today, days).order_by("valid_until", "pk")
        for agreement in agreements:
            text = _("The agreement «%(title)s» expires on %(date)s") % {
                "title": agreement.title,
                "date": agreement.valid_until.strftime("%d.%m.%Y"),
            }
            for user in _permitted(
                _editors_of(agreement.department_id), "partners.change_agreement", agreement
            ):
                made += bool(
                    notify(
                        user=user,
                        kind=Kind.AGREEMENT_EXPIRING,
                        key=f"expiring{days}:{agreement.pk}:{agreement.valid_until}:{user.pk}",
                        text=text,
                        link=agreement.get_absolute_url(),
                    )
                )
    return made


def warn_indicators_at_risk(today):
    """Heads of the department: an indicator whose year-end forecast (indicators.forecast)
    misses this year's target; told once per quarter reached."""
    year = today.year
    indicators = (
        Indicator.objects.filter(
            source=Indicator.Source.MANUAL, accumulation=Indicator.Accumulation.PER_YEAR
        )
        .filter(values__year=year, values__quarter__isnull=False)
        .distinct()
    )
    indicators = list(indicators)
    forecasts = year_end_forecasts(indicators, year)
    made = 0
    for indicator in indicators:
        found = forecasts.get(indicator.pk)
        if found is None or not found.at_risk:
            continue
        text = _(
            "Indicator %(code)s is at risk of missing its target for %(year)s: the forecast "
            "from %(quarters)s quarter(s) is %(value)s against %(target)s"
        ) % {
            "code": indicator.code,
            "year": year,
            "quarters": found.quarters,
            "value": f"{found.value:.2f}",
            "target": found.target,
        }
        heads = department_members(indicator.department_id, roles=[Role.HEAD])
        for head in _permitted(heads, "indicators.approve_indicator_values", indicator):
            made += bool(
                notify(
                    user=head,
                    kind=Kind.AT_RISK,
                    key=f"at_risk:{indicator.pk}:{year}:{found.quarters}:{head.pk}",
                    text=text,
                    link=indicator.get_absolute_url(),
                )
            )
    return made


def write_digests(day):
    """One e-mail per user who wants a daily digest of some kind, listing the notifications of
    those kinds not e-mailed yet; the e-mail and the notifications marked e-mailed are written
    in one transaction, so a digest is written once (its key names the user and the day)."""
    digest_kinds = selectors.digest_kinds_by_user()
    written = 0
    for user_id, kinds in digest_kinds.items():
        with transaction.atomic():
            pending = list(
                Notification.objects.select_for_update()
                .filter(user_id=user_id, kind__in=kinds, emailed_at__isnull=True)
                .select_related("user")
                .order_by("created_at", "pk")
            )
            if not pending or not pending[0].user.email:
                continue
            user = pending[0].user
            _email, created = OutgoingEmail.objects.get_or_create(
                key=f"digest:{user_id}:{day.isoformat()}",
                defaults={
                    "user": user,
                    "to": user.email,
                    "subject": _("KHV Strategy: %(count)s notifications of %(day)s")
                    % {
                        "count": len(pending),
                        "day": day.strftime("%d.%m.%Y"),
                    },
                    "body": "\n\n".join(
                        notification.text
                        + ("\n" + _absolute(notification.link) if notification.link else "")
                        for notification in pending
                    ),
                },
            )
            if created:
                Notification.objects.filter(pk__in=[n.pk for n in pending]).update(
                    emailed_at=timezone.now()
                )
                written += 1
    return written


def daily_run(day):
    """What the scheduler enqueues once a day: reminders, then digests."""
    with override("ru"):
        made = (
            remind_due_reports(day)
            + remind_due_quarterly_values(day)
            + remind_expiring_agreements(day)
            + warn_indicators_at_risk(day)
            + sum(made for _receiver, made in daily_reminders.send(sender=None, day=day))
        )
        digests = write_digests(day)
    return {"notifications": made, "digests": digests}
