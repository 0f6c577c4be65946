from django.urls import path

from . import views

app_name = "activities"

urlpatterns = [
    path("", views.plan_list, name="plan_list"),
    path("import/", views.plan_import, name="plan_import"),
    path("<int:plan_id>/", views.plan_detail, name="plan_detail"),
    path("sections/<int:section_id>/", views.section_detail, name="section_detail"),
    path("measures/<int:measure_id>/", views.measure_detail, name="measure_detail"),
]
