"""Open data (``/opendata/``): the plan's data sets in CSV and JSON, each with a passport, a
structure file and versioned data files, laid out as the Russian methodological recommendations
for publishing open data (version 3.0) ask:

- the registry ``list.csv``: ``property,title,value,format``, a row per data set;
- a data set's passport ``<identifier>/meta.csv``: ``property,value`` rows (standardversion,
  identifier, title, description, creator, format, subject, publisher's name, phone and mail,
  the data and structure files by version, created, modified, valid);
- ``structure-<version>.csv``: ``field name,english description,russian description,format``;
- ``data-<version>-structure-<version>.csv``: the rows; the same as JSON beside each file.

The data version is the time of the data set's latest change (``YYYYMMDDTHHMM``); a link to an
older version answers 404 naming the current one. What is published follows
dashboards.publication: figures of published years from approved values only, no staff names,
no notes or comments.
"""

import csv
import io
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from django.conf import settings
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from activities.models import Measure
from core.spreadsheets import neutralise_row
from core.workflow import WorkflowState
from indicators.models import IndicatorValue, Target
from indicators.selectors import indicator_progress, indicator_queryset
from partners.models import Agreement, PartnerCity

from .models import PublishedReport
from .publication import published_years

STANDARD_VERSION = "http://opendata.gosmonitor.ru/standard/3.0"
# The structure files change only with this code; their version is the day they last did.
STRUCTURE_VERSION = "20261204T1200"
# A data set's time stamp when it holds no rows yet.
EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Field:
    name: str
    english: str
    russian: object  # lazy translation: the recommendations want the Russian description
    format: str  # string, integer, number, date


@dataclass(frozen=True)
class DataSet:
    code: str
    title: object
    description: object
    subject: str
    fields: tuple
    rows: object  # () -> iterable of tuples in the order of `fields`
    modified: object  # () -> datetime of the latest change

    @property
    def identifier(self):
        inn = settings.OPENDATA_PUBLISHER_INN
        return f"{inn}-{self.code}" if inn else self.code

    def version(self):
        return timezone.localtime(self.modified()).strftime("%Y%m%dT%H%M")

    def data_name(self, version, extension):
        return f"data-{version}-structure-{STRUCTURE_VERSION}.{extension}"

    def structure_name(self, extension):
        return f"structure-{STRUCTURE_VERSION}.{extension}"


def _latest(*querysets_and_fields):
    stamps = [
        queryset.aggregate(latest=Max(field))["latest"] for queryset, field in querysets_and_fields
    ]
    return max((stamp for stamp in stamps if stamp is not None), default=EPOCH)


def _number(value):
    """A decimal without trailing zeros or an exponent: 5000, 12.5."""
    if value is None:
        return None
    return Decimal(format(value.normalize(), "f"))


# --- indicators -------------------------------------------------------------------------------


def _indicator_rows():
    """Per indicator and plan year: the target, and for published years the approved actual,
    the degree of achievement and the status."""
    published = set(published_years())
    indicators = list(
        indicator_queryset().order_by(
            "expected_result__section__plan__title",
            "expected_result__section__position",
            "expected_result__section__number",
            "code",
        )
    )
    years = sorted(set(Target.objects.values_list("year", flat=True).distinct()) | published)
    if not indicators or not years:
        return
    progress = indicator_progress(indicators, years)
    for indicator, item in zip(indicators, progress.indicators, strict=True):
        section = indicator.expected_result.section
        for year_item in item.years:
            shown = year_item.year in published
            if year_item.target is None and not year_item.milestone_due and not shown:
                continue
            yield (
                section.plan.title,
                section.number,
                indicator.code,
                indicator.name,
                indicator.unit,
                year_item.year,
                _number(year_item.original_target),
                _number(year_item.target),
                str(year_item.target_act) if year_item.target_act else "",
                _number(year_item.actual) if shown else None,
                _number(year_item.degree) if shown else None,
                year_item.status if shown else "",
                item.kind,
                year_item.milestone_status if shown else "",
            )


def _indicators_modified():
    # Approved values changing or leaving (their history rows), targets, publications.
    return _latest(
        (IndicatorValue.history.filter(state=WorkflowState.APPROVED), "history_date"),
        (Target.history.all(), "history_date"),
        (PublishedReport.history.all(), "history_date"),
    )


INDICATORS = DataSet(
    code="strategy-indicators",
    title=_("Indicators of the strategic plan: targets and actual values"),
    description=_(
        "Targets of the plan's indicators by year and, for the years whose annual monitoring "
        "report is published, the approved actual values, degree of achievement and status."
    ),
    subject=_("strategy, indicators, monitoring"),
    fields=(
        Field("plan", "strategic plan", _("strategic plan"), "string"),
        Field("section", "section number", _("section number"), "string"),
        Field("code", "indicator code", _("indicator code"), "string"),
        Field("name", "indicator", _("indicator"), "string"),
        Field("unit", "unit of measurement", _("unit"), "string"),
        Field("year", "year", _("year"), "integer"),
        Field(
            "original_target",
            "target of the plan as first approved",
            _("original target"),
            "number",
        ),
        Field(
            "target",
            "target in force at the end of the year (the degree is measured against it)",
            _("target in force at the end of the year"),
            "number",
        ),
        Field("target_act", "the act that set the target in force", _("act"), "string"),
        Field("actual", "actual value (approved)", _("actual value"), "number"),
        Field("degree", "degree of achievement (1 = 100 %)", _("degree of achievement"), "number"),
        Field(
            "status",
            "status: achieved, at_risk, not_achieved, missing, none",
            _("status"),
            "string",
        ),
        Field(
            "kind",
            "kind: numeric, or milestone (no numbers; a row for each year it is due or has a "
            "status, its status in milestone_status)",
            _("kind of indicator"),
            "string",
        ),
        Field(
            "milestone_status",
            "milestone status: done, partly_done, not_done",
            _("milestone status"),
            "string",
        ),
    ),
    rows=_indicator_rows,
    modified=_indicators_modified,
)


# --- measures ---------------------------------------------------------------------------------


def _measure_rows():
    measures = Measure.objects.select_related("section__plan", "department").order_by(
        "section__plan__title", "section__position", "section__number", "group", "number"
    )
    for measure in measures.iterator(chunk_size=1000):
        yield (
            measure.section.plan.title,
            measure.section.number,
            measure.code,
            measure.text,
            str(measure.department) if measure.department else "",
            measure.period_start,
            measure.period_end,
            measure.status,
        )


MEASURES = DataSet(
    code="strategy-measures",
    title=_("Measures of the strategic plan"),
    description=_(
        "The measures of the plan's sections: their text, responsible department, period and "
        "status."
    ),
    subject=_("strategy, measures"),
    fields=(
        Field("plan", "strategic plan", _("strategic plan"), "string"),
        Field("section", "section number", _("section number"), "string"),
        Field("code", "measure number", _("measure number"), "string"),
        Field("text", "text of the measure", _("text of the measure"), "string"),
        Field("department", "responsible department", _("responsible department"), "string"),
        Field("period_start", "first year", _("first year"), "integer"),
        Field("period_end", "last year", _("last year"), "integer"),
        Field("status", "status", _("status"), "string"),
    ),
    rows=_measure_rows,
    modified=lambda: _latest((Measure.history.all(), "history_date")),
)


# --- partner cities and agreements ------------------------------------------------------------


def _city_rows():
    for city in PartnerCity.objects.order_by("name_ru", "pk").iterator(chunk_size=1000):
        yield (
            city.name_ru,
            city.name_en,
            city.country.code,
            str(city.country.name),
            city.region,
            city.sister_city_since,
            city.status,
        )


CITIES = DataSet(
    code="partner-cities",
    title=_("Partner cities and sister cities of Khabarovsk"),
    description=_("The cities Khabarovsk has sister-city or partner ties with."),
    subject=_("international ties, sister cities"),
    fields=(
        Field("name_ru", "name in Russian", _("name (Russian)"), "string"),
        Field("name_en", "name in English", _("name (English)"), "string"),
        Field("country_code", "country code, ISO 3166-1 alpha-2", _("country code"), "string"),
        Field("country", "country", _("country"), "string"),
        Field("region", "region, province or state", _("region, province or state"), "string"),
        Field("sister_city_since", "sister city since", _("sister city since"), "date"),
        Field("status", "status: sister, partner, suspended", _("status"), "string"),
    ),
    rows=_city_rows,
    modified=lambda: _latest((PartnerCity.history.all(), "history_date")),
)


def _agreement_rows():
    agreements = Agreement.objects.prefetch_related("partner_cities").order_by("signed_on", "pk")
    for agreement in agreements.iterator(chunk_size=1000):
        yield (
            agreement.title,
            agreement.kind,
            agreement.level,
            "; ".join(city.name_ru for city in agreement.partner_cities.all()),
            agreement.parties,
            agreement.signed_on,
            agreement.valid_until,
            agreement.status,
        )


AGREEMENTS = DataSet(
    code="partner-agreements",
    title=_("Agreements on cooperation"),
    description=_(
        "Agreements, memoranda and protocols on cooperation the city has signed, with their "
        "partners and term."
    ),
    subject=_("international ties, agreements"),
    fields=(
        Field("title", "title", _("title"), "string"),
        Field("kind", "kind", _("kind"), "string"),
        Field("level", "level", _("level"), "string"),
        Field("partner_cities", "partner cities, separated by ;", _("partner cities"), "string"),
        Field("parties", "parties", _("parties"), "string"),
        Field("signed_on", "signed on", _("signed on"), "date"),
        Field("valid_until", "valid until", _("valid until"), "date"),
        Field("status", "status", _("status"), "string"),
    ),
    rows=_agreement_rows,
    modified=lambda: _latest((Agreement.history.all(), "history_date")),
)

DATA_SETS = (INDICATORS, MEASURES, CITIES, AGREEMENTS)


def data_set_get(identifier):
    return next((data_set for data_set in DATA_SETS if data_set.identifier == identifier), None)


# --- the files --------------------------------------------------------------------------------


def _cell(value):
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _json_value(value):
    if isinstance(value, Decimal):
        return float(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def to_csv(header, rows):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    # A text cell a spreadsheet would run is shown as typed (the JSON keeps it as entered).
    for row in rows:
        writer.writerow(neutralise_row(_cell(value) for value in row))
    return out.getvalue().encode()


def to_json(header, rows):
    records = [dict(zip(header, map(_json_value, row), strict=True)) for row in rows]
    return json.dumps(records, ensure_ascii=False, indent=1).encode()


def render(header, rows, extension):
    return to_csv(header, rows) if extension == "csv" else to_json(header, rows)


def publisher():
    return {
        "publishername": settings.OPENDATA_PUBLISHER_NAME,
        "publisherphone": settings.OPENDATA_PUBLISHER_PHONE,
        "publishermbox": settings.OPENDATA_PUBLISHER_EMAIL,
    }


def passport(data_set, base_url):
    """The passport's ``(property, value)`` rows; ``base_url`` ends with the set's folder."""
    version = data_set.version()
    created = timezone.localtime(EPOCH).strftime("%Y%m%d")
    modified = timezone.localtime(data_set.modified()).strftime("%Y%m%d")
    rows = [
        ("standardversion", STANDARD_VERSION),
        ("identifier", data_set.identifier),
        ("title", str(data_set.title)),
        ("description", str(data_set.description)),
        ("creator", settings.OPENDATA_PUBLISHER_NAME),
        ("format", "csv"),
        ("subject", str(data_set.subject)),
        *publisher().items(),
        (
            f"data-{version}-structure-{STRUCTURE_VERSION}",
            base_url + data_set.data_name(version, "csv"),
        ),
        (f"structure-{STRUCTURE_VERSION}", base_url + data_set.structure_name("csv")),
        ("created", created),
        ("modified", modified),
        ("valid", ""),
    ]
    return rows


def structure_rows(data_set):
    return [
        (field.name, field.english, str(field.russian), field.format) for field in data_set.fields
    ]


STRUCTURE_HEADER = ("field name", "english description", "russian description", "format")
PASSPORT_HEADER = ("property", "value")
REGISTRY_HEADER = ("property", "title", "value", "format")


def registry_rows(base_url):
    yield ("standardversion", "Версия методических рекомендаций", STANDARD_VERSION, "")
    for data_set in DATA_SETS:
        yield (
            data_set.identifier,
            str(data_set.title),
            f"{base_url}{data_set.identifier}/meta.csv",
            "csv",
        )
