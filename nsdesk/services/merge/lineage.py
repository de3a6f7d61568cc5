"""A record's history as a merge reads it: the entries of each line and what each
replaced, its heads, and the common ancestor of concurrent values.

Every field of a record is a *line* of its history (so are its retirements and
restorations, one line); its creation is the first entry of every line. Each entry
names the entry it replaced (``parent_uuid``) and, when it settled concurrent
values, the others too (``also_replaces``). The *heads* of a line are its entries
no other entry replaced: one, unless two copies of the desk changed the field
apart. Which of two values is newer is never asked: only whether one replaced the
other (:mod:`nsdesk.store.change_log`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, select

from nsdesk.store import tables as t
from nsdesk.store.change_log import CREATE, DELETE, RESTORE, RETIRE, UPDATE, lineage

_CHUNK = 500


@dataclass(slots=True)
class Entry:
    """One entry of a record's history, as far as its place in it goes."""

    uuid: str
    action: str
    field: str | None
    parents: tuple[str, ...]
    hlc: str
    replica: str
    order: tuple[int, int]  # (0 for the desk's own / 1 for this merge's, position)

    @property
    def line(self) -> str | None:
        return lineage(self.action, self.field)


@dataclass(slots=True)
class RecordHistory:
    """Every entry of one record, by uuid, with its lines."""

    record_uuid: str
    entries: dict[str, Entry] = field(default_factory=dict)
    creations: list[str] = field(default_factory=list)
    lines: dict[str, list[str]] = field(default_factory=dict)
    replaced: dict[str, set[str]] = field(default_factory=dict)
    deleted: str | None = None

    def add(self, entry: Entry) -> None:
        """Take in an entry (after the entries it replaced)."""
        self.entries[entry.uuid] = entry
        if entry.action == CREATE:
            self.creations.append(entry.uuid)
            return
        if entry.action == DELETE:
            self.deleted = entry.uuid
            return
        line = entry.line
        if line is None:
            return
        self.lines.setdefault(line, []).append(entry.uuid)
        self.replaced.setdefault(line, set()).update(entry.parents)

    def heads(self, line: str) -> list[str]:
        """The entries of ``line`` no other one replaced, oldest first."""
        gone = self.replaced.get(line)
        candidates = [*self.creations, *self.lines.get(line, ())]
        if gone:
            candidates = [u for u in candidates if u not in gone]
        if len(candidates) > 1:  # most lines have one head: nothing to order
            entries = self.entries
            candidates.sort(key=lambda u: entries[u].order)
        return candidates

    def on_line(self, uuid: str, line: str) -> bool:
        """Whether entry ``uuid`` is one of ``line``'s (a creation is on every line)."""
        entry = self.entries.get(uuid)
        return entry is not None and (entry.action == CREATE or entry.line == line)

    def ancestors(self, uuid: str) -> set[str]:
        """``uuid`` and every entry it replaced, directly or not."""
        seen: set[str] = set()
        stack = [uuid]
        while stack:
            current = stack.pop()
            if current in seen:
                continue
            seen.add(current)
            entry = self.entries.get(current)
            if entry is not None:
                stack.extend(p for p in entry.parents if p)
        return seen

    def common_ancestor(self, heads: Iterable[str]) -> str | None:
        """The newest entry every one of ``heads`` descends from (by clock stamp, which
        a descendant always exceeds), or ``None`` when they share none (two creations)."""
        common: set[str] | None = None
        for head in heads:
            found = self.ancestors(head)
            common = found if common is None else common & found
        if not common:
            return None
        return max(common, key=lambda u: (self.entries[u].hlc, u))

    def latest(self) -> Iterator[Entry]:
        """Every entry, newest first (by place in this desk's order)."""
        return iter(sorted(self.entries.values(), key=lambda e: e.order, reverse=True))


def parents_of(parent: Any, also: Any) -> tuple[str, ...]:
    """The entries an entry replaced: its parent and the others it lists."""
    found = [parent] if parent else []
    if isinstance(also, list):
        found.extend(str(u) for u in also if u)
    return tuple(found)


def load_histories(connection: Connection, records: Iterable[str]) -> dict[str, RecordHistory]:
    """The histories of ``records`` as the desk holds them (one query per 500)."""
    a = t.audit_entry
    histories: dict[str, RecordHistory] = {}
    wanted = sorted(set(records))
    for uuid in wanted:
        histories[uuid] = RecordHistory(uuid)
    for start in range(0, len(wanted), _CHUNK):
        query = (
            select(
                a.c.record_uuid,
                a.c.uuid,
                a.c.action,
                a.c.field,
                a.c.parent_uuid,
                a.c.also_replaces,
                a.c.hlc,
                a.c.replica_id,
                a.c.revision,
                a.c.id,
            )
            .where(a.c.record_uuid.in_(wanted[start : start + _CHUNK]))
            .order_by(a.c.revision, a.c.id)
        )
        rows = connection.execute(query).all()  # fetched at once, not row by row
        for record, uuid, action, name, parent, also, hlc, replica, _, row_id in rows:
            histories[record].add(
                Entry(
                    uuid,
                    str(getattr(action, "value", action)),
                    name,
                    parents_of(parent, also),
                    hlc,
                    replica,
                    (0, row_id),
                )
            )
    return histories


def retired_value(action: str) -> bool:
    """The value an entry of the retired line gives it: retired or not."""
    return action == RETIRE


__all__ = [
    "CREATE",
    "DELETE",
    "RESTORE",
    "RETIRE",
    "UPDATE",
    "Entry",
    "RecordHistory",
    "lineage",
    "load_histories",
    "parents_of",
    "retired_value",
]
