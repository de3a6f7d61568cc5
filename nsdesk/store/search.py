"""Full-text search over the register, on either kind of desk.

On SQLite (a file desk) the index is a set of FTS5 tables with external content
(the text is not stored twice), kept current by triggers. On PostgreSQL (a server
desk) it is a GIN index over a ``tsvector`` expression per kind, which the server
keeps current itself. Either way every write path — the editor, an import, a bulk
demo load — is indexed without anyone remembering to, accents do not matter
("communique" finds "communiqué"), every word must match and the last is a prefix;
callers see the same :class:`SearchHit` from both.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import Connection, TextClause, text

from nsdesk.domain.records import spec_for

HIGHLIGHT_START = "\x02"
HIGHLIGHT_END = "\x03"
"""Snippet markers; the validation in ``domain.fields`` keeps them out of user text,
so they can never be confused with what a user typed."""


@dataclass(frozen=True, slots=True)
class IndexedKind:
    """One kind of record that search covers."""

    kind: str
    table: str
    #: The columns searched, at least one.
    columns: tuple[str, *tuple[str, ...]]
    #: SQL condition (on alias ``r``) for records that should be found.
    live: str = "r.retired_at IS NULL"


INDEXED_KINDS: tuple[IndexedKind, ...] = (
    IndexedKind("commitment", "commitment", ("ref", "title", "text")),
    IndexedKind(
        "status_entry",
        "status_entry",
        ("narrative", "evidence"),
        "r.retired_at IS NULL AND EXISTS (SELECT 1 FROM commitment c "
        "WHERE c.id = r.commitment_id AND c.retired_at IS NULL)",
    ),
    IndexedKind("gift_basket", "gift_basket", ("code", "title", "summary", "text")),
    IndexedKind("document", "document", ("title", "citation", "text")),
    IndexedKind("agency", "agency", ("code", "name", "notes")),
)


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One record that matched, with a snippet whose matches are marked."""

    kind: str
    record_id: int
    snippet: str


class FullTextSearch(Protocol):
    """What the rest of nsdesk may ask of the search index. The index itself is
    created by the migrations, each with the SQL of its revision frozen in it."""

    def rebuild(self, connection: Connection) -> None:
        """Re-read every indexed record (after a repair or a bulk load)."""

    def problems(self, connection: Connection) -> list[str]:
        """Inconsistencies between the index and the records; [] when sound."""
        ...

    def search(self, connection: Connection, query: str, limit: int = 20) -> list[SearchHit]:
        """Records matching every word of ``query`` (the last as a prefix), best
        first, at most ``limit`` per kind."""
        ...


def words_of(query: str) -> list[str]:
    """The words of a typed query, without FTS syntax characters."""
    cleaned = "".join(ch if (ch.isalnum() or ch in "-_/'.") else " " for ch in query)
    return [w for w in cleaned.split() if any(ch.isalnum() for ch in w)]


class Fts5Search:
    """SQLite FTS5 with external content tables and triggers."""

    @staticmethod
    def _fts(kind: IndexedKind) -> str:
        return f"fts_{kind.table}"

    def rebuild(self, connection: Connection) -> None:
        for kind in INDEXED_KINDS:
            fts = self._fts(kind)
            connection.exec_driver_sql(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")

    def problems(self, connection: Connection) -> list[str]:
        """Read-only: every record has an index entry and no entry points nowhere.

        (FTS5's own ``integrity-check`` is a write statement, and checking must
        never write.) ``_docsize`` is FTS5's one-row-per-document shadow table.
        """
        found = []
        for kind in INDEXED_KINDS:
            fts = self._fts(kind)
            missing = connection.exec_driver_sql(
                f"SELECT COUNT(*) FROM (SELECT id FROM {kind.table} "
                f"EXCEPT SELECT id FROM {fts}_docsize)"
            ).scalar_one()
            stale = connection.exec_driver_sql(
                f"SELECT COUNT(*) FROM (SELECT id FROM {fts}_docsize "
                f"EXCEPT SELECT id FROM {kind.table})"
            ).scalar_one()
            if missing or stale:
                found.append(
                    f"the search index of {spec_for(kind.kind).plural.lower()} is out of step "
                    f"({missing} not indexed, {stale} indexed but gone); rebuilding it fixes this"
                )
        return found

    def search(self, connection: Connection, query: str, limit: int = 20) -> list[SearchHit]:
        words = words_of(query)
        if not words:
            return []
        quoted = ['"' + w.replace('"', '""') + '"' for w in words]
        quoted[-1] += "*"
        match = " ".join(quoted)
        hits: list[SearchHit] = []
        for kind in INDEXED_KINDS:
            fts = self._fts(kind)
            rows = connection.execute(
                text(
                    f"SELECT r.id, snippet({fts}, -1, :hs, :he, '…', 12) "
                    f"FROM {fts} JOIN {kind.table} r ON r.id = {fts}.rowid "
                    f"WHERE {fts} MATCH :match AND {kind.live} "
                    f"ORDER BY {fts}.rank LIMIT :limit"
                ),
                {"match": match, "limit": limit, "hs": HIGHLIGHT_START, "he": HIGHLIGHT_END},
            )
            hits.extend(SearchHit(kind.kind, row[0], row[1]) for row in rows)
        return hits


#: The text-search configuration a server desk's index uses: ``simple`` (no stemming:
#: a register holds many languages, as FTS5's tokenizer assumes none) with words
#: passed through ``unaccent`` first, so "communique" finds "communiqué".
TS_CONFIG = "nsdesk_search"
#: Characters PostgreSQL's parser would keep inside one token ("C-0001" as "c" and
#: "-0001", "INFCIRC/869" as one path): read as spaces, words split as FTS5 splits them.
TS_SEPARATORS = "-/.@_:+~'"


#: The generated column holding a record's words on a server desk (not part of the
#: mapped schema: PostgreSQL computes it from the indexed columns on every write).
TS_COLUMN = "search_vector"


def ts_document(columns: tuple[str, ...], alias: str = "") -> str:
    """The SQL expression of a server desk's words for these columns (what the
    ``search_vector`` column was generated from, at revision 0001)."""
    prefix = f"{alias}." if alias else ""
    joined = " || ' ' || ".join(f"coalesce({prefix}{c}, '')" for c in columns)
    blanks = " " * len(TS_SEPARATORS)
    separators = TS_SEPARATORS.replace("'", "''")
    return f"to_tsvector('{TS_CONFIG}'::regconfig, translate({joined}, '{separators}', '{blanks}'))"


def ts_index_name(kind: IndexedKind) -> str:
    """The name of the GIN index over one kind's text on a server desk."""
    return f"ix_search_{kind.table}"


def ts_query_text(words: list[str]) -> str:
    """A ``to_tsquery`` text for ``words``: every word must match, a word's parts in
    sequence ("C-0001": c, then 0001), the last part of the last word as a prefix."""
    terms = []
    for i, word in enumerate(words):
        parts = re.findall(r"[^\W_]+", word)
        if not parts:
            continue
        quoted = ["'" + p.lower().replace("\\", "\\\\").replace("'", "''") + "'" for p in parts]
        if i == len(words) - 1:
            quoted[-1] += ":*"
        terms.append(" <-> ".join(quoted) if len(quoted) > 1 else quoted[0])
    return " & ".join(f"({t})" for t in terms)


_TOKEN = re.compile(r"[^\W_]+")


def _folded(word: str) -> str:
    """A word without case or accents, as both indexes compare words."""
    if word.isascii():  # nothing to decompose, and casefold() is lower() in ASCII
        return word.lower()
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def _count_matches(value: str, exact: frozenset[str], prefix: str) -> int:
    """How many words of ``value`` match: the text's tokens are folded once, a whole
    ASCII text at a time (a register's texts mostly are), other texts word by word."""
    if value.isascii():
        tokens = _TOKEN.findall(value.lower())
    else:
        tokens = [_folded(token) for token in _TOKEN.findall(value)]
    return sum(1 for token in tokens if token in exact or token.startswith(prefix))


def snippet(texts: Sequence[str | None], words: list[str], size: int = 12) -> str:
    """The words around the matches in the best of ``texts`` (the one with most
    matches), at most ``size`` of them, matches between the highlight markers and
    ``…`` where the text was cut — what FTS5's ``snippet()`` gives on a desk file,
    made the same way for a server desk, from the text exactly as stored."""
    parts = [_folded(p) for word in words for p in _TOKEN.findall(word)]
    if not parts:
        return ""
    exact, prefix = frozenset(parts[:-1]), parts[-1]
    best, best_count = "", -1
    for value in texts:
        if value:
            count = _count_matches(value, exact, prefix)
            if count > best_count:
                best, best_count = value, count
    tokens = list(_TOKEN.finditer(best))
    if not tokens:
        return best
    folded = [_folded(m.group()) for m in tokens]
    hit = [word in exact or word.startswith(prefix) for word in folded]
    first = hit.index(True) if best_count > 0 else 0
    start = max(0, min(first - 2, len(tokens) - size))
    window = range(start, min(start + size, len(tokens)))
    begin = 0 if start == 0 else tokens[start].start()
    end = len(best) if start + size >= len(tokens) else tokens[window[-1]].end()
    pieces, at = [], begin
    for i in window:
        if hit[i]:
            match = tokens[i]
            pieces += [best[at : match.start()], HIGHLIGHT_START, match.group(), HIGHLIGHT_END]
            at = match.end()
    pieces.append(best[at:end])
    return ("…" if begin else "") + "".join(pieces) + ("…" if end < len(best) else "")


class TsvectorSearch:
    """PostgreSQL's full-text search: each kind's words in a generated ``tsvector``
    column with a GIN index (the server keeps both current on every write, whoever
    writes), through the accent-insensitive ``nsdesk_search`` configuration."""

    def rebuild(self, connection: Connection) -> None:
        for kind in INDEXED_KINDS:
            connection.exec_driver_sql(f"REINDEX INDEX {ts_index_name(kind)}")

    def problems(self, connection: Connection) -> list[str]:
        """Read-only: the configuration and every kind's index exist and are valid."""
        found = []
        config = connection.execute(
            text("SELECT count(*) FROM pg_ts_config WHERE cfgname = :name"), {"name": TS_CONFIG}
        ).scalar_one()
        if not config:
            found.append(f"the text-search configuration {TS_CONFIG} is missing: search fails")
        for kind in INDEXED_KINDS:
            valid = connection.execute(
                text(
                    "SELECT i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                    "WHERE c.relname = :name AND pg_table_is_visible(c.oid)"
                ),
                {"name": ts_index_name(kind)},
            ).scalar()
            if not valid:
                what = "is missing" if valid is None else "is not valid"
                found.append(
                    f"the search index of {spec_for(kind.kind).plural.lower()} {what}; "
                    "search is slow until it is rebuilt"
                )
        return found

    def search(self, connection: Connection, query: str, limit: int = 20) -> list[SearchHit]:
        words = words_of(query)
        tsquery = ts_query_text(words)
        if not tsquery:
            return []
        rows = connection.execute(_SEARCH_EVERY_KIND, {"query": tsquery, "limit": limit})
        return [
            SearchHit(INDEXED_KINDS[row[0]].kind, row[1], snippet(row[3:], words)) for row in rows
        ]


def _search_every_kind() -> TextClause:
    """One statement for every kind, so a search costs the server desk one round trip,
    not one per kind: each kind's best ``limit`` (ranked, then by id) in its own
    branch, which uses its own index, the kinds in the order of ``INDEXED_KINDS``.
    A branch's texts are padded with NULLs to the widest kind's (``snippet`` skips
    them). Columns: kind's position, id, rank, texts."""
    width = max(len(kind.columns) for kind in INDEXED_KINDS)
    document = f"r.{TS_COLUMN}"
    branches = []
    for position, kind in enumerate(INDEXED_KINDS):
        texts = [f"r.{c}::text" for c in kind.columns]
        texts += ["NULL::text"] * (width - len(texts))
        named = ", ".join(f"{value} AS text_{i}" for i, value in enumerate(texts))
        branches.append(
            f"(SELECT {position} AS kind, r.id, ts_rank({document}, q) AS rank, {named} "
            f"FROM {kind.table} r, to_tsquery('{TS_CONFIG}'::regconfig, :query) q "
            f"WHERE {document} @@ q AND {kind.live} "
            f"ORDER BY ts_rank({document}, q) DESC, r.id LIMIT :limit)"
        )
    union = " UNION ALL ".join(branches)
    return text(f"SELECT * FROM ({union}) hits ORDER BY kind, rank DESC, id")


_SEARCH_EVERY_KIND = _search_every_kind()


def full_text_search_for(dialect_name: str) -> FullTextSearch:
    """The search implementation for a database dialect."""
    if dialect_name == "sqlite":
        return Fts5Search()
    if dialect_name == "postgresql":
        return TsvectorSearch()
    raise ValueError(f"nsdesk has no full-text search for {dialect_name}")


def is_search_table(name: str) -> bool:
    """Whether a table belongs to the search index (not to the mapped model)."""
    return name.startswith("fts_")
