from django.core.management.base import BaseCommand

from partners.services import staged_imports_clear


class Command(BaseCommand):
    help = (
        "Remove spreadsheets staged for an import preview that was never confirmed "
        "(older than IMPORT_STALE_AFTER_SECONDS, a day). Each new import does it too; "
        "run it daily (cron, systemd timer) so a quiet portal is cleaned as well."
    )

    def handle(self, *args, **options):
        removed = staged_imports_clear()
        self.stdout.write(f"Removed {removed} stale import file(s).")
