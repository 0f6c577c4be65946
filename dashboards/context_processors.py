from functools import cached_property

from django.utils import timezone

from accounts.roles import is_staff_member
from core.access import access_scope
from core.cache import cached

from .selectors import my_work_counts


class MyWorkCounts:
    """The numbers behind "My work" in the navigation bar, counted only when a page shows
    them and at most once per request (htmx fragments never ask)."""

    def __init__(self, user):
        self.user = user

    @cached_property
    def _counts(self):
        if not is_staff_member(self.user):
            return {"due": 0, "in_progress": 0, "awaiting": 0, "total": 0}
        # Counted over whole tables for an administrator: kept in the data-version cache, whose
        # data version every write of a report, value or measure bumps (so they are never stale),
        # under the user's access scope (a new role or department counts afresh).
        today = timezone.localdate()
        return cached(
            "my-work-counts",
            (access_scope(self.user), today),
            lambda: my_work_counts(self.user, today),
        )

    def __getitem__(self, key):
        return self._counts[key]


def my_work(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    if not hasattr(request, "_my_work_counts"):
        request._my_work_counts = MyWorkCounts(user)
    return {"my_work_counts": request._my_work_counts}
