"""The registers as workbook sheets: which columns, which of them a reader may
edit, and how each sheet's rows are read from the desk.

One definition serves both directions: the export writes these columns, and the
import recognises them again by header (renamed and reordered columns included)
and applies the editable ones. Every loader reads through the audience ceiling:
a record above it is not a row, and a name that belongs to one prints as
"(withheld)".
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any

from nsdesk.domain.dates import PartialDate
from nsdesk.domain.derived import own_state_listed
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
from nsdesk.services.audience.ceiling import WITHHELD, Audience
from nsdesk.services.audience.view import AudienceView
from nsdesk.services.desk import DeskInfo

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
    """What a sheet loader reads through: the desk as the audience may see it, and
    for a return the agency whose items it carries. Loaders get no connection."""

    view: AudienceView
    agency_id: int | None = None  # a return: only this agency's items

    @property
    def info(self) -> DeskInfo:
        return self.view.info

    @property
    def audience(self) -> Audience:
        return self.view.audience

    def agency(self, agency_id: int | None) -> str | None:
        """The code a row may print for the agency it names (``(withheld)`` above
        the ceiling)."""
        return self.view.name("agency", agency_id, "code")

    @property
    def agencies(self) -> dict[int, str]:
        """The live agencies within the ceiling: id -> code (not counted: what an
        import accepts, not what an export prints)."""
        return {
            row.id: row.code for row in self.view.for_checking("agency") if row.retired_at is None
        }


Row = dict[str, Any]
Loader = Callable[[ExportScope], list[Row]]


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


def _themes(view: AudienceView, link: str, record_id: int) -> str:
    codes = sorted(view.name("theme", theme_id) or "" for theme_id in view.linked(link, record_id))
    return "; ".join(codes)


# -- the loaders ----------------------------------------------------------------------------


def _commitments(scope: ExportScope) -> Sequence[Any]:
    agency_id = scope.agency_id
    return scope.view.records(
        "commitment",
        where=None if agency_id is None else (lambda r: r.lead_agency_id == agency_id),
        key=lambda r: r.ref,
    )


def load_commitments(scope: ExportScope) -> list[Row]:
    """The Commitments sheet: status and last update from the latest entry the
    audience may see (or "Status withheld"), the binding target likewise."""
    view = scope.view
    rows = []
    for r in _commitments(scope):
        status = view.status(r.id)
        target = view.binding_target(r.id)
        rows.append(
            {
                "_uuid": r.uuid,
                "_id": r.id,
                "_sensitivity": r.sensitivity,
                "_entry": status.entry,
                "ref": r.ref,
                "title": r.title,
                "lead_agency": scope.agency(r.lead_agency_id),
                "priority": label(Priority, r.priority),
                "themes": _themes(view, "commitment_theme", r.id),
                "pledged_on": r.pledged_on,
                "target": WITHHELD if target.withheld else target.due,
                "status": status.label if status.entry is not None or status.withheld else None,
                "last_update": WITHHELD if status.withheld else status.entry_date,
                "next_steps": r.next_steps,
                "talking_points": r.talking_points,
                "text": r.text,
                "notes": r.notes,
                "sensitivity": r.sensitivity,
                "record_id": r.uuid,
            }
        )
    return rows


def load_return_commitments(scope: ExportScope) -> list[Row]:
    """A return's rows: the progress columns start empty for the ministry to fill;
    the latest narrative and evidence are kept aside, so that importing the same
    return twice does not record the same progress twice."""
    rows = load_commitments(scope)
    for row in rows:
        entry = row.pop("_entry")
        row["_narrative"] = entry.narrative if entry is not None else None
        row["_evidence"] = entry.evidence if entry is not None else None
        row["narrative"] = None
        row["evidence"] = None
        row["revised_target"] = None
    return rows


def load_history(scope: ExportScope) -> list[Row]:
    view = scope.view
    refs = {r.id: r.ref for r in _commitments(scope)}
    entries = view.records(
        "status_entry",
        where=lambda r: r.commitment_id in refs,
        key=lambda r: (r.commitment_id, r.entry_date, r.id),
    )
    return [
        {
            "_uuid": r.uuid,
            "_sensitivity": r.sensitivity,
            "commitment": refs[r.commitment_id],
            "entry_date": r.entry_date,
            "status": label(CommitmentStatus, r.status),
            "narrative": r.narrative,
            "evidence": r.evidence,
            "source_ref": r.source_ref or label(Channel, r.channel),
            "sensitivity": r.sensitivity,
            "record_id": r.uuid,
        }
        for r in entries
    ]


def load_gift_baskets(scope: ExportScope) -> list[Row]:
    view = scope.view
    return [
        {
            "_uuid": r.uuid,
            "_sensitivity": r.sensitivity,
            "code": r.code,
            "title": r.title,
            "event": view.name("event", r.event_id, "code"),
            "issued_on": r.issued_on,
            "infcirc": r.infcirc,
            "themes": _themes(view, "gift_basket_theme", r.id),
            "own_role": label(GiftBasketRole, r.own_role),
            "own_role_note": r.own_role_note,
            "sensitivity": r.sensitivity,
            "record_id": r.uuid,
        }
        for r in view.records("gift_basket", key=lambda r: r.code)
    ]


def load_signatories(scope: ExportScope) -> list[Row]:
    view = scope.view
    rows = []
    for basket in view.records("gift_basket", key=lambda r: r.code):
        snapshots = sorted(
            view.children("membership_snapshot", "gift_basket_id", basket.id),
            key=lambda s: (s.snapshot_date.sort_key() if s.snapshot_date else (0, 0, 0), s.id),
        )
        for r in snapshots:
            members = set(view.linked("membership_snapshot_party", r.id))
            listed = own_state_listed(members, r.member_count, scope.info.own_state_id)
            rows.append(
                {
                    "_uuid": r.uuid,
                    "_sensitivity": None,
                    "gift_basket": basket.code,
                    "snapshot_date": r.snapshot_date,
                    "member_count": r.member_count,
                    "observer_count": r.observer_count,
                    "we_are_listed": {True: "Yes", False: "No", None: "Not known"}[listed],
                    "description": r.description,
                    "record_id": r.uuid,
                }
            )
    return rows


def load_action_items(scope: ExportScope) -> list[Row]:
    view = scope.view
    agency_id = scope.agency_id
    items = view.records(
        "action_item",
        where=None if agency_id is None else (lambda r: r.agency_id == agency_id),
        key=lambda r: r.ref,
    )
    return [
        {
            "_uuid": r.uuid,
            "_sensitivity": r.sensitivity,
            "ref": r.ref,
            "gift_basket": view.name("gift_basket", r.gift_basket_id, "code"),
            "title": r.title,
            "agency": scope.agency(r.agency_id),
            "due": r.due,
            "status": label(CommitmentStatus, r.status),
            "notes": r.notes,
            "sensitivity": r.sensitivity,
            "record_id": r.uuid,
        }
        for r in items
    ]


def load_milestones(scope: ExportScope) -> list[Row]:
    view = scope.view
    own = {
        p.id: p
        for p in view.records(
            "participation", where=lambda p: p.party_id == scope.info.own_state_id
        )
    }
    instruments = {
        p_id: view.name("instrument", p.instrument_id, "short_name") for p_id, p in own.items()
    }
    milestones = view.records(
        "milestone",
        where=lambda m: m.participation_id in own,
        key=lambda m: (
            (instruments[m.participation_id] or "").casefold(),
            m.planned.sort_key() if m.planned else (0, 0, 0),
            m.actual.sort_key() if m.actual else (0, 0, 0),
            m.id,
        ),
    )
    return [
        {
            "_uuid": r.uuid,
            "_sensitivity": r.sensitivity,
            "instrument": instruments[r.participation_id],
            "kind": label(MilestoneKind, r.kind),
            "planned": r.planned,
            "actual": r.actual,
            "responsible_agency": scope.agency(r.responsible_agency_id),
            "reference": r.reference,
            "notes": r.notes,
            "sensitivity": r.sensitivity,
            "record_id": r.uuid,
        }
        for r in milestones
    ]


def load_reporting(scope: ExportScope) -> list[Row]:
    view = scope.view
    obligations = view.records(
        "reporting_obligation",
        where=lambda r: r.party_id == scope.info.own_state_id,
        key=lambda r: (r.due.sort_key() if r.due else (0, 0, 0), r.title, r.id),
    )
    return [
        {
            "_uuid": r.uuid,
            "_sensitivity": r.sensitivity,
            "instrument": view.name("instrument", r.instrument_id, "short_name"),
            "title": r.title,
            "period": r.period,
            "due": r.due,
            "submitted": r.submitted,
            "responsible_agency": scope.agency(r.responsible_agency_id),
            "notes": r.notes,
            "sensitivity": r.sensitivity,
            "record_id": r.uuid,
        }
        for r in obligations
    ]


def load_agencies(scope: ExportScope) -> list[Row]:
    view = scope.view
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
        for r in view.records("agency", key=lambda r: r.code)
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


def choice_list(scope: ExportScope, name: str) -> tuple[str, ...]:
    """One drop-down list, as the sheet shows it. The agency list names every live
    agency within the ceiling, so their levels count toward the marking."""
    fixed: dict[str, tuple[str, ...]] = {
        "status": tuple(s.label for s in CommitmentStatus),
        "priority": tuple(p.label for p in Priority),
        "role": tuple(r.label for r in GiftBasketRole),
        "agency_kind": tuple(k.label for k in AgencyKind),
        "sensitivity": tuple(
            code for code in scope.info.marking.codes if scope.audience.permits(code)
        ),
    }
    if name == "agency":
        return tuple(sorted(r.code for r in scope.view.records("agency")))
    return fixed[name]
