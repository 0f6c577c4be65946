from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.csp import CSP
from django.views.decorators.csp import csp_override
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerView

from core import media, views
from core.api.schema_view import SchemaView
from dashboards import views as dashboard_views

from .api.deletions import DeletionViewSet, tombstone_sources
from .api.router import router

# The Redoc page's policy: the portal's, plus what Redoc needs of its own page and nothing from
# another host. Its styled-components <style> elements carry the request's nonce
# (templates/drf_spectacular/redoc.html); two <style> elements its bundle adds before it reads
# that option (perfect-scrollbar's stylesheet and an empty one) are allowed by their hashes —
# a new drf-spectacular-sidecar changes them, and tests/browser/test_api_docs.py then names
# the new ones; its search index runs in a worker it makes from a blob of its own code.
REDOC_STYLE_HASHES = [
    "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='",
    "'sha256-QMIg+bpjm3JdElJ388KYke01izlUW0UoNOeKjpMxdgc='",
]
REDOC_CSP = {
    **settings.SECURE_CSP,
    "style-src": [*settings.SECURE_CSP["style-src"], CSP.NONCE, *REDOC_STYLE_HASHES],
    "worker-src": [CSP.SELF, "blob:"],
}

urlpatterns = [
    path("", dashboard_views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("my-work/", dashboard_views.my_work, name="my_work"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("plans/", include("activities.urls")),
    path("partners/", include("partners.urls")),
    path("indicators/", include("indicators.urls")),
    path("dashboards/", include("dashboards.urls")),
    path("public/", include("dashboards.public_urls")),
    path("opendata/", include("dashboards.opendata_urls")),
    path("notifications/", include("notifications.urls")),
    path("search/", include("search.urls")),
    # Tombstones of the resources above (not one of them: the router's registry lists those).
    path(
        "api/v1/deletions/",
        DeletionViewSet.as_view({"get": "list"}, sources=tombstone_sources(router.registry)),
        name="deletion-list",
    ),
    path("api/v1/", include(router.urls)),
    path("api/schema/", SchemaView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path(
        "api/redoc/",
        csp_override(REDOC_CSP)(SpectacularRedocView.as_view(url_name="schema")),
        name="redoc",
    ),
    path("admin/", admin.site.urls),
    path(f"{settings.MEDIA_URL.strip('/')}/<path:name>", media.media, name="media"),
]
