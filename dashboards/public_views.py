"""The public portal (``/public/``): the plan, its indicators and the published annual reports,
for anyone, with no sign-in (design.md, "Publication"; what is shown: dashboards.publication).

The pages are the same for every visitor, so they are rendered without the request (no user, no
form token, no nonce), kept under the data version like the dashboards, and served with
``Cache-Control: public`` and an ETag: a proxy in front of the portal may carry them.
"""

from functools import wraps

from django.conf import settings
from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.views.decorators.http import require_safe

from activities import selectors as activity_selectors
from core import cache as data_cache
from core.etags import etag_of
from core.filters import YEAR_MAX, YEAR_MIN
from indicators import selectors as indicator_selectors

from . import publication

# How long a browser or a proxy may use a public page without asking again; after that it
# revalidates with the ETag. Publishing or approving shows within this time.
PUBLIC_MAX_AGE = 300


def public_portal_enabled():
    return getattr(settings, "PUBLIC_PORTAL", False)


def public(render):
    """Serve ``render(request, **kwargs) -> (content bytes, content type)`` to anyone.

    404 while the public portal is off (settings.PUBLIC_PORTAL). The content is cached under the
    data version, the host, the path and the day (what "late" means changes at midnight), in
    the shared cache and in this process (core.cache.cached_in_process); query strings are not
    part of the key, so a visitor cannot fill the cache with variants.
    """

    @wraps(render)
    @require_safe
    def view(request, **kwargs):
        if not public_portal_enabled():
            raise Http404
        today = timezone.localdate()
        content, content_type = data_cache.cached_in_process(
            "public", (request.get_host(), request.path, today), lambda: render(request, **kwargs)
        )
        response = HttpResponse(content, content_type=content_type)
        response["ETag"] = etag_of(content)
        patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return get_conditional_response(request, etag=response["ETag"], response=response)

    return view


def public_page(page):
    """``page(**kwargs) -> (template, context)`` rendered without the request, served by
    ``public``."""

    @wraps(page)
    def render(request, **kwargs):
        template, context = page(**kwargs)
        return render_to_string(template, context).encode(), "text/html; charset=utf-8"

    return public(render)


@public_page
def home():
    context = {"plans": publication.plans(), "published_years": publication.published_years()}
    return "dashboards/public/home.html", context


@public_page
def section(section_id):
    section = publication.section_get(section_id)
    # The measures in force today, in their wording of today (as the staff's section page).
    context = {"section": section, "measure_groups": activity_selectors.measure_groups(section)}
    return "dashboards/public/section.html", context


@public_page
def indicator(indicator_id):
    indicator = indicator_selectors.indicator_get(indicator_id)
    published = set(publication.published_years())
    years = publication.indicator_years_public(indicator, published)
    context = {
        "indicator": indicator,
        "years": years,
        "chart_data": indicator_selectors.chart_data(indicator, years),
        "any_published": any(item.published for item in years),
    }
    return "dashboards/public/indicator.html", context


@public_page
def report_list():
    return "dashboards/public/report_list.html", {"years": publication.published_years()}


@public_page
def report(year):
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise Http404
    return "dashboards/public/report.html", {"report": publication.report_get(year)}
