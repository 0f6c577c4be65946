"""Spreadsheet import and export (XLSX, CSV) of partner records with django-import-export.

Column headers are the fields' names in the user's language; on import a header may also be
the field's code name or its name in the other language. Values are read the way an official
writes them: countries as ISO codes or names (Russian or English), choices by their label,
dates as ДД.ММ.ГГГГ or ГГГГ-ММ-ДД. Imported records are kept by the importing department.
"""

import datetime
import re

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from django_countries import countries
from import_export import fields, resources, widgets

from accounts.roles import can_edit_department_data
from core.spreadsheets import neutralise

from .fields import (
    AGREEMENT_FIELDS,
    CITY_FIELDS,
    DELEGATION_FIELDS,
    EVENT_FIELDS,
    ORGANISATION_FIELDS,
)
from .models import Agreement, Delegation, Event, Level, PartnerCity, PartnerOrganisation

# Names officials use that are not the ISO short names.
COUNTRY_ALIASES = {
    "сша": "US",
    "usa": "US",
    "united states": "US",
    "соединенные штаты": "US",
    "соединённые штаты америки": "US",
    "кнр": "CN",
    "республика корея": "KR",
    "корея": "KR",
    "south korea": "KR",
    "korea": "KR",
    "republic of korea": "KR",
}


def _text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


class TextWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        return _text(value)

    def render(self, value, obj=None, **kwargs):
        if kwargs.get("force_native_type"):  # a workbook: a number cell
            return value
        return "" if value is None else str(value)


class ChoiceWidget(widgets.Widget):
    """A choice given by its code or its label in Russian or English."""

    def __init__(self, choices, required=True):
        super().__init__()
        self.choices = choices
        self.required = required

    def clean(self, value, row=None, **kwargs):
        text = _text(value).lower()
        if not text:
            if self.required:
                raise ValueError(_("A value is required."))
            return ""
        for code, label in self.choices:
            names = {code.lower()}
            for language in ("ru", "en"):
                with translation.override(language):
                    names.add(str(label).lower())
            if text in names:
                return code
        allowed = ", ".join(str(label) for _code, label in self.choices)
        raise ValueError(
            _("Unknown value “%(value)s”; expected one of: %(allowed)s.")
            % {"value": _text(value), "allowed": allowed}
        )

    def render(self, value, obj=None, **kwargs):
        return str(dict(self.choices).get(value, value or ""))


class CountryWidget(widgets.Widget):
    """An ISO 3166 code (alpha-2 or alpha-3) or the country's name in Russian or English."""

    def clean(self, value, row=None, **kwargs):
        text = _text(value)
        if not text:
            raise ValueError(_("A value is required."))
        code = countries.alpha2(text) if len(text) in (2, 3) else ""
        code = (
            code
            or COUNTRY_ALIASES.get(text.lower(), "")
            or countries.by_name(text, language="ru")
            or countries.by_name(text, language="en")
        )
        if not code:
            raise ValueError(_("Unknown country “%(value)s”.") % {"value": text})
        return code

    def render(self, value, obj=None, **kwargs):
        return value.name if value else ""


class DateWidget(widgets.Widget):
    FORMATS = ("%d.%m.%Y", "%Y-%m-%d", "%d/%m/%Y")

    def __init__(self, required=True):
        super().__init__()
        self.required = required

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = _text(value)
        if not text:
            if self.required:
                raise ValueError(_("A value is required."))
            return None
        text = text.split(" ")[0]  # "2024-05-01 00:00:00" from a spreadsheet's date cell
        for date_format_ in self.FORMATS:
            try:
                return datetime.datetime.strptime(text, date_format_).date()
            except ValueError:
                continue
        raise ValueError(_("“%(value)s” is not a date; write it as DD.MM.YYYY.") % {"value": text})

    def render(self, value, obj=None, **kwargs):
        if kwargs.get("force_native_type"):  # a workbook: a date cell
            return value
        return value.strftime("%d.%m.%Y") if value else ""


class NumberWidget(widgets.Widget):
    def __init__(self, required=True):
        super().__init__()
        self.required = required

    def clean(self, value, row=None, **kwargs):
        text = _text(value)
        if not text:
            if self.required:
                raise ValueError(_("A value is required."))
            return None
        if not re.fullmatch(r"-?\d+", text):
            raise ValueError(_("“%(value)s” is not a whole number.") % {"value": text})
        return int(text)

    def render(self, value, obj=None, **kwargs):
        if kwargs.get("force_native_type"):  # a workbook: a number cell
            return value
        return "" if value is None else str(value)


class YesNoWidget(widgets.Widget):
    YES = {"1", "да", "yes", "true", "истина", "+"}
    NO = {"", "0", "нет", "no", "false", "ложь", "-"}

    def clean(self, value, row=None, **kwargs):
        text = _text(value).lower()
        if text in self.YES:
            return True
        if text in self.NO:
            return False
        raise ValueError(_("Write “yes” or “no”."))

    def render(self, value, obj=None, **kwargs):
        return _("yes") if value else _("no")


class PartnerCityWidget(widgets.Widget):
    """A partner city by its Russian or English name; several separated by semicolons."""

    def __init__(self, many=False):
        super().__init__()
        self.many = many

    def _city(self, name):
        matches = list(
            PartnerCity.objects.filter(name_ru__iexact=name)
            | PartnerCity.objects.filter(name_en__iexact=name)
        )
        if not matches:
            raise ValueError(_("There is no partner city “%(value)s”.") % {"value": name})
        if len(matches) > 1:
            raise ValueError(_("Several partner cities are called “%(value)s”.") % {"value": name})
        return matches[0]

    def clean(self, value, row=None, **kwargs):
        names = [name.strip() for name in _text(value).split(";") if name.strip()]
        cities = [self._city(name) for name in names]
        if self.many:
            return cities
        return cities[0] if cities else None

    def render(self, value, obj=None, **kwargs):
        if self.many:
            return "; ".join(city.name_ru for city in value.all())
        return value.name_ru if value else ""


class PartnerOrganisationWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        name = _text(value)
        if not name:
            return None
        organisation = PartnerOrganisation.objects.filter(name__iexact=name).first()
        if organisation is None:
            raise ValueError(_("There is no partner organisation “%(value)s”.") % {"value": name})
        return organisation

    def render(self, value, obj=None, **kwargs):
        return value.name if value else ""


def field(model, name, widget, readonly=False):
    return fields.Field(
        attribute=name,
        column_name=model._meta.get_field(name).verbose_name,
        widget=widget,
        readonly=readonly,
    )


class RecordResource(resources.ModelResource):
    """Fields common to every partner record; `department` and `user` scope the import."""

    id = fields.Field(
        attribute="id", column_name="id", widget=NumberWidget(required=False), readonly=True
    )
    department_name = fields.Field(column_name="department", readonly=True)
    measure_codes = fields.Field(column_name="measures", readonly=True)
    # Many-to-many columns (validated with the row, set after the row is saved).
    many_to_many = ()
    # Columns an export adds for the reader and an import ignores → the model field they show.
    EXPORT_ONLY_COLUMNS = {"department_name": "department", "measure_codes": "measures"}

    class Meta:
        clean_model_instances = True
        # A row that changes nothing is "no change": not saved (no history entry), and allowed
        # whoever keeps the record (import_instance, skip_row).
        skip_unchanged = True
        skip_diff = True  # the preview shows the rows as read, not an HTML diff
        report_skipped = True
        use_transactions = True

    def __init__(self, *, department=None, user=None, **kwargs):
        super().__init__(**kwargs)
        self.department = department
        self.user = user
        model = self._meta.model
        self.fields["department_name"].column_name = model._meta.get_field(
            "department"
        ).verbose_name
        self.fields["measure_codes"].column_name = model._meta.get_field("measures").verbose_name
        # Headers in the active language, as plain strings the rows are keyed by.
        for resource_field in self.fields.values():
            resource_field.column_name = str(resource_field.column_name)

    def export_field(self, field, instance, **kwargs):
        # Every export of the records (the registers' XLSX and CSV, the admin's) goes through here.
        return neutralise(super().export_field(field, instance, **kwargs))

    def dehydrate_department_name(self, record):
        return str(record.department)

    def dehydrate_measure_codes(self, record):
        return "; ".join(
            f"{measure.section.number} {measure.code}" for measure in record.measures.all()
        )

    def header_aliases(self):
        """Every spelling of each column's header → the header the rows use."""
        aliases = {}
        model = self._meta.model
        for name, resource_field in self.fields.items():
            spellings = {resource_field.column_name, name}
            model_field_name = resource_field.attribute or self.EXPORT_ONLY_COLUMNS.get(name)
            if model_field_name:
                spellings.add(model_field_name)
                label = model._meta.get_field(model_field_name).verbose_name
                for language in ("ru", "en"):
                    with translation.override(language):
                        spellings.add(str(label))
            for spelling in spellings:
                aliases[str(spelling).strip().lower()] = resource_field.column_name
        return aliases

    def importable_headers(self):
        """Columns the import reads (the rest of an exported file is accepted and ignored)."""
        return [
            resource_field.column_name
            for name, resource_field in self.fields.items()
            if not resource_field.readonly or name in self.many_to_many
        ]

    def required_headers(self):
        """Columns a file must have: the model's required fields that the resource imports."""
        model = self._meta.model
        required = []
        for resource_field in self.fields.values():
            if resource_field.readonly or not resource_field.attribute:
                continue
            model_field = model._meta.get_field(resource_field.attribute)
            if not model_field.blank and not model_field.has_default():
                required.append(resource_field.column_name)
        return required

    def column_for(self, attribute):
        """The header a model field's error belongs to, for the error report."""
        if attribute == NON_FIELD_ERRORS:
            return ""
        for resource_field in self.fields.values():
            if resource_field.attribute == attribute:
                return resource_field.column_name
        try:
            return str(self._meta.model._meta.get_field(attribute).verbose_name)
        except Exception:  # noqa: BLE001 - not a model field
            return attribute

    def _imported_fields(self):
        return [
            resource_field
            for resource_field in self.fields.values()
            if resource_field.attribute and not resource_field.readonly
        ]

    def _stored_values(self, instance):
        """What the row may change, as stored: column values and many-to-many sets."""
        values = {f.attribute: f.get_value(instance) for f in self._imported_fields()}
        for name in self.many_to_many:
            attribute = self.fields[name].attribute
            values[attribute] = set(getattr(instance, attribute).values_list("pk", flat=True))
        return values

    def _changes_nothing(self, instance):
        stored = getattr(instance, "_import_stored", None)
        if stored is None:
            return False
        for resource_field in self._imported_fields():
            if resource_field.get_value(instance) != stored[resource_field.attribute]:
                return False
        for attribute, value in instance._import_many_to_many.items():
            if {related.pk for related in value} != stored[attribute]:
                return False
        return True

    def skip_row(self, instance, original, row, import_validation_errors=None):
        return not import_validation_errors and self._changes_nothing(instance)

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        instance._import_stored = None
        if instance.pk is not None:
            instance._import_stored = self._stored_values(instance)
        else:
            instance.department = self.department
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        instance._import_many_to_many = {}
        for name in self.many_to_many:
            resource_field = self.fields[name]
            if resource_field.column_name not in row:
                continue
            try:
                instance._import_many_to_many[resource_field.attribute] = (
                    resource_field.widget.clean(row[resource_field.column_name])
                )
            except ValueError as error:
                errors[resource_field.attribute] = ValidationError(str(error))
        # Another department's record may be re-imported unchanged, not changed.
        if (
            instance.pk is not None
            and not can_edit_department_data(self.user, instance)
            and not self._changes_nothing(instance)
        ):
            errors = {"id": [_("This row changes a record kept by another department.")]}
        if errors:
            raise ValidationError(errors)

    def before_save_instance(self, instance, row, **kwargs):
        instance._history_user = self.user

    def after_save_instance(self, instance, row, **kwargs):
        for attribute, value in getattr(instance, "_import_many_to_many", {}).items():
            getattr(instance, attribute).set(value)


class PartnerCityResource(RecordResource):
    name_ru = field(PartnerCity, "name_ru", TextWidget())
    name_en = field(PartnerCity, "name_en", TextWidget())
    country = field(PartnerCity, "country", CountryWidget())
    region = field(PartnerCity, "region", TextWidget())
    status = field(PartnerCity, "status", ChoiceWidget(PartnerCity.Status.choices))
    sister_city_since = field(PartnerCity, "sister_city_since", DateWidget(required=False))
    since_year_only = field(PartnerCity, "since_year_only", YesNoWidget())
    # The widget ModelResource gives a DecimalField; declared for the Russian column name.
    latitude = field(PartnerCity, "latitude", widgets.DecimalWidget())
    longitude = field(PartnerCity, "longitude", widgets.DecimalWidget())
    notes = field(PartnerCity, "notes", TextWidget())

    class Meta(RecordResource.Meta):
        model = PartnerCity
        fields = ("id", *CITY_FIELDS, "notes", "department_name", "measure_codes")
        export_order = fields


class PartnerOrganisationResource(RecordResource):
    name = field(PartnerOrganisation, "name", TextWidget())
    kind = field(PartnerOrganisation, "kind", ChoiceWidget(PartnerOrganisation.Kind.choices))
    country = field(PartnerOrganisation, "country", CountryWidget())
    city = field(PartnerOrganisation, "city", PartnerCityWidget())
    city_name = field(PartnerOrganisation, "city_name", TextWidget())
    website = field(PartnerOrganisation, "website", TextWidget())
    notes = field(PartnerOrganisation, "notes", TextWidget())

    class Meta(RecordResource.Meta):
        model = PartnerOrganisation
        fields = ("id", *ORGANISATION_FIELDS, "notes", "department_name", "measure_codes")
        export_order = fields


# A spreadsheet cell cannot carry the agreement's document, and the import reads partner
# cities by name but has no column for partner organisations: the columns are the rest.
SPREADSHEET_AGREEMENT_FIELDS = [
    name for name in AGREEMENT_FIELDS if name not in {"document", "partner_organisations"}
]


class AgreementResource(RecordResource):
    title = field(Agreement, "title", TextWidget())
    kind = field(Agreement, "kind", ChoiceWidget(Agreement.Kind.choices))
    level = field(Agreement, "level", ChoiceWidget(Level.choices))
    status = field(Agreement, "status", ChoiceWidget(Agreement.Status.choices))
    signed_on = field(Agreement, "signed_on", DateWidget())
    valid_until = field(Agreement, "valid_until", DateWidget(required=False))
    partner_cities = field(Agreement, "partner_cities", PartnerCityWidget(many=True), True)
    parties = field(Agreement, "parties", TextWidget())
    notes = field(Agreement, "notes", TextWidget())
    many_to_many = ("partner_cities",)

    class Meta(RecordResource.Meta):
        model = Agreement
        fields = ("id", *SPREADSHEET_AGREEMENT_FIELDS, "notes", "department_name", "measure_codes")
        export_order = fields


class DelegationResource(RecordResource):
    direction = field(Delegation, "direction", ChoiceWidget(Delegation.Direction.choices))
    partner_city = field(Delegation, "partner_city", PartnerCityWidget())
    partner_organisation = field(Delegation, "partner_organisation", PartnerOrganisationWidget())
    origin = field(Delegation, "origin", TextWidget())
    country = field(Delegation, "country", CountryWidget())
    start_date = field(Delegation, "start_date", DateWidget())
    end_date = field(Delegation, "end_date", DateWidget())
    headcount = field(Delegation, "headcount", NumberWidget())
    purpose = field(Delegation, "purpose", TextWidget())
    notes = field(Delegation, "notes", TextWidget())

    class Meta(RecordResource.Meta):
        model = Delegation
        fields = ("id", *DELEGATION_FIELDS, "notes", "department_name", "measure_codes")
        export_order = fields


class EventResource(RecordResource):
    title = field(Event, "title", TextWidget())
    kind = field(Event, "kind", ChoiceWidget(Event.Kind.choices))
    level = field(Event, "level", ChoiceWidget(Level.choices))
    start_date = field(Event, "start_date", DateWidget())
    end_date = field(Event, "end_date", DateWidget())
    place = field(Event, "place", TextWidget())
    country = field(Event, "country", CountryWidget())
    partner_cities = field(Event, "partner_cities", PartnerCityWidget(many=True), True)
    participants = field(Event, "participants", NumberWidget(required=False))
    social_sphere = field(Event, "social_sphere", YesNoWidget())
    notes = field(Event, "notes", TextWidget())
    many_to_many = ("partner_cities",)

    class Meta(RecordResource.Meta):
        model = Event
        fields = ("id", *EVENT_FIELDS, "notes", "department_name", "measure_codes")
        export_order = fields
