"""The desk as one audience may see it: the only way exports read the desk.

Every export (a register workbook, a ministry's return, a briefing pack, later a
changes file) is cut for an audience ceiling. The sheet loaders and the pack's
content builders never receive a database connection: they receive an
:class:`AudienceView`, which reads the tables once and hands out only what the
audience may see (an import-linter contract keeps them from reaching the store).
One rule, applied here and nowhere else:

* a record above the ceiling is never returned, and its children go with it;
* a visible record that points at a withheld one gets ``(withheld)`` from
  :meth:`AudienceView.name`, never the withheld record's code, name or title;
* a derived value (a commitment's status, its binding target, "late", a
  participation's status) is derived from the admitted records only, and when
  the record that decides it is withheld, the view says so (``withheld``) instead
  of handing out the stale value the admitted records alone would give;
* every record whose content reaches the output — as a row, a name, or the
  record that decides a derived value — counts toward the marking printed on it,
  and every withheld record that would have appeared counts toward "n withheld".

Counting happens when a value is handed out, so the loaders ask for exactly what
they print: the filters are arguments, never applied after the fact.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, Table, select

from nsdesk.domain.dates import PartialDate
from nsdesk.domain.deadlines import DeadlineAssessment, assess_deadline
from nsdesk.domain.derived import binding_target, latest_entry
from nsdesk.domain.enums import CommitmentStatus, JoiningMechanism, MilestoneKind
from nsdesk.domain.participation import (
    MilestoneFact,
    ParticipationAssessment,
    StandingAssessment,
    derive_participation_status,
    standing_on,
)
from nsdesk.services.audience.ceiling import WITHHELD, Audience
from nsdesk.services.desk import DeskInfo
from nsdesk.store import tables as t

__all__ = [
    "WITHHELD",
    "AudienceView",
    "DerivedParticipation",
    "DerivedStanding",
    "DerivedStatus",
    "DerivedTarget",
    "Selection",
    "TargetShown",
]

_STATUSES = {s.value: s for s in CommitmentStatus}


def sensitive_tables() -> tuple[Table, ...]:
    """Every table whose records carry a marking level (the kinds a ceiling cuts)."""
    return tuple(table for table in t.metadata.sorted_tables if "sensitivity" in table.c)


@dataclass(frozen=True, slots=True)
class Selection(Sequence[Any]):
    """The admitted rows of one request, and how many were withheld from it."""

    rows: tuple[Any, ...]
    withheld: int = 0

    def __getitem__(self, index: Any) -> Any:
        return self.rows[index]

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[Any]:
        return iter(self.rows)


@dataclass(frozen=True, slots=True)
class DerivedStatus:
    """A commitment's status as the audience may be told it.

    ``withheld``: the entry that sets the desk's status is above the ceiling, so
    neither it nor the stale status of an earlier entry may be printed as current.
    ``status`` is ``UNKNOWN`` with no entry (and no date) when nothing is recorded."""

    status: CommitmentStatus | None
    entry_date: date | None
    entry: Any | None = None
    withheld: bool = False

    @property
    def label(self) -> str:
        """The status's label, or the words for a withheld one."""
        if self.withheld or self.status is None:
            return "Status withheld"
        return self.status.label


@dataclass(frozen=True, slots=True)
class DerivedTarget:
    """A commitment's binding target as the audience may be told it (``due`` is
    ``None`` when it has none, or when the target in force is withheld)."""

    due: PartialDate | None
    target: Any | None = None
    withheld: bool = False


@dataclass(frozen=True, slots=True)
class TargetShown:
    """An admitted target with what the audience may know of its revision."""

    row: Any
    revised: bool  # revised by an admitted target
    revision_withheld: bool  # revised by a target above the ceiling


@dataclass(frozen=True, slots=True)
class DerivedParticipation:
    """A participation's status from its admitted milestones; ``withheld`` when a
    milestone above the ceiling would change it."""

    assessment: ParticipationAssessment
    milestones: tuple[Any, ...]
    withheld: bool = False


@dataclass(frozen=True, slots=True)
class DerivedStanding:
    """A party's standing under an instrument on a day, from what the audience may
    see of its participation; ``withheld`` (and no assessment) when the participation
    is above the ceiling or a milestone above it would change the standing."""

    party_id: int
    assessment: StandingAssessment | None
    milestones: tuple[Any, ...] = ()
    withheld: bool = False


class _Loaded:
    """One table read once: every row by id, and which of them the audience may see."""

    __slots__ = ("admitted", "by_id", "rows")

    def __init__(self, rows: Sequence[Any], admitted: Callable[[Any], bool]):
        self.rows = rows
        self.by_id = {row.id: row for row in rows}
        self.admitted = frozenset(row.id for row in rows if admitted(row))


class AudienceView:
    """Read access to one desk for one audience, inside one read transaction.

    Build it with the connection of that transaction; hand it (not the
    connection) to whatever writes the export."""

    def __init__(self, connection: Connection, info: DeskInfo, audience: Audience):
        self._connection = connection
        self.info = info
        self.audience = audience
        self._loaded: dict[str, _Loaded] = {}
        self._children: dict[tuple[str, str], dict[int, list[Any]]] = {}
        self._links: dict[str, dict[int, list[int]]] = {}

    # -- what left, and what was held back ----------------------------------------------

    @property
    def marking(self) -> str:
        """The marking to print: the highest level of anything handed out."""
        return self.audience.marking

    @property
    def withheld_total(self) -> int:
        """How many distinct records above the ceiling were held back."""
        return len(self.audience.withheld)

    # -- reading --------------------------------------------------------------------------

    def _table(self, kind: str) -> _Loaded:
        loaded = self._loaded.get(kind)
        if loaded is None:
            table = t.metadata.tables[kind]
            rows = self._connection.execute(select(table).order_by(table.c.id)).all()
            if "sensitivity" in table.c:
                loaded = _Loaded(rows, lambda row: self.audience.permits(row.sensitivity))
            else:
                loaded = _Loaded(rows, lambda row: True)
            self._loaded[kind] = loaded
        return loaded

    def _grouped(self, kind: str, column: str) -> dict[int, list[Any]]:
        key = (kind, column)
        grouped = self._children.get(key)
        if grouped is None:
            grouped = defaultdict(list)
            for row in self._table(kind).rows:
                parent = getattr(row, column)
                if parent is not None:
                    grouped[parent].append(row)
            self._children[key] = grouped
        return grouped

    def _count(self, row: Any) -> None:
        if "sensitivity" in row._fields:
            self.audience.admit(row.sensitivity, row.uuid)

    def _hold_back(self, row: Any) -> None:
        """Count ``row`` toward "withheld" when it is itself above the ceiling (a
        child held back only with its parent is part of that parent)."""
        if "sensitivity" in row._fields and not self.audience.permits(row.sensitivity):
            self.audience.withheld.add(row.uuid)

    def records(
        self,
        kind: str,
        *,
        where: Callable[[Any], bool] | None = None,
        live: bool = True,
        key: Callable[[Any], Any] | None = None,
    ) -> Selection:
        """The records of ``kind`` passing ``where`` (live ones only, unless
        ``live`` is false), ordered by ``key`` (by id otherwise). The admitted
        ones are returned and counted toward the marking; the others toward
        "withheld". A record whose parent is withheld is withheld with it."""
        loaded = self._table(kind)
        shown: list[Any] = []
        withheld = 0
        for row in loaded.rows:
            if live and getattr(row, "retired_at", None) is not None:
                continue
            if where is not None and not where(row):
                continue
            if row.id in loaded.admitted and self._parents_admitted(kind, row):
                self._count(row)
                shown.append(row)
            else:
                self._hold_back(row)
                withheld += 1
        if key is not None:
            shown.sort(key=key)
        return Selection(tuple(shown), withheld)

    def _parents_admitted(self, kind: str, row: Any) -> bool:
        parent = _PARENTS.get(kind)
        if parent is None:
            return True
        parent_kind, column = parent
        parent_id = getattr(row, column)
        return parent_id is None or self.admitted(parent_kind, parent_id)

    def admitted(self, kind: str, record_id: int | None) -> bool:
        """Whether the record may be seen (without counting anything)."""
        if record_id is None:
            return False
        loaded = self._table(kind)
        return record_id in loaded.admitted and (
            (row := loaded.by_id.get(record_id)) is not None and self._parents_admitted(kind, row)
        )

    def name(self, kind: str, record_id: int | None, attribute: str = "code") -> str | None:
        """What a visible record may print of the record it points at: the
        ``attribute`` (counted toward the marking), ``(withheld)`` when that record
        is above the ceiling, ``None`` when it points at nothing."""
        if record_id is None:
            return None
        row = self._table(kind).by_id.get(record_id)
        if row is None:
            return None
        if not self.admitted(kind, record_id):
            self._hold_back(row)
            return WITHHELD
        self._count(row)
        return getattr(row, attribute)

    def withheld_uuids(self, kind: str) -> frozenset[str]:
        """The UUIDs of the records of ``kind`` this audience may not see (above the
        ceiling, or the child of one), counting nothing: what a changes file cut for
        this audience leaves out, changes and all."""
        loaded = self._table(kind)
        return frozenset(row.uuid for row in loaded.rows if not self.admitted(kind, row.id))

    def for_checking(self, kind: str) -> list[Any]:
        """The admitted records of ``kind``, retired ones included, NOT counted
        toward the marking: for checking what an import may name (a drop-down's
        words), never for printing."""
        loaded = self._table(kind)
        return [row for row in loaded.rows if self.admitted(kind, row.id)]

    def parent(self, kind: str, record_id: int) -> Any:
        """The admitted record a shown record belongs to (counted): a shown child's
        parent always is admitted (children go with their parents), and a theme or
        party carries no marking. ``LookupError`` if the desk has no such record."""
        row = self.row(kind, record_id)
        if row is None:
            raise LookupError(f"{kind} {record_id} is not one the audience may see")
        return row

    def row(self, kind: str, record_id: int | None, *, live: bool = False) -> Any | None:
        """An admitted record by id (counted), or ``None`` when it is withheld,
        absent, or (with ``live``) retired."""
        if record_id is None or not self.admitted(kind, record_id):
            return None
        row = self._table(kind).by_id[record_id]
        if live and getattr(row, "retired_at", None) is not None:
            return None
        self._count(row)
        return row

    def linked(self, link: str, left_id: int) -> list[int]:
        """The ids a pure link table joins to ``left_id`` (its first column)."""
        found = self._links.get(link)
        if found is None:
            table = t.metadata.tables[link]
            left, right = (column.name for column in table.primary_key.columns)
            found = defaultdict(list)
            for row in self._connection.execute(select(table.c[left], table.c[right])):
                found[row[0]].append(row[1])
            self._links[link] = found
        return found.get(left_id, [])

    def children(self, kind: str, column: str, parent_id: int, *, live: bool = True) -> list[Any]:
        """Every child row of ``parent_id`` (not filtered by the ceiling, not
        counted): for kinds that carry no marking, such as signatory snapshots."""
        rows = self._grouped(kind, column).get(parent_id, [])
        return [r for r in rows if not live or getattr(r, "retired_at", None) is None]

    # -- commitments: history, status, targets --------------------------------------------

    def _entries(self, commitment_id: int, as_of: date | None) -> list[Any]:
        return [
            e
            for e in self._grouped("status_entry", "commitment_id").get(commitment_id, [])
            if e.retired_at is None and (as_of is None or e.entry_date <= as_of)
        ]

    def history(self, commitment_id: int, as_of: date | None = None) -> Selection:
        """The commitment's admitted live entries up to ``as_of``, newest first."""
        shown, withheld = [], 0
        for entry in sorted(
            self._entries(commitment_id, as_of),
            key=lambda e: (e.entry_date, e.created_at, e.uuid),
            reverse=True,
        ):
            if self.audience.permits(entry.sensitivity):
                self._count(entry)
                shown.append(entry)
            else:
                self._hold_back(entry)
                withheld += 1
        return Selection(tuple(shown), withheld)

    def status(self, commitment_id: int, as_of: date | None = None) -> DerivedStatus:
        """The commitment's status on ``as_of`` (now by default): the latest entry's,
        if the audience may see that entry; ``withheld`` otherwise."""
        entry = latest_entry(self._entries(commitment_id, as_of), as_of)
        if entry is None:
            return DerivedStatus(CommitmentStatus.UNKNOWN, None)
        if not self.audience.permits(entry.sensitivity):
            self._hold_back(entry)
            return DerivedStatus(None, None, withheld=True)
        self._count(entry)
        status = _STATUSES.get(entry.status, CommitmentStatus.UNKNOWN)
        return DerivedStatus(status, entry.entry_date, entry)

    def _live_targets(self, commitment_id: int) -> list[Any]:
        rows = self._grouped("target", "commitment_id").get(commitment_id, [])
        return [r for r in rows if r.retired_at is None]

    def targets(self, commitment_id: int) -> Selection:
        """The commitment's admitted live targets (soonest first), each saying
        whether it was revised — and whether by a target the audience may not see."""
        live = self._live_targets(commitment_id)
        by_revised = {r.revises_id: r for r in live if r.revises_id is not None}
        shown, withheld = [], 0
        for row in sorted(live, key=lambda r: (r.due.latest(), r.id)):
            if not self.audience.permits(row.sensitivity):
                self._hold_back(row)
                withheld += 1
                continue
            self._count(row)
            reviser = by_revised.get(row.id)
            hidden_reviser = reviser is not None and not self.audience.permits(reviser.sensitivity)
            shown.append(
                TargetShown(row, reviser is not None and not hidden_reviser, hidden_reviser)
            )
        return Selection(tuple(shown), withheld)

    def binding_target(self, commitment_id: int) -> DerivedTarget:
        """The earliest target in force, decided over all live targets: when it is
        above the ceiling the audience is told it is withheld, never shown a target
        that is no longer (or never was) the one in force."""
        binding = binding_target(self._live_targets(commitment_id))
        if binding is None:
            return DerivedTarget(None)
        if not self.audience.permits(binding.sensitivity):
            self._hold_back(binding)
            return DerivedTarget(None, withheld=True)
        self._count(binding)
        return DerivedTarget(binding.due, binding)

    def assessment(self, commitment_id: int, as_of: date) -> DeadlineAssessment | None:
        """Late / at risk on ``as_of``, from what the audience may see; ``None``
        (withheld) when the status or the binding target that decides it is."""
        status = self.status(commitment_id, as_of)
        if status.withheld or status.status is None:
            return None
        if status.status.is_closed or status.status is CommitmentStatus.ONGOING:
            return assess_deadline(status.status, None, as_of)
        target = self.binding_target(commitment_id)
        if target.withheld:
            return None
        return assess_deadline(status.status, target.due, as_of, last_progress=status.entry_date)

    # -- participation -------------------------------------------------------------------

    def participation_status(
        self, participation_id: int, mechanism: JoiningMechanism, as_of: date
    ) -> DerivedParticipation:
        """The participation's status from its admitted live milestones (counted),
        ``withheld`` when the milestones above the ceiling would change it."""
        live = [
            m
            for m in self._grouped("milestone", "participation_id").get(participation_id, [])
            if m.retired_at is None
        ]
        admitted = [m for m in live if self.audience.permits(m.sensitivity)]
        seen = derive_participation_status(mechanism, _facts(admitted), as_of)
        if len(admitted) != len(live):
            whole = derive_participation_status(mechanism, _facts(live), as_of)
            for m in live:
                if not self.audience.permits(m.sensitivity):
                    self._hold_back(m)
            if (whole.status, whole.since) != (seen.status, seen.since):
                return DerivedParticipation(seen, tuple(admitted), withheld=True)
        for m in admitted:
            self._count(m)
        return DerivedParticipation(seen, tuple(admitted))

    def standings(self, instrument_id: int, day: date) -> tuple[DerivedStanding, ...]:
        """Every party's standing under the instrument on ``day`` (party, signatory
        only, outside), derived from the admitted live milestones and the standing its
        source lists (:func:`~nsdesk.domain.participation.standing_on`), each counted
        toward the marking. A participation above the ceiling, or one whose withheld
        milestones would change its standing, reads ``withheld``: never the standing
        the admitted records alone would give."""
        instrument = self._table("instrument").by_id.get(instrument_id)
        if instrument is None or not self.admitted("instrument", instrument_id):
            return ()
        mechanism = JoiningMechanism(instrument.mechanism)
        found: list[DerivedStanding] = []
        for row in self._grouped("participation", "instrument_id").get(instrument_id, []):
            if row.retired_at is not None:
                continue
            if not self.admitted("participation", row.id):
                self._hold_back(row)
                found.append(DerivedStanding(row.party_id, None, withheld=True))
                continue
            live = [
                m
                for m in self._grouped("milestone", "participation_id").get(row.id, [])
                if m.retired_at is None
            ]
            admitted = [m for m in live if self.audience.permits(m.sensitivity)]
            seen = standing_on(mechanism, _facts(admitted), day, row.listed_standing, row.as_of)
            if len(admitted) != len(live):
                whole = standing_on(mechanism, _facts(live), day, row.listed_standing, row.as_of)
                for m in live:
                    if not self.audience.permits(m.sensitivity):
                        self._hold_back(m)
                if (whole.standing, whole.since) != (seen.standing, seen.since):
                    self._count(row)
                    found.append(DerivedStanding(row.party_id, None, withheld=True))
                    continue
            self._count(row)
            for m in admitted:
                self._count(m)
            found.append(DerivedStanding(row.party_id, seen, tuple(admitted)))
        return tuple(found)

    # -- baselines ----------------------------------------------------------------------

    def baseline_statuses(self, baseline: Any) -> dict[str, DerivedStatus]:
        """Each commitment UUID's status in the frozen ``baseline``, as the audience
        may be told it: from the entry the baseline recorded as deciding it, when
        the audience may see that entry; ``withheld`` otherwise."""
        items = self._connection.execute(
            select(t.baseline_item.c.record_uuid, t.baseline_item.c.payload).where(
                t.baseline_item.c.baseline_id == baseline.id,
                t.baseline_item.c.record_table == "commitment",
            )
        ).all()
        entries = {row.uuid: row for row in self._table("status_entry").rows}
        commitments = {row.uuid: row for row in self._table("commitment").rows}
        found: dict[str, DerivedStatus] = {}
        for record_uuid, payload in items:
            entry = entries.get(payload.get("status_entry") or "")
            if entry is None:
                # A baseline frozen before it recorded its deciding entry (payload 1):
                # that entry is found again in the history as it stood then.
                commitment = commitments.get(record_uuid)
                entry = (
                    latest_entry(
                        e
                        for e in self._entries(commitment.id, baseline.as_of)
                        if e.created_at <= baseline.created_at
                    )
                    if commitment is not None
                    else None
                )
            status = _STATUSES.get(payload.get("status", ""), CommitmentStatus.UNKNOWN)
            if entry is None:
                found[record_uuid] = DerivedStatus(None, None, withheld=True)
            elif not self.audience.permits(entry.sensitivity):
                self._hold_back(entry)
                found[record_uuid] = DerivedStatus(None, None, withheld=True)
            else:
                self._count(entry)
                found[record_uuid] = DerivedStatus(status, entry.entry_date, entry)
        return found


def _facts(milestones: Iterable[Any]) -> list[MilestoneFact]:
    return [MilestoneFact(MilestoneKind(m.kind), m.actual, m.planned) for m in milestones]


# A child is withheld with its parent: (parent kind, the column naming it).
_PARENTS: dict[str, tuple[str, str]] = {
    "agency_contact": ("agency", "agency_id"),
    "milestone": ("participation", "participation_id"),
    "participation": ("instrument", "instrument_id"),
    "status_entry": ("commitment", "commitment_id"),
    "target": ("commitment", "commitment_id"),
    "action_item": ("gift_basket", "gift_basket_id"),
}
