"""The registers: every kind of record as a list a person can filter and sort.

A register is loaded once into read models (:class:`RegisterRow`: the cells as
the user reads them, a sort key per column, and the facets the filters ask
about) and then filtered and sorted in memory over those precomputed values.
That is what keeps a 6,000-commitment register interactive: a filter is one pass
over prepared strings (milliseconds), where a ``QSortFilterProxyModel`` calls back
into Python for every cell it compares. After an edit only the changed rows are
reloaded (``keys=``), in SQL.

Everything here is SQLAlchemy Core and plain dataclasses: the UI receives rows,
never a session.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from typing import Any

from sqlalchemy import Connection, Table, select

from nsdesk.domain.dates import PartialDate
from nsdesk.domain.enums import CLOSED_STATUSES, CommitmentStatus, DeadlineState
from nsdesk.services.desk import Desk
from nsdesk.services.overview.standings import commitment_standings
from nsdesk.store import tables as t

#: The status filter's "any open status" (not completed, superseded or withdrawn).
OPEN = "open"
_CLOSED = frozenset(s.value for s in CLOSED_STATUSES)

#: The filters a register may offer (``RegisterDefinition.facets``).
FACETS = ("status", "theme", "agency", "deadline", "due_before", "sensitivity")


@dataclass(frozen=True, slots=True)
class RegisterFilter:
    """What the user asked to see. Empty fields do not filter."""

    text: str = ""
    #: A :class:`CommitmentStatus` value, or :data:`OPEN` for any status still open.
    status: str | None = None
    #: A theme code.
    theme: str | None = None
    #: An agency code (lead or contributing).
    agency: str | None = None
    #: ``late`` or ``at_risk`` (a :class:`DeadlineState` value).
    deadline: str | None = None
    #: Only items whose due date falls on or before this day (and not already passed).
    due_before: date | None = None
    #: What the user reads for ``due_before`` (an event's name), kept for the filter bar.
    due_before_label: str = ""
    #: A level of the desk's marking scheme.
    sensitivity: str | None = None
    #: Show retired records too (marked as such).
    include_retired: bool = False

    @property
    def is_empty(self) -> bool:
        return self == RegisterFilter()


@dataclass(frozen=True, slots=True)
class RegisterColumn:
    """One column of a register: its header, how wide it normally is, and
    whether it takes the width that remains."""

    header: str
    sample: str = ""
    stretch: bool = False
    #: Hidden until the user chooses to show it (right-click on the headers).
    hidden: bool = False


@dataclass(frozen=True, slots=True)
class RegisterRow:
    """One record as a line of its register."""

    #: What :func:`nsdesk.services.records.record_service.find_record` accepts: ref, code or UUID.
    key: str
    cells: tuple[str, ...]
    sort_keys: tuple[Any, ...]
    retired: bool = False
    status: str | None = None
    themes: frozenset[str] = frozenset()
    agencies: frozenset[str] = frozenset()
    deadline: DeadlineState | None = None
    #: Why the item is late or at risk, in words (empty otherwise).
    deadline_reason: str = ""
    #: The last day the item is due (its binding target, or its due date).
    due: date | None = None
    sensitivity: str | None = None
    #: All the cells, folded, for the text filter.
    haystack: str = field(default="", repr=False)

    def matches(
        self, wanted: RegisterFilter, *, as_of: date | None = None, words: Sequence[str] = ()
    ) -> bool:
        """Whether this row passes every filter set in ``wanted``; ``words`` are the
        folded words of ``wanted.text`` (split once by :func:`filter_rows`)."""
        if self.retired and not wanted.include_retired:
            return False
        if not all(word in self.haystack for word in words):
            return False
        if wanted.status == OPEN:
            if self.status is None or self.status in _CLOSED:
                return False
        elif wanted.status and self.status != wanted.status:
            return False
        if wanted.theme and wanted.theme not in self.themes:
            return False
        if wanted.agency and wanted.agency not in self.agencies:
            return False
        if wanted.deadline and (self.deadline is None or self.deadline.value != wanted.deadline):
            return False
        if wanted.sensitivity and self.sensitivity != wanted.sensitivity:
            return False
        if wanted.due_before is not None:
            if self.due is None or self.due > wanted.due_before:
                return False
            if as_of is not None and self.due < as_of:
                return False  # already passed: that is "late", listed apart
        return True


def fold(text: str) -> str:
    """The form text is compared in by the text filter."""
    return text.casefold()


def filter_rows(
    rows: Iterable[RegisterRow], wanted: RegisterFilter, *, as_of: date | None = None
) -> list[RegisterRow]:
    """The rows that pass ``wanted``; ``wanted.text`` is matched word by word, in any case."""
    words = fold(wanted.text).split()
    return [row for row in rows if row.matches(wanted, as_of=as_of, words=words)]


# -- cells and sort keys -----------------------------------------------------------------


def cell_text(value: Any) -> str:
    """How a value reads in a list."""
    if value is None:
        return ""
    if isinstance(value, PartialDate):
        return value.display()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, Enum):
        return getattr(value, "label", str(value.value))
    if isinstance(value, int):
        return f"{value:,}"
    return " ".join(str(value).split())


def sort_key(value: Any) -> tuple[int, Any]:
    """A key that orders values of one column, empty cells last."""
    if value is None or value == "":
        return (1, 0)
    if isinstance(value, PartialDate):
        return (0, value.sort_key())
    if isinstance(value, date):
        return (0, (value.year, value.month, value.day))
    if isinstance(value, bool | int | float):
        return (0, value)
    if isinstance(value, Enum):
        return (0, fold(getattr(value, "label", str(value.value))))
    text = str(value)
    # Numbered refs order by number: C-0100 before C-10000.
    return (0, (len(text), text)) if _is_ref(text) else (0, fold(text))


def _is_ref(text: str) -> bool:
    return len(text) > 2 and text[1] == "-" and text[0].isalpha() and text[2:].isdigit()


# -- registers ------------------------------------------------------------------------

Cell = Callable[[Mapping[str, Any]], Any]
Loader = Callable[[Connection, "LoadContext", "Collection[str] | None"], list[RegisterRow]]


@dataclass(frozen=True, slots=True)
class RegisterDefinition:
    """A register: the kind it lists, its columns, its filters, how it loads."""

    name: str
    kind: str
    title: str
    columns: tuple[RegisterColumn, ...]
    facets: frozenset[str]
    loader: Loader
    #: What "New…" creates here (``None``: records are created elsewhere).
    creatable: bool = True


@dataclass
class LoadContext:
    """What loaders share: the as-of day and the keys of referenced records."""

    as_of: date
    _keys: dict[str, dict[int, str]] = field(default_factory=dict)

    def keys_of(self, connection: Connection, table: str) -> dict[int, str]:
        """id → the key a person reads (code, ref, short name) for ``table``."""
        if table not in self._keys:
            tbl = t.metadata.tables[table]
            column = _DISPLAY_KEY.get(table, "code")
            self._keys[table] = dict(connection.execute(select(tbl.c.id, tbl.c[column])).all())
        return self._keys[table]


# The column that names a referenced record in a list.
_DISPLAY_KEY = {
    "agency": "code",
    "party": "code",
    "event": "name",
    "document": "title",
    "instrument": "short_name",
    "gift_basket": "title",
    "commitment": "ref",
    "theme": "label",
}


def _row(
    key: str,
    values: tuple[Any, ...],
    *,
    retired: bool = False,
    **facets: Any,
) -> RegisterRow:
    cells = tuple(cell_text(v) for v in values)
    return RegisterRow(
        key=key,
        cells=cells,
        sort_keys=tuple(sort_key(v) for v in values),
        retired=retired,
        haystack=fold("\n".join(cells)),
        **facets,
    )


def _links(connection: Connection, link: Table, left: str, right_table: str, ctx: LoadContext):
    """left id → set of the right records' keys, for a many-to-many link table."""
    right = f"{right_table}_id"
    names = ctx.keys_of(connection, right_table)
    if right_table == "theme":  # filters ask by theme code, not label
        names = dict(connection.execute(select(t.theme.c.id, t.theme.c.code)).all())
    found: dict[int, set[str]] = defaultdict(set)
    for left_id, right_id in connection.execute(select(link.c[left], link.c[right])):
        found[left_id].add(names.get(right_id, ""))
    return found


def _where_keys(table: Table, key_column: str, keys: Collection[str] | None):
    if keys is None:
        return None
    return table.c[key_column].in_(list(keys)) | table.c.uuid.in_(list(keys))


def _select(table: Table, key_column: str, keys: Collection[str] | None):
    query = select(table).order_by(table.c.id)
    condition = _where_keys(table, key_column, keys)
    return query if condition is None else query.where(condition)


# -- commitments ------------------------------------------------------------------------

COMMITMENT_COLUMNS = (
    RegisterColumn("Id", "C-00000"),
    RegisterColumn("Commitment", stretch=True),
    RegisterColumn("Status", "Partially completed"),
    RegisterColumn("Lead", "Lead"),
    RegisterColumn("Target", "31 Dec 2026"),
    RegisterColumn("Deadline", "Late (999 days)"),
    RegisterColumn("Last update", "2026-12-31", hidden=True),
    RegisterColumn("Marking", "CONFIDENTIAL", hidden=True),
)


def deadline_text(state: DeadlineState | None, days_overdue: int = 0) -> str:
    if state is DeadlineState.LATE:
        return f"Late ({days_overdue:,} days)"
    return {
        DeadlineState.AT_RISK: "At risk",
        DeadlineState.ON_TRACK: "On track",
        DeadlineState.CLOSED: "Closed",
    }.get(state, "")  # type: ignore[arg-type]


_DEADLINE_ORDER = {
    DeadlineState.LATE: 0,
    DeadlineState.AT_RISK: 1,
    DeadlineState.ON_TRACK: 2,
    DeadlineState.NO_TARGET: 3,
    DeadlineState.CLOSED: 4,
}


# Looked up once: an enum's label is a property, and 6,000 rows ask for it.
_STATUS_LABELS = {s: s.label for s in CommitmentStatus}


def _load_commitments(
    connection: Connection, ctx: LoadContext, keys: Collection[str] | None
) -> list[RegisterRow]:
    agencies = ctx.keys_of(connection, "agency")
    themes = _links(connection, t.commitment_theme, "commitment_id", "theme", ctx)
    helpers = _links(connection, t.commitment_agency, "commitment_id", "agency", ctx)
    rows = []
    for row in commitment_standings(
        connection, ctx.as_of, where=_where_keys(t.commitment, "ref", keys)
    ):
        status, target, assessment = row.status, row.target, row.assessment
        label = _STATUS_LABELS[status]
        lead = agencies.get(row.lead_agency_id)
        cells = (
            row.ref,
            row.title,
            label,
            lead or "",
            target.display() if target else "",
            deadline_text(assessment.state, assessment.days_overdue),
            row.last_progress.isoformat() if row.last_progress else "",
            row.sensitivity,
        )
        sort_keys = (
            (len(row.ref), row.ref),
            fold(row.title),
            fold(label),
            sort_key(lead),
            sort_key(target),
            (_DEADLINE_ORDER[assessment.state], -assessment.days_overdue),
            sort_key(row.last_progress),
            fold(row.sensitivity),
        )
        rows.append(
            RegisterRow(
                key=row.ref,
                cells=cells,
                sort_keys=sort_keys,
                retired=row.retired,
                status=status.value,
                themes=frozenset(themes.get(row.id, ())),
                agencies=frozenset({lead} if lead else set()) | helpers.get(row.id, set()),
                deadline=assessment.state,
                deadline_reason=assessment.reason,
                due=target.latest() if target else None,
                sensitivity=row.sensitivity,
                haystack=fold("\n".join(cells)),
            )
        )
    return rows


# -- the other kinds ----------------------------------------------------------------------


def _simple_loader(
    table_name: str,
    key_column: str,
    cells: Callable[[Mapping[str, Any], LoadContext, Connection], tuple[Any, ...]],
    facets: Callable[[Mapping[str, Any], LoadContext, Connection], dict[str, Any]] | None = None,
) -> Loader:
    """A loader that reads ``table_name`` and turns each row into cells (and facets)."""

    def load(
        connection: Connection, ctx: LoadContext, keys: Collection[str] | None
    ) -> list[RegisterRow]:
        table = t.metadata.tables[table_name]
        out = []
        for row in connection.execute(_select(table, key_column, keys)).mappings():
            extra = facets(row, ctx, connection) if facets else {}
            if "sensitivity" in table.c and "sensitivity" not in extra:
                extra["sensitivity"] = row["sensitivity"]
            retired = row.get("retired_at") is not None
            out.append(
                _row(str(row[key_column]), cells(row, ctx, connection), retired=retired, **extra)
            )
        return out

    return load


def _ref(table: str, column: str) -> Callable[[Mapping[str, Any], LoadContext, Connection], Any]:
    def get(row: Mapping[str, Any], ctx: LoadContext, connection: Connection) -> Any:
        return ctx.keys_of(connection, table).get(row[column])

    return get


def _due_facets(column: str, agency_column: str | None = None):
    def facets(row: Mapping[str, Any], ctx: LoadContext, connection: Connection) -> dict[str, Any]:
        due: PartialDate | None = row[column]
        found: dict[str, Any] = {"due": due.latest() if due else None}
        if agency_column:
            agency = ctx.keys_of(connection, "agency").get(row[agency_column])
            found["agencies"] = frozenset({agency} if agency else ())
        return found

    return facets


def _gift_basket_cells(row: Mapping[str, Any], ctx: LoadContext, connection: Connection):
    return (
        row["code"],
        row["title"],
        ctx.keys_of(connection, "event").get(row["event_id"]),
        row["issued_on"],
        row["infcirc"],
        row["own_role"],
        row["sensitivity"],
    )


def _gift_basket_facets(row: Mapping[str, Any], ctx: LoadContext, connection: Connection):
    themes = ctx.__dict__.setdefault("_basket_themes", None)
    if themes is None:
        themes = _links(connection, t.gift_basket_theme, "gift_basket_id", "theme", ctx)
        ctx.__dict__["_basket_themes"] = themes
    return {"themes": frozenset(themes.get(row["id"], ()))}


def _instrument_cells(row: Mapping[str, Any], ctx: LoadContext, connection: Connection):
    return (
        row["short_name"],
        row["name"],
        row["kind"],
        row["mechanism"],
        row["entered_into_force"],
        row["sensitivity"],
    )


def _event_cells(row: Mapping[str, Any], ctx: LoadContext, connection: Connection):
    return (
        row["name"],
        row["kind"],
        row["start_date"],
        row["city"],
        ctx.keys_of(connection, "party").get(row["host_party_id"]),
        row["sensitivity"],
    )


def _document_cells(row: Mapping[str, Any], ctx: LoadContext, connection: Connection):
    return (
        row["title"],
        row["kind"],
        row["citation"],
        row["issued_on"],
        ctx.keys_of(connection, "event").get(row["event_id"]),
        row["sensitivity"],
    )


def _deadline_cells(row: Mapping[str, Any], ctx: LoadContext, connection: Connection):
    return (
        row["description"],
        row["due"],
        ctx.keys_of(connection, "event").get(row["event_id"]),
        ctx.keys_of(connection, "instrument").get(row["instrument_id"]),
        row["sensitivity"],
    )


def _agency_cells(row: Mapping[str, Any], ctx: LoadContext, connection: Connection):
    return (
        row["code"],
        row["name"],
        row["kind"],
        ctx.keys_of(connection, "agency").get(row["parent_id"]),
        row["sensitivity"],
    )


def _agency_facets(row: Mapping[str, Any], ctx: LoadContext, connection: Connection):
    return {"agencies": frozenset({row["code"]})}


def _reporting_cells(row: Mapping[str, Any], ctx: LoadContext, connection: Connection):
    return (
        row["title"],
        ctx.keys_of(connection, "instrument").get(row["instrument_id"]),
        ctx.keys_of(connection, "party").get(row["party_id"]),
        row["period"],
        row["due"],
        row["submitted"],
        ctx.keys_of(connection, "agency").get(row["responsible_agency_id"]),
        row["sensitivity"],
    )


def _action_item_cells(row: Mapping[str, Any], ctx: LoadContext, connection: Connection):
    return (
        row["ref"],
        row["title"],
        ctx.keys_of(connection, "gift_basket").get(row["gift_basket_id"]),
        ctx.keys_of(connection, "agency").get(row["agency_id"]),
        row["due"],
        row["status"],
        row["sensitivity"],
    )


def _action_item_facets(row: Mapping[str, Any], ctx: LoadContext, connection: Connection):
    found = _due_facets("due", "agency_id")(row, ctx, connection)
    status = row["status"]
    found["status"] = status.value if status is not None else None
    return found


_MARKING = RegisterColumn("Marking", "CONFIDENTIAL")
_DATE = "31 Dec 2026"

_DEFINITIONS = (
    RegisterDefinition(
        "commitments",
        "commitment",
        "Commitments",
        COMMITMENT_COLUMNS,
        frozenset(FACETS),
        _load_commitments,
    ),
    RegisterDefinition(
        "gift_baskets",
        "gift_basket",
        "Gift baskets",
        (
            RegisterColumn("Key", "gb_2016_nscg", hidden=True),
            RegisterColumn("Joint statement", stretch=True),
            RegisterColumn("Summit", "2016 Nuclear Security"),
            RegisterColumn("Issued", _DATE),
            RegisterColumn("INFCIRC", "INFCIRC/999"),
            RegisterColumn("Our role", "Co-sponsor"),
            _MARKING,
        ),
        frozenset({"theme", "sensitivity"}),
        _simple_loader("gift_basket", "code", _gift_basket_cells, _gift_basket_facets),
    ),
    RegisterDefinition(
        "action_items",
        "action_item",
        "Action items",
        (
            RegisterColumn("Id", "A-00000"),
            RegisterColumn("Action item", stretch=True),
            RegisterColumn("Gift basket", "Insider threat mitigation"),
            RegisterColumn("Agency", "MINFOR"),
            RegisterColumn("Due", _DATE),
            RegisterColumn("Status", "Partially completed"),
            _MARKING,
        ),
        frozenset({"status", "agency", "due_before", "sensitivity"}),
        _simple_loader("action_item", "ref", _action_item_cells, _action_item_facets),
    ),
    RegisterDefinition(
        "instruments",
        "instrument",
        "Instruments",
        (
            RegisterColumn("Short name", "UNSCR 1540 ·"),
            RegisterColumn("Instrument", stretch=True),
            RegisterColumn("Kind", "Security Council resolution"),
            RegisterColumn("Joining", "Political commitment", hidden=True),
            RegisterColumn("In force", _DATE),
            _MARKING,
        ),
        frozenset({"sensitivity"}),
        _simple_loader("instrument", "code", _instrument_cells),
    ),
    RegisterDefinition(
        "parties",
        "party",
        "Parties",
        (
            RegisterColumn("Code", "INTERPOL"),
            RegisterColumn("Name", stretch=True),
            RegisterColumn("Kind", "International organisation"),
        ),
        frozenset(),
        _simple_loader("party", "code", lambda r, c, x: (r["code"], r["name"], r["kind"])),
    ),
    RegisterDefinition(
        "events",
        "event",
        "Events",
        (
            RegisterColumn("Event", stretch=True),
            RegisterColumn("Kind", "Ministerial conference"),
            RegisterColumn("Starts", _DATE),
            RegisterColumn("City", "Washington, D.C."),
            RegisterColumn("Host", "INTERPOL"),
            _MARKING,
        ),
        frozenset({"sensitivity"}),
        _simple_loader("event", "code", _event_cells),
    ),
    RegisterDefinition(
        "documents",
        "document",
        "Documents",
        (
            RegisterColumn("Document", stretch=True),
            RegisterColumn("Kind", "National progress report"),
            RegisterColumn("Citation", "INFCIRC/9999"),
            RegisterColumn("Issued", _DATE),
            RegisterColumn("Event", "Washington Summit 2016"),
            _MARKING,
        ),
        frozenset({"sensitivity"}),
        _simple_loader("document", "uuid", _document_cells),
    ),
    RegisterDefinition(
        "deadlines",
        "deadline",
        "Deadlines",
        (
            RegisterColumn("Deadline", stretch=True),
            RegisterColumn("Due", _DATE),
            RegisterColumn("Set at", "Washington Summit 2016"),
            RegisterColumn("Instrument", "ICSANT amendment"),
            _MARKING,
        ),
        frozenset({"due_before", "sensitivity"}),
        _simple_loader("deadline", "uuid", _deadline_cells, _due_facets("due")),
    ),
    RegisterDefinition(
        "agencies",
        "agency",
        "Agencies",
        (
            RegisterColumn("Code", "MINFOR"),
            RegisterColumn("Agency", stretch=True),
            RegisterColumn("Kind", "Permanent mission"),
            RegisterColumn("Part of", "MINFOR"),
            _MARKING,
        ),
        frozenset({"sensitivity"}),
        _simple_loader("agency", "code", _agency_cells, _agency_facets),
    ),
    RegisterDefinition(
        "themes",
        "theme",
        "Themes",
        (
            RegisterColumn("Key", "transport_security"),
            RegisterColumn("Theme", stretch=True),
            RegisterColumn("Order", "Order"),
        ),
        frozenset(),
        _simple_loader("theme", "code", lambda r, c, x: (r["code"], r["label"], r["sort_order"])),
    ),
    RegisterDefinition(
        "reporting",
        "reporting_obligation",
        "Reporting obligations",
        (
            RegisterColumn("Obligation", stretch=True),
            RegisterColumn("Instrument", "ICSANT amendment"),
            RegisterColumn("Party", "NLD"),
            RegisterColumn("Period", "2024–2026"),
            RegisterColumn("Due", _DATE),
            RegisterColumn("Submitted", _DATE),
            RegisterColumn("Responsible", "MINFOR"),
            _MARKING,
        ),
        frozenset({"agency", "due_before", "sensitivity"}),
        _simple_loader(
            "reporting_obligation",
            "uuid",
            _reporting_cells,
            _due_facets("due", "responsible_agency_id"),
        ),
    ),
    RegisterDefinition(
        "baselines",
        "baseline",
        "Baselines",
        (
            RegisterColumn("Baseline", stretch=True),
            RegisterColumn("As of", "2026-12-31"),
            RegisterColumn("For event", "Washington Summit 2016"),
        ),
        frozenset(),
        _simple_loader(
            "baseline",
            "name",
            lambda r, c, x: (r["name"], r["as_of"], c.keys_of(x, "event").get(r["event_id"])),
        ),
    ),
)

REGISTERS: dict[str, RegisterDefinition] = {d.name: d for d in _DEFINITIONS}


def register(name: str) -> RegisterDefinition:
    """The register called ``name`` (``commitments``, ``gift_baskets``…)."""
    return REGISTERS[name]


def load_register(
    desk: Desk,
    name: str,
    *,
    as_of: date | None = None,
    keys: Collection[str] | None = None,
) -> list[RegisterRow]:
    """The rows of register ``name`` on ``as_of`` (today by default), retired ones
    included (the filter hides them); with ``keys``, only those records."""
    definition = REGISTERS[name]
    ctx = LoadContext(as_of or date.today())
    with desk.connect() as connection:
        return definition.loader(connection, ctx, keys)


# -- what the filters offer -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Choice:
    """One entry of a drop-down: the stored key and what the user reads."""

    key: str
    label: str


@dataclass(frozen=True, slots=True)
class EventChoice:
    key: str
    label: str
    starts: date | None


@dataclass(frozen=True, slots=True)
class FilterChoices:
    """What the filter drop-downs list."""

    statuses: tuple[Choice, ...]
    themes: tuple[Choice, ...]
    agencies: tuple[Choice, ...]
    sensitivities: tuple[Choice, ...]
    #: Events with a start date, soonest first: "due before the event".
    events: tuple[EventChoice, ...]


def load_filter_choices(desk: Desk) -> FilterChoices:
    """The values the filters can take on this desk."""
    info = desk.info()
    with desk.connect() as connection:
        themes = connection.execute(
            select(t.theme.c.code, t.theme.c.label)
            .where(t.theme.c.retired_at.is_(None))
            .order_by(t.theme.c.sort_order, t.theme.c.label)
        ).all()
        agencies = connection.execute(
            select(t.agency.c.code, t.agency.c.name)
            .where(t.agency.c.retired_at.is_(None))
            .order_by(t.agency.c.code)
        ).all()
        events = connection.execute(
            select(t.event.c.code, t.event.c.name, t.event.c.start_date).where(
                t.event.c.retired_at.is_(None), t.event.c.start_date.is_not(None)
            )
        ).all()
    ordered = sorted(events, key=lambda e: e.start_date.sort_key())
    return FilterChoices(
        statuses=(
            Choice(OPEN, "Open (any)"),
            *(Choice(s.value, s.label) for s in CommitmentStatus),
        ),
        themes=tuple(Choice(code, label) for code, label in themes),
        agencies=tuple(Choice(code, f"{code} — {name}") for code, name in agencies),
        sensitivities=tuple(Choice(level.code, level.label) for level in info.marking.levels),
        events=tuple(
            EventChoice(code, f"{name} ({start.display()})", start.earliest())
            for code, name, start in ordered
        ),
    )


# -- what a reference field can point to --------------------------------------------------

# For each kind a reference may name: the key column the services accept and the
# column a person recognises it by.
_REFERENCE_LABELS: dict[str, tuple[str, str]] = {
    "agency": ("code", "name"),
    "party": ("code", "name"),
    "event": ("code", "name"),
    "document": ("uuid", "title"),
    "instrument": ("code", "short_name"),
    "gift_basket": ("code", "title"),
    "theme": ("code", "label"),
    "commitment": ("ref", "title"),
    "deadline": ("uuid", "description"),
    "target": ("uuid", "description"),
    "participation": ("uuid", "uuid"),
}


def reference_choices(desk: Desk, kind: str) -> tuple[Choice, ...]:
    """The live records of ``kind`` a reference field may name, as (key, what a person
    reads); keys are what the services accept. Keyless kinds are named by their text."""
    key_column, label_column = _REFERENCE_LABELS.get(kind, ("uuid", "uuid"))
    table = t.metadata.tables[kind]
    query = select(table.c[key_column], table.c[label_column])
    if "retired_at" in table.c:
        query = query.where(table.c.retired_at.is_(None))
    with desk.connect() as connection:
        rows = connection.execute(query.order_by(table.c[label_column])).all()
    if key_column == "uuid":
        return tuple(Choice(key, " ".join(str(label).split())[:120]) for key, label in rows)
    return tuple(
        Choice(key, f"{key} — {' '.join(str(label).split())[:120]}") for key, label in rows
    )


# -- where a record is shown ----------------------------------------------------------------

# A part of another record is shown with its owner: (owner kind, the column naming it).
_SHOWN_WITH: dict[str, tuple[str, str]] = {
    "status_entry": ("commitment", "commitment_id"),
    "target": ("commitment", "commitment_id"),
    "agency_contact": ("agency", "agency_id"),
    "participation": ("instrument", "instrument_id"),
    "membership_snapshot": ("gift_basket", "gift_basket_id"),
}
_REGISTER_OF_KIND = {d.kind: d.name for d in _DEFINITIONS}


def locate(desk: Desk, kind: str, key: str) -> tuple[str, str] | None:
    """The register that shows record ``key`` (its key or UUID) of ``kind``, and the
    key that register selects; a part of a record (a progress entry, a milestone)
    is shown with its owner. None when no register shows it."""
    with desk.connect() as connection:
        if kind == "milestone":
            m = t.milestone
            participation = connection.execute(
                select(m.c.participation_id).where(m.c.uuid == key)
            ).scalar()
            if participation is None:
                return None
            kind, key = (
                "participation",
                connection.execute(
                    select(t.participation.c.uuid).where(t.participation.c.id == participation)
                ).scalar_one(),
            )
        if kind in _SHOWN_WITH:
            owner, column = _SHOWN_WITH[kind]
            table = t.metadata.tables[kind]
            owner_id = connection.execute(
                select(table.c[column]).where(table.c.uuid == key)
            ).scalar()
            if owner_id is None:
                return None
            owner_table = t.metadata.tables[owner]
            kind, key = (
                owner,
                connection.execute(
                    select(owner_table.c.uuid).where(owner_table.c.id == owner_id)
                ).scalar_one(),
            )
        name = _REGISTER_OF_KIND.get(kind)
        if name is None:
            return None
        definition = REGISTERS[name]
        rows = definition.loader(connection, LoadContext(date.today()), [key])
    return (name, rows[0].key) if rows else None
