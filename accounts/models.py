from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """The portal's roles; each is a Django group of the same name."""

    VIEWER = "viewer", _("Viewer")
    EDITOR = "editor", _("Editor")
    HEAD = "head", _("Department head")
    ADMINISTRATOR = "administrator", _("Administrator")
    API_CLIENT = "api_client", _("API client")


class User(AbstractUser):
    department = models.ForeignKey(
        "activities.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    patronymic = models.CharField(_("patronymic"), max_length=150, blank=True)

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        full = " ".join(part for part in (self.last_name, self.first_name) if part)
        return full or self.username
