"""Forms of the partner pages. The record rules live in the models' clean() (shared with the
spreadsheet import); the forms add Bootstrap classes and scope the department to the user."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from accounts.roles import is_administrator
from activities.models import Department, Measure
from core.forms import style_fields

from .fields import (
    AGREEMENT_FIELDS,
    CITY_FIELDS,
    DELEGATION_FIELDS,
    EVENT_FIELDS,
    EXCHANGE_FIELDS,
    ORGANISATION_FIELDS,
)
from .models import Agreement, Delegation, Event, Exchange, PartnerCity, PartnerOrganisation

# The inputs every kind of record has, after its own (fields.py).
COMMON = ["department", "measures", "notes"]
MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class MeasureChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.section.number} · {obj.code} {obj.text[:90]}"


class MeasureMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.section.number} · {obj.code} {obj.text[:90]}"


def alphabetical(name):
    """A sort key in Russian alphabetical order (Cyrillic code points are, but for ё)."""
    return name.casefold().replace("ё", "е")


def country_choices():
    """(code, name) of every country in the active language: the sister cities' countries
    first (COUNTRIES_FIRST), then the rest in alphabetical order of their names."""
    first = list(settings.COUNTRIES_FIRST)
    rest = [(code, str(name)) for code, name in countries if code not in first]
    return [(code, str(countries.name(code))) for code in first] + sorted(
        rest, key=lambda pair: alphabetical(pair[1])
    )


def measure_queryset():
    return Measure.objects.select_related("section").order_by(
        "section__plan_id", "section__number", "group", "number"
    )


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class RecordForm(forms.ModelForm):
    """A partner record; `user` decides which departments the record may be kept by."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        departments = Department.objects.order_by("name")
        if not is_administrator(user):
            # An editor keeps records only for their own department.
            departments = departments.filter(pk=user.department_id)
            if self.instance.pk is None:
                self.initial.setdefault("department", user.department_id)
        self.fields["department"].queryset = departments
        if "measures" in self.fields:
            self.fields["measures"] = MeasureMultipleChoiceField(
                queryset=measure_queryset(),
                required=False,
                label=_("measures"),
                # partners/searchable-select.js adds a search box above it.
                widget=forms.SelectMultiple(
                    attrs={
                        "size": 8,
                        "data-searchable": "true",
                        "data-search-placeholder": _("Search the measures"),
                    }
                ),
            )
        if "country" in self.fields:
            country = self.fields["country"]
            country.choices = [("", country.choices[0][1]), *country_choices()]
        style_fields(self)

    def save_values(self):
        """The cleaned values to hand to services: column values and many-to-many sets."""
        return dict(self.cleaned_data)


class PartnerCityForm(RecordForm):
    class Meta:
        model = PartnerCity
        fields = [*CITY_FIELDS, *COMMON]
        widgets = {"sister_city_since": DateInput(), "notes": forms.Textarea(attrs={"rows": 3})}


class PartnerOrganisationForm(RecordForm):
    class Meta:
        model = PartnerOrganisation
        fields = [*ORGANISATION_FIELDS, *COMMON]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


class AgreementForm(RecordForm):
    class Meta:
        model = Agreement
        fields = [*AGREEMENT_FIELDS, *COMMON]
        widgets = {
            "signed_on": DateInput(),
            "valid_until": DateInput(),
            "parties": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }


class DelegationForm(RecordForm):
    """The country follows the chosen partner city (or organisation) when left empty."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].required = False

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("country"):
            partner = cleaned.get("partner_city") or cleaned.get("partner_organisation")
            if partner is not None and partner.country:
                cleaned["country"] = partner.country
            elif "country" not in self.errors:
                self.add_error(
                    "country", _("Choose the country or a partner city to take it from.")
                )
        return cleaned

    class Meta:
        model = Delegation
        fields = [*DELEGATION_FIELDS, *COMMON]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }


class ExchangeForm(RecordForm):
    class Meta:
        model = Exchange
        fields = [*EXCHANGE_FIELDS, *COMMON]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }


class EventForm(RecordForm):
    class Meta:
        model = Event
        fields = [*EVENT_FIELDS, *COMMON]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }


class MeasureLinkForm(forms.Form):
    """Which partner record to link to (or unlink from) a measure."""

    KINDS = [
        ("city", _("partner city")),
        ("organisation", _("partner organisation")),
        ("agreement", _("agreement")),
    ]
    kind = forms.ChoiceField(choices=KINDS)
    record = forms.IntegerField(min_value=1, error_messages={"required": _("Choose a record.")})


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet (XLSX or CSV, up to 5 MB)"),
        error_messages={
            "required": _("Choose a file to import."),
            "empty": _("The file is empty."),
        },
    )
    department = forms.ModelChoiceField(
        queryset=Department.objects.order_by("name"),
        label=_("department keeping the records"),
        required=False,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if not is_administrator(user):
            # Imported records belong to the importing editor's department.
            del self.fields["department"]
        style_fields(self)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not name.endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("Only XLSX and CSV files can be imported."))
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        if upload.size == 0:
            raise forms.ValidationError(_("The file is empty."))
        return upload

    def clean(self):
        cleaned = super().clean()
        department = cleaned.get("department") if "department" in self.fields else None
        if department is None:
            department = self.user.department
        if department is None:
            raise forms.ValidationError(
                _("Choose the department that will keep the imported records.")
            )
        cleaned["department"] = department
        return cleaned
