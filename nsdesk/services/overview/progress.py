"""Progress since a baseline, as the app shows it (the dashboard, the Baselines
page): which commitments moved, which are new, which were completed.

The figures are the briefing pack's own: the same selection of commitments, the
same statuses and the same comparison
(:func:`nsdesk.services.briefing.content.commitments.changes`), read through an
:class:`~nsdesk.services.audience.view.AudienceView`. The app shows the whole desk,
so its audience is the scheme's top level: a pack made at that ceiling for the
same baseline and day prints the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, select

from nsdesk.briefing import model as m
from nsdesk.domain.errors import RecordNotFoundError
from nsdesk.services.audience.ceiling import Audience
from nsdesk.services.audience.view import AudienceView
from nsdesk.services.briefing.content.commitment_facts import read_statuses
from nsdesk.services.briefing.content.commitments import changes
from nsdesk.services.desk import Desk
from nsdesk.store import tables as t


@dataclass(frozen=True, slots=True)
class BaselineChoice:
    """A live baseline the app can compare with."""

    uuid: str
    name: str
    as_of: date

    @property
    def label(self) -> str:
        """How a list of baselines names it: "As reported at The Hague 2014 (24 Mar 2014)"."""
        return f"{self.name} ({self.as_of.day} {self.as_of:%b %Y})"


@dataclass(frozen=True, slots=True)
class ProgressLine:
    """One commitment that changed since the baseline: its status then (None: new
    since) and now, and whether it was completed since."""

    ref: str
    title: str
    before: str | None
    now: str
    completed: bool

    @property
    def change(self) -> str:
        """The change in words: "In progress → Completed", "New: Ongoing"."""
        return f"New: {self.now}" if self.before is None else f"{self.before} → {self.now}"


@dataclass(frozen=True, slots=True)
class BaselineProgress:
    """What changed between a baseline and ``as_of``: the pack's Changes, and its
    lines for a list (status changes and new commitments, in ref order)."""

    baseline: BaselineChoice
    as_of: date
    changes: m.Changes

    @property
    def completed(self) -> int:
        """Completed since the baseline (new ones completed included)."""
        return len(self.changes.completed)

    @property
    def moves(self) -> int:
        """Commitments whose status changed since the baseline."""
        return len(self.changes.moves)

    @property
    def new(self) -> int:
        """Commitments not in the baseline (pledged since)."""
        return len(self.changes.new)

    def summary(self) -> str:
        """The figures in a sentence, as the pack's Changes section says them."""
        moves = "status change" if self.moves == 1 else "status changes"
        return f"{self.completed:,} completed, {self.moves:,} {moves}, {self.new:,} new"

    def lines(self) -> tuple[ProgressLine, ...]:
        """Every commitment that moved or is new, in ref order."""
        completed = {item.ref for item in self.changes.completed}
        found = [
            ProgressLine(x.ref, x.title, x.before, x.after, x.ref in completed)
            for x in self.changes.moves
        ] + [
            ProgressLine(x.ref, x.title, None, x.status, x.ref in completed)
            for x in self.changes.new
        ]
        return tuple(sorted(found, key=lambda line: (len(line.ref), line.ref)))


def baseline_choices(desk: Desk) -> tuple[BaselineChoice, ...]:
    """The desk's live baselines, the latest first."""
    with desk.connect() as connection:
        return _choices(connection)


def _choices(connection: Connection) -> tuple[BaselineChoice, ...]:
    b = t.baseline
    rows = connection.execute(
        select(b.c.uuid, b.c.name, b.c.as_of)
        .where(b.c.retired_at.is_(None))
        .order_by(b.c.as_of.desc(), b.c.id.desc())
    )
    return tuple(BaselineChoice(uuid, name, as_of) for uuid, name, as_of in rows)


def default_baseline(choices: tuple[BaselineChoice, ...], as_of: date) -> BaselineChoice | None:
    """The baseline compared with when none is chosen: the latest frozen by ``as_of``,
    as the pack takes it."""
    return next((choice for choice in choices if choice.as_of <= as_of), None)


def progress_since(desk: Desk, baseline: str, as_of: date) -> BaselineProgress:
    """What changed between ``baseline`` (its UUID or name) and ``as_of``, on the
    whole desk. Raises :class:`RecordNotFoundError` for no such live baseline."""
    info = desk.info()
    everything = Audience(info.marking, info.marking.levels[-1].code)
    wanted = baseline.strip()
    with desk.connect() as connection:
        b = t.baseline
        row = connection.execute(
            select(b.c.id, b.c.uuid, b.c.name, b.c.as_of, b.c.created_at).where(
                b.c.retired_at.is_(None), (b.c.uuid == wanted) | (b.c.name == wanted)
            )
        ).first()
        if row is None:
            raise RecordNotFoundError("baseline", wanted)
        view = AudienceView(connection, info, everything)
        found = changes(read_statuses(view, as_of), row.name, view.baseline_statuses(row))
    return BaselineProgress(BaselineChoice(row.uuid, row.name, row.as_of), as_of, found)
