"""Signing in is locked for a username from an address after repeated wrong passwords.

django-axes counts the failures of the login form (and of the admin's, which uses the same
authentication) in the database, so every app server sees the same count; the settings
(``AXES_*`` in khv_strategy/settings/base.py) say how many failures lock and for how long.
API tokens never go through a password check and are not affected. An administrator unlocks a
user in the admin (Axes → Access attempts: delete the user's entry) or with
``manage.py axes_reset_username USERNAME``.
"""

from django.conf import settings
from django.shortcuts import render


def locked_out(request, original_response=None, credentials=None):
    """The answer to a sign-in while locked: the reason and when to try again, in Russian."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(
        request,
        "registration/locked_out.html",
        {"minutes": minutes, "failure_limit": settings.AXES_FAILURE_LIMIT},
        status=429,
    )
