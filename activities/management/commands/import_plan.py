from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from activities.plan_text import PlanTextError
from activities.services import plan_import


class Command(BaseCommand):
    help = "Import a strategic plan (or some of its sections) from its text; safe to repeat."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="the plan text (UTF-8 or Windows-1251)")
        parser.add_argument("--plan-title", help="the plan's title, when not the act's title")

    def handle(self, *args, file, plan_title, **options):
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"{file}: {error.strerror}") from error
        try:
            summary = plan_import(data=data, source_name=file.name, plan_title=plan_title)
        except PlanTextError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(summary.describe())
