"""The search itself: one query for the candidates of every kind, then one per kind that has
candidates, ranking those the user may see."""

from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVectorField,
    TrigramWordSimilarity,
)
from django.db import connection, transaction
from django.db.models import BooleanField, Expression, F, Func, TextField, Value
from django.db.models.functions import Greatest, NullIf
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .kinds import KINDS

CONFIG = "russian"
# ts_headline marks matches with these private-use characters; the text is escaped first and
# only then are they turned into <mark> elements, so nothing in the data can become markup.
START, STOP = "\ue000", "\ue001"
SNIPPET_OPTIONS = {"max_words": 30, "min_words": 12, "max_fragments": 2}
FRAGMENT_DELIMITER = " … "
# The most rows of one kind a search ranks, per way of matching (_candidate_sql): the first
# the index hands over, in the table's order. Ranking costs a word_similarity per row and name
# (5–50 µs): 500 made a word of every kind cost ~100 ms of SQL at scale 10, 200 about 35 ms
# (bench/2026-12-04-search-results.md); the page shows 5 of a kind, the page of one kind 50.
CANDIDATES = 200


@dataclass
class Hit:
    heading: str
    title: str  # safe HTML
    snippet: str  # safe HTML
    url: str


@dataclass
class Group:
    kind: object
    hits: list
    more: bool  # more rows match than were fetched


class StoredDocument(Expression):
    """The row's ``search_document``: the kind's full-text document, a column PostgreSQL
    computes when the row is written (search/migrations/0001)."""

    output_field = SearchVectorField()

    def as_sql(self, compiler, connection):
        # The alias of the query's table: "U0" and the like inside a subquery.
        alias = compiler.query.base_table or compiler.query.get_meta().db_table
        return f"{compiler.quote_name(alias)}.search_document", []


class AmongIds(Expression):
    """``pk = ANY(ids)``: one array parameter however many ids (``pk__in`` makes one
    parameter of each, and quoting a thousand of them per kind cost more than the query)."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, ids):
        super().__init__()
        self.ids = list(ids)

    def as_sql(self, compiler, connection):
        alias = compiler.query.base_table or compiler.query.get_meta().db_table
        pk = compiler.query.get_meta().pk.column
        return f"{compiler.quote_name(alias)}.{compiler.quote_name(pk)} = ANY(%s)", [self.ids]


def _highlighted(text):
    if not text:
        return ""
    return mark_safe(escape(text).replace(START, "<mark>").replace(STOP, "</mark>"))


def _headline(columns, query, **options):
    # concat_ws leaves out NULLs: empty columns become NULL so that no separator is doubled.
    expression = Func(
        Value(" · "),
        *(NullIf(F(column), Value("")) for column in columns),
        function="concat_ws",
        output_field=TextField(),
    )
    return SearchHeadline(
        expression,
        query,
        config=CONFIG,
        start_sel=START,
        stop_sel=STOP,
        fragment_delimiter=FRAGMENT_DELIMITER,
        **options,
    )


@cache
def _candidate_sql(kinds):
    """(kind slug, id) of the rows of each kind whose document matches or one of whose names
    is like the query's text, at most CANDIDATES per way of matching, every kind in one
    statement; its parameters are ``text`` and ``limit``.

    Each way is its own part of a UNION ALL so that each uses its own GIN index (an OR of the
    two makes PostgreSQL read the whole table and compare every name). A word found in
    thousands of rows ranks CANDIDATES of them, not all (the first results stay relevant, the
    rest is for a more precise query). Written out once per set of kinds — the statement is the
    same for every query, and putting its 23 parts together through the ORM cost 10–20 ms a
    request — from names that are the code's own (slugs, tables, columns); the user's text is
    a parameter."""
    quote = connection.ops.quote_name
    # The query's text reaches each part as the value of a subquery, not as a constant:
    # PostgreSQL then estimates no match against the column's statistics — 1.5–4 ms per part
    # (word_similarity over the most common names, the tsquery against the GIN index), longer
    # than the part's own scan — and the index scans are the same.
    match = f"search_document @@ (SELECT websearch_to_tsquery('{CONFIG}'::regconfig, %(text)s))"
    parts = []
    for kind in kinds:
        meta = kind.visible.model._meta
        select = f"SELECT '{kind.slug}', {quote(meta.pk.column)} FROM {quote(meta.db_table)}"
        conditions = [match]
        conditions += [
            f"{quote(meta.get_field(name).column)} %%> (SELECT %(text)s::text)"
            for name in kind.names
        ]
        parts += [f"({select} WHERE {condition} LIMIT %(limit)s)" for condition in conditions]
    return " UNION ALL ".join(parts)


@contextmanager
def _index_scans_only():
    """A cursor with sequential scans off, for the candidates' statement (_candidate_sql)
    only.

    PostgreSQL prices a trigram comparison (``%>``, word_similarity) as it prices comparing two
    integers, while it costs 5–50 µs a row; so under a LIMIT it prefers reading a table in
    order, comparing every name until it has found CANDIDATES (55 ms over 15,000 events for a
    word of one title in twenty), to the GIN index, which hands over only the rows sharing
    enough of the query's trigrams (5 ms) — see bench/2026-12-04-search-results.md. Each part
    of that statement reads one table through one of its own indexes, so the setting decides
    nothing else. SET LOCAL would last to the end of an enclosing transaction (a test's, or a
    request's), hence the RESET; on an error the rollback of the savepoint undoes it."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        yield cursor
        cursor.execute("RESET enable_seqscan")


def _candidates(kinds, text):
    """``{kind slug: ids}`` of the rows to rank (_candidate_sql), in one query."""
    found = {}
    with _index_scans_only() as cursor:
        cursor.execute(_candidate_sql(tuple(kinds)), {"text": text, "limit": CANDIDATES})
        for slug, pk in cursor.fetchall():
            found.setdefault(slug, set()).add(pk)
    return found


def _ranked(kind, user, text, query, ids):
    rank = SearchRank(StoredDocument(), query)
    if kind.names:
        similarity = [TrigramWordSimilarity(text, name) for name in kind.names]
        rank = rank + (similarity[0] if len(similarity) == 1 else Greatest(*similarity))
    queryset = kind.visible(user).filter(AmongIds(ids)).annotate(search_rank=rank)
    if kind.title:
        queryset = queryset.annotate(
            search_title=_headline([kind.title], query, highlight_all=True)
        )
    if kind.text:
        queryset = queryset.annotate(search_snippet=_headline(kind.text, query, **SNIPPET_OPTIONS))
    return queryset.order_by("-search_rank", "pk")


def _hit(kind, obj):
    title = _highlighted(getattr(obj, "search_title", ""))
    return Hit(
        heading=kind.heading(obj) if kind.heading else "",
        title=title,
        snippet=_highlighted(getattr(obj, "search_snippet", "")),
        url=kind.url_of(obj),
    )


def search(user, text, *, kinds=KINDS, limit):
    """Groups of hits for ``text``, one per kind with hits, best first: one query finds the
    candidates of every kind, then one query per kind with candidates ranks those the user
    may see and highlights the first ``limit``."""
    query = SearchQuery(text, config=CONFIG, search_type="websearch")
    candidates = _candidates(kinds, text)
    groups = []
    for kind in kinds:
        ids = candidates.get(kind.slug)
        if not ids:
            continue
        rows = list(_ranked(kind, user, text, query, sorted(ids))[: limit + 1])
        if rows:
            hits = [_hit(kind, obj) for obj in rows[:limit]]
            groups.append(Group(kind, hits, more=len(rows) > limit))
    return groups
