from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.decorators import portal_view

from . import selectors
from .kinds import BY_SLUG, KINDS

MAX_QUERY_CHARS = 200
# Hits per kind on the page of every kind, and on the page of one kind ("more").
PER_KIND = 5
ONE_KIND = 50


def _bad_input(text, kind_slug):
    if len(text) > MAX_QUERY_CHARS:
        return _("The search query is too long: at most %(limit)s characters.") % {
            "limit": MAX_QUERY_CHARS
        }
    if "\x00" in text:
        return _("The search query contains a character that cannot be searched for.")
    if kind_slug and kind_slug not in BY_SLUG:
        return _("There is no such kind of record to search for.")
    return None


@portal_view
@require_GET
def search(request):
    text = request.GET.get("q", "").strip()
    kind_slug = request.GET.get("kind", "")
    context = {"q": text, "kind": BY_SLUG.get(kind_slug), "groups": [], "error": None}
    error = _bad_input(text, kind_slug)
    if error:
        context["error"] = error
        return render(request, "search/results.html", context, status=400)
    if text:
        kinds, limit = ((BY_SLUG[kind_slug],), ONE_KIND) if kind_slug else (KINDS, PER_KIND)
        context["groups"] = selectors.search(request.user, text, kinds=kinds, limit=limit)
    return render(request, "search/results.html", context)
