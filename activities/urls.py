from django.urls import path

from . import views

app_name = "activities"

urlpatterns = [
    path("", views.plan_list, name="plan_list"),
    path("import/", views.plan_import, name="plan_import"),
    path("years/", views.reporting_years, name="reporting_years"),
    path("<int:plan_id>/", views.plan_detail, name="plan_detail"),
    path("<int:plan_id>/revisions/", views.plan_revisions, name="plan_revisions"),
    path("sections/<int:section_id>/", views.section_detail, name="section_detail"),
    path("measures/<int:measure_id>/", views.measure_detail, name="measure_detail"),
    path("measures/<int:measure_id>/edit/", views.measure_edit, name="measure_edit"),
    path("measures/<int:measure_id>/history/", views.measure_history, name="measure_history"),
    path("measures/<int:measure_id>/reports/new/", views.report_create, name="report_create"),
    path("reports/<int:report_id>/", views.report_detail, name="report_detail"),
    path("reports/<int:report_id>/edit/", views.report_edit, name="report_edit"),
    path("reports/<int:report_id>/submit/", views.report_submit, name="report_submit"),
    path("reports/<int:report_id>/approve/", views.report_approve, name="report_approve"),
    path("reports/<int:report_id>/return/", views.report_return, name="report_return"),
]
