"""What a briefing pack can be made of, and the named profiles a desk keeps.

The choices the dialog and the command line offer (events, baselines, marking
levels, saved profiles, and what to pick when the user picks nothing), and the
profiles themselves: a name, an ordered list of sections and the options (paper,
ceiling, baseline) saved in the desk, audited like any edit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select

from nsdesk.briefing.model import PAPER_SIZES, SECTION_KEYS, SECTION_TITLES
from nsdesk.domain.dates import PartialDate
from nsdesk.domain.errors import RecordNotFoundError, ValidationError
from nsdesk.services.audit import Actor
from nsdesk.services.desk import Desk
from nsdesk.services.universalization.geography import geography
from nsdesk.services.universalization.model import default_region
from nsdesk.services.universalization.overview import instrument_choices
from nsdesk.store import tables as t
from nsdesk.store.types import utcnow

PROFILE_OPTIONS = ("paper", "ceiling", "baseline", "region", "party_to", "not_party_to")
"""The options a profile may carry besides its sections (the last three: the
Universalization section's lobbying list)."""


@dataclass(frozen=True, slots=True)
class Choice:
    """One entry of a drop-down: what is stored, and what the user reads."""

    key: str
    label: str
    #: The name alone, where the label adds to it (an event's date): a file's name.
    name: str = ""


@dataclass(frozen=True, slots=True)
class BriefingProfile:
    name: str
    sections: tuple[str, ...]
    options: dict[str, Any] = field(default_factory=dict, hash=False, compare=True)


@dataclass(frozen=True, slots=True)
class BriefingChoices:
    """What the briefing dialog offers, with the defaults it starts from."""

    events: tuple[Choice, ...]  # soonest first: upcoming, then past (newest first)
    baselines: tuple[Choice, ...]  # newest first
    levels: tuple[Choice, ...]  # the marking scheme, lowest first
    profiles: tuple[BriefingProfile, ...]
    default_event: str | None
    default_baseline: str | None
    default_ceiling: str
    #: The lobbying list's choices: instruments (CPPNM, its amendment, ICSANT first)
    #: and regions (UN regional groups, then M49 areas), and the own state's group.
    instruments: tuple[Choice, ...] = ()
    regions: tuple[Choice, ...] = ()
    default_region: str | None = None


def parse_sections(text: str) -> tuple[str, ...]:
    """``"cover, summary,themes"`` as section keys, in the order given.

    Section titles are accepted too ("Executive summary"), in any case."""
    by_name = {key: key for key in SECTION_KEYS}
    by_name.update({title.casefold(): key for key, title in SECTION_TITLES.items()})
    chosen: list[str] = []
    for part in text.split(","):
        name = part.strip().casefold().replace("-", "_")
        if not name:
            continue
        key = by_name.get(name)
        if key is None:
            raise ValidationError(
                "--sections", f"section names from {', '.join(SECTION_KEYS)}", part
            )
        if key not in chosen:
            chosen.append(key)
    if not chosen:
        raise ValidationError("--sections", "at least one section", text)
    return tuple(chosen)


def check_sections(sections: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    unknown = [s for s in sections if s not in SECTION_KEYS]
    if unknown:
        raise ValidationError("Sections", f"names from {', '.join(SECTION_KEYS)}", unknown[0])
    if not sections:
        raise ValidationError("Sections", "at least one section")
    if len(set(sections)) != len(sections):
        raise ValidationError("Sections", "each section once")
    return tuple(sections)


def _event_when(start: PartialDate | None) -> date:
    return start.earliest() if start is not None else date.min


def briefing_choices(desk: Desk, as_of: date | None = None) -> BriefingChoices:
    """The events, baselines, levels and profiles to choose from, with defaults:
    the next event on or after ``as_of``, the newest baseline frozen on or before
    it, and the desk's default marking as the ceiling (nothing more sensitive
    leaves unless the user says so)."""
    day = as_of or date.today()
    e, b = t.event, t.baseline
    with desk.connect() as connection:
        events = connection.execute(
            select(e.c.code, e.c.name, e.c.start_date, e.c.sensitivity).where(
                e.c.retired_at.is_(None)
            )
        ).all()
        baselines = connection.execute(
            select(b.c.name, b.c.as_of).where(b.c.retired_at.is_(None)).order_by(b.c.as_of.desc())
        ).all()
        profiles = _profiles(connection)
    info = desk.info()
    upcoming = sorted(
        (r for r in events if _event_when(r.start_date) >= day),
        key=lambda r: _event_when(r.start_date),
    )
    past = sorted(
        (r for r in events if _event_when(r.start_date) < day),
        key=lambda r: _event_when(r.start_date),
        reverse=True,
    )
    event_choices = tuple(
        Choice(r.code, f"{r.name} ({r.start_date.display()})" if r.start_date else r.name, r.name)
        for r in (*upcoming, *past)
    )
    default_baseline = next((r.name for r in baselines if r.as_of <= day), None)
    places = geography()
    own_region = default_region(places, info.own_state_code)
    return BriefingChoices(
        events=event_choices,
        baselines=tuple(Choice(r.name, f"{r.name} ({r.as_of.isoformat()})") for r in baselines),
        levels=tuple(Choice(level.code, level.label) for level in info.marking.levels),
        profiles=profiles,
        # The next event the default audience may know of (as the pack itself picks).
        default_event=next(
            (
                r.code
                for r in upcoming
                if info.marking.allows(r.sensitivity, info.default_sensitivity)
            ),
            None,
        ),
        default_baseline=default_baseline,
        default_ceiling=info.default_sensitivity,
        instruments=tuple(Choice(c.code, c.short_name) for c in instrument_choices(desk)),
        regions=tuple(Choice(r.key, r.label) for r in places.regions),
        default_region=own_region.key if own_region else None,
    )


def _profiles(connection: Any) -> tuple[BriefingProfile, ...]:
    p = t.briefing_profile
    return tuple(
        BriefingProfile(
            row.name, tuple(s for s in row.sections if s in SECTION_KEYS), dict(row.options or {})
        )
        for row in connection.execute(
            select(p.c.name, p.c.sections, p.c.options)
            .where(p.c.retired_at.is_(None))
            .order_by(p.c.name)
        )
    )


def load_profiles(desk: Desk) -> tuple[BriefingProfile, ...]:
    with desk.connect() as connection:
        return _profiles(connection)


def find_profile(desk: Desk, name: str) -> BriefingProfile:
    for profile in load_profiles(desk):
        if profile.name.casefold() == name.strip().casefold():
            return profile
    raise RecordNotFoundError("briefing profile", name)


def save_profile(desk: Desk, profile: BriefingProfile, *, actor: Actor | None = None) -> None:
    """Create the profile, or replace the sections and options of the one with its
    name; one audited unit of work. A retired profile of that name comes back."""
    # lazy: the mapped classes (~0.1 s) load when a profile is saved, not when one is offered
    from nsdesk.store.models import BriefingProfile as ProfileRow

    name = profile.name.strip()
    if not name:
        raise ValidationError("Profile name", "a name")
    if len(name) > 200:
        raise ValidationError("Profile name", "at most 200 characters", name)
    sections = list(check_sections(profile.sections))
    options = {k: v for k, v in profile.options.items() if k in PROFILE_OPTIONS and v is not None}
    if options.get("paper") not in (None, *PAPER_SIZES):
        raise ValidationError("Paper", " or ".join(PAPER_SIZES), options["paper"])
    with desk.writing(actor or Actor.local(), note=f"briefing profile {name}") as session:
        row = session.scalars(select(ProfileRow).where(ProfileRow.name == name)).one_or_none()
        if row is None:
            session.add(ProfileRow(name=name, sections=sections, options=options or None))
            return
        row.sections = sections
        row.options = options or None
        row.retired_at = None


def retire_profile(desk: Desk, name: str, *, actor: Actor | None = None) -> None:
    """Retire the profile ``name`` (no longer offered; its row stays, audited); refuses
    a name no live profile has."""
    from nsdesk.store.models import BriefingProfile as ProfileRow  # lazy: as in save_profile

    with desk.writing(actor or Actor.local(), note=f"briefing profile {name}") as session:
        row = session.scalars(
            select(ProfileRow).where(ProfileRow.name == name, ProfileRow.retired_at.is_(None))
        ).one_or_none()
        if row is None:
            raise RecordNotFoundError("briefing profile", name)
        row.retired_at = utcnow()
