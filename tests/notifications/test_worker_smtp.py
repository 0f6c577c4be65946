"""The real thing: the scheduler and django-tasks-db's worker run as processes against the test
database and send the daily digests through an SMTP server the test starts (aiosmtpd); the
worker is killed in the middle of the batch and started again, and every digest arrives once."""

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from email import message_from_bytes
from email.header import decode_header, make_header
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.db import connection

from accounts.models import Role
from notifications.models import Kind, Notification, NotificationPreference, OutgoingEmail
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
DAY = "2026-02-10"
USERS = 4
# Each message waits this long at RCPT: the worker is killed while it waits for the second.
RCPT_DELAY = 1.5


class Recorder:
    """An SMTP server's handler that keeps what it was sent."""

    def __init__(self):
        self.messages = []
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        import asyncio

        await asyncio.sleep(RCPT_DELAY)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.messages.append((envelope.rcpt_tos[:], message_from_bytes(envelope.content)))
        return "250 Message accepted for delivery"

    def recipients(self):
        with self.lock:
            return sorted(to for tos, _message in self.messages for to in tos)


@pytest.fixture
def smtp():
    recorder = Recorder()
    with socket.socket() as probe:  # a free port (aiosmtpd checks its own start on it)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(recorder, hostname="127.0.0.1", port=port)
    controller.start()
    yield recorder, port
    controller.stop()


def manage(*args, port, **popen):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "khv_strategy.settings.test",
        "DATABASE_URL": _database_url(),
        "EMAIL_URL": f"smtp://127.0.0.1:{port}",
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    return subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), *args], cwd=ROOT, env=env, **popen
    )


def _database_url():
    s = connection.settings_dict
    return f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def run(*args, port, timeout=120):
    process = manage(*args, port=port, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    output, _ = process.communicate(timeout=timeout)
    assert process.returncode == 0, output.decode()
    return output.decode()


def wait_for(condition, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    pytest.fail("timed out")


def subject(message):
    return str(make_header(decode_header(message["Subject"])))


@pytest.mark.django_db(transaction=True)
def test_digests_go_out_once_through_smtp_with_the_worker_killed_midway(smtp, department):
    recorder, port = smtp
    users = []
    for n in range(USERS):
        user = UserFactory(department=department, role=Role.EDITOR, email=f"editor{n}@khv.test")
        NotificationPreference.objects.create(user=user, kind=Kind.RETURNED, delivery="digest")
        for m in range(2):
            Notification.objects.create(
                user=user,
                kind=Kind.RETURNED,
                key=f"t:{n}:{m}",
                text=f"Отчёт {n}.{m} возвращён.",
                link="/plans/",
            )
        users.append(user)
    # Another user wants these in the portal only: no e-mail.
    quiet = UserFactory(department=department, role=Role.EDITOR, email="quiet@khv.test")
    Notification.objects.create(user=quiet, kind=Kind.RETURNED, key="t:quiet", text="Тихо.")

    assert "'daily': True" in run("run_scheduler", "--once", "--today", DAY, port=port)
    worker = manage("db_worker", "--interval", "0.1", "--no-startup-delay", port=port)
    try:
        # The first digest is accepted and marked sent; the worker is then killed (SIGKILL: no
        # clean shutdown) while the server holds the second at RCPT.
        wait_for(lambda: OutgoingEmail.objects.filter(sent_at__isnull=False).count() >= 1)
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
    assert len(recorder.recipients()) < USERS
    assert OutgoingEmail.objects.count() == USERS  # every digest was written before sending

    # Started again: the scheduler does not enqueue the day a second time, but sees unsent
    # e-mail and enqueues a sweep, which the restarted worker runs.
    output = run("run_scheduler", "--once", "--today", DAY, port=port)
    assert "'daily': False" in output and "'sweep': True" in output
    run("db_worker", "--batch", "--no-startup-delay", port=port)

    expected = sorted(user.email for user in users)
    assert recorder.recipients() == expected  # each once
    [(_to, first)] = [m for m in recorder.messages if m[0] == ["editor0@khv.test"]]
    body = first.get_payload(decode=True).decode()
    assert "Отчёт 0.0 возвращён." in body and "Отчёт 0.1 возвращён." in body
    assert "http://127.0.0.1:8000/plans/" in body  # links are absolute in an e-mail
    assert "уведомлений за 10.02.2026 — 2" in subject(first)
    assert not Notification.objects.filter(user__in=users, emailed_at__isnull=True).exists()
    assert Notification.objects.get(user=quiet).emailed_at is None

    # Another tick and another batch the same day send nothing more.
    run("run_scheduler", "--once", "--today", DAY, port=port)
    run("db_worker", "--batch", "--no-startup-delay", port=port)
    assert recorder.recipients() == expected
