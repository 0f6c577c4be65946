"""The search itself: one query per kind, each over the rows the user may see."""

from dataclasses import dataclass

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVectorField,
    TrigramWordSimilarity,
)
from django.db.models import Expression, F, Func, TextField, Value
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
# The most rows of one kind a search ranks (per way of matching, see _matching_ids).
CANDIDATES = 500


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


def _matching_ids(kind, text, query):
    """The ids of the rows whose document matches or one of whose names is like ``text``:
    a union, so that each part uses its own index (an OR of the two makes PostgreSQL read
    the whole table and compare every name). Each part stops at CANDIDATES rows: a word found
    in thousands of rows ranks that many, not all of them (the first results stay relevant,
    the rest is for a more precise query)."""
    model = kind.visible.model
    ids = model.objects.alias(search_document=StoredDocument()).filter(search_document=query)
    ids = ids.order_by().values("pk")[:CANDIDATES]
    for name in kind.names:
        similar = model.objects.filter(**{f"{name}__trigram_word_similar": text})
        ids = ids.union(similar.order_by().values("pk")[:CANDIDATES])
    return ids


def _ranked(kind, user, text, query):
    rank = SearchRank(StoredDocument(), query)
    if kind.names:
        similarity = [TrigramWordSimilarity(text, name) for name in kind.names]
        rank = rank + (similarity[0] if len(similarity) == 1 else Greatest(*similarity))
    queryset = (
        kind.visible(user)
        .filter(pk__in=_matching_ids(kind, text, query))
        .annotate(search_rank=rank)
    )
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
    """Groups of hits for ``text``, one per kind with hits, best first; one query per kind."""
    query = SearchQuery(text, config=CONFIG, search_type="websearch")
    groups = []
    for kind in kinds:
        rows = list(_ranked(kind, user, text, query)[: limit + 1])
        if rows:
            hits = [_hit(kind, obj) for obj in rows[:limit]]
            groups.append(Group(kind, hits, more=len(rows) > limit))
    return groups
