"""Reading a register's rows from the desk: one loader per kind of record.

Each loader reads its table (and the keys of the records it names) in SQLAlchemy
Core and turns every row into a :class:`~nsdesk.services.records.register_rows.RegisterRow`:
the cells as the user reads them, their sort keys, the facets the filters ask
about. After an edit only the changed rows are reloaded (``keys``), in SQL.
The commitments' loader reads their standing (status, binding target,
deadline) from :mod:`nsdesk.services.overview.standings`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Connection, RowMapping, Table, select

from nsdesk.domain.dates import PartialDate
from nsdesk.domain.enums import CommitmentStatus, DeadlineState
from nsdesk.services.overview.standings import commitment_standings
from nsdesk.services.records.register_rows import RegisterRow, cell_text, fold, sort_key
from nsdesk.store import tables as t

Loader = Callable[[Connection, "LoadContext", "Collection[str] | None"], list[RegisterRow]]
"""Reads a register's rows: all of them, or with keys (refs, codes, UUIDs) only those."""


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
    uuid: str = "",
    retired: bool = False,
    **facets: Any,
) -> RegisterRow:
    cells = tuple(cell_text(v) for v in values)
    return RegisterRow(
        key=key,
        uuid=uuid,
        cells=cells,
        sort_keys=tuple(sort_key(v) for v in values),
        retired=retired,
        haystack=fold("\n".join(cells)),
        **facets,
    )


def _links(
    connection: Connection,
    link: Table,
    left: str,
    right_table: str,
    ctx: LoadContext,
    left_ids: Collection[int] | None = None,
):
    """left id → set of the right records' keys, for a many-to-many link table (only
    for ``left_ids`` when given: a few rows read again)."""
    right = f"{right_table}_id"
    names = ctx.keys_of(connection, right_table)
    if right_table == "theme":  # filters ask by theme code, not label
        names = dict(connection.execute(select(t.theme.c.id, t.theme.c.code)).all())
    query = select(link.c[left], link.c[right])
    if left_ids is not None:
        query = query.where(link.c[left].in_(sorted(left_ids)))
    found: dict[int, set[str]] = defaultdict(set)
    for left_id, right_id in connection.execute(query):
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


def deadline_text(state: DeadlineState | None, days_overdue: int = 0) -> str:
    """A deadline's state as the Deadline column reads it: "Late (12 days)", "At risk"…"""
    if state is DeadlineState.LATE:
        return f"Late ({days_overdue:,} days)"
    return _DEADLINE_WORDS.get(state, "") if state is not None else ""


_DEADLINE_WORDS = {
    DeadlineState.AT_RISK: "At risk",
    DeadlineState.ON_TRACK: "On track",
    DeadlineState.CLOSED: "Closed",
}


_DEADLINE_ORDER = {
    DeadlineState.LATE: 0,
    DeadlineState.AT_RISK: 1,
    DeadlineState.ON_TRACK: 2,
    DeadlineState.NO_TARGET: 3,
    DeadlineState.CLOSED: 4,
}


# Looked up once: an enum's label is a property, and 6,000 rows ask for it.
_STATUS_LABELS = {s: s.label for s in CommitmentStatus}


def load_commitments(
    connection: Connection, ctx: LoadContext, keys: Collection[str] | None
) -> list[RegisterRow]:
    """The Commitments register: each commitment with its status, lead agency,
    binding target and deadline state on ``ctx.as_of``."""
    agencies = ctx.keys_of(connection, "agency")
    standings = commitment_standings(
        connection, ctx.as_of, where=_where_keys(t.commitment, "ref", keys)
    )
    ids = [row.id for row in standings] if keys is not None else None
    themes = _links(connection, t.commitment_theme, "commitment_id", "theme", ctx, ids)
    helpers = _links(connection, t.commitment_agency, "commitment_id", "agency", ctx, ids)
    rows = []
    for row in standings:
        status, target, assessment = row.status, row.target, row.assessment
        label = _STATUS_LABELS[status]
        lead = agencies.get(row.lead_agency_id) if row.lead_agency_id is not None else None
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
                uuid=row.uuid,
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


def simple_loader(
    table_name: str,
    key_column: str,
    cells: Callable[[RowMapping, LoadContext, Connection], tuple[Any, ...]],
    facets: Callable[[RowMapping, LoadContext, Connection], dict[str, Any]] | None = None,
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
                _row(
                    str(row[key_column]),
                    cells(row, ctx, connection),
                    uuid=row["uuid"],
                    retired=retired,
                    **extra,
                )
            )
        return out

    return load


def _due_facets(column: str, agency_column: str | None = None):
    def facets(row: RowMapping, ctx: LoadContext, connection: Connection) -> dict[str, Any]:
        due: PartialDate | None = row[column]
        found: dict[str, Any] = {"due": due.latest() if due else None}
        if agency_column:
            agency = ctx.keys_of(connection, "agency").get(row[agency_column])
            found["agencies"] = frozenset({agency} if agency else ())
        return found

    return facets


def _gift_basket_cells(row: RowMapping, ctx: LoadContext, connection: Connection):
    return (
        row["code"],
        row["title"],
        ctx.keys_of(connection, "event").get(row["event_id"]),
        row["issued_on"],
        row["infcirc"],
        row["own_role"],
        row["sensitivity"],
    )


def _gift_basket_facets(row: RowMapping, ctx: LoadContext, connection: Connection):
    themes = ctx.__dict__.setdefault("_basket_themes", None)
    if themes is None:
        themes = _links(connection, t.gift_basket_theme, "gift_basket_id", "theme", ctx)
        ctx.__dict__["_basket_themes"] = themes
    return {"themes": frozenset(themes.get(row["id"], ()))}


def _instrument_cells(row: RowMapping, ctx: LoadContext, connection: Connection):
    return (
        row["short_name"],
        row["name"],
        row["kind"],
        row["mechanism"],
        row["entered_into_force"],
        row["sensitivity"],
    )


def _event_cells(row: RowMapping, ctx: LoadContext, connection: Connection):
    return (
        row["name"],
        row["kind"],
        row["start_date"],
        row["city"],
        ctx.keys_of(connection, "party").get(row["host_party_id"]),
        row["sensitivity"],
    )


def _document_cells(row: RowMapping, ctx: LoadContext, connection: Connection):
    return (
        row["title"],
        row["kind"],
        row["citation"],
        row["issued_on"],
        ctx.keys_of(connection, "event").get(row["event_id"]),
        row["sensitivity"],
    )


def _deadline_cells(row: RowMapping, ctx: LoadContext, connection: Connection):
    return (
        row["description"],
        row["due"],
        ctx.keys_of(connection, "event").get(row["event_id"]),
        ctx.keys_of(connection, "instrument").get(row["instrument_id"]),
        row["sensitivity"],
    )


def _agency_cells(row: RowMapping, ctx: LoadContext, connection: Connection):
    return (
        row["code"],
        row["name"],
        row["kind"],
        ctx.keys_of(connection, "agency").get(row["parent_id"]),
        row["sensitivity"],
    )


def _agency_facets(row: RowMapping, ctx: LoadContext, connection: Connection):
    return {"agencies": frozenset({row["code"]})}


def _reporting_cells(row: RowMapping, ctx: LoadContext, connection: Connection):
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


def _action_item_cells(row: RowMapping, ctx: LoadContext, connection: Connection):
    return (
        row["ref"],
        row["title"],
        ctx.keys_of(connection, "gift_basket").get(row["gift_basket_id"]),
        ctx.keys_of(connection, "agency").get(row["agency_id"]),
        row["due"],
        row["status"],
        row["sensitivity"],
    )


def _action_item_facets(row: RowMapping, ctx: LoadContext, connection: Connection):
    found = _due_facets("due", "agency_id")(row, ctx, connection)
    status = row["status"]
    found["status"] = status.value if status is not None else None
    return found


def _party_cells(row: RowMapping, ctx: LoadContext, connection: Connection):
    return (row["code"], row["name"], row["kind"])


def _theme_cells(row: RowMapping, ctx: LoadContext, connection: Connection):
    return (row["code"], row["label"], row["sort_order"])


def _baseline_cells(row: RowMapping, ctx: LoadContext, connection: Connection):
    return (row["name"], row["as_of"], ctx.keys_of(connection, "event").get(row["event_id"]))


# -- one loader per register (each cells tuple follows its register's columns) -----------

load_gift_baskets = simple_loader("gift_basket", "code", _gift_basket_cells, _gift_basket_facets)
load_action_items = simple_loader("action_item", "ref", _action_item_cells, _action_item_facets)
load_instruments = simple_loader("instrument", "code", _instrument_cells)
load_parties = simple_loader("party", "code", _party_cells)
load_events = simple_loader("event", "code", _event_cells)
load_documents = simple_loader("document", "uuid", _document_cells)
load_deadlines = simple_loader("deadline", "uuid", _deadline_cells, _due_facets("due"))
load_agencies = simple_loader("agency", "code", _agency_cells, _agency_facets)
load_themes = simple_loader("theme", "code", _theme_cells)
load_reporting = simple_loader(
    "reporting_obligation", "uuid", _reporting_cells, _due_facets("due", "responsible_agency_id")
)
load_baselines = simple_loader("baseline", "name", _baseline_cells)
