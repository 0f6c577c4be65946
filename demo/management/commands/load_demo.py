"""Load the demo data of every feature app, in dependency order; a second run changes nothing."""

from importlib import import_module

from django.core.management.base import BaseCommand
from django.db import transaction

# Each demo module has load(stdout) and creates its rows with get_or_create/update_or_create.
DEMO_MODULES = ["demo.plan", "demo.partners", "demo.indicators", "demo.users"]


class Command(BaseCommand):
    help = "Load the demo data set (departments, partners, indicators, users); marked illustrative."

    def handle(self, *args, **options):
        with transaction.atomic():
            for name in DEMO_MODULES:
                try:
                    module = import_module(name)
                except ModuleNotFoundError as error:
                    if error.name == name:
                        continue
                    raise
                module.load(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data is in place."))
