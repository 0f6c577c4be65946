"""The administrator role opens the Django admin: its members are staff (``is_staff``) and its
group holds every model permission, so an administrator need not be a superuser to manage
users, roles, tokens and reference data there. Kept in step whenever a role changes."""

from django.contrib.auth.models import Group, Permission
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q
from django.db.models.signals import m2m_changed, post_migrate
from django.dispatch import receiver

from .models import Role, User


def sync_staff(user_ids):
    """is_staff = superuser or administrator, for the given users: one UPDATE."""
    administrator = User.groups.through.objects.filter(
        user_id=OuterRef("pk"), group__name=Role.ADMINISTRATOR
    )
    User.objects.filter(pk__in=user_ids).update(
        is_staff=ExpressionWrapper(
            Q(is_superuser=True) | Exists(administrator), output_field=BooleanField()
        )
    )


@receiver(m2m_changed, sender=User.groups.through, dispatch_uid="accounts-sync-staff")
def _roles_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if reverse:  # group.user_set.add(...): the users are in pk_set (all of them on clear)
        user_ids = pk_set if pk_set is not None else User.objects.values("pk")
    else:
        user_ids = [instance.pk]
    sync_staff(user_ids)
    if not reverse:
        instance.refresh_from_db(fields=["is_staff"])


def grant_administrator_permissions(**kwargs):
    """Every model permission for the administrator group (new models' too, after migrate).

    The group itself comes from a data migration (accounts 0003); a test database flushed
    between tests has none, and one made here would clash with the group a serialized
    rollback restores."""
    group = Group.objects.filter(name=Role.ADMINISTRATOR).first()
    if group is None:
        return
    missing = Permission.objects.exclude(group=group)
    group.permissions.add(*missing)


post_migrate.connect(grant_administrator_permissions, dispatch_uid="accounts-admin-permissions")
