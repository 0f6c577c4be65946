"""How many notifications a second the portal makes and the worker's sender e-mails.

Inside one transaction rolled back at the end (nothing stays in the database): makes N
notifications for users who want each at once by e-mail (a notification row and an outbox row
each, as a return or submission does), then sends the outbox through a real SMTP server started
here (aiosmtpd, on 127.0.0.1) with the worker's own sender (notifications.delivery), one row
lock and one commit point per e-mail. Prints both rates.
Run: DATABASE_URL=... .venv/bin/python bench/notifications_throughput.py [N]
"""

import os
import socket
import sys
import time
from pathlib import Path

from aiosmtpd.controller import Controller

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khv_strategy.settings.base")
with socket.socket() as probe:
    probe.bind(("127.0.0.1", 0))
    PORT = probe.getsockname()[1]
os.environ["EMAIL_URL"] = f"smtp://127.0.0.1:{PORT}"

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import Group  # noqa: E402
from django.db import transaction  # noqa: E402

from accounts.models import Role, User  # noqa: E402
from activities.models import Department  # noqa: E402
from notifications import delivery, services  # noqa: E402
from notifications.models import Kind, NotificationPreference  # noqa: E402

N = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
USERS = 50


class Counter:
    def __init__(self):
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        return "250 OK"


class Rollback(Exception):
    pass


def main():
    counter = Counter()
    controller = Controller(counter, hostname="127.0.0.1", port=PORT)
    controller.start()
    try:
        with transaction.atomic():
            department = Department.objects.create(name="Бенчмарк уведомлений")
            editors = Group.objects.get_or_create(name=Role.EDITOR)[0]
            users = []
            for n in range(USERS):
                user = User.objects.create(
                    username=f"bench-notify-{n}", email=f"bench{n}@khv.test", department=department
                )
                user.groups.add(editors)
                NotificationPreference.objects.create(
                    user=user, kind=Kind.RETURNED, delivery="immediate"
                )
                users.append(user)
            started = time.perf_counter()
            for i in range(N):
                services.notify(
                    user=users[i % USERS],
                    kind=Kind.RETURNED,
                    key=f"bench:{i}",
                    text=f"Отчёт №{i} возвращён на доработку: «приложите протокол».",
                    link="/plans/",
                )
            made = time.perf_counter() - started
            started = time.perf_counter()
            sent = delivery.send_pending()
            sending = time.perf_counter() - started
            print(f"notifications made: {N} in {made:.2f} s = {N / made:.0f}/s")
            print(
                f"e-mails sent over SMTP: {sent} ({counter.count} received) in {sending:.2f} s "
                f"= {sent / sending:.0f}/s"
            )
            raise Rollback
    except Rollback:
        pass
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
