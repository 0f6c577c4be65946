import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from activities.models import LegalAct, StrategicPlan
from activities.plan_text import PlanTextError, parse_plan_text
from activities.services import ActDetails, plan_import


def act_date(text):
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"--act-date {text!r}: give the date as YYYY-MM-DD.") from error


class Command(BaseCommand):
    help = (
        "Import a strategic plan (or some of its sections) from its text; safe to repeat. "
        "With --act-number, --act-date and --act-title the text is a revision of the plan made "
        "by that act; without them, a correction."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="the plan text (UTF-8 or Windows-1251)")
        parser.add_argument("--plan-title", help="the plan's title, when not the act's title")
        parser.add_argument("--act-number", help="number of the act that amends the plan")
        parser.add_argument("--act-date", help="date of the act, YYYY-MM-DD")
        parser.add_argument("--act-title", help="title of the act")
        parser.add_argument(
            "--act-kind", choices=LegalAct.Kind.values, default=LegalAct.Kind.DUMA_DECISION
        )
        parser.add_argument("--act-issuer", default="", help="who adopted the act")
        parser.add_argument(
            "--if-new",
            action="store_true",
            help="import only a plan the portal does not hold yet (make run: a second run must "
            "not take the plan back to its first text over the amendments made since)",
        )

    def handle(self, *args, file, plan_title, if_new, **options):
        act = self._act(options)
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"{file}: {error.strerror}") from error
        try:
            if if_new:
                title = (plan_title or parse_plan_text(data, source_name=file.name).title).strip()
                if StrategicPlan.objects.filter(title=title).exists():
                    message = _(
                        "The plan “%(title)s” is in the portal already; the text is not imported."
                    )
                    self.stdout.write(message % {"title": title})
                    return
            summary = plan_import(data=data, source_name=file.name, plan_title=plan_title, act=act)
        except PlanTextError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(summary.describe())

    def _act(self, options):
        given = [options[name] for name in ("act_number", "act_date", "act_title")]
        if not any(given):
            return None
        if not all(given):
            raise CommandError("An act needs --act-number, --act-date and --act-title together.")
        return ActDetails(
            number=options["act_number"],
            date=act_date(options["act_date"]),
            title=options["act_title"],
            kind=options["act_kind"],
            issuer=options["act_issuer"],
        )
