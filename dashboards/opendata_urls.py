from django.urls import path, register_converter

from . import opendata_views


class ExtensionConverter:
    regex = "csv|json"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


class VersionConverter(ExtensionConverter):
    """A version stamp of the methodological recommendations: YYYYMMDDTHHMM."""

    regex = r"\d{8}T\d{4}"


register_converter(ExtensionConverter, "opendata_extension")
register_converter(VersionConverter, "opendata_version")

app_name = "opendata"

urlpatterns = [
    path("", opendata_views.index, name="index"),
    path("list.<opendata_extension:extension>", opendata_views.registry, name="registry"),
    path(
        "<slug:identifier>/meta.<opendata_extension:extension>",
        opendata_views.passport,
        name="passport",
    ),
    path(
        "<slug:identifier>/structure-<opendata_version:version>.<opendata_extension:extension>",
        opendata_views.structure,
        name="structure",
    ),
    path(
        "<slug:identifier>/data-<opendata_version:version>"
        "-structure-<opendata_version:structure_version>.<opendata_extension:extension>",
        opendata_views.data,
        name="data",
    ),
]
