import datetime
import signal
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections
from django.utils import timezone

from notifications import scheduling


class Command(BaseCommand):
    help = (
        "Enqueue the periodic work for the worker (manage.py db_worker): the daily reminders "
        "and digests once a day, and a sweep of unsent e-mails. Runs until stopped, or once."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="one tick, then exit")
        parser.add_argument("--interval", type=float, default=60.0, help="seconds between ticks")
        parser.add_argument("--today", help="the day to run for (YYYY-MM-DD); default: today")

    def handle(self, *args, once=False, interval=60.0, today=None, **options):
        day = self._day(today)
        # Each tick's writes are one transaction each: stopping anywhere loses nothing.
        signal.signal(signal.SIGTERM, self._stop)
        while True:
            close_old_connections()
            done = scheduling.tick(day or timezone.localdate())
            self.stdout.write(f"tick: {done}")
            if once:
                return
            time.sleep(interval)

    def _stop(self, signum, frame):
        raise SystemExit(0)

    def _day(self, today):
        if today is None:
            return None
        try:
            return datetime.date.fromisoformat(today)
        except ValueError:
            raise CommandError(f"--today: not a date: {today}") from None
