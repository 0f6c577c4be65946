"""``/opendata/``: the registry, each data set's passport, structure and data files, in CSV and
JSON (what they hold: dashboards.opendata). Served like the public portal's pages."""

from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from . import opendata
from .public_views import public

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
}


def _base(request):
    return request.build_absolute_uri(reverse("opendata:index"))


def _data_set_or_404(identifier):
    data_set = opendata.data_set_get(identifier)
    if data_set is None:
        raise Http404(_("There is no such data set."))
    return data_set


@public
def index(request):
    base = _base(request)
    data_sets = []
    for data_set in opendata.DATA_SETS:
        version, folder = data_set.version(), f"{base}{data_set.identifier}/"
        data_sets.append(
            {
                "data_set": data_set,
                "version": version,
                "passport": f"{folder}meta.csv",
                "structure": folder + data_set.structure_name("csv"),
                "csv": folder + data_set.data_name(version, "csv"),
                "json": folder + data_set.data_name(version, "json"),
            }
        )
    html = render_to_string("dashboards/public/opendata.html", {"data_sets": data_sets})
    return html.encode(), "text/html; charset=utf-8"


@public
def registry(request, extension):
    rows = list(opendata.registry_rows(_base(request)))
    return opendata.render(opendata.REGISTRY_HEADER, rows, extension), CONTENT_TYPES[extension]


@public
def passport(request, identifier, extension):
    data_set = _data_set_or_404(identifier)
    rows = opendata.passport(data_set, f"{_base(request)}{data_set.identifier}/")
    return opendata.render(opendata.PASSPORT_HEADER, rows, extension), CONTENT_TYPES[extension]


@public
def structure(request, identifier, version, extension):
    data_set = _data_set_or_404(identifier)
    if version != opendata.STRUCTURE_VERSION:
        raise Http404(_("The current structure is %s.") % data_set.structure_name(extension))
    rows = opendata.structure_rows(data_set)
    return opendata.render(opendata.STRUCTURE_HEADER, rows, extension), CONTENT_TYPES[extension]


@public
def data(request, identifier, version, structure_version, extension):
    data_set = _data_set_or_404(identifier)
    current = data_set.version()
    if version != current or structure_version != opendata.STRUCTURE_VERSION:
        raise Http404(_("The current data file is %s.") % data_set.data_name(current, extension))
    header = [field.name for field in data_set.fields]
    return opendata.render(header, data_set.rows(), extension), CONTENT_TYPES[extension]
