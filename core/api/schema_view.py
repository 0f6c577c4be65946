"""/api/schema/ (apart from core.api.schema, which drf-spectacular's views import)."""

from django.conf import settings
from drf_spectacular.views import SpectacularAPIView


class SchemaView(SpectacularAPIView):
    """The schema, saying it is in the portal's language whatever the request's
    (core.api.schema.SchemaGenerator writes it in that language)."""

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        response["Content-Language"] = settings.LANGUAGE_CODE
        return response
