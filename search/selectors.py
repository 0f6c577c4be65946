"""The search itself: one query per kind, each over the rows the user may see."""

from dataclasses import dataclass

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
    TrigramWordSimilarity,
)
from django.db.models import F, Func, Q, TextField, Value
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


def document(kind):
    """The kind's full-text document; the indexes in search/migrations are built on it."""
    return SearchVector(*kind.document, config=CONFIG)


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


def _ranked(kind, user, text, query):
    rank = SearchRank(document(kind), query)
    match = Q(search_document=query)
    if kind.names:
        similarity = [TrigramWordSimilarity(text, name) for name in kind.names]
        best = similarity[0] if len(similarity) == 1 else Greatest(*similarity)
        rank = rank + best
        for name in kind.names:
            match |= Q(**{f"{name}__trigram_word_similar": text})
    queryset = (
        kind.visible(user)
        .alias(search_document=document(kind))
        .filter(match)
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
