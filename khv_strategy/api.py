"""The REST API's router: each app registers its viewsets here under /api/v1/."""

from rest_framework.routers import DefaultRouter

router = DefaultRouter()
