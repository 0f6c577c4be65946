from django.urls import path

from . import views

app_name = "indicators"

urlpatterns = [
    path("", views.indicator_list, name="indicator_list"),
    path("<int:indicator_id>/", views.indicator_detail, name="indicator_detail"),
    path("<int:indicator_id>/targets/", views.targets_edit, name="targets_edit"),
    path("<int:indicator_id>/values/new/", views.value_create, name="value_create"),
    path("<int:indicator_id>/records/<int:year>/", views.computed_records, name="computed_records"),
    path("values/<int:value_id>/edit/", views.value_edit, name="value_edit"),
    path("values/<int:value_id>/submit/", views.value_submit, name="value_submit"),
    path("values/<int:value_id>/approve/", views.value_approve, name="value_approve"),
    path("values/<int:value_id>/return/", views.value_return, name="value_return"),
]
