"""The fields that describe each kind of partner record, listed once.

The record's form, its spreadsheet columns (resources.py; exchanges have none) and its API
representation (api/serializers.py) list these, in the order the form shows them. What every
kind has (the department that keeps it, its measures, its notes) each surface adds in its own
way. The filters are not built from these lists: they name what a list is filtered by, not
what a record holds.
"""

CITY_FIELDS = [
    "name_ru",
    "name_en",
    "country",
    "region",
    "status",
    "sister_city_since",
    "since_year_only",
    "latitude",
    "longitude",
]
ORGANISATION_FIELDS = ["name", "kind", "country", "city", "city_name", "website"]
AGREEMENT_FIELDS = [
    "title",
    "kind",
    "level",
    "status",
    "signed_on",
    "valid_until",
    "partner_cities",
    "partner_organisations",
    "parties",
    "document",
]
DELEGATION_FIELDS = [
    "direction",
    "partner_city",
    "partner_organisation",
    "origin",
    "country",
    "start_date",
    "end_date",
    "headcount",
    "purpose",
]
EXCHANGE_FIELDS = [
    "category",
    "headcount",
    "year",
    "country",
    "host_city",
    "host_organisation",
    "host",
    "description",
]
EVENT_FIELDS = [
    "title",
    "kind",
    "level",
    "start_date",
    "end_date",
    "place",
    "country",
    "partner_cities",
    "participants",
    "social_sphere",
]
