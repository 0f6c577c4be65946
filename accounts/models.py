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


class ApiToken(models.Model):
    """A REST client's secret. Only a SHA-256 digest is stored; the key is shown once.

    The key reads "<prefix>.<secret>"; the prefix finds the row, the digest of the whole key
    proves it. A token acts as its user, whose role decides what it may do (an API client
    user reads approved data only).
    """

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("client name"), max_length=200)
    prefix = models.CharField(_("key prefix"), max_length=12, unique=True, editable=False)
    digest = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(_("issued"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    def is_active(self, now):
        """Not revoked and not expired at `now`."""
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)
