"""The registers as workbook sheets: which columns, which of them a reader may
edit, and how each sheet's rows are read from the desk.

One definition serves both directions: the export writes these columns, and the
import recognises them again by header (renamed and reordered columns included)
and applies the editable ones. Every loader reads through the audience ceiling:
a record above it is not a row, and a name that belongs to one prints as
"(withheld)".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from typing import Any

from sqlalchemy import Connection, select

from nsdesk.domain.dates import PartialDate
from nsdesk.domain.enums import (
    AgencyKind,
    Channel,
    CommitmentStatus,
    GiftBasketRole,
    LabelledEnum,
    MilestoneKind,
    Priority,
)
from nsdesk.domain.text import strip_hidden
from nsdesk.exchange.model import ColumnKind
from nsdesk.services.audience import WITHHELD, Audience
from nsdesk.services.desk import DeskInfo
from nsdesk.services.record_details import own_state_listed
from nsdesk.store import tables as t

# Virtual fields: columns that do not edit one stored field but add a record.
STATUS, NARRATIVE, EVIDENCE, REVISED_TARGET = "status", "narrative", "evidence", "revised_target"
PROGRESS_FIELDS = (STATUS, NARRATIVE, EVIDENCE)


@dataclass(frozen=True, slots=True)
class ColumnSpec:
    """One column: its header, kind, the field it edits and the words that name it."""

    key: str
    header: str
    kind: ColumnKind = ColumnKind.TEXT
    field: str | None = None  # the record field (or virtual field) it edits
    editable: bool = False
    choices: str | None = None  # which drop-down list: status, priority, role, agency…
    synonyms: tuple[str, ...] = ()
    note: str = ""
    width: float | None = None  # characters; None: the style's width for the kind


ID_COLUMN = ColumnSpec("record_id", "Record id", ColumnKind.ID, synonyms=("uuid", "nsdesk id"))


@dataclass(slots=True)
class ExportScope:
    """What a sheet loader needs: the desk, the audience, and names it may print."""

    info: DeskInfo
    audience: Audience
    agency_id: int | None = None  # a return: only this agency's items
    agencies: dict[int, str] = field(default_factory=dict)  # admitted agencies: id -> code
    withheld: int = 0

    def agency(self, agency_id: int | None) -> str | None:
        if agency_id is None:
            return None
        return self.agencies.get(agency_id, WITHHELD)


Row = dict[str, Any]
Loader = Callable[[Connection, ExportScope], list[Row]]


@dataclass(frozen=True, slots=True)
class SheetSpec:
    """A register as a sheet: its columns, the record kind its rows are, and its loader."""

    name: str
    title: str
    kind: str
    key: str  # the column holding the human id (ref, code)
    columns: tuple[ColumnSpec, ...]
    load: Loader
    creates: bool = False  # a register workbook may add records here (rows without id)
    key_unique: bool = True  # whether the human key alone names one record

    def column(self, key: str) -> ColumnSpec:
        for column in self.columns:
            if column.key == key:
                return column
        raise KeyError(key)

    @property
    def editable(self) -> tuple[ColumnSpec, ...]:
        return tuple(c for c in self.columns if c.editable)


# -- values as the sheet shows them ------------------------------------------------------


@cache
def _labels(enum_class: type[LabelledEnum]) -> dict[str, str]:
    return {member.value: member.label for member in enum_class}


def label(enum_class: type[LabelledEnum], value: str | None) -> str | None:
    """The label of a stored value (the value itself when it is not a member)."""
    if value is None:
        return None
    return _labels(enum_class).get(value, value)


def canonical(kind: ColumnKind, value: Any) -> str:
    """The form two values of a column are compared in: a cell read back from Excel
    or LibreOffice and the desk's value agree here when the user changed nothing."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date() if value.time() == datetime.min.time() else value
    if isinstance(value, PartialDate | date):
        return str(PartialDate.of(value)) if isinstance(value, date) else str(value)
    if isinstance(value, float) and value == int(value):
        value = int(value)
    if isinstance(value, LabelledEnum):
        value = value.label
    if isinstance(value, list | tuple):
        return "; ".join(canonical(kind, v) for v in value)
    # The workbook's cell lost the hidden characters the desk's value had (one rule
    # for all outputs, nsdesk.domain.text): an untouched cell is not a change.
    text = strip_hidden(str(value)).replace("\r\n", "\n").replace("\r", "\n").strip()
    if kind is ColumnKind.LONG_TEXT:
        return text
    text = " ".join(text.split())
    return text.casefold() if kind is ColumnKind.CHOICE else text


def _allowed(table: Any, scope: ExportScope) -> Any:
    return table.c.sensitivity.in_(
        [c for c in scope.info.marking.codes if scope.audience.permits(c)]
    )


def _admit_rows(rows: Sequence[Any], scope: ExportScope) -> list[Any]:
    admitted = []
    for row in rows:
        if scope.audience.admit(row.sensitivity, row.uuid):
            admitted.append(row)
        else:
            scope.withheld += 1
    return admitted


def _links(connection: Connection, link: Any, left: str, right_table: Any) -> dict[int, list[str]]:
    found: dict[int, list[str]] = defaultdict(list)
    right_key = "code"
    right_id = next(c for c in link.c if c.name != left)
    for left_id, code in connection.execute(
        select(link.c[left], right_table.c[right_key])
        .join(right_table, right_table.c.id == right_id)
        .order_by(right_table.c[right_key])
    ):
        found[left_id].append(code)
    return found


def latest_entries(connection: Connection, scope: ExportScope) -> dict[int, Any]:
    """Each commitment's latest history entry within the ceiling (status, entry_date,
    narrative, evidence), so a withheld entry never shows through the status it set."""
    entry = t.status_entry
    query = (
        select(
            entry.c.commitment_id,
            entry.c.status,
            entry.c.entry_date,
            entry.c.narrative,
            entry.c.evidence,
        )
        .where(entry.c.retired_at.is_(None), _allowed(entry, scope))
        .order_by(entry.c.commitment_id, entry.c.entry_date, entry.c.id)
    )
    return {row.commitment_id: row for row in connection.execute(query)}


def current_targets(
    connection: Connection, scope: ExportScope
) -> dict[int, tuple[PartialDate, int]]:
    """Each commitment's binding target within the ceiling: (due, target id)."""
    target = t.target
    revised = select(target.c.revises_id).where(
        target.c.revises_id.is_not(None), target.c.retired_at.is_(None), _allowed(target, scope)
    )
    due: dict[int, tuple[PartialDate, int]] = {}
    for commitment_id, target_due, target_id in connection.execute(
        select(target.c.commitment_id, target.c.due, target.c.id).where(
            target.c.retired_at.is_(None), target.c.id.not_in(revised), _allowed(target, scope)
        )
    ):
        known = due.get(commitment_id)
        if known is None or target_due.latest() < known[0].latest():
            due[commitment_id] = (target_due, target_id)
    return due


def load_agency_names(connection: Connection, scope: ExportScope) -> None:
    a = t.agency
    for agency_id, code, sensitivity in connection.execute(
        select(a.c.id, a.c.code, a.c.sensitivity)
    ):
        if scope.audience.permits(sensitivity):
            scope.agencies[agency_id] = code


# -- the loaders ----------------------------------------------------------------------------


def _commitment_rows(connection: Connection, scope: ExportScope) -> list[Any]:
    c = t.commitment
    query = select(c).where(c.c.retired_at.is_(None)).order_by(c.c.ref)
    if scope.agency_id is not None:
        query = query.where(c.c.lead_agency_id == scope.agency_id)
    return _admit_rows(connection.execute(query).all(), scope)


def load_commitments(
    connection: Connection, scope: ExportScope, progress: dict[int, Any] | None = None
) -> list[Row]:
    rows = _commitment_rows(connection, scope)
    progress = progress if progress is not None else latest_entries(connection, scope)
    targets = current_targets(connection, scope)
    themes = _links(connection, t.commitment_theme, "commitment_id", t.theme)
    return [
        {
            "_uuid": r.uuid,
            "_id": r.id,
            "_sensitivity": r.sensitivity,
            "ref": r.ref,
            "title": r.title,
            "lead_agency": scope.agency(r.lead_agency_id),
            "priority": label(Priority, r.priority),
            "themes": "; ".join(themes.get(r.id, ())),
            "pledged_on": r.pledged_on,
            "target": targets[r.id][0] if r.id in targets else None,
            "status": label(CommitmentStatus, progress[r.id].status) if r.id in progress else None,
            "last_update": progress[r.id].entry_date if r.id in progress else None,
            "next_steps": r.next_steps,
            "talking_points": r.talking_points,
            "text": r.text,
            "notes": r.notes,
            "sensitivity": r.sensitivity,
            "record_id": r.uuid,
        }
        for r in rows
    ]


def load_return_commitments(connection: Connection, scope: ExportScope) -> list[Row]:
    """A return's rows: the progress columns start empty for the ministry to fill;
    the latest narrative and evidence are kept aside, so that importing the same
    return twice does not record the same progress twice."""
    latest = latest_entries(connection, scope)
    rows = load_commitments(connection, scope, latest)
    for row in rows:
        entry = latest.get(row["_id"])
        row["_narrative"] = entry.narrative if entry is not None else None
        row["_evidence"] = entry.evidence if entry is not None else None
        row["narrative"] = None
        row["evidence"] = None
        row["revised_target"] = None
    return rows


def load_history(connection: Connection, scope: ExportScope) -> list[Row]:
    e = t.status_entry
    commitments = {r.id: r.ref for r in _commitment_rows(connection, scope)}
    query = (  # only the columns shown: timestamps cost more to convert than to write
        select(
            e.c.uuid,
            e.c.sensitivity,
            e.c.commitment_id,
            e.c.entry_date,
            e.c.status,
            e.c.narrative,
            e.c.evidence,
            e.c.source_ref,
            e.c.channel,
        )
        .where(e.c.retired_at.is_(None))
        .order_by(e.c.commitment_id, e.c.entry_date, e.c.id)
    )
    rows = []
    for r in _admit_rows(connection.execute(query).all(), scope):
        ref = commitments.get(r.commitment_id)
        if ref is None:
            continue  # its commitment is retired or withheld
        rows.append(
            {
                "_uuid": r.uuid,
                "_sensitivity": r.sensitivity,
                "commitment": ref,
                "entry_date": r.entry_date,
                "status": label(CommitmentStatus, r.status),
                "narrative": r.narrative,
                "evidence": r.evidence,
                "source_ref": r.source_ref or label(Channel, r.channel),
                "sensitivity": r.sensitivity,
                "record_id": r.uuid,
            }
        )
    return rows


def load_gift_baskets(connection: Connection, scope: ExportScope) -> list[Row]:
    g, ev = t.gift_basket, t.event
    events = dict(connection.execute(select(ev.c.id, ev.c.code)).all())
    themes = _links(connection, t.gift_basket_theme, "gift_basket_id", t.theme)
    query = select(g).where(g.c.retired_at.is_(None)).order_by(g.c.code)
    return [
        {
            "_uuid": r.uuid,
            "_sensitivity": r.sensitivity,
            "code": r.code,
            "title": r.title,
            "event": events.get(r.event_id),
            "issued_on": r.issued_on,
            "infcirc": r.infcirc,
            "themes": "; ".join(themes.get(r.id, ())),
            "own_role": label(GiftBasketRole, r.own_role),
            "own_role_note": r.own_role_note,
            "sensitivity": r.sensitivity,
            "record_id": r.uuid,
        }
        for r in _admit_rows(connection.execute(query).all(), scope)
    ]


def load_signatories(connection: Connection, scope: ExportScope) -> list[Row]:
    ms, g, link = t.membership_snapshot, t.gift_basket, t.membership_snapshot_party
    baskets = {
        r.id: r.code
        for r in _admit_rows(
            connection.execute(
                select(g.c.id, g.c.code, g.c.sensitivity, g.c.uuid).where(g.c.retired_at.is_(None))
            ).all(),
            scope,
        )
    }
    members: dict[int, set[int]] = defaultdict(set)
    for snapshot_id, party_id in connection.execute(select(link.c.snapshot_id, link.c.party_id)):
        members[snapshot_id].add(party_id)
    rows = []
    for r in connection.execute(
        select(ms)
        .where(ms.c.gift_basket_id.is_not(None), ms.c.retired_at.is_(None))
        .order_by(ms.c.gift_basket_id, ms.c.snapshot_date)
    ):
        code = baskets.get(r.gift_basket_id)
        if code is None:
            continue
        listed = own_state_listed(members[r.id], r.member_count, scope.info.own_state_id)
        rows.append(
            {
                "_uuid": r.uuid,
                "_sensitivity": None,
                "gift_basket": code,
                "snapshot_date": r.snapshot_date,
                "member_count": r.member_count,
                "observer_count": r.observer_count,
                "we_are_listed": {True: "Yes", False: "No", None: "Not known"}[listed],
                "description": r.description,
                "record_id": r.uuid,
            }
        )
    return rows


def load_action_items(connection: Connection, scope: ExportScope) -> list[Row]:
    ai, g = t.action_item, t.gift_basket
    baskets = dict(connection.execute(select(g.c.id, g.c.code)).all())
    query = select(ai).where(ai.c.retired_at.is_(None)).order_by(ai.c.ref)
    if scope.agency_id is not None:
        query = query.where(ai.c.agency_id == scope.agency_id)
    return [
        {
            "_uuid": r.uuid,
            "_sensitivity": r.sensitivity,
            "ref": r.ref,
            "gift_basket": baskets.get(r.gift_basket_id),
            "title": r.title,
            "agency": scope.agency(r.agency_id),
            "due": r.due,
            "status": label(CommitmentStatus, r.status),
            "notes": r.notes,
            "sensitivity": r.sensitivity,
            "record_id": r.uuid,
        }
        for r in _admit_rows(connection.execute(query).all(), scope)
    ]


def load_milestones(connection: Connection, scope: ExportScope) -> list[Row]:
    p, ms, i = t.participation, t.milestone, t.instrument
    query = (
        select(ms, i.c.short_name, p.c.sensitivity.label("participation_sensitivity"))
        .join(p, p.c.id == ms.c.participation_id)
        .join(i, i.c.id == p.c.instrument_id)
        .where(
            p.c.party_id == scope.info.own_state_id,
            ms.c.retired_at.is_(None),
            p.c.retired_at.is_(None),
            _allowed(p, scope),
        )
        .order_by(i.c.short_name, ms.c.planned, ms.c.actual)
    )
    return [
        {
            "_uuid": r.uuid,
            "_sensitivity": r.sensitivity,
            "instrument": r.short_name,
            "kind": label(MilestoneKind, r.kind),
            "planned": r.planned,
            "actual": r.actual,
            "responsible_agency": scope.agency(r.responsible_agency_id),
            "reference": r.reference,
            "notes": r.notes,
            "sensitivity": r.sensitivity,
            "record_id": r.uuid,
        }
        for r in _admit_rows(connection.execute(query).all(), scope)
    ]


def load_reporting(connection: Connection, scope: ExportScope) -> list[Row]:
    ro, i = t.reporting_obligation, t.instrument
    query = (
        select(ro, i.c.short_name)
        .join(i, i.c.id == ro.c.instrument_id)
        .where(ro.c.retired_at.is_(None), ro.c.party_id == scope.info.own_state_id)
        .order_by(ro.c.due, ro.c.title)
    )
    return [
        {
            "_uuid": r.uuid,
            "_sensitivity": r.sensitivity,
            "instrument": r.short_name,
            "title": r.title,
            "period": r.period,
            "due": r.due,
            "submitted": r.submitted,
            "responsible_agency": scope.agency(r.responsible_agency_id),
            "notes": r.notes,
            "sensitivity": r.sensitivity,
            "record_id": r.uuid,
        }
        for r in _admit_rows(connection.execute(query).all(), scope)
    ]


def load_agencies(connection: Connection, scope: ExportScope) -> list[Row]:
    a = t.agency
    query = select(a).where(a.c.retired_at.is_(None)).order_by(a.c.code)
    return [
        {
            "_uuid": r.uuid,
            "_sensitivity": r.sensitivity,
            "code": r.code,
            "name": r.name,
            "kind": label(AgencyKind, r.kind),
            "parent": scope.agency(r.parent_id),
            "notes": r.notes,
            "sensitivity": r.sensitivity,
            "record_id": r.uuid,
        }
        for r in _admit_rows(connection.execute(query).all(), scope)
    ]


# -- the sheets --------------------------------------------------------------------------

C = ColumnSpec
K = ColumnKind
_SENSITIVITY = C(
    "sensitivity", "Sensitivity", K.CHOICE, "sensitivity", True, "sensitivity", ("marking",)
)
_REF_SYNONYMS = ("ref", "reference", "id", "commitment", "commitment id", "commitment ref", "no.")
_STATUS_SYNONYMS = ("status", "state", "progress status", "current status", "statut", "estado")

COMMITMENTS = SheetSpec(
    "Commitments",
    "Commitments",
    "commitment",
    "ref",
    (
        C("ref", "Ref", K.TEXT, synonyms=_REF_SYNONYMS, width=10),
        C(
            "title",
            "Title",
            K.TEXT,
            "title",
            True,
            synonyms=("commitment title", "subject"),
            width=48,
        ),
        C(
            "lead_agency",
            "Lead agency",
            K.CHOICE,
            "lead_agency",
            True,
            "agency",
            ("lead", "agency", "ministry"),
        ),
        C("priority", "Priority", K.CHOICE, "priority", True, "priority"),
        C("themes", "Themes", K.TEXT),
        C("pledged_on", "Pledged", K.DATE),
        C("target", "Target", K.DATE, synonyms=("deadline", "due")),
        C("status", "Status", K.CHOICE, STATUS, True, "status", _STATUS_SYNONYMS),
        C("last_update", "Last update", K.DATE),
        C("next_steps", "Next steps", K.LONG_TEXT, "next_steps", True, synonyms=("next step",)),
        C("talking_points", "Talking points", K.LONG_TEXT, "talking_points", True),
        C("text", "Verbatim text", K.LONG_TEXT, "text", True, synonyms=("text",)),
        C("notes", "Notes", K.LONG_TEXT, "notes", True),
        _SENSITIVITY,
        ID_COLUMN,
    ),
    load_commitments,
    creates=True,
)

RETURN_COMMITMENTS = SheetSpec(
    "Commitments",
    "Commitments for your update",
    "commitment",
    "ref",
    (
        C("ref", "Ref", K.TEXT, synonyms=_REF_SYNONYMS, width=10),
        C("title", "Title", K.TEXT, synonyms=("commitment title", "subject"), width=48),
        C("target", "Target", K.DATE, synonyms=("deadline", "due", "current target")),
        C(
            "status",
            "Status",
            K.CHOICE,
            STATUS,
            True,
            "status",
            _STATUS_SYNONYMS,
            "Choose the status as it stands today.",
        ),
        C(
            "narrative",
            "Progress since last update",
            K.LONG_TEXT,
            NARRATIVE,
            True,
            synonyms=(
                "progress",
                "narrative",
                "progress narrative",
                "update",
                "comments",
                "remarks",
            ),
            note="What was done, in a few sentences.",
        ),
        C(
            "evidence",
            "Evidence",
            K.LONG_TEXT,
            EVIDENCE,
            True,
            synonyms=("evidence", "source", "proof", "reference document"),
            note="A document, law or report that shows it.",
        ),
        C(
            "next_steps",
            "Next steps",
            K.LONG_TEXT,
            "next_steps",
            True,
            synonyms=("next step", "way forward"),
        ),
        C(
            "revised_target",
            "Revised target",
            K.DATE,
            REVISED_TARGET,
            True,
            synonyms=("revised deadline", "new deadline", "new target"),
            note="Only if the target date must move.",
        ),
        C("last_update", "Last update", K.DATE),
        ID_COLUMN,
    ),
    load_return_commitments,
)

HISTORY = SheetSpec(
    "History",
    "Progress history",
    "status_entry",
    "commitment",
    (
        C("commitment", "Commitment", K.TEXT, width=12),
        C("entry_date", "Date", K.DATE),
        C("status", "Status", K.CHOICE, choices="status"),
        C("narrative", "Progress", K.LONG_TEXT),
        C("evidence", "Evidence", K.LONG_TEXT),
        C("source_ref", "Came from", K.TEXT),
        C("sensitivity", "Sensitivity", K.TEXT),
        ID_COLUMN,
    ),
    load_history,
    key_unique=False,
)

GIFT_BASKETS = SheetSpec(
    "Gift baskets",
    "Gift baskets (joint statements)",
    "gift_basket",
    "code",
    (
        C("code", "Code", K.TEXT, width=14),
        C("title", "Title", K.TEXT),
        C("event", "Event", K.TEXT),
        C("issued_on", "Issued", K.DATE),
        C("infcirc", "INFCIRC", K.TEXT),
        C("themes", "Themes", K.TEXT),
        C("own_role", "Our role", K.CHOICE, "own_role", True, "role"),
        C("own_role_note", "About our role", K.LONG_TEXT, "own_role_note", True),
        _SENSITIVITY,
        ID_COLUMN,
    ),
    load_gift_baskets,
)

SIGNATORIES = SheetSpec(
    "Signatories",
    "Gift-basket signatories over time",
    "membership_snapshot",
    "gift_basket",
    (
        C("gift_basket", "Gift basket", K.TEXT),
        C("snapshot_date", "As of", K.DATE),
        C("member_count", "Signatories", K.NUMBER),
        C("observer_count", "Observers", K.NUMBER),
        C("we_are_listed", "We are listed", K.TEXT),
        C("description", "Source", K.LONG_TEXT),
        ID_COLUMN,
    ),
    load_signatories,
    key_unique=False,
)

ACTION_ITEMS = SheetSpec(
    "Action items",
    "Our action items under gift baskets",
    "action_item",
    "ref",
    (
        C("ref", "Ref", K.TEXT, width=10),
        C("gift_basket", "Gift basket", K.TEXT),
        C("title", "Title", K.TEXT, "title", True),
        C("agency", "Agency", K.CHOICE, "agency", True, "agency"),
        C("due", "Due", K.DATE, "due", True),
        C("status", "Status", K.CHOICE, "status", True, "status"),
        C("notes", "Notes", K.LONG_TEXT, "notes", True),
        _SENSITIVITY,
        ID_COLUMN,
    ),
    load_action_items,
)

PARTICIPATION = SheetSpec(
    "Participation",
    "Our participation in the instruments: milestones",
    "milestone",
    "instrument",
    (
        C("instrument", "Instrument", K.TEXT),
        C("kind", "Step", K.TEXT),
        C("planned", "Planned", K.DATE, "planned", True),
        C("actual", "Done on", K.DATE, "actual", True),
        C(
            "responsible_agency",
            "Responsible agency",
            K.CHOICE,
            "responsible_agency",
            True,
            "agency",
        ),
        C("reference", "Reference", K.TEXT, "reference", True),
        C("notes", "Notes", K.LONG_TEXT, "notes", True),
        _SENSITIVITY,
        ID_COLUMN,
    ),
    load_milestones,
    key_unique=False,
)

REPORTING = SheetSpec(
    "Reporting",
    "Reporting obligations",
    "reporting_obligation",
    "title",
    (
        C("instrument", "Instrument", K.TEXT),
        C("title", "Report", K.TEXT),
        C("period", "Period", K.TEXT),
        C("due", "Due", K.DATE, "due", True),
        C("submitted", "Submitted", K.DATE, "submitted", True),
        C(
            "responsible_agency",
            "Responsible agency",
            K.CHOICE,
            "responsible_agency",
            True,
            "agency",
        ),
        C("notes", "Notes", K.LONG_TEXT, "notes", True),
        _SENSITIVITY,
        ID_COLUMN,
    ),
    load_reporting,
    key_unique=False,
)

AGENCIES = SheetSpec(
    "Agencies",
    "Agencies",
    "agency",
    "code",
    (
        C("code", "Code", K.TEXT, "code", True, width=10),
        C("name", "Name", K.TEXT, "name", True),
        C("kind", "Kind", K.CHOICE, "kind", True, "agency_kind"),
        C("parent", "Part of", K.TEXT),
        C("notes", "Notes", K.LONG_TEXT, "notes", True),
        _SENSITIVITY,
        ID_COLUMN,
    ),
    load_agencies,
    creates=True,
)

REGISTER_SHEETS: tuple[SheetSpec, ...] = (
    COMMITMENTS,
    HISTORY,
    GIFT_BASKETS,
    SIGNATORIES,
    ACTION_ITEMS,
    PARTICIPATION,
    REPORTING,
    AGENCIES,
)
RETURN_SHEETS: tuple[SheetSpec, ...] = (RETURN_COMMITMENTS,)


def choice_lists(scope: ExportScope) -> dict[str, tuple[str, ...]]:
    """The drop-down lists, as the sheet shows them."""
    return {
        "status": tuple(s.label for s in CommitmentStatus),
        "priority": tuple(p.label for p in Priority),
        "role": tuple(r.label for r in GiftBasketRole),
        "agency_kind": tuple(k.label for k in AgencyKind),
        "agency": tuple(sorted(scope.agencies.values())),
        "sensitivity": tuple(
            code for code in scope.info.marking.codes if scope.audience.permits(code)
        ),
    }
