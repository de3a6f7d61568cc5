"""The desk's own settings: its delegation, who prepared it, the default marking
and the marking scheme's levels.

Reading gives a :class:`DeskSettingsView`. An update is one audited unit of work
and returns the values as they were before, in the form it accepts, so undo is
the same update with those values. The marking scheme only grows in ways that
keep every record's meaning: labels and descriptions may change, new levels go
above the highest, existing levels keep their order, and a level is removed only
while no record is marked with it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from types import EllipsisType
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from nsdesk.domain.enums import Channel
from nsdesk.domain.errors import DeskDamagedError, ValidationError
from nsdesk.domain.marking import MarkingLevel, MarkingScheme
from nsdesk.services.audit import Actor
from nsdesk.services.desk import Desk
from nsdesk.store import tables as t

LABEL_MAX = 80  # the width of marking_level.label


@dataclass(frozen=True, slots=True)
class DeskSettingsView:
    """The desk's settings as the Desk settings dialog shows them."""

    own_state_code: str
    own_state_name: str
    is_demo: bool
    delegation: str | None
    prepared_by: str | None
    default_sensitivity: str
    #: The marking scheme, lowest level first.
    levels: tuple[MarkingLevel, ...]

    def changes(self) -> dict[str, Any]:
        """These values as keyword arguments of :func:`update_desk_settings`:
        applying them puts the desk back as it was when they were read."""
        return {
            "delegation": self.delegation,
            "prepared_by": self.prepared_by,
            "default_sensitivity": self.default_sensitivity,
            "levels": self.levels,
        }


def read_desk_settings(desk: Desk) -> DeskSettingsView:
    """The desk's settings and marking scheme as they are now."""
    with desk.connect() as connection:
        return _read(connection)


def update_desk_settings(
    desk: Desk,
    *,
    delegation: str | EllipsisType | None = ...,
    prepared_by: str | EllipsisType | None = ...,
    default_sensitivity: str | EllipsisType = ...,
    levels: Sequence[MarkingLevel] | EllipsisType = ...,
    actor: Actor | None = None,
) -> DeskSettingsView:
    """Change the settings given (``...`` leaves one as it is) in one audited unit
    of work, and return the settings as they were before.

    Blank texts are stored as nothing. Raises :class:`ValidationError`, changing
    nothing, for a label that is empty or too long, a level code the marking scheme
    refuses, existing levels reordered, a new level placed below an existing one, a
    level removed while records use it, or a default marking that is not a level.
    """
    # lazy: the ORM's mapped classes (~50 ms) load only when the settings are saved,
    # not for the desk's first sight (which reads them with Core)
    from nsdesk.store.models import DeskSettings, MarkingLevelRow

    actor = actor or Actor.local(Channel.TYPED)
    with desk.writing(actor, note="desk settings") as session:
        before = _read(session)
        settings = session.scalars(select(DeskSettings)).one()
        wanted = before.levels if isinstance(levels, EllipsisType) else _clean_levels(levels)
        default = (
            before.default_sensitivity
            if isinstance(default_sensitivity, EllipsisType)
            else default_sensitivity.strip()
        )
        codes = [level.code for level in wanted]
        if default not in codes:
            raise ValidationError("Default marking", f"one of {', '.join(codes)}", default)
        removed = _check_scheme_change([level.code for level in before.levels], codes)
        for code in removed:
            used = _records_marked(session, code)
            if used:
                raise ValidationError(
                    f"Marking level {code}",
                    f"a level no record uses before it is removed; {_records(used)} marked {code}",
                )
        current = {row.code: row for row in session.scalars(select(MarkingLevelRow))}
        next_rank = max(row.rank for row in current.values()) + 1
        for level in wanted:
            row = current.get(level.code)
            if row is None:
                row = MarkingLevelRow(code=level.code, rank=next_rank)
                session.add(row)
                next_rank += 1
            row.label = level.label
            row.description = level.description or None
        # SQLite checks references at once: the levels must exist before the
        # default names one, and the default must leave a level before it goes.
        session.flush()
        if not isinstance(delegation, EllipsisType):
            settings.delegation = _text(delegation)
        if not isinstance(prepared_by, EllipsisType):
            settings.prepared_by = _text(prepared_by)
        settings.default_sensitivity = default
        session.flush()
        for code in removed:
            session.delete(current[code])
    return before


def _read(connection: Any) -> DeskSettingsView:
    """Read with a Core connection or an ORM session (both execute Core selects)."""
    row = connection.execute(select(t.desk_settings)).first()
    if row is None:
        raise DeskDamagedError("desk", "its settings are missing")
    state = connection.execute(
        select(t.party.c.code, t.party.c.name).where(t.party.c.id == row.own_state_id)
    ).one()
    levels = connection.execute(select(t.marking_level).order_by(t.marking_level.c.rank)).all()
    return DeskSettingsView(
        own_state_code=state.code,
        own_state_name=state.name,
        is_demo=row.is_demo,
        delegation=row.delegation,
        prepared_by=row.prepared_by,
        default_sensitivity=row.default_sensitivity,
        levels=tuple(MarkingLevel(r.code, r.label, r.description or "") for r in levels),
    )


def _records(count: int) -> str:
    return f"{count} record is" if count == 1 else f"{count} records are"


def _text(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def _clean_levels(levels: Sequence[MarkingLevel]) -> tuple[MarkingLevel, ...]:
    cleaned = []
    for level in levels:
        code, label = level.code.strip(), level.label.strip()
        if not label or len(label) > LABEL_MAX:
            raise ValidationError(
                f"Label of marking level {code}", f"a name of 1 to {LABEL_MAX} characters", label
            )
        cleaned.append(MarkingLevel(code, label, (level.description or "").strip()))
    MarkingScheme(tuple(cleaned))  # checks the codes: their form, each once, at least one
    labels = [level.label.casefold() for level in cleaned]
    if len(set(labels)) != len(labels):
        raise ValidationError("Marking levels", "a different label for each level")
    return tuple(cleaned)


def _check_scheme_change(before: list[str], after: list[str]) -> list[str]:
    """The codes removed by going from ``before`` to ``after`` (both lowest first);
    refuses a change that would alter the order of the levels that stay."""
    kept_before = [code for code in before if code in after]
    kept_after = [code for code in after if code in before]
    if kept_before != kept_after:
        raise ValidationError(
            "Marking levels",
            f"the existing levels in their order ({', '.join(kept_before)}): "
            "records are marked by rank, so a level cannot move",
        )
    added = [index for index, code in enumerate(after) if code not in before]
    if added and kept_after and min(added) < after.index(kept_after[-1]):
        raise ValidationError(
            "Marking levels",
            f"new levels above the highest existing level ({kept_after[-1]})",
            after[min(added)],
        )
    return [code for code in before if code not in after]


def _records_marked(session: Session, code: str) -> int:
    """How many records (retired ones included) are marked ``code``; the desk's
    default marking is not a record and is checked apart."""
    total = 0
    for table in t.metadata.sorted_tables:
        if table is t.desk_settings:
            continue
        for column in table.c:
            if any(fk.target_fullname == "marking_level.code" for fk in column.foreign_keys):
                total += session.execute(
                    select(func.count()).select_from(table).where(column == code)
                ).scalar_one()
    return total
