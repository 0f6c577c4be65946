from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import render

from . import selectors


def portal_view(view):
    """Pages of the portal: a signed-in user with a portal role (not a bare API client)."""
    return login_required(permission_required("accounts.view_portal", raise_exception=True)(view))


@portal_view
def plan_list(request):
    return render(request, "activities/plan_list.html", {"plans": selectors.plan_list()})


@portal_view
def plan_detail(request, plan_id):
    return render(request, "activities/plan_detail.html", {"plan": selectors.plan_get(plan_id)})


@portal_view
def section_detail(request, section_id):
    section = selectors.section_get(section_id)
    return render(
        request,
        "activities/section_detail.html",
        {"section": section, "measure_groups": selectors.measure_groups(section)},
    )


@portal_view
def measure_detail(request, measure_id):
    measure = selectors.measure_get(measure_id)
    return render(request, "activities/measure_detail.html", {"measure": measure})
