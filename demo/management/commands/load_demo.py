"""Load the demo data of every feature app, in dependency order; a second run changes nothing."""

from django.core.management.base import BaseCommand
from django.db import transaction

from demo import (
    amendment,
    causes,
    indicators,
    notifications,
    partners,
    plan,
    publication,
    users,
)

# Each module's load(stdout) creates its rows with get_or_create, so existing rows are kept.
# plan comes first: the others look its departments up; publication needs the users;
# causes need the heads; notifications last (they tell the users about the items).
MODULES = [plan, partners, indicators, amendment, users, publication, causes, notifications]


class Command(BaseCommand):
    help = "Load the demo data set (departments, partners, indicators, users); marked illustrative."

    def handle(self, *args, **options):
        with transaction.atomic():
            for module in MODULES:
                module.load(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data is in place."))
