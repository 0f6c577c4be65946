from django.contrib import admin

from .models import Notification, NotificationPreference, OutgoingEmail, ReportingCalendar


@admin.register(ReportingCalendar)
class ReportingCalendarAdmin(admin.ModelAdmin):
    list_display = (
        "plan",
        "annual_due_day",
        "annual_due_month",
        "quarterly_due_days",
        "approval_days",
    )
    list_select_related = ("plan",)


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("user", "kind", "created_at", "read_at", "emailed_at")
    list_filter = ("kind",)
    list_select_related = ("user",)
    raw_id_fields = ("user",)
    search_fields = ("text", "user__username")


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "kind", "delivery")
    list_select_related = ("user",)
    raw_id_fields = ("user",)


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    list_display = ("to", "subject", "created_at", "sent_at", "attempts")
    raw_id_fields = ("user",)
    readonly_fields = ("key", "created_at", "sent_at", "attempts", "last_error")
