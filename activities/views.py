from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from . import selectors, services
from .forms import PlanImportForm
from .plan_text import PlanTextError


def portal_view(view):
    """Pages of the portal: a signed-in user with a portal role (not a bare API client)."""
    return login_required(permission_required("accounts.view_portal", raise_exception=True)(view))


@portal_view
@require_GET
def plan_list(request):
    return render(request, "activities/plan_list.html", {"plans": selectors.plan_list()})


@portal_view
@require_GET
def plan_detail(request, plan_id):
    return render(request, "activities/plan_detail.html", {"plan": selectors.plan_get(plan_id)})


@portal_view
@require_GET
def section_detail(request, section_id):
    section = selectors.section_get(section_id)
    return render(
        request,
        "activities/section_detail.html",
        {"section": section, "measure_groups": selectors.measure_groups(section)},
    )


@portal_view
@require_GET
def measure_detail(request, measure_id):
    measure = selectors.measure_get(measure_id)
    return render(request, "activities/measure_detail.html", {"measure": measure})


@login_required
@permission_required("accounts.administer", raise_exception=True)
@require_http_methods(["GET", "POST"])
def plan_import(request):
    """Administrators upload a plan text; the same service as `manage.py import_plan`."""
    if request.method == "POST":
        form = PlanImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                summary = services.plan_import(
                    data=upload.read(),
                    source_name=upload.name,
                    plan_title=form.cleaned_data["plan_title"] or None,
                )
            except PlanTextError as error:
                form.add_error("file", str(error))
            else:
                messages.success(request, summary.describe())
                return redirect(summary.plan)
        return render(request, "activities/plan_import.html", {"form": form}, status=400)
    return render(request, "activities/plan_import.html", {"form": PlanImportForm()})
