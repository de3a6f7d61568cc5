"""Sending changes: a changes file of what the other copies of the desk have not seen.

What each copy holds is a *version vector*: for each replica (laptop), the newest
clock stamp of its changes the copy holds (as a number, :func:`hlc_number`). Every
file says what its sender holds (``knows``); the receiving desk keeps it with the
file's record (``changes_received.knows``), so it knows what that laptop had seen.
A file is written with every change newer than what the receivers last said they
held — the laptop given with ``to``, or by default every laptop this desk heard from
(the least each said, replica by replica) — and with everything when ``everything``
is asked, or when no laptop has said anything yet. A replica's changes are always
sent as a whole tail, so whoever merges a file holds every change of that replica up
to the newest it carries: nothing can be skipped by accident. A change already held
is skipped when merged, so a file that carries too much costs time, never data.

A changes file carries records up to the highest marking inside, which the header
says. With a ``ceiling``, the changes of every record the audience may not see
(:class:`~nsdesk.services.audience.view.AudienceView`: above the ceiling, or the
child of one) are left out, whole; a visible record's reference to a withheld one
travels as the UUID alone (its key, name or title never), marked withheld, so the
receiving desk links it if it already holds that record and flags it otherwise; a
set loses its withheld members' keys the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, func, select

from nsdesk.exchange.changes import SUFFIX, ChangesHeader, write_changes
from nsdesk.services.audience.ceiling import Audience
from nsdesk.services.audience.view import AudienceView, sensitive_tables
from nsdesk.services.audit import default_actor_name
from nsdesk.services.desk import Desk
from nsdesk.services.merge.change_schema import change_schema
from nsdesk.services.merge.codec import WITHHELD_FIELDS, codecs, key_of
from nsdesk.services.merge.engine import hlc_number
from nsdesk.services.merge.laptop_key import laptop_key
from nsdesk.services.merge.outgoing import read_changes
from nsdesk.store import tables as t
from nsdesk.store.change_log import ChangeLogError, change_log_of
from nsdesk.store.replicas import replica_for
from nsdesk.store.schema_revisions import SCHEMA_HEAD


@dataclass(frozen=True, slots=True)
class SentChanges:
    """A changes file as written: where, how many changes, its marking, how many
    records a ceiling left out, and what it assumed the receivers hold."""

    path: Path
    changes: int
    marking: str
    withheld: int
    since: Mapping[str, int]
    fingerprint: str
    encrypted: bool
    counts: Mapping[str, int]


def holdings(connection: Connection) -> dict[str, int]:
    """What this desk holds of each replica: the newest stamp of its changes."""
    a = t.audit_entry
    found: dict[str, int] = {}
    for replica, newest in connection.execute(
        select(a.c.replica_id, func.max(a.c.hlc)).group_by(a.c.replica_id)
    ):
        if replica and newest:
            found[replica] = hlc_number(newest)
    return found


def peer_claims(connection: Connection) -> dict[str, dict[str, int]]:
    """What each laptop this desk received files from last said it held."""
    r = t.changes_received
    claims: dict[str, dict[str, int]] = {}
    for sender, knows in connection.execute(select(r.c.sender_replica, r.c.knows).order_by(r.c.id)):
        if isinstance(knows, dict):
            claims[sender] = {str(k): int(v) for k, v in knows.items() if isinstance(v, int)}
    return claims


def since_for(connection: Connection, to: str | None = None) -> dict[str, int]:
    """What the receivers of a file hold, replica by replica (see module docstring):
    ``to``'s last word, or the least every laptop said; empty (send everything) when
    none has said anything."""
    claims = peer_claims(connection)
    if to is not None:
        return dict(claims.get(to, {}))
    if not claims:
        return {}
    replicas = set().union(*(c.keys() for c in claims.values()))
    return {
        replica: min(c.get(replica, -1) for c in claims.values())
        for replica in replicas
        if all(replica in c for c in claims.values())
    }


class _Cut:
    """What a ceiling leaves out, and the marking of what goes: the highest level
    among the records whose changes go (and, under a ceiling, the records they name),
    read once per record when the marking is asked for."""

    def __init__(self, connection: Connection, desk: Desk, ceiling: str | None):
        info = desk.info()
        self.connection = connection
        self.ceiling = ceiling
        self.audience = Audience(info.marking, ceiling or info.marking.codes[-1])
        self.keys: dict[str, tuple[str, Any]] = {}
        self.withheld: set[str] = set()
        self.current_keys = _current_keys(connection)
        self._carried: dict[str, set[str]] = {}
        self._held: dict[str, frozenset[str]] = {}
        if ceiling is None:
            return
        view = AudienceView(connection, info, self.audience)
        for table in sensitive_tables():
            self.withheld |= view.withheld_uuids(str(table.name))
        self._children(connection)
        # The keys of withheld records, to recognise them in entries that name records
        # by key (written before schema 0007).
        for codec in codecs().values():
            key = key_of(codec.table)
            columns = [codec.table.c.uuid] + ([codec.table.c[key]] if key else [])
            for row in connection.execute(select(*columns)):
                if row[0] in self.withheld and key:
                    self.keys[f"{codec.name}:{row[-1]}"] = (row[0], row[-1])

    def _children(self, connection: Connection) -> None:
        """Records without a marking of their own go with the record they belong to:
        a citation with its subject, an alias with its record, anything else with
        every record its references name (a membership count of a withheld
        instrument, an appearance of a withheld commitment)."""
        c = t.citation
        for uuid, subject in connection.execute(select(c.c.uuid, c.c.subject_uuid)):
            if subject in self.withheld:
                self.withheld.add(uuid)
        al = t.record_alias
        for uuid, record in connection.execute(select(al.c.uuid, al.c.record_uuid)):
            if record in self.withheld:
                self.withheld.add(uuid)
        for codec in codecs().values():
            table = codec.table
            if "sensitivity" in table.c or not codec.references:
                continue
            for reference in codec.references.values():
                if reference.by_code or "sensitivity" not in reference.target.c:
                    continue
                target = reference.target
                query = select(table.c.uuid, target.c.uuid).join(
                    target, target.c.id == table.c[reference.column]
                )
                for uuid, pointed in connection.execute(query):
                    if pointed in self.withheld:
                        self.withheld.add(uuid)

    def leaves_out(self, record_table: str, record_uuid: str) -> bool:
        """Whether the changes of this record stay home."""
        if self.ceiling is None:
            return False
        if record_uuid in self.withheld:
            return True
        # A record no longer in the desk (deleted) of a kind that carries a marking:
        # its level cannot be read, so it stays home.
        return record_table in _SENSITIVE_NAMES() and record_uuid not in self._held_in(record_table)

    def _held_in(self, table: str) -> frozenset[str]:
        if table not in self._held:
            uuids = self.connection.execute(select(t.metadata.tables[table].c.uuid)).scalars()
            self._held[table] = frozenset(uuids)
        return self._held[table]

    def count(self, table: str, record_uuid: str) -> None:
        """A record of ``table`` that goes (its changes, or a reference to it): its
        level counts towards the marking."""
        carried = self._carried.get(table)
        if carried is None:
            carried = self._carried[table] = set()
        carried.add(record_uuid)

    def hidden(self, uuid: Any) -> bool:
        return self.ceiling is not None and isinstance(uuid, str) and uuid in self.withheld

    def hidden_key(self, table: str, key: Any) -> bool:
        return self.ceiling is not None and f"{table}:{key}" in self.keys

    def marking(self) -> str:
        """The highest level among the records counted so far (the file's marking)."""
        sensitive = _SENSITIVE_NAMES()
        for table, uuids in self._carried.items():
            if table in sensitive:
                for level in _levels_among(self.connection, table, uuids):
                    self.audience.admit(level)
        self._carried.clear()
        return self.audience.marking


_LEVELS_CHUNK = 500
"""Records per query for their levels (well under any database's limit on bound values)."""


def _levels_among(connection: Connection, table_name: str, uuids: set[str]) -> set[str]:
    """The marking levels of those records of ``table_name`` still in the desk: a few
    looked up by UUID, many read with the whole table's levels (one pass, cheaper
    than thousands of lookups)."""
    table = t.metadata.tables[table_name]
    if len(uuids) > 4 * _LEVELS_CHUNK:
        query = select(table.c.uuid, table.c.sensitivity)
        return {level for uuid, level in connection.execute(query) if uuid in uuids}
    ordered = sorted(uuids)
    levels: set[str] = set()
    for start in range(0, len(ordered), _LEVELS_CHUNK):
        chunk = ordered[start : start + _LEVELS_CHUNK]
        query = select(table.c.sensitivity).distinct().where(table.c.uuid.in_(chunk))
        levels.update(connection.execute(query).scalars())
    return levels


def _SENSITIVE_NAMES() -> frozenset[str]:  # noqa: N802 - a constant, computed once
    return frozenset(str(table.name) for table in sensitive_tables())


def _cut_change(change: dict[str, Any], cut: _Cut) -> dict[str, Any]:
    """A change with every reference to a withheld record reduced to its UUID."""
    if cut.ceiling is None:
        return change
    codec = codecs().get(change["record_table"])
    if codec is None:
        return change
    refs = change.get("refs")
    action, name = change["action"], change.get("field")
    if action in ("create", "delete"):
        key = "new_value" if action == "create" else "old_value"
        snapshot = change.get(key)
        if not isinstance(snapshot, dict):
            return change
        snapshot = dict(snapshot)
        refs = dict(refs) if isinstance(refs, dict) else {}
        withheld: list[str] = []
        for field_name, reference in codec.references.items():
            if field_name not in snapshot or reference.by_code:
                continue
            target = str(reference.target.name)
            if cut.hidden(refs.get(field_name)) or cut.hidden_key(target, snapshot[field_name]):
                snapshot[field_name] = None
                withheld.append(field_name)
            elif snapshot[field_name] is not None:
                _count_reference(cut, target, refs.get(field_name))
        for field_name, link in codec.sets.items():
            if field_name not in snapshot:
                continue
            kept, hidden = _cut_set(
                cut, str(link.target.name), snapshot[field_name], refs.get(field_name)
            )
            if hidden:
                snapshot[field_name] = kept
                withheld.append(field_name)
        if withheld:
            refs[WITHHELD_FIELDS] = sorted(withheld)
        return {**change, key: snapshot, "refs": refs or None}
    if action != "update" or not name:
        return change
    if name in codec.references and not codec.references[name].by_code:
        target = str(codec.references[name].target.name)
        refs = dict(refs) if isinstance(refs, dict) else {}
        changed = dict(change)
        for side, value_key in (("old", "old_value"), ("new", "new_value")):
            if cut.hidden(refs.get(side)) or cut.hidden_key(target, change.get(value_key)):
                changed[value_key] = None
                if side == "new":
                    refs["withheld"] = True
            elif side == "new":
                _count_reference(cut, target, refs.get(side))
        changed["refs"] = refs or None
        return changed
    if name in codec.sets:
        target = str(codec.sets[name].target.name)
        refs = dict(refs) if isinstance(refs, dict) else {}
        changed = dict(change)
        for side, value_key in (("old", "old_value"), ("new", "new_value")):
            kept, hidden = _cut_set(cut, target, change.get(value_key), refs.get(side))
            if hidden:
                changed[value_key] = kept
                if side == "new":
                    refs["withheld"] = True
        changed["refs"] = refs or None
        return changed
    return change


def _count_reference(cut: _Cut, target: str, uuid: Any) -> None:
    if isinstance(uuid, str):
        cut.count(target, uuid)


def _cut_set(cut: _Cut, target: str, keys: Any, uuids: Any) -> tuple[list[Any] | None, bool]:
    """A set's keys without the withheld members' (their UUIDs stay in ``refs``), and
    whether any was withheld. Keys and UUIDs are listed apart (each sorted), so when
    one member is withheld, the visible ones' keys are read again by UUID."""
    if not isinstance(keys, list):
        return keys, False
    hidden_uuids = [u for u in (uuids or []) if cut.hidden(u)]
    hidden_keys = [k for k in keys if cut.hidden_key(target, k)]
    if not hidden_uuids and not hidden_keys:
        for uuid in uuids or []:
            _count_reference(cut, target, uuid)
        return keys, False
    visible = [u for u in (uuids or []) if not cut.hidden(u)]
    for uuid in visible:
        _count_reference(cut, target, uuid)
    if uuids:
        return sorted(cut.current_keys(target, visible)), True
    return [k for k in keys if not cut.hidden_key(target, k)], True


_KEPT = 20_000
"""Changes an export keeps from its first reading of the desk (a few MB)."""


def outgoing_changes(
    connection: Connection, since: Mapping[str, int], cut: _Cut
) -> Iterator[dict[str, Any]]:
    """The changes a file for receivers holding ``since`` carries, in order: the
    records ``cut`` leaves out skipped whole, the references it withholds reduced to
    their UUIDs, every record that goes counted towards the file's marking."""
    for change in read_changes(connection, since):
        table, uuid = change["record_table"], change["record_uuid"]
        if cut.leaves_out(table, uuid):
            continue
        cut.count(table, uuid)
        yield _cut_change(change, cut)  # counts the records it names


def _current_keys(connection: Connection) -> Callable[[str, list[str]], list[Any]]:
    """A reader of visible records' keys by UUID, for sets cut by a ceiling."""
    cache: dict[str, dict[str, Any]] = {}

    def read(target: str, uuids: list[str]) -> list[Any]:
        table = t.metadata.tables[target]
        key = key_of(table)
        if target not in cache:
            columns = [table.c.uuid] + ([table.c[key]] if key else [])
            cache[target] = {row[0]: row[-1] for row in connection.execute(select(*columns))}
        return [cache[target][u] for u in uuids if u in cache[target]]

    return read


def export_changes(
    desk: Desk,
    path: Path,
    *,
    everything: bool = False,
    ceiling: str | None = None,
    to: str | None = None,
    passphrase: str | None = None,
    replace: bool = False,
    label: str | None = None,
) -> SentChanges:
    """Write ``desk``'s changes the other copies have not seen to ``path`` (a changes
    file, signed with this laptop's key; encrypted with ``passphrase``): see module
    docstring. Raises :class:`~nsdesk.domain.changes_errors.ChangesWriteError` (no
    file left) when nothing can be written as asked, and
    :class:`~nsdesk.domain.errors.ValidationError` for a ceiling that is not a level of
    the desk's marking scheme. A ``path`` without a suffix gets ``.nsdesk-changes``."""
    path = Path(path)
    if not path.suffix:
        path = path.with_name(path.name + SUFFIX)
    key = laptop_key()
    # What this desk holds (the header's ``knows``) is a scan of the whole change log,
    # read meanwhile on a connection of its own: the database works without holding
    # Python's lock, so on two cores it costs next to nothing. Read apart from the
    # changes, it may count an entry written between the two readings, which the file
    # then does not carry; that is still true of this desk, and ``knows`` only ever
    # says what the sender holds (receivers send it what it lacks), never what the
    # file carries.
    with (
        ThreadPoolExecutor(max_workers=1, thread_name_prefix="holdings") as aside,
        desk.connect() as connection,
    ):
        knows = aside.submit(_holdings_of, desk)
        # A desk opened to read only (sending changes nothing) keeps no change log:
        # this laptop's replica of it is then read from the profile.
        try:
            sender = change_log_of(connection).replica(connection).replica_id
        except ChangeLogError:
            sender = replica_for(desk.info().uuid).replica_id
        since = {} if everything else since_for(connection, to)
        cut = _Cut(connection, desk, ceiling)
        counts: dict[str, int] = {}
        # The header (counts, marking) comes before the changes: the first reading
        # keeps what it made, up to _KEPT changes, so a file of ordinary size is read
        # once; a larger one is read again rather than held.
        kept: list[dict[str, Any]] | None = []
        for change in outgoing_changes(connection, since, cut):
            table = change["record_table"]
            counts[table] = counts.get(table, 0) + 1
            if kept is not None:
                kept.append(change)
                if len(kept) > _KEPT:
                    kept = None
        header = ChangesHeader(
            desk_uuid=desk.info().uuid,
            schema_revision=SCHEMA_HEAD,
            sender_replica=sender,
            sender_label=(label or default_actor_name())[:200],
            marking=cut.marking(),
            knows=knows.result(),
            counts=counts,
        )

        def changes() -> Iterator[dict[str, Any]]:
            if kept is not None:
                yield from kept
                return
            yield from outgoing_changes(connection, since, cut)

        written = write_changes(
            path, header, changes(), key, passphrase, schema=change_schema(), replace=replace
        )
    return SentChanges(
        path=written.path,
        changes=written.changes,
        marking=header.marking,
        withheld=len(cut.withheld),
        since=since,
        fingerprint=written.fingerprint,
        encrypted=written.encrypted,
        counts=counts,
    )


def _holdings_of(desk: Desk) -> dict[str, int]:
    with desk.connect() as connection:
        return holdings(connection)
