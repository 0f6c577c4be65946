from django import forms
from django.utils.translation import gettext_lazy as _

from activities.models import Department, Measure, Section, StrategicPlan
from core.fields import CachedModelChoiceField
from core.filters import YearField
from core.widgets import FastSelect


def year_field():
    return YearField(
        label=_("Year"),
        required=False,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )


def department_field():
    return CachedModelChoiceField(
        cache_name="departments",
        label=_("Responsible department"),
        queryset=Department.objects.order_by("name"),
        required=False,
        empty_label=_("all departments"),
        error_messages={
            "invalid_choice": _("There is no such department; choose one from the list."),
        },
        widget=FastSelect(attrs={"class": "form-select"}),
    )


class DashboardFilterForm(forms.Form):
    """The home dashboard's filters, read from the query string."""

    plan = CachedModelChoiceField(
        cache_name="plans",
        label=_("Plan"),
        queryset=StrategicPlan.objects.order_by("status", "title"),
        required=False,
        empty_label=None,
        error_messages={"invalid_choice": _("There is no such plan; choose one from the list.")},
        widget=FastSelect(attrs={"class": "form-select"}),
    )
    year = year_field()
    department = department_field()

    def clean_plan(self):
        """One plan at a time, so the page costs the same however many plans the city keeps:
        the one asked for, else the first plan in force, else the first plan."""
        return self.cleaned_data["plan"] or self.fields["plan"].queryset.first()


class SectionFilterForm(forms.Form):
    year = year_field()


class ReasonForDeviationForm(forms.Form):
    text = forms.CharField(
        label=_("Reason for deviation"),
        max_length=4000,
        strip=True,
        error_messages={"required": _("Write the reason for the deviation.")},
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
    )


class SectionProposalsForm(forms.Form):
    text = forms.CharField(
        label=_("Proposals"),
        max_length=8000,
        required=False,
        strip=True,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
    )


class MeasureFilterForm(forms.Form):
    """The list behind the dashboards' measure counts."""

    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("any status")), *Measure.Status.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    late = forms.BooleanField(
        label=_("late only"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    section = forms.ModelChoiceField(
        label=_("Section"),
        queryset=Section.objects.select_related("plan").order_by("plan__title", "position"),
        required=False,
        empty_label=_("all sections"),
        error_messages={"invalid_choice": _("There is no such section; choose one from the list.")},
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    department = department_field()
