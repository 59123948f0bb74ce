"""Full-text search of the whole site: one French configuration, kinds registered by the apps.

Every text search of the site (the header's ``/recherche/`` and each list's own search box)
goes through ``query()`` and ``document()`` here, in the PostgreSQL configuration
``fr_unaccent`` (core migration 0009): French stop words, then ``unaccent``, then the French
stemmer. So case, accents and plurals do not matter: « égalité », « egalite » and
« EGALITE » are the lexeme ``egalit``; « ateliers » and « atelier » are ``ateli``.

An app declares what it lets the public find as ``SearchKind`` rows (a queryset of its
*public* objects only, the weighted fields of the document, what to highlight, where the
result leads) and registers them in its ``AppConfig.ready()`` with
``register_search_kinds``, as ``core.opendata`` does for datasets, so that core never
imports the apps.

``site_search()`` ranks every kind's matches together in a constant number of queries,
whatever the data: one count per kind (capped at ``CAP``), one for the page's (kind, id,
rank), then one per kind present on the page for the objects and their extracts.

Highlighting: PostgreSQL's ``ts_headline`` marks the matched words with two control
characters that cannot come from a form (``validate_one_line`` and the text fields' own
cleaning reject them, and ``highlight()`` drops any stray one); the text is escaped, then
only those marks become ``<mark>`` — no other markup can reach the page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
    SearchVectorField,
)
from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import F, Model, QuerySet, TextField, Value
from django.db.models.functions import Concat
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString

#: The text search configuration of the site (created by core migration 0009).
CONFIG = "fr_unaccent"
#: What ``ts_headline`` puts around a matched word (two ASCII control characters).
START, STOP = "\x02", "\x03"
PER_PAGE = 20
#: Matches counted and ranked per kind, at most: beyond, the count reads « plus de 1 000 »
#: and a kind's newest 1 000 matches are ranked (50 pages; more words narrow it down).
CAP = 1000
#: Longest query read: beyond, the words are ignored (a search box, not a document).
MAX_QUERY = 200


def clean_text(text: str | None) -> str:
    """What is looked for: printable characters (a NUL byte cannot reach PostgreSQL),
    spaces collapsed, at most ``MAX_QUERY`` characters."""
    printable = "".join(ch if ch.isprintable() else " " for ch in (text or ""))
    return " ".join(printable.split())[:MAX_QUERY]


def query(text: str) -> SearchQuery | None:
    """The query for what a person typed (web-search syntax: ``"exact phrase"``, ``-word``,
    ``or``), or None when nothing is left to look for."""
    text = clean_text(text)
    if not text:
        return None
    return SearchQuery(text, config=CONFIG, search_type="websearch")


def document(*fields: tuple[str, str] | str) -> SearchVector:
    """The vector of ``fields``, each a name or ``(name, weight)`` with weight A to D."""
    vectors = []
    for item in fields:
        name, weight = (item, None) if isinstance(item, str) else item
        vectors.append(SearchVector(name, weight=weight, config=CONFIG))
    combined = vectors[0]
    for vector in vectors[1:]:
        combined = combined + vector
    return combined


def vector_field(*fields: tuple[str, str] | str) -> models.GeneratedField:
    """A model's stored search document over ``fields`` (as ``document``): computed by
    PostgreSQL in the site's configuration, kept in the row, GIN-indexed by the model."""
    return models.GeneratedField(
        expression=document(*fields), output_field=SearchVectorField(), db_persist=True
    )


def joined(*fields: str) -> Concat | F:
    """The text of several fields, one after the other (what an extract is taken from)."""
    if len(fields) == 1:
        return F(fields[0])
    parts = []
    for name in fields:
        parts.extend([F(name), Value(" ")])
    return Concat(*parts[:-1], output_field=TextField())


def highlight(headline: str | None) -> SafeString:
    """``ts_headline``'s output as HTML: escaped text, matched words in ``<mark>``."""
    parts, marked = [], False
    for piece in (headline or "").replace(STOP, START).split(START):
        parts.append(format_html("<mark>{}</mark>", piece) if marked and piece else piece)
        marked = not marked
    return format_html_join("", "{}", ((part,) for part in parts))


@dataclass(frozen=True)
class SearchKind:
    """One kind of thing the public can find (engagements, contributions, ateliers…)."""

    #: The ``type=`` of the URL, in French: ``engagements``.
    key: str
    #: Its name in the filters, plural: « Engagements ».
    label: str
    #: The public objects only, with the joins ``url`` and ``context`` need.
    queryset: Callable[[], QuerySet]
    #: The document matched and ranked: ``document(...)``, or ``F("search_vector")`` for a
    #: stored, indexed vector built with the same configuration.
    vector: Callable[[], object]
    #: The field shown as the result's title (highlighted entirely).
    title_field: str
    #: The text an extract is taken from (``joined(...)``), or None.
    text: Callable[[], object] | None
    url: Callable[[Model], str]
    #: The result's title when its field is empty (a draft commitment's « Engagement 9 »).
    title: Callable[[Model], str] = str
    #: A short line under the title: « Jalon de l'engagement 4 », a date, a place.
    context: Callable[[Model], str] | None = None
    order: int = 100


@dataclass
class Hit:
    kind: SearchKind
    object: Model
    title: SafeString
    excerpt: SafeString
    url: str
    context: str


@dataclass
class Results:
    text: str
    #: ``(kind, count, more than CAP)`` for every registered kind, in order.
    counts: list[tuple[SearchKind, int, bool]] = field(default_factory=list)
    total: int = 0
    #: Some kind of the chosen ones has more than ``CAP`` matches (its count is ``CAP``).
    more: bool = False
    #: Some kind (chosen or not) has more than ``CAP`` matches.
    capped: bool = False
    page: Page | None = None
    hits: list[Hit] = field(default_factory=list)

    @property
    def all_count(self) -> int:
        """Matches of every kind (``total`` counts the chosen kind only)."""
        return sum(n for _, n, _ in self.counts)


_registry: dict[str, SearchKind] = {}


def register_search_kinds(kinds: Iterable[SearchKind]) -> None:
    """Let the header's search find these kinds (an app's ``ready()``; twice is harmless)."""
    for kind in kinds:
        _registry[kind.key] = kind


def search_kinds() -> list[SearchKind]:
    """Every registered kind, in order."""
    return sorted(_registry.values(), key=lambda kind: (kind.order, kind.key))


def _matches(kind: SearchKind, search: SearchQuery) -> QuerySet:
    return kind.queryset().annotate(_document=kind.vector()).filter(_document=search)


def site_search(text: str, *, kind: str | None = None, page: int | str | None = 1) -> Results:
    """The page ``page`` of every public object matching ``text`` (of one kind if ``kind``
    names one), best ranked first, with the matched words highlighted."""
    results = Results(text=clean_text(text))
    search = query(text)
    kinds = search_kinds()
    if search is None or not kinds:
        results.counts = [(k, 0, False) for k in kinds]
        return results
    # Counted up to CAP + 1 each (« plus de 1 000 »): counting 60 000 matches costs more
    # than showing a page of them. One small query per kind.
    counts = {k.key: _matches(k, search).order_by().values("pk")[: CAP + 1].count() for k in kinds}
    results.counts = [(k, min(counts[k.key], CAP), counts[k.key] > CAP) for k in kinds]
    results.capped = any(n > CAP for n in counts.values())
    chosen = [k for k in kinds if k.key == kind] or kinds
    results.total = sum(min(counts[k.key], CAP) for k in chosen)
    results.more = any(counts[k.key] > CAP for k in chosen)
    if not results.total:
        return results
    # Each kind's newest CAP matches are ranked (a bounded cost whatever the data), then
    # all kinds together, best first.
    ranked = [
        k.queryset()
        .filter(pk__in=_matches(k, search).order_by("-pk").values("pk")[:CAP])
        .annotate(_kind=Value(k.key), _order=Value(k.order), _rank=SearchRank(k.vector(), search))
        .order_by()
        .values_list("_kind", "pk", "_rank", "_order")
        for k in chosen
    ]
    combined = ranked[0].union(*ranked[1:], all=True).order_by("-_rank", "_order", "-pk")
    paginator = Paginator(combined, PER_PAGE)
    paginator.count = results.total  # known from the counts: no second count
    results.page = paginator.get_page(page)
    results.hits = _hits(list(results.page.object_list), search)
    return results


def _hits(rows: list[tuple], search: SearchQuery) -> list[Hit]:
    """The page's objects with their highlighted title and extract (one query per kind)."""
    by_kind: dict[str, list[int]] = {}
    for key, pk, *_ in rows:
        by_kind.setdefault(key, []).append(pk)
    loaded = {}
    for key, pks in by_kind.items():
        kind = _registry[key]
        extras = {
            "_title_hl": SearchHeadline(
                kind.title_field,
                search,
                config=CONFIG,
                start_sel=START,
                stop_sel=STOP,
                highlight_all=True,
            )
        }
        if kind.text is not None:
            extras["_text_hl"] = SearchHeadline(
                kind.text(),
                search,
                config=CONFIG,
                start_sel=START,
                stop_sel=STOP,
                max_words=30,
                min_words=12,
                max_fragments=2,
                fragment_delimiter=" … ",
            )
        for obj in kind.queryset().filter(pk__in=pks).annotate(**extras):
            loaded[key, obj.pk] = obj
    hits = []
    for key, pk, *_ in rows:
        obj = loaded.get((key, pk))
        if obj is None:  # hidden between the two queries
            continue
        kind = _registry[key]
        title = highlight(obj._title_hl) if obj._title_hl else escape(kind.title(obj))
        excerpt = getattr(obj, "_text_hl", "") or ""
        hits.append(
            Hit(
                kind=kind,
                object=obj,
                title=title,
                excerpt=highlight(excerpt),
                url=kind.url(obj),
                context=kind.context(obj) if kind.context else "",
            )
        )
    return hits
