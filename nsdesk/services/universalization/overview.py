"""Who has joined an instrument, state by state, where they are, and who to lobby:
the universalization page's reads.

Every UN Member State (and any other party the desk lists under the instrument) with
its standing on a day — party, signatory only, or outside — derived from the dated
milestones by :func:`nsdesk.services.overview.party_standing.standings_on`, with its
UN regional group and M49 region and whether it took part in the summits; the
instrument's dated party counts (the depositaries' snapshots) and the number of
parties the desk lists over time. The rules that read this are in :mod:`.model`.

The lobbying list answers "which states of region R are party to X but not to Y"
(the default: CPPNM but not its amendment, in the own state's regional group). The
desk's lists of parties may be partial (the catalogue's CPPNM and amendment lists
are): :func:`~nsdesk.services.universalization.model.completeness_words` says so.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Connection, func, select

from nsdesk.domain.enums import PartyKind
from nsdesk.services.desk import Desk
from nsdesk.services.overview.party_standing import party_counts, standings_on
from nsdesk.services.universalization.geography import geography
from nsdesk.services.universalization.model import (
    DEFAULT_NOT_PARTY_TO,
    DEFAULT_PARTY_TO,
    FIRST,
    DatedCount,
    InstrumentChoice,
    Lobbying,
    StateFacts,
    Universalization,
    default_region,
    listed_over_time,
    lobbying,
    state_lines,
)
from nsdesk.store import tables as t


def instrument_choices(desk: Desk) -> tuple[InstrumentChoice, ...]:
    """The live instruments anyone but the own state takes part in, or that have
    dated counts: CPPNM, its amendment and ICSANT first, then by name."""
    with desk.connect() as connection:
        return _instrument_choices(connection, desk.info().own_state_id)


def _instrument_choices(connection: Connection, own_state_id: int) -> tuple[InstrumentChoice, ...]:
    i, p, ms = t.instrument, t.participation, t.membership_snapshot
    others = select(p.c.instrument_id).where(p.c.party_id != own_state_id, p.c.retired_at.is_(None))
    counted = select(ms.c.instrument_id).where(
        ms.c.instrument_id.is_not(None), ms.c.retired_at.is_(None)
    )
    rows = connection.execute(
        select(i.c.code, i.c.short_name, i.c.name).where(
            i.c.retired_at.is_(None), i.c.id.in_(others) | i.c.id.in_(counted)
        )
    ).all()
    choices = [InstrumentChoice(code, short_name, name) for code, short_name, name in rows]

    def order(choice: InstrumentChoice) -> tuple[int, str]:
        first = FIRST.index(choice.code) if choice.code in FIRST else len(FIRST)
        return first, choice.short_name.casefold()

    return tuple(sorted(choices, key=order))


def party_names(connection: Connection) -> dict[str, tuple[str, PartyKind]]:
    """Every live party's code → (name, kind)."""
    party = t.party
    return {
        code: (name, PartyKind(kind))
        for code, name, kind in connection.execute(
            select(party.c.code, party.c.name, party.c.kind).where(party.c.retired_at.is_(None))
        )
    }


def _own_code(connection: Connection) -> str:
    return connection.execute(
        select(t.party.c.code).join(t.desk_settings, t.desk_settings.c.own_state_id == t.party.c.id)
    ).scalar_one()


def read_universalization(connection: Connection, instrument: str, day: date) -> Universalization:
    """``instrument`` (its code, any case) on ``day`` for every state, read on
    ``connection``. Raises ``LookupError`` for an instrument the desk does not have."""
    i = t.instrument
    found = connection.execute(
        select(i.c.code, i.c.short_name, i.c.name).where(func.lower(i.c.code) == instrument.lower())
    ).first()
    if found is None:
        raise LookupError(f"no instrument {instrument!r} in this desk")
    choice = InstrumentChoice(found.code, found.short_name, found.name)
    facts = {
        s.code: StateFacts(
            s.name, s.kind, s.standing, s.since, s.undated, s.signed, s.consent, s.consented
        )
        for s in standings_on(connection, choice.code, day)
    }
    counts = tuple(
        DatedCount(
            c.snapshot_date,
            c.parties,
            c.signatories,
            c.includes_organisations,
            c.member_list_complete,
            c.description,
        )
        for c in party_counts(connection, choice.code)
    )
    own_code = _own_code(connection)
    lines = state_lines(facts, party_names(connection), own_code, geography())
    return Universalization(choice, day, lines, counts, listed_over_time(lines, day), own_code)


def load_universalization(desk: Desk, instrument: str, day: date) -> Universalization:
    """``instrument`` on ``day`` for every state (see :func:`read_universalization`)."""
    with desk.connect() as connection:
        return read_universalization(connection, instrument, day)


def load_lobbying(
    desk: Desk,
    day: date,
    party_to: str = DEFAULT_PARTY_TO,
    not_party_to: str = DEFAULT_NOT_PARTY_TO,
    region: str | None = None,
) -> Lobbying:
    """The states of ``region`` (a region key; the own state's UN regional group
    when None) party to ``party_to`` but not to ``not_party_to`` on ``day``. Raises
    ``LookupError`` for an unknown instrument or region."""
    with desk.connect() as connection:
        having = read_universalization(connection, party_to, day)
        lacking = read_universalization(connection, not_party_to, day)
    places = geography()
    chosen = places.region(region) if region else default_region(places, having.own_code)
    if region and chosen is None:
        raise LookupError(f"no region {region!r}")
    return lobbying(having, lacking, chosen)
