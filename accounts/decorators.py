"""How a page says who may open it, and how it reads what was posted."""

from django.contrib.auth.decorators import login_required, permission_required


def portal_view(view):
    """Pages of the portal: a signed-in user with a portal role (not a bare API client)."""
    return login_required(permission_required("accounts.view_portal", raise_exception=True)(view))


def posted(request):
    """The form data and files of a POST, (None, None) otherwise. ``request.POST or None``
    would leave an empty POST unbound: no error shown for the missing fields."""
    if request.method == "POST":
        return request.POST, request.FILES
    return None, None
