from django import forms
from django.core.validators import MinValueValidator
from django.utils.translation import gettext_lazy as _

from core.forms import style_fields

from .models import LegalAct, Measure, ProgressReport
from .plan_text import PlanTextError, decode_plan_text
from .services import MEASURE_FIELDS, REPORT_FIELDS, ActDetails

MAX_PLAN_TEXT_SIZE = 2 * 1024 * 1024


class PlanImportForm(forms.Form):
    """The plan text and, for an amendment, the act that makes it. The preview posts the text
    back (``text``) with the user's corrections of the matching."""

    file = forms.FileField(
        label=_("Plan text file"),
        required=False,
        help_text=_("The official text of the plan or of some of its sections, as .txt."),
    )
    text = forms.CharField(required=False, widget=forms.HiddenInput, strip=False)
    source_name = forms.CharField(required=False, widget=forms.HiddenInput, max_length=255)
    plan_title = forms.CharField(
        label=_("Plan title"),
        max_length=500,
        required=False,
        help_text=_("Leave empty to use the title of the act from the text."),
    )
    act_number = forms.CharField(
        label=_("Number of the act"),
        max_length=64,
        required=False,
        help_text=_("For an amendment: the act that amends the plan. Leave the act empty to "
                    "correct the text (the correction is recorded as such)."),
    )  # fmt: skip
    act_date = forms.DateField(
        label=_("Date of the act"),
        required=False,
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Give the date of the act as DD.MM.YYYY.")},
    )
    act_title = forms.CharField(label=_("Title of the act"), max_length=1000, required=False)
    act_kind = forms.ChoiceField(
        label=_("Kind of act"),
        choices=LegalAct.Kind.choices,
        initial=LegalAct.Kind.DUMA_DECISION,
        required=False,
    )
    act_issuer = forms.CharField(label=_("Issued by"), max_length=255, required=False)

    ACT_FIELDS = ("act_number", "act_date", "act_title")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload and upload.size > MAX_PLAN_TEXT_SIZE:
            raise forms.ValidationError(
                _("The file is too large (%(size)s MB); a plan text is at most 2 MB."),
                params={"size": round(upload.size / 1024 / 1024, 1)},
            )
        return upload

    def clean_text(self):
        text = self.cleaned_data["text"]
        if len(text.encode()) > MAX_PLAN_TEXT_SIZE:
            raise forms.ValidationError(_("The text is too large; a plan text is at most 2 MB."))
        return text

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("file") and not cleaned.get("text") and "file" not in self.errors:
            self.add_error("file", _("Choose the file with the plan text."))
        given = [name for name in self.ACT_FIELDS if cleaned.get(name)]
        if given and len(given) < len(self.ACT_FIELDS):
            for name in self.ACT_FIELDS:
                if not cleaned.get(name) and name not in self.errors:
                    self.add_error(
                        name, _("An act needs its number, date and title; give all three.")
                    )
        return cleaned

    def import_arguments(self):
        """The keyword arguments of services.plan_import."""
        data = self.cleaned_data
        upload = data.get("file")
        act = None
        if data.get("act_number"):
            act = ActDetails(
                number=data["act_number"],
                date=data["act_date"],
                title=data["act_title"],
                kind=data["act_kind"] or LegalAct.Kind.DUMA_DECISION,
                issuer=data.get("act_issuer", ""),
            )
        return {
            "data": decode_plan_text(upload.read()) if upload else data["text"],
            "source_name": upload.name if upload else data.get("source_name", ""),
            "plan_title": data["plan_title"] or None,
            "act": act,
        }

    @staticmethod
    def matching(post):
        """{section: {(group, number): measure id or None}} from the preview's choices."""
        matching = {}
        for name, value in post.items():
            if not name.startswith("match:"):
                continue
            try:
                _prefix, section, group, number = name.split(":")
                key = (int(group), int(number))
                chosen = None if value == "new" else int(value)
            except ValueError as error:
                raise PlanTextError(
                    _("The matching of the measures is not understood; open the preview again.")
                ) from error
            matching.setdefault(section, {})[key] = chosen
        return matching


class StyledFormMixin:
    """Bootstrap classes on every widget, so templates render fields with {{ field }}."""

    def style_fields(self):
        style_fields(self)


class MeasureForm(StyledFormMixin, forms.ModelForm):
    """What the responsible department keeps current; the department itself only an
    administrator changes (the field is disabled for everyone else)."""

    class Meta:
        model = Measure
        fields = MEASURE_FIELDS
        widgets = {"deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, can_change_department=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].disabled = not can_change_department
        self.style_fields()
        for name in ("planned_funding", "actual_funding"):
            self.fields[name].min_value = 0
            self.fields[name].validators.append(
                MinValueValidator(0, _("Funding cannot be negative."))
            )

    def clean(self):
        cleaned = super().clean()
        # The form checks the database's constraints itself, with messages people understand.
        self._validate_constraints = False
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The end year cannot be before the start year."))
        return cleaned


class ProgressReportForm(StyledFormMixin, forms.ModelForm):
    # Shown (and asked) only when the year lies outside the measure's period.
    confirm_year = forms.BooleanField(
        label=_("Yes, the report is for this year"), required=False, widget=forms.HiddenInput
    )

    class Meta:
        model = ProgressReport
        fields = REPORT_FIELDS
        widgets = {"text": forms.Textarea(attrs={"rows": 5})}
        error_messages = {
            "quarter": {
                "invalid_choice": _(
                    "The quarter is a number from 1 to 4; leave it empty for the whole year."
                )
            },
        }

    def __init__(self, *args, measure, default_year=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.measure = measure
        if self.instance.pk is None and default_year is not None:
            self.initial.setdefault("year", default_year)
        quarter = self.fields["quarter"]
        quarter.choices = [("", _("whole year")), *(c for c in quarter.choices if c[0] != "")]
        self.fields["percent_done"].widget.attrs.update({"min": 0, "max": 100})
        self.style_fields()

    def clean(self):
        cleaned = super().clean()
        self._validate_constraints = False
        year, quarter = cleaned.get("year"), cleaned.get("quarter")
        if year is not None and not cleaned.get("confirm_year"):
            self._warn_outside_the_period(year)
        if year is not None and "quarter" not in self.errors:
            duplicates = ProgressReport.objects.filter(
                measure=self.measure, year=year, quarter=quarter
            ).exclude(pk=self.instance.pk)
            if duplicates.exists():
                raise forms.ValidationError(
                    _("There is already a report on this measure for this period."),
                    code="duplicate_period",
                )
        return cleaned

    def _warn_outside_the_period(self, year):
        """A year outside the measure's period (or its plan's horizon) is most likely a typo:
        the editor confirms it before it is saved."""
        start = self.measure.period_start
        end = self.measure.period_end or self.measure.section.plan.horizon_year
        if (start is None or year >= start) and (end is None or year <= end):
            return
        period = f"{start or '…'}–{end or '…'}"
        self.add_error(
            "year",
            forms.ValidationError(
                _(
                    "%(year)s — outside the measure's period (%(period)s). Check the year; if "
                    "the report really is for this year, tick the box below and save again."
                ),
                code="outside_period",
                params={"year": year, "period": period},
            ),
        )
        self.fields["confirm_year"].widget = forms.CheckboxInput(
            attrs={"class": "form-check-input"}
        )

    def report_values(self):
        """The cleaned values the report services take as keyword arguments."""
        values = {name: self.cleaned_data[name] for name in self.Meta.fields}
        # The "clear" checkbox of the file input cleans to False; the model stores no file as "".
        if values["evidence_file"] is False:
            values["evidence_file"] = ""
        return values


class ReportingYearForm(StyledFormMixin, forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100)
    locked = forms.TypedChoiceField(
        label=_("Action"),
        choices=[("1", _("Close")), ("0", _("Open"))],
        coerce=lambda value: value == "1",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_fields()
