"""The fast path of API lists: a page of `values_list()` rows instead of model instances.

A ModelSerializer builds a model instance per row and asks every field for its attribute;
for 50 rows that is most of a list's time. `ValuesListMixin` (core.api.viewsets) reads
the same columns with one `values_list()` query and gives each raw value to the serializer
field's own `to_representation`, so the JSON is byte for byte the serializer's:

- plain columns (text, integers, booleans, choices) are taken as they come from the database;
- decimals, dates, datetimes, times, floats, UUIDs, JSON and country codes go through the
  serializer field's `to_representation` (decimal places, time zone and format as DRF's);
- a foreign key (`PrimaryKeyRelatedField`) is its id column; `source="a.b"` is the `a__b`
  lookup when every step before the last is a non-null foreign key;
- a many-to-many of ids (`PrimaryKeyRelatedField(many=True)`) is an `ArraySubquery` over the
  through table, ordered like the prefetch the serializer reads (the related model's
  Meta.ordering, then the id) — in the rows' query, no prefetch query;
- a file field is the URL DRF gives (the storage's URL, absolute with the request);
- anything else (a property, a method field, a nested serializer, a hyperlink) needs an
  expression from the viewset's `fast_list_expressions` ({field name: expression}); without
  one the spec is None and the list takes the serializer's path.
"""

import datetime
from dataclasses import dataclass

from django.contrib.postgres.expressions import ArraySubquery
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import F, OuterRef
from django_countries.serializer_fields import CountryField
from rest_framework import fields as drf_fields
from rest_framework import relations
from rest_framework.settings import api_settings

# Serializer fields whose representation of a database value is the value itself.
AS_IS = (
    drf_fields.CharField,  # also EmailField, URLField, SlugField, RegexField, IPAddressField
    drf_fields.IntegerField,
    drf_fields.BooleanField,
)
# Serializer fields whose `to_representation` works on the raw database value.
CONVERTED = (
    drf_fields.DecimalField,
    drf_fields.DateTimeField,
    drf_fields.DateField,
    drf_fields.TimeField,
    drf_fields.DurationField,
    drf_fields.FloatField,
    drf_fields.UUIDField,
    drf_fields.JSONField,
    CountryField,
)
FILE = object()  # marker: a file field, converted per request (its URL is absolute)


class Unsupported(Exception):
    """A serializer field the fast path cannot reproduce exactly."""


@dataclass
class FastListSpec:
    names: list  # the serializer's keys, in its order
    columns: list  # values_list() arguments: lookups and expressions, one per key
    converters: list  # per key: None (as is), a callable, or (FILE, field, storage)

    def rows(self, queryset):
        """The queryset as tuples of the columns (a page of it is still one query).

        Every column is an expression (F for a lookup), so that its alias in the SELECT is
        generated ("f1"...), never a field's name: `order_by("indicator")` must still order
        by the indicator's Meta.ordering, not by a selected `indicator` id column."""
        rows = queryset.prefetch_related(None).values_list(*self.columns)
        rows.count_source = queryset  # what the paginator counts (api.pagination)
        return rows

    def represent(self, rows, request):
        converters = [self._bind(converter, request) for converter in self.converters]
        plan = list(zip(self.names, converters, strict=True))
        results = []
        for row in rows:
            item = {}
            for (name, convert), value in zip(plan, row, strict=True):
                item[name] = value if convert is None or value is None else convert(value)
            results.append(item)
        return results

    @staticmethod
    def _bind(converter, request):
        if not (isinstance(converter, tuple) and converter[0] is FILE):
            return _iso_datetime(converter) or converter
        _marker, field, storage = converter
        if not getattr(field, "use_url", api_settings.UPLOADED_FILES_USE_URL):
            return lambda name: name or None

        def file_url(name):
            if not name:
                return None
            url = storage.url(name)
            return request.build_absolute_uri(url) if request is not None else url

        return file_url


def build_spec(serializer, expressions=None):
    """The spec of a ModelSerializer instance's readable fields, or None when one of them
    cannot be read from `values_list()` exactly as the serializer gives it."""
    model = serializer.Meta.model
    expressions = expressions or {}
    names, columns, converters = [], [], []
    try:
        for field in serializer._readable_fields:
            column, converter = _column(model, field, expressions)
            names.append(field.field_name)
            columns.append(F(column) if isinstance(column, str) else column)
            converters.append(converter)
    except Unsupported:
        return None
    return FastListSpec(names, columns, converters)


def _column(model, field, expressions):
    if field.field_name in expressions:
        return expressions[field.field_name], _converter(field)
    if field.source == "*":
        raise Unsupported(field.field_name)
    if isinstance(field, relations.ManyRelatedField):
        return _many_ids(model, field), None
    model_field = _model_field(model, field.source_attrs)
    lookup = "__".join(field.source_attrs)
    if isinstance(field, relations.PrimaryKeyRelatedField):
        if field.pk_field is not None or not (model_field.many_to_one or model_field.one_to_one):
            raise Unsupported(field.field_name)
        if not model_field.target_field.primary_key:
            raise Unsupported(field.field_name)
        return lookup, None
    if isinstance(field, drf_fields.FileField):
        if not isinstance(model_field, models.FileField):
            raise Unsupported(field.field_name)
        return lookup, (FILE, field, model_field.storage)
    if model_field.is_relation and field.source_attrs[-1] != model_field.attname:
        raise Unsupported(field.field_name)  # a related object, not its id column (`a_id`)
    return lookup, _converter(field)


def _converter(field):
    if isinstance(field, CONVERTED):
        return field.to_representation
    if isinstance(field, drf_fields.ChoiceField):
        # The representation is the choice's value, which is what the column holds.
        return None
    if isinstance(field, AS_IS):
        return None
    raise Unsupported(field.field_name)


def _model_field(model, attrs):
    """The model field at the end of `attrs`; every step before it a non-null foreign key."""
    opts = model._meta
    for position, attr in enumerate(attrs):
        try:
            model_field = opts.get_field(attr)
        except FieldDoesNotExist as error:
            raise Unsupported(attr) from error
        if position == len(attrs) - 1:
            if not model_field.concrete or model_field.many_to_many:
                raise Unsupported(attr)
            return model_field
        if not (model_field.many_to_one or model_field.one_to_one) or model_field.null:
            raise Unsupported(attr)
        if not model_field.concrete:
            raise Unsupported(attr)
        opts = model_field.related_model._meta
    raise Unsupported(".".join(attrs))


def _many_ids(model, field):
    """The ids of a forward many-to-many as an array, ordered like the serializer's prefetch."""
    child = field.child_relation
    if not isinstance(child, relations.PrimaryKeyRelatedField) or child.pk_field is not None:
        raise Unsupported(field.field_name)
    if len(field.source_attrs) != 1:
        raise Unsupported(field.field_name)
    try:
        m2m = model._meta.get_field(field.source_attrs[0])
    except FieldDoesNotExist as error:
        raise Unsupported(field.field_name) from error
    if not isinstance(m2m, models.ManyToManyField):
        raise Unsupported(field.field_name)
    through = m2m.remote_field.through
    source, target = m2m.m2m_field_name(), m2m.m2m_reverse_field_name()
    ordering = []
    for item in m2m.related_model._meta.ordering:
        if not isinstance(item, str) or item == "?":
            raise Unsupported(field.field_name)  # an expression: order it like the prefetch?
        descending = item.startswith("-")
        ordering.append(f"{'-' if descending else ''}{target}__{item.lstrip('-')}")
    ids = (
        through.objects.filter(**{source: OuterRef("pk")})
        .order_by(*ordering, f"{target}_id")
        .values(f"{target}_id")
    )
    return ArraySubquery(ids)


def _iso_datetime(converter):
    """DRF's DateTimeField.to_representation of an aware datetime in ISO 8601, with the time
    zone looked up once per request instead of once per value (on a bulk export of 35,000 rows
    that lookup was half the time). None when the converter is not that."""
    field = getattr(converter, "__self__", None)
    if type(field) is not drf_fields.DateTimeField or converter.__func__ is not (
        drf_fields.DateTimeField.to_representation
    ):
        return None
    output_format = getattr(field, "format", api_settings.DATETIME_FORMAT)
    if not isinstance(output_format, str) or output_format.lower() != drf_fields.ISO_8601:
        return None
    zone = field.timezone if hasattr(field, "timezone") else field.default_timezone()
    if zone is None:
        return None

    def iso(value):
        if not isinstance(value, datetime.datetime) or value.tzinfo is None:
            return converter(value)
        text = value.astimezone(zone).isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    return iso
