from functools import cached_property

from accounts.roles import is_staff_member

from .selectors import unread_count


class UnreadCount:
    """The bell's number: one COUNT, asked only when a page shows the bell."""

    def __init__(self, user):
        self.user = user

    @cached_property
    def value(self):
        return unread_count(self.user) if is_staff_member(self.user) else 0

    def __int__(self):
        return self.value

    def __str__(self):
        return str(self.value)

    def __bool__(self):
        return bool(self.value)


def unread_notifications(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": UnreadCount(user)}
