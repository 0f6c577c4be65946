"""pg_trgm, each searched table's full-text document, and the GIN indexes the search uses
(search/kinds.py, search/selectors.py).

The document is a stored generated column, ``search_document``: ``to_tsvector('russian', …)``
of the kind's columns, computed by PostgreSQL when a row is written, so that neither the match
nor the ranking (SearchRank over thousands of rows for a common word) runs the Russian stemmer
per row and per request. The column is PostgreSQL's alone: the models do not declare it and
Django never writes it. The search app owns these columns and indexes although the tables are
the feature apps' — they must stay exactly what search/kinds.py names.

Changing a column a document is built from: PostgreSQL refuses to change the type of a column
a generated column uses (e.g. a new max_length). The migration that changes it must first
drop the document (``ALTER TABLE … DROP COLUMN search_document``) and add it again afterwards,
as below; a kind whose columns change needs such a migration here too.
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
        yield migrations.RunSQL(
            f"ALTER TABLE {table} ADD COLUMN search_document tsvector GENERATED ALWAYS AS "
            f"(to_tsvector('russian'::regconfig, {columns})) STORED",
            f"ALTER TABLE {table} DROP COLUMN search_document",
        )
        fts = f"{table}_search_fts"
        yield migrations.RunSQL(
            f"CREATE INDEX {fts} ON {table} USING gin (search_document)",
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
