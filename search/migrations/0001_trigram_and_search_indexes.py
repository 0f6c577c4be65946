"""pg_trgm, and the GIN indexes the search uses (search/kinds.py).

The search app owns these indexes although the tables are other apps': the expressions must be
exactly the ones search/selectors.py queries with (``to_tsvector('russian', a || ' ' || b …)``,
as Django's SearchVector writes it), so they live beside that code. A kind whose columns change
needs a new migration here with the new expression.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

# (table, columns of the full-text document, name columns compared by trigram similarity)
TABLES = [
    ("activities_strategicplan", ("title", "legal_act"), ("title",)),
    ("activities_measure", ("text",), ()),
    ("activities_expectedresult", ("text",), ()),
    ("indicators_indicator", ("name", "code", "description"), ("name",)),
    ("partners_partnercity", ("name_ru", "name_en", "region", "notes"), ("name_ru", "name_en")),
    ("partners_partnerorganisation", ("name", "city_name", "notes"), ("name",)),
    ("partners_agreement", ("title", "parties", "notes"), ("title",)),
    ("partners_delegation", ("purpose", "origin", "notes"), ("origin",)),
    ("partners_exchange", ("description", "host", "notes"), ("host",)),
    ("partners_event", ("title", "place", "notes"), ("title",)),
    ("activities_progressreport", ("text",), ()),
]


def _operations():
    for table, document, names in TABLES:
        columns = " || ' ' || ".join(f'COALESCE("{column}", \'\')' for column in document)
        fts = f"{table}_search_fts"
        yield migrations.RunSQL(
            f"CREATE INDEX {fts} ON {table} "
            f"USING gin ((to_tsvector('russian'::regconfig, {columns})))",
            f"DROP INDEX {fts}",
        )
        for column in names:
            trgm = f"{table}_{column}_search_trgm"
            yield migrations.RunSQL(
                f'CREATE INDEX {trgm} ON {table} USING gin ("{column}" gin_trgm_ops)',
                f"DROP INDEX {trgm}",
            )


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0003_alter_historicalprogressreport_evidence_file_and_more"),
        ("indicators", "0003_alter_historicalindicatorvalue_evidence_file_and_more"),
        ("partners", "0002_alter_agreement_document_and_more"),
    ]

    operations = [TrigramExtension(), *_operations()]
