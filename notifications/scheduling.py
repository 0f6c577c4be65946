"""What the scheduler enqueues: the daily run once a day, and a sweep of the outbox whenever
e-mails wait and no sweep is queued (after a worker was stopped mid-batch, say)."""

from django.db import IntegrityError, transaction
from django_tasks_db.models import DBTaskResult

from .models import OutgoingEmail, ScheduledRun
from .tasks import daily_run, deliver_emails

DAILY = "daily"


def enqueue_daily(day):
    """Enqueue the daily run for ``day`` unless it already was: the run's row and the task's
    row are written in one transaction (the task backend is the database), so a scheduler
    stopped between them leaves neither."""
    try:
        with transaction.atomic():
            ScheduledRun.objects.create(job=DAILY, day=day)
            daily_run.enqueue(day.isoformat())
    except IntegrityError:
        return False
    return True


def _queued(task):
    return DBTaskResult.objects.ready().filter(task_path=task.module_path).exists()


def enqueue_sweep():
    """Enqueue a sweep of the outbox when something waits and none is queued."""
    if OutgoingEmail.objects.filter(sent_at__isnull=True).exists() and not _queued(deliver_emails):
        deliver_emails.enqueue()
        return True
    return False


def tick(today):
    return {"daily": enqueue_daily(today), "sweep": enqueue_sweep()}
