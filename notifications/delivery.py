"""The outbox's sender: each unsent e-mail is taken under a row lock (others skip it), sent
and marked sent in the same transaction. Two workers never send the same row; a worker
stopped before its commit leaves the row unsent for the next run. The one window left is a
stop after the SMTP server accepted the message and before the commit (the row is then sent
again): at least once, never silently lost."""

import logging

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.db import transaction
from django.utils import timezone

from .models import OutgoingEmail

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 5


def _next_unsent():
    return (
        OutgoingEmail.objects.select_for_update(skip_locked=True)
        .filter(sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS)
        .order_by("pk")
        .first()
    )


def send_one(connection):
    """Send the oldest unsent e-mail no other worker holds; False when none is left."""
    with transaction.atomic():
        email = _next_unsent()
        if email is None:
            return False
        message = EmailMessage(
            subject=email.subject,
            body=email.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[email.to],
            headers={"X-KHV-Key": email.key},
        )
        try:
            connection.send_messages([message])
        except OSError as error:  # SMTP errors are OSErrors: counted, tried again next run
            logger.warning("e-mail %s not sent: %s", email.key, error)
            email.attempts += 1
            email.last_error = str(error)[:1000]
            email.save(update_fields=["attempts", "last_error"])
            return True
        email.sent_at = timezone.now()
        email.attempts += 1
        email.save(update_fields=["sent_at", "attempts"])
    return True


def send_pending(limit=None):
    """Send unsent e-mails until none is left (or ``limit``); returns how many were tried."""
    tried = 0
    with mailers.default as connection:
        while (limit is None or tried < limit) and send_one(connection):
            tried += 1
    return tried
