from django.urls import path

from . import public_views

app_name = "public"

urlpatterns = [
    path("", public_views.home, name="home"),
    path("sections/<int:section_id>/", public_views.section, name="section"),
    path("indicators/<int:indicator_id>/", public_views.indicator, name="indicator"),
    path("reports/", public_views.report_list, name="report_list"),
    path("reports/<int:year>/", public_views.report, name="report"),
]
