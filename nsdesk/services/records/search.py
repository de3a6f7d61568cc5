"""Search everywhere: one query over commitments, progress entries, gift baskets,
documents and agencies, answered as groups of results a person can open — and
the commitments whose title is close to one being typed (:func:`close_commitments`,
to say "possible duplicate" before a second copy is made).

The matching itself is the store's full-text seam (FTS5 on SQLite, with retired
records already left out); this module turns its hits into what a search box
shows — a title, a snippet split into plain and matched runs — and into where
each hit opens: the register to show and the key that register selects. Titles
are read in one statement for every kind (``id IN (...)`` per kind), never one
query per hit.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from sqlalchemy import (
    Connection,
    Integer,
    Select,
    String,
    func,
    literal_column,
    null,
    select,
    type_coerce,
    union_all,
)

from nsdesk.domain.enums import CommitmentStatus
from nsdesk.domain.records import spec_for
from nsdesk.services.desk import Desk
from nsdesk.store import tables as t
from nsdesk.store.search import HIGHLIGHT_END, HIGHLIGHT_START, full_text_search_for, words_of

#: A snippet as runs of text; ``True`` marks the words that matched the query.
Snippet = tuple[tuple[str, bool], ...]

#: The kinds searched, in the order their groups are shown, and the register
#: each opens in (a progress entry opens its commitment).
SEARCHED: tuple[tuple[str, str], ...] = (
    ("commitment", "commitments"),
    ("status_entry", "commitments"),
    ("gift_basket", "gift_baskets"),
    ("document", "documents"),
    ("agency", "agencies"),
)
#: The kinds alone, in that order.
SEARCHED_KINDS: tuple[str, ...] = tuple(kind for kind, _ in SEARCHED)


@dataclass(frozen=True, slots=True)
class SearchResult:
    """One record found, with where it opens.

    ``register`` is the name of the register to show and ``key`` what that
    register selects (a commitment ref, a gift basket or agency code, a
    document's UUID); a progress entry opens its commitment, so its ``key`` is
    the commitment's ref and ``detail_key`` the entry's own UUID."""

    kind: str
    register: str
    key: str
    title: str
    snippet: Snippet
    detail_key: str | None = None

    @property
    def snippet_text(self) -> str:
        """The snippet as plain text, without its emphasis."""
        return "".join(text for text, _ in self.snippet)


@dataclass(frozen=True, slots=True)
class SearchGroup:
    """The results of one kind, best first. ``more`` says the group was cut at
    the limit: there are further matches not listed."""

    kind: str
    label: str
    hits: tuple[SearchResult, ...]
    more: bool = False


@dataclass(frozen=True, slots=True)
class SearchResults:
    """What a query found, grouped by kind in a fixed order; kinds without a
    match have no group."""

    query: str
    groups: tuple[SearchGroup, ...]

    @property
    def is_empty(self) -> bool:
        return not self.groups

    def all_results(self) -> list[SearchResult]:
        """Every result, group after group, in the order they are shown."""
        return [hit for group in self.groups for hit in group.hits]


def search_desk(desk: Desk, query: str, limit: int = 20) -> SearchResults:
    """Records of ``desk`` matching every word of ``query`` (the last one as a
    prefix, accents ignored), at most ``limit`` per kind, best first.

    Retired records — and the progress entries of retired commitments — are never
    found. A query without a letter or digit finds nothing."""
    with desk.connect() as connection:
        # One more than asked tells whether a group was cut.
        hits = full_text_search_for(connection.dialect.name).search(connection, query, limit + 1)
        by_kind: dict[str, list[tuple[int, str]]] = {}
        for kind, record_id, snippet in _aliased(connection, query):
            by_kind.setdefault(kind, []).append((record_id, snippet))
        for hit in hits:
            if all(record_id != hit.record_id for record_id, _ in by_kind.get(hit.kind, [])):
                by_kind.setdefault(hit.kind, []).append((hit.record_id, hit.snippet))
        shown = {kind: found[:limit] for kind, found in by_kind.items()}
        described = _describe(connection, {k: [i for i, _ in found] for k, found in shown.items()})
        groups = []
        for kind, register in SEARCHED:
            found = by_kind.get(kind, [])
            results = _results(kind, register, shown.get(kind, []), described.get(kind, {}))
            if results:
                label = spec_for(kind).plural
                groups.append(SearchGroup(kind, label, results, more=len(found) > limit))
    return SearchResults(query, tuple(groups))


def _aliased(connection: Connection, query: str) -> list[tuple[str, int, str]]:
    """Records known by ``query`` as an alias — the key they had before an identity
    clash between two laptops' records was settled by renumbering them — first."""
    wanted = query.strip().upper()
    # Renumbering gives a record a new number: only a query naming one (C-0043) is
    # looked up (a renumbered code keeps its prefix, which the index finds).
    if not wanted or " " in wanted or not any(ch.isdigit() for ch in wanted):
        return []
    alias = t.record_alias
    searched = [kind for kind, _ in SEARCHED]
    found = []
    for kind, uuid, old in connection.execute(
        select(alias.c.record_table, alias.c.record_uuid, alias.c.alias).where(
            func.upper(alias.c.alias) == wanted, alias.c.record_table.in_(searched)
        )
    ):
        table = t.metadata.tables[kind]
        record_id = connection.execute(
            select(table.c.id).where(table.c.uuid == uuid, table.c.retired_at.is_(None))
        ).scalar()
        if record_id is not None:
            marked = f"{HIGHLIGHT_START}{old}{HIGHLIGHT_END}"
            found.append((kind, record_id, f"known as {marked} before it was renumbered"))
    return found


def _results(
    kind: str, register: str, found: list[tuple[int, str]], described: Described
) -> tuple[SearchResult, ...]:
    results = []
    for record_id, snippet in found:
        if record_id not in described:
            continue  # gone between the two reads (another window deleted it)
        key, title, detail = described[record_id]
        results.append(SearchResult(kind, register, key, title, parse_snippet(snippet), detail))
    return tuple(results)


_MARKERS = re.compile(f"([{HIGHLIGHT_START}{HIGHLIGHT_END}])")
_SPACE = re.compile(r"\s+")


def parse_snippet(snippet: str) -> Snippet:
    """Split a snippet marked by the store into runs of plain and matched text,
    with line breaks and runs of spaces read as one space."""
    runs: list[tuple[str, bool]] = []
    matched = False
    for part in _MARKERS.split(snippet):
        if part == HIGHLIGHT_START:
            matched = True
        elif part == HIGHLIGHT_END:
            matched = False
        elif part:
            text = _SPACE.sub(" ", part)
            if runs and runs[-1][1] == matched:
                runs[-1] = (runs[-1][0] + text, matched)
            else:
                runs.append((text, matched))
    return tuple(runs)


# -- what a hit is called and where it opens ---------------------------------------------

#: record id → (key the register selects, title, detail key)
Described = dict[int, tuple[str, str, str | None]]

#: The columns every kind's branch gives, so that the branches make one statement.
_NO_TEXT = type_coerce(null(), String())
_NO_DATE = type_coerce(null(), t.status_entry.c.entry_date.type)
_NO_STATUS = type_coerce(null(), t.status_entry.c.status.type)
#: The columns a kind's register selects it by and its title is made of.
_KEY_AND_TITLE = {
    "commitment": ("ref", "title"),
    "gift_basket": ("code", "title"),
    "document": ("uuid", "title"),
    "agency": ("code", "name"),
}


def _branch(kind: str, ids: list[int]) -> Select:
    """One kind's part of the statement: the hits' key, the words of their title and,
    for a progress entry, its own UUID, date and status."""
    position = literal_column(str(SEARCHED_KINDS.index(kind)), Integer).label("kind")
    if kind == "status_entry":
        # The commitment's own title follows, so an entry reads as being about something.
        s, c = t.status_entry, t.commitment
        columns = (s.c.id, c.c.ref, c.c.title, s.c.uuid, s.c.entry_date, s.c.status)
        return (
            select(position, *columns).join(c, c.c.id == s.c.commitment_id).where(s.c.id.in_(ids))
        )
    table = t.metadata.tables[kind]
    key, title = _KEY_AND_TITLE[kind]
    return select(
        position, table.c.id, table.c[key], table.c[title], _NO_TEXT, _NO_DATE, _NO_STATUS
    ).where(table.c.id.in_(ids))


def _describe(connection: Connection, ids_by_kind: dict[str, list[int]]) -> dict[str, Described]:
    """What each hit is called and where it opens, for every kind in one statement
    (``id IN (...)`` per kind, never one query per hit; one round trip on a server)."""
    branches = [_branch(kind, ids) for kind, ids in ids_by_kind.items() if ids]
    if not branches:
        return {}
    statement = branches[0] if len(branches) == 1 else union_all(*branches)
    described: dict[str, Described] = {}
    for position, record_id, key, title, detail, entry_date, status in connection.execute(
        statement
    ):
        kind = SEARCHED_KINDS[position]
        if kind == "status_entry":
            name = f"{key} · {entry_date.isoformat()} · {_status(status)} — {title}"
        elif kind == "commitment":
            name = f"{key} {title}"
        elif kind == "agency":
            name = f"{key} — {title}"
        else:
            name = title
        described.setdefault(kind, {})[record_id] = (key, name, detail)
    return described


def _status(value: object) -> str:
    status = value if isinstance(value, CommitmentStatus) else CommitmentStatus(value)
    return status.label


# -- close titles: possible duplicates ------------------------------------------------------

#: Words that say nothing about what a commitment is.
_LITTLE_WORDS = frozenset(
    {"a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "its", "of", "on"}
    | {"or", "our", "the", "their", "to", "with"}
)


@dataclass(frozen=True, slots=True)
class CloseTitle:
    """A live commitment whose title is close to the one asked about."""

    ref: str
    title: str
    #: How close, from 0 (no word in common) to 1 (the same words).
    closeness: float


def title_words(title: str) -> frozenset[str]:
    """The words of a title that say what it is about, folded (case, accents, a
    plural "s"): "Build a national nuclear forensics library" → build, national,
    nuclear, forensic, library."""
    plain = unicodedata.normalize("NFKD", title.casefold())
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    words = set()
    for word in words_of(plain):
        word = word.strip("-_/'.")
        if len(word) < 2 or word in _LITTLE_WORDS:
            continue
        words.add(word[:-1] if len(word) > 3 and word.endswith("s") else word)
    return frozenset(words)


def closeness(first: frozenset[str], second: frozenset[str]) -> float:
    """The share of words two titles have in common (Jaccard)."""
    together = first | second
    return len(first & second) / len(together) if together else 0.0


def close_commitments(
    desk: Desk, title: str, *, limit: int = 5, at_least: float = 0.5
) -> tuple[CloseTitle, ...]:
    """The live commitments whose title shares ``at_least`` half its words with
    ``title`` (the most alike first, at most ``limit``). Candidates come from the
    desk's search index, a word at a time (the rarest-looking, longest words
    first), so a desk of thousands is not read whole."""
    wanted = title_words(title)
    if not wanted:
        return ()
    c = t.commitment
    with desk.connect() as connection:
        index = full_text_search_for(connection.dialect.name)
        found: set[int] = set()
        for word in sorted(wanted, key=len, reverse=True)[:6]:
            hits = index.search(connection, word, 50)
            found.update(hit.record_id for hit in hits if hit.kind == "commitment")
        if not found:
            return ()
        rows = connection.execute(
            select(c.c.ref, c.c.title).where(c.c.id.in_(found), c.c.retired_at.is_(None))
        ).all()
    scored = [CloseTitle(r.ref, r.title, closeness(wanted, title_words(r.title))) for r in rows]
    close = [s for s in scored if s.closeness >= at_least]
    close.sort(key=lambda s: (-s.closeness, s.ref))
    return tuple(close[:limit])
