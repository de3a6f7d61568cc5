"""What the drop-downs offer: the filters' values, and the records a reference
field may name — each as the key the services accept and the words a person reads.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from nsdesk.domain.enums import CommitmentStatus
from nsdesk.domain.keys import has_internal_key
from nsdesk.services.desk import Desk
from nsdesk.services.records.register_rows import OPEN
from nsdesk.store import tables as t


@dataclass(frozen=True, slots=True)
class Choice:
    """One entry of a drop-down: the stored key and what the user reads."""

    key: str
    label: str


@dataclass(frozen=True, slots=True)
class EventChoice:
    """An event the "due before" filter offers: its key, name and start date."""

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
    texts = [(key, " ".join(str(label).split())[:120]) for key, label in rows]
    if key_column == "uuid":
        return tuple(Choice(key, text) for key, text in texts)
    if has_internal_key(kind):
        # An internal key (nss2014, cppnm_a) is not what a person reads: the label
        # alone, with the key only to tell two records of the same label apart.
        seen = Counter(text for _key, text in texts)
        return tuple(
            Choice(key, text if seen[text] == 1 else f"{text} ({key})") for key, text in texts
        )
    return tuple(Choice(key, f"{key} — {text}") for key, text in texts)


__all__ = ["Choice", "EventChoice", "FilterChoices", "load_filter_choices", "reference_choices"]
