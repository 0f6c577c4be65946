from django.urls import path, re_path

from . import opendata_views

app_name = "opendata"

EXTENSION = r"(?P<extension>csv|json)"
IDENTIFIER = r"(?P<identifier>[0-9a-z-]{1,80})"
VERSION = r"(?P<version>\d{8}T\d{4})"

urlpatterns = [
    path("", opendata_views.index, name="index"),
    re_path(rf"^list\.{EXTENSION}$", opendata_views.registry, name="registry"),
    re_path(rf"^{IDENTIFIER}/meta\.{EXTENSION}$", opendata_views.passport, name="passport"),
    re_path(
        rf"^{IDENTIFIER}/structure-{VERSION}\.{EXTENSION}$",
        opendata_views.structure,
        name="structure",
    ),
    re_path(
        rf"^{IDENTIFIER}/data-{VERSION}-structure-(?P<structure_version>\d{{8}}T\d{{4}})\.{EXTENSION}$",
        opendata_views.data,
        name="data",
    ),
]
