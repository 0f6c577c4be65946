"""E-mail settings from one URL (EMAIL_URL), the way DATABASE_URL gives the database."""

from urllib.parse import unquote, urlsplit

from django.core.mail.backends.filebased import EmailBackend as FileBackend

SCHEMES = {"smtp": (False, False), "smtp+tls": (True, False), "smtps": (False, True)}


def smtp_mailer(url, *, timeout=30):
    """A MAILERS entry for ``smtp://user:password@host:port`` (``smtp+tls`` for STARTTLS,
    ``smtps`` for TLS from the start). A wrong URL stops the start-up, saying why."""
    parts = urlsplit(url)
    if parts.scheme not in SCHEMES or not parts.hostname:
        raise ValueError(
            "EMAIL_URL must look like smtp://user:password@host:port (or smtp+tls://, "
            f"smtps://), not {parts.scheme}://…"
        )
    use_tls, use_ssl = SCHEMES[parts.scheme]
    return {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": parts.hostname,
            "port": parts.port or (465 if use_ssl else 587 if use_tls else 25),
            "username": unquote(parts.username or ""),
            "password": unquote(parts.password or ""),
            "use_tls": use_tls,
            "use_ssl": use_ssl,
            "timeout": timeout,
        },
    }


class ReadableFileBackend(FileBackend):
    """Development e-mail: each message as plain text a newcomer can read in sent-mail/ (the
    stock file backend keeps the wire form, whose Cyrillic body is base64)."""

    def write_message(self, message):
        lines = [
            f"From: {message.from_email}",
            f"To: {', '.join(message.to)}",
            f"Subject: {message.subject}",
            "",
            message.body,
        ]
        self.stream.write(("\n".join(lines) + "\n" + "-" * 79 + "\n").encode("utf-8"))
