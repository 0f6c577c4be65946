"""The search's GIN indexes without a pending list (``fastupdate = off``).

With ``fastupdate`` on (PostgreSQL's default) a GIN index gathers new rows in a pending list
of up to ``gin_pending_list_limit`` (4 MB) that every search reads through row by row, until
VACUUM (or autovacuum) merges it into the index. After generate_data (autovacuum is off on the
bench machine) the lists held up to 50,000 rows: a word found nowhere cost 47 ms on the
exchanges alone instead of 0.02 ms, and PostgreSQL, counting the list in the index's cost,
read whole tables instead (bench/2026-12-04-search-results.md). These tables are written by
hand and by imports of a few thousand rows, so each write updating the index at once costs
little. ``ALTER INDEX … SET (fastupdate = off)`` leaves what is pending where it is:
gin_clean_pending_list merges it now.
"""

from importlib import import_module

from django.db import migrations

initial = import_module("search.migrations.0001_trigram_and_search_indexes")

INDEXES = [
    index
    for table, _document, names in initial.TABLES
    for index in (
        f"{table}_search_fts",
        *(f"{table}_{column}_search_trgm" for column in names),
    )
]


def _operations():
    for index in INDEXES:
        yield migrations.RunSQL(
            f"SELECT gin_clean_pending_list('{index}'::regclass); "
            f"ALTER INDEX {index} SET (fastupdate = off)",
            f"ALTER INDEX {index} RESET (fastupdate)",
        )


class Migration(migrations.Migration):
    dependencies = [("search", "0001_trigram_and_search_indexes")]

    operations = list(_operations())
