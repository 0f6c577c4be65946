from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import style_fields

from .models import VALUE_FIELD, IndicatorValue, MilestoneStatus

NUMBER_ERRORS = {
    "invalid": _("Enter a number, e.g. 12.5."),
    "max_digits": _("The number is too long."),
    "max_decimal_places": _("No more than 4 decimal places."),
    "max_whole_digits": _("The number is too large."),
}
QUARTER_CHOICES = [("", _("whole year")), (1, "I"), (2, "II"), (3, "III"), (4, "IV")]


def plain_decimal(value):
    """12.5000 → 12.5 and 100.0000 → 100 (normalize() alone would give 1E+2)."""
    return value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()


class AmountField(forms.DecimalField):
    """A number as officials type it: "1 234,5" or "1234.5"; shown without trailing zeros."""

    def __init__(self, **kwargs):
        super().__init__(error_messages=NUMBER_ERRORS, localize=True, **VALUE_FIELD, **kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            for space in (" ", "\xa0", "\u202f"):
                value = value.replace(space, "")
            value = value.replace(",", ".")
        return super().to_python(value)

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            value = plain_decimal(value)
        return super().prepare_value(value)


class IndicatorValueForm(forms.ModelForm):
    """An actual value. The period checks (plan years, duplicates, yearly vs quarterly) need
    the indicator locked, so services make them; the form only parses."""

    year = forms.IntegerField(
        label=_("Year"),
        error_messages={
            "invalid": _("Enter the year as a number, e.g. 2015."),
            "required": _("Enter the year."),
        },
    )
    quarter = forms.TypedChoiceField(
        label=_("Quarter"),
        choices=QUARTER_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": _("The quarter must be 1, 2, 3 or 4.")},
    )
    value = AmountField(label=_("Actual value"), required=False)
    milestone_status = forms.ChoiceField(
        label=_("Milestone status"),
        choices=[("", _("— choose —")), *MilestoneStatus.choices],
        required=False,
        error_messages={"invalid_choice": _("Choose a status from the list.")},
    )

    class Meta:
        model = IndicatorValue
        fields = [
            "year", "quarter", "value", "milestone_status", "evidence_file", "evidence_url",
            "comment",
        ]  # fmt: skip
        error_messages = {
            "evidence_url": {"invalid": _("Enter a full link, starting with https://.")},
        }
        widgets = {"comment": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, indicator, **kwargs):
        super().__init__(*args, **kwargs)
        # A milestone takes a status for the year, a numeric indicator a number. The fields of
        # the other kind stay (hidden), so that input for them is refused by the service, not
        # silently dropped.
        if indicator.is_milestone:
            hidden = ["value", "quarter"]
            self.fields["milestone_status"].required = True
            self.fields["milestone_status"].error_messages["required"] = _(
                "Choose the milestone's status."
            )
        else:
            hidden = ["milestone_status"]
            self.fields["value"].required = True
            self.fields["value"].error_messages["required"] = _("Enter the value.")
        for name in hidden:
            self.fields[name].widget = forms.HiddenInput()
        style_fields(self)

    def clean(self):
        data = super().clean()
        # The rules behind the table's constraints (a number or a status, by the indicator's
        # kind; one value a period) need the indicator, so services check them with their own
        # messages; the database's constraints stay the last guard.
        self._validate_constraints = False
        return data


class TargetsForm(forms.Form):
    """A field per plan year: the planned value, blank for none; for a milestone, a box
    ticked when it is due (to be done by the end of the year)."""

    def __init__(self, *args, years, targets, milestone=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.years = list(years)
        for year in self.years:
            if milestone:
                field = forms.BooleanField(label=str(year), required=False, initial=year in targets)
            else:
                field = AmountField(label=str(year), required=False, initial=targets.get(year))
            self.fields[self.field_name(year)] = field
        self.milestone = milestone
        style_fields(self)

    @staticmethod
    def field_name(year):
        return f"target_{year}"

    def rows(self):
        return [(year, self[self.field_name(year)]) for year in self.years]

    def cleaned_targets(self):
        """{year: amount or None}; for a milestone {year: True (due) or None}."""
        found = {year: self.cleaned_data.get(self.field_name(year)) for year in self.years}
        if self.milestone:
            return {year: True if due else None for year, due in found.items()}
        return found
