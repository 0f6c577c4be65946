import os
import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from accounts.models import Role


class Command(BaseCommand):
    help = (
        "Create the demo administrator 'admin' once. The password comes from "
        "KHV_ADMIN_PASSWORD, or is generated and printed this one time."
    )

    def handle(self, *args, **options):
        User = get_user_model()
        if User.objects.filter(username="admin").exists():
            self.stdout.write("Demo administrator 'admin' already exists; password unchanged.")
            return
        password = os.environ.get("KHV_ADMIN_PASSWORD") or secrets.token_urlsafe(12)
        user = User.objects.create_superuser(
            username="admin",
            email="admin@example.org",
            password=password,
            first_name="Администратор",
            last_name="Демо",
        )
        user.groups.add(*user.groups.model.objects.filter(name=Role.ADMINISTRATOR))
        if os.environ.get("KHV_ADMIN_PASSWORD"):
            self.stdout.write(self.style.SUCCESS("Created 'admin' with KHV_ADMIN_PASSWORD."))
        else:
            self.stdout.write(
                self.style.SUCCESS(f"Created 'admin' with password: {password}  (shown once)")
            )
