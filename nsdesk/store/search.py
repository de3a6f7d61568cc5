"""Full-text search over the register: the one seam for SQLite-only SQL.

On SQLite the index is a set of FTS5 tables with external content (the text is
not stored twice), kept current by triggers, so every write path — the editor,
an import, a bulk demo load — is indexed without anyone remembering to. The
migrations create the tables and triggers, each with its SQL spelled out as it was
at that revision; :data:`INDEXED_KINDS` says what the head's index covers (a test
holds the two together). On other databases a portable ``LIKE`` search stands in
until a native index is written (PostgreSQL's ``tsvector``); callers see the same
:class:`SearchHit` either way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import Connection, text

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
    """What the rest of nsdesk may ask of the search index."""

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


class LikeSearch:
    """A portable search for databases without FTS5: every word as a substring.

    Slower on large desks and not accent-insensitive ("communique" does not find
    "communiqué"); it keeps search working until a native index is written."""

    def rebuild(self, connection: Connection) -> None:
        """Nothing to rebuild."""

    def problems(self, connection: Connection) -> list[str]:
        return []

    def search(self, connection: Connection, query: str, limit: int = 20) -> list[SearchHit]:
        words = words_of(query)
        if not words:
            return []
        hits: list[SearchHit] = []
        params: dict[str, object] = {"limit": limit}
        for i, word in enumerate(words):
            escaped = word.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            params[f"w{i}"] = f"%{escaped}%"
        for kind in INDEXED_KINDS:
            haystack = " || ' ' || ".join(f"COALESCE(r.{c}, '')" for c in kind.columns)
            conditions = " AND ".join(
                f"LOWER({haystack}) LIKE :w{i} ESCAPE '\\'" for i in range(len(words))
            )
            first = kind.columns[1] if len(kind.columns) > 1 else kind.columns[0]
            rows = connection.execute(
                text(
                    f"SELECT r.id, r.{first} FROM {kind.table} r "
                    f"WHERE {conditions} AND {kind.live} ORDER BY r.id LIMIT :limit"
                ),
                params,
            )
            hits.extend(SearchHit(kind.kind, row[0], row[1] or "") for row in rows)
        return hits


def full_text_search_for(dialect_name: str) -> FullTextSearch:
    """The search implementation for a database dialect."""
    return Fts5Search() if dialect_name == "sqlite" else LikeSearch()


def is_search_table(name: str) -> bool:
    """Whether a table belongs to the search index (not to the mapped model)."""
    return name.startswith("fts_")
