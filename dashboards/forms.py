from django import forms
from django.utils.translation import gettext_lazy as _

from activities.models import Department, Measure, Section, StrategicPlan
from core.fields import CachedModelChoiceField
from core.filters import YearField
from core.widgets import FastSelect

from .models import CorrectiveAction, cause_choices


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
    cause = forms.ChoiceField(
        label=_("Kind of cause"),
        choices=[("", _("choose the kind of cause")), *cause_choices()],
        error_messages={
            "required": _("Choose the kind of the cause from the list."),
            "invalid_choice": _("Choose the kind of the cause from the list."),
        },
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
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


def date_input():
    return forms.DateInput(
        attrs={"type": "date", "class": "form-control form-control-sm"}, format="%Y-%m-%d"
    )


class CorrectiveActionForm(forms.Form):
    text = forms.CharField(
        label=_("Corrective action"),
        max_length=4000,
        strip=True,
        error_messages={"required": _("Describe the corrective action.")},
        widget=forms.Textarea(attrs={"class": "form-control form-control-sm", "rows": 2}),
    )
    responsible = forms.CharField(
        label=_("Responsible person"),
        max_length=200,
        strip=True,
        error_messages={"required": _("Name the person responsible.")},
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )
    responsible_position = forms.CharField(
        label=_("Position"),
        max_length=200,
        required=False,
        strip=True,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )
    due_on = forms.DateField(
        label=_("Due date"),
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
        error_messages={
            "required": _("Set the due date."),
            "invalid": _("Enter the due date as DD.MM.YYYY."),
        },
        widget=date_input(),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (CorrectiveAction.Status.PLANNED, CorrectiveAction.Status.PLANNED.label),
            (CorrectiveAction.Status.IN_PROGRESS, CorrectiveAction.Status.IN_PROGRESS.label),
        ],
        initial=CorrectiveAction.Status.PLANNED,
        error_messages={"invalid_choice": _("A new action is planned or in progress.")},
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )


class CorrectiveActionEditForm(CorrectiveActionForm):
    """An open action's wording, person, due date and stage; done has its own button."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].error_messages["invalid_choice"] = _(
            "An action is marked done with its own button."
        )


class CorrectiveActionDoneForm(forms.Form):
    done_on = forms.DateField(
        label=_("Done on"),
        required=False,
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
        error_messages={"invalid": _("Enter the date as DD.MM.YYYY.")},
        widget=date_input(),
    )
