"""Background work through Django's tasks framework (django.tasks), run by the database-backed
worker of django-tasks-db (``manage.py db_worker``; docs/deployment.md)."""

import datetime

from django.tasks import task

from . import delivery, services


@task
def deliver_emails():
    """Send what waits in the outbox."""
    return delivery.send_pending()


@task
def daily_run(day):
    """Reminders of due dates and expiring agreements, then the digests, for ``day``
    (ISO date); then the outbox is sent."""
    result = services.daily_run(datetime.date.fromisoformat(day))
    result["sent"] = delivery.send_pending()
    return result
