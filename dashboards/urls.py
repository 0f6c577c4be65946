from django.urls import path

from . import views

app_name = "dashboards"

urlpatterns = [
    path("measures/", views.measure_list, name="measure_list"),
    path("sections/<int:section_id>/", views.section_dashboard, name="section_dashboard"),
    path("report/<int:year>/", views.annual_report, name="annual_report"),
    path("report/<int:year>/publish/", views.annual_report_publish, name="annual_report_publish"),
    path(
        "report/<int:year>/proposals/<int:section_id>/",
        views.section_proposals_save,
        name="section_proposals_save",
    ),
    path("report/<int:year>.docx", views.annual_report_docx, name="annual_report_docx"),
    path("report/<int:year>.xlsx", views.annual_report_xlsx, name="annual_report_xlsx"),
    path(
        "report/<int:year>/reasons/<int:indicator_id>/",
        views.reason_for_deviation_save,
        name="reason_for_deviation_save",
    ),
    path(
        "report/<int:year>/reasons/<int:indicator_id>/actions/",
        views.corrective_action_add,
        name="corrective_action_add",
    ),
    path(
        "actions/<int:action_id>/done/",
        views.corrective_action_done,
        name="corrective_action_done",
    ),
    path(
        "actions/<int:action_id>/edit/",
        views.corrective_action_edit,
        name="corrective_action_edit",
    ),
    path(
        "actions/<int:action_id>/delete/",
        views.corrective_action_delete,
        name="corrective_action_delete",
    ),
]
