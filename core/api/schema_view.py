"""/api/schema/ (apart from core.api.schema, which drf-spectacular's views import)."""

from django.conf import settings
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView


class SchemaView(SpectacularAPIView):
    """The schema, saying it is in the portal's language whatever the request's
    (core.api.schema.SchemaGenerator writes it in that language)."""

    @extend_schema(exclude=True)  # as SERVE_INCLUDE_SCHEMA = False does for the parent's
    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        response["Content-Language"] = settings.LANGUAGE_CODE
        return response
