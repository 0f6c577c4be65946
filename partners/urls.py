from django.urls import path

from . import map, views

app_name = "partners"

# URL path segment of each record type's pages.
PATHS = {
    "city": "cities",
    "organisation": "organisations",
    "agreement": "agreements",
    "delegation": "delegations",
    "exchange": "exchanges",
    "event": "events",
}


def record_urls(record_type):
    prefix = PATHS[record_type.slug]
    kind = {"record_type": record_type}
    name = record_type.slug
    urls = [
        path(f"{prefix}/", views.record_list, kind, name=f"{name}_list"),
        path(f"{prefix}/new/", views.record_create, kind, name=f"{name}_create"),
        path(f"{prefix}/<int:pk>/", views.record_detail, kind, name=f"{name}_detail"),
        path(f"{prefix}/<int:pk>/edit/", views.record_edit, kind, name=f"{name}_edit"),
        path(f"{prefix}/<int:pk>/delete/", views.record_delete, kind, name=f"{name}_delete"),
        path(f"{prefix}/<int:pk>/history/", views.record_history, kind, name=f"{name}_history"),
    ]
    if record_type.resource is not None:
        urls += [
            path(f"{prefix}/export/", views.record_export, kind, name=f"{name}_export"),
            path(f"{prefix}/import/", views.record_import, kind, name=f"{name}_import"),
            path(
                f"{prefix}/import/confirm/",
                views.record_import_confirm,
                kind,
                name=f"{name}_import_confirm",
            ),
        ]
    return urls


urlpatterns = [
    path("", views.index, name="index"),
    path("map/", map.city_map, name="city_map"),
    path("measures/<int:measure_id>/link/", views.measure_link, name="measure_link"),
    path("measures/<int:measure_id>/unlink/", views.measure_unlink, name="measure_unlink"),
]
for record_type in views.RECORD_TYPES:
    urlpatterns += record_urls(record_type)
