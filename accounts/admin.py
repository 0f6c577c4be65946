from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "last_name", "first_name", "department", "is_active")
    list_filter = ("department", "groups", "is_active", "is_superuser")
    list_select_related = ("department",)
    fieldsets = BaseUserAdmin.fieldsets + ((_("Department"), {"fields": ("department",)}),)
    add_fieldsets = BaseUserAdmin.add_fieldsets + ((_("Department"), {"fields": ("department",)}),)
