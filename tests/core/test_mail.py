"""E-mail settings from EMAIL_URL, and development e-mail a newcomer can read."""

import pytest
from django.core.mail import EmailMessage, mailers

from core.mail import smtp_mailer


def test_email_url_gives_the_smtp_settings():
    mailer = smtp_mailer("smtp+tls://robot%40khv:p%40ss@mail.khv.example:2525")
    assert mailer["OPTIONS"] == {
        "host": "mail.khv.example",
        "port": 2525,
        "username": "robot@khv",
        "password": "p@ss",
        "use_tls": True,
        "use_ssl": False,
        "timeout": 30,
    }
    assert smtp_mailer("smtps://mail.khv.example")["OPTIONS"]["port"] == 465
    assert smtp_mailer("smtp://127.0.0.1")["OPTIONS"]["port"] == 25


def test_a_wrong_email_url_says_what_it_should_look_like():
    with pytest.raises(ValueError, match="smtp://user:password@host:port"):
        smtp_mailer("http://mail.khv.example")


def test_development_mail_is_readable_text(settings, tmp_path):
    settings.MAILERS = {
        "default": {
            "BACKEND": "core.mail.ReadableFileBackend",
            "OPTIONS": {"file_path": str(tmp_path)},
        }
    }
    with mailers.default as connection:
        connection.send_messages(
            [EmailMessage("Отчёт возвращён", "Приложите протокол.", to=["editor@khv.test"])]
        )
    [written] = tmp_path.iterdir()
    text = written.read_text(encoding="utf-8")
    assert "Subject: Отчёт возвращён" in text and "Приложите протокол." in text
