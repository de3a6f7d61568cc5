"""The registers: every kind of record as a list a person can filter and sort.

Each register is declared here — the kind it lists, its columns, the filters it
offers, the loader that reads it (:mod:`nsdesk.services.records.register_loaders`)
— and :func:`load_register` reads one into rows
(:mod:`nsdesk.services.records.register_rows`), which the list filters and sorts
in memory. What the filter drop-downs offer is in
:mod:`nsdesk.services.records.choices`; which register shows a record, in
:mod:`nsdesk.services.records.locate`.

Everything here is SQLAlchemy Core and plain dataclasses: the UI receives rows,
never a session.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from nsdesk.services.desk import Desk
from nsdesk.services.records.register_loaders import (
    LoadContext,
    Loader,
    load_action_items,
    load_agencies,
    load_baselines,
    load_commitments,
    load_deadlines,
    load_documents,
    load_events,
    load_gift_baskets,
    load_instruments,
    load_parties,
    load_reporting,
    load_themes,
)
from nsdesk.services.records.register_rows import FACETS, RegisterRow


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


_MARKING = RegisterColumn("Marking", "CONFIDENTIAL")
_DATE = "31 Dec 2026"

_DEFINITIONS = (
    RegisterDefinition(
        "commitments",
        "commitment",
        "Commitments",
        COMMITMENT_COLUMNS,
        frozenset(FACETS),
        load_commitments,
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
        load_gift_baskets,
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
        load_action_items,
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
        load_instruments,
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
        load_parties,
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
        load_events,
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
        load_documents,
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
        load_deadlines,
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
        load_agencies,
    ),
    RegisterDefinition(
        "themes",
        "theme",
        "Themes",
        (
            RegisterColumn("Key", "transport_security", hidden=True),  # a key, not a label
            RegisterColumn("Theme", stretch=True),
            RegisterColumn("Order", "Order"),
        ),
        frozenset(),
        load_themes,
    ),
    RegisterDefinition(
        "reporting",
        "reporting_obligation",
        "Reporting obligations",
        (
            RegisterColumn("Obligation", stretch=True),
            RegisterColumn("Instrument", "ICSANT amendment"),
            RegisterColumn("Party", "NLD", hidden=True),  # the desk's own state, nearly always
            RegisterColumn("Period", "2024–2026"),
            RegisterColumn("Due", _DATE),
            RegisterColumn("Submitted", _DATE),
            RegisterColumn("Responsible", "MINFOR"),
            _MARKING,
        ),
        frozenset({"agency", "due_before", "sensitivity"}),
        load_reporting,
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
        load_baselines,
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
