from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import portal_view, posted

from . import selectors, services
from .forms import PreferencesForm

PER_PAGE = 30


@never_cache  # one person's data: not kept even by the browser
@portal_view
@require_GET
def notification_list(request):
    page = Paginator(selectors.notifications_of(request.user), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "notifications/list.html", {"page": page})


@never_cache  # one person's data: not kept even by the browser
@portal_view
@require_POST
def notification_open(request, notification_id):
    """Mark the notification read and go to what it is about."""
    notification = selectors.notifications_of(request.user).filter(pk=notification_id).first()
    if notification is None:
        raise Http404(_("No such notification."))
    services.mark_read(user=request.user, notification_id=notification.pk)
    return redirect(notification.link or "notifications:list")


@never_cache  # one person's data: not kept even by the browser
@portal_view
@require_POST
def notification_read(request, notification_id):
    if not services.mark_read(user=request.user, notification_id=notification_id):
        raise Http404(_("No such notification."))
    return redirect("notifications:list")


@never_cache  # one person's data: not kept even by the browser
@portal_view
@require_POST
def notification_read_all(request):
    count = services.mark_all_read(user=request.user)
    messages.success(request, _("Notifications marked read: %(count)s.") % {"count": count})
    return redirect("notifications:list")


@never_cache  # one person's data: not kept even by the browser
@portal_view
@require_http_methods(["GET", "POST"])
def preferences(request):
    data, _files = posted(request)
    form = PreferencesForm(data, current=selectors.preferences_of(request.user))
    if data is not None:
        if form.is_valid():
            services.preferences_save(user=request.user, choices=form.choices())
            messages.success(request, _("Your notification settings are saved."))
            return redirect("notifications:preferences")
        return render(request, "notifications/preferences.html", {"form": form}, status=400)
    return render(request, "notifications/preferences.html", {"form": form})
