"""Who else has joined the instruments, for the pack's Universalization section,
read through the audience view.

Every state's standing under each instrument on the pack's date comes from
:meth:`~nsdesk.services.audience.view.AudienceView.standings`: the catalogue's
facts are public, but a participation (or a step of it) the user marked higher is
left out above the ceiling, and a standing it decides reads "withheld", never the
standing the admitted records alone would give; such states are not counted. The
dated counts (membership snapshots) carry no marking. The rules that read the
standings — tallies, the lobbying list, how partial a list is — are the window's
(:mod:`nsdesk.services.universalization.model`), so the pack and the page agree.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date
from typing import Any

from nsdesk.briefing import model as m
from nsdesk.domain.dates import PartialDate
from nsdesk.domain.enums import CONSENT_TO_BE_BOUND, MilestoneKind, PartyKind, Standing
from nsdesk.services.audience.view import AudienceView
from nsdesk.services.briefing.content.names import display_date
from nsdesk.services.briefing.content.participation import _citation_titles
from nsdesk.services.universalization.geography import Geography, geography, world_map
from nsdesk.services.universalization.model import (
    DEFAULT_NOT_PARTY_TO,
    DEFAULT_PARTY_TO,
    FIRST,
    DatedCount,
    InstrumentChoice,
    StateFacts,
    Universalization,
    completeness_words,
    count_words,
    default_region,
    latest_count,
    listed_over_time,
    lobbying,
    lobbying_words,
    state_lines,
    tally,
)


def _first(
    milestones: Iterable[Any], kinds: Collection[MilestoneKind], day: date
) -> tuple[MilestoneKind | None, PartialDate | None]:
    """The earliest of ``milestones`` of ``kinds`` taken by ``day``: its kind and date."""
    reached = [
        (MilestoneKind(x.kind), x.actual)
        for x in milestones
        if MilestoneKind(x.kind) in kinds and x.actual is not None and x.actual.earliest() <= day
    ]
    return min(reached, key=lambda pair: pair[1].sort_key()) if reached else (None, None)


def dated_counts(view: AudienceView, instrument_id: int) -> tuple[list[DatedCount], list[Any]]:
    """The instrument's live dated counts, oldest first, with their sources' titles,
    and the snapshot rows they come from (for Sources)."""
    titles = _citation_titles(view, "membership_snapshot")
    rows = sorted(
        view.children("membership_snapshot", "instrument_id", instrument_id),
        key=lambda s: (
            s.snapshot_date is None,
            s.snapshot_date.sort_key() if s.snapshot_date else (0, 0, 0),
            s.id,
        ),
    )
    counts = [
        DatedCount(
            r.snapshot_date,
            r.member_count,
            r.signatory_count,
            r.includes_organisations,
            r.member_list_complete,
            r.description,
            "; ".join(titles.get(r.uuid, [])),
        )
        for r in rows
    ]
    return counts, rows


def party_count_line(view: AudienceView, instrument_id: int, as_of: date) -> str:
    """What the Instruments section says of how many are party: the latest dated
    count on or before ``as_of`` ("164 parties on Mar 2022, the latest dated count";
    its source is cited in the Universalization section), "" when none is recorded."""
    counts, _ = dated_counts(view, instrument_id)
    latest = latest_count(counts, as_of)
    if latest is None:
        return ""
    return f"{count_words(latest)}, the latest dated count"


def _read_one(
    view: AudienceView,
    instrument: Any,
    parties: dict[int, Any],
    own_code: str,
    places: Geography,
    as_of: date,
) -> tuple[Universalization, list[DatedCount], list[Any]]:
    facts: dict[str, StateFacts] = {}
    for derived in view.standings(instrument.id, as_of):
        party = parties[derived.party_id]
        kind = PartyKind(party.kind)
        if derived.withheld or derived.assessment is None:
            facts[party.code] = StateFacts(party.name, kind, Standing.OUTSIDE, withheld=True)
            continue
        assessment = derived.assessment
        consent, consented = _first(derived.milestones, CONSENT_TO_BE_BOUND, as_of)
        facts[party.code] = StateFacts(
            party.name,
            kind,
            assessment.standing,
            assessment.since,
            assessment.undated,
            _first(derived.milestones, {MilestoneKind.SIGNATURE}, as_of)[1],
            consent,
            consented,
        )
    names = {p.code: (p.name, PartyKind(p.kind)) for p in parties.values()}
    lines = state_lines(facts, names, own_code, places)
    counts, rows = dated_counts(view, instrument.id)
    choice = InstrumentChoice(instrument.code, instrument.short_name, instrument.name)
    shown = Universalization(
        choice, as_of, lines, tuple(counts), listed_over_time(lines, as_of), own_code
    )
    return shown, counts, rows


def _own_words(shown: Universalization) -> str:
    own = shown.own
    if own is None:
        return ""
    if own.withheld:
        return f"{own.name}: standing withheld"
    said = f"{own.name}: {own.standing.label.lower()}"
    if own.since is not None and own.standing is not Standing.OUTSIDE:
        said += f" since {own.since.display()}"
    if own.consent is not None and own.standing is Standing.PARTY:
        said += f" ({own.consent.label.lower()})"
    return said


def read_universalization(
    view: AudienceView,
    own_state_id: int,
    as_of: date,
    *,
    party_to: str = DEFAULT_PARTY_TO,
    not_party_to: str = DEFAULT_NOT_PARTY_TO,
    region: str | None = None,
) -> tuple[m.Universalization, list[tuple[str, str]]]:
    """The section's content: CPPNM, its amendment and ICSANT (and the lobbying
    list's two instruments, if others), each with its tallies, the own state's place,
    the map's colours and the dated counts; and the lobbying list for ``region`` (a
    region key; the own state's UN regional group when None). Also (subject UUID,
    label) of every count printed, for Sources."""
    places = geography()
    parties = {p.id: p for p in view.records("party", live=False)}
    own_code = parties[own_state_id].code
    wanted = [*FIRST, *(c for c in (party_to, not_party_to) if c not in FIRST)]
    instruments = view.records("instrument", where=lambda r: r.code in wanted)
    by_code = {r.code: r for r in instruments}
    chosen_region = places.region(region) if region else default_region(places, own_code)
    region_members = chosen_region.members if chosen_region else None
    sheets: list[m.UniversalizationSheet] = []
    shown_by_code: dict[str, Universalization] = {}
    cited: list[tuple[str, str]] = []
    withheld = instruments.withheld
    for code in wanted:
        instrument = by_code.get(code)
        if instrument is None:
            continue
        shown, counts, rows = _read_one(view, instrument, parties, own_code, places, as_of)
        shown_by_code[code] = shown
        whole = tally(shown.states)
        withheld += whole.withheld
        listed = whole.parties
        region_line = ""
        if chosen_region is not None:
            near = tally(shown.filtered(chosen_region))
            region_line = (
                f"{chosen_region.label}: {near.parties} of {near.total} party, "
                f"{near.signatories} signatories only"
            )
        sheets.append(
            m.UniversalizationSheet(
                code=instrument.code,
                short_name=instrument.short_name,
                name=instrument.name,
                parties=whole.parties,
                signatories=whole.signatories,
                outside=whole.outside,
                withheld=whole.withheld,
                own=_own_words(shown),
                region_line=region_line,
                completeness=completeness_words(
                    listed, latest_count(counts, as_of), instrument.short_name
                ),
                standings={
                    s.code: ("withheld" if s.withheld else s.standing.value)
                    for s in shown.states
                    if s.kind is PartyKind.STATE
                },
                counts=tuple(
                    m.CountLine(
                        display_date(c.snapshot_date) or "undated",
                        f"{c.parties:,}" if c.parties is not None else "not stated",
                        _count_note(c),
                        c.source,
                    )
                    for c in counts
                ),
                counted_over_time=tuple(
                    (c.snapshot_date.earliest(), c.parties)
                    for c in counts
                    if c.snapshot_date is not None and c.parties is not None
                ),
                listed_over_time=tuple((p.day, p.parties) for p in shown.listed_over_time),
            )
        )
        cited += [
            (r.uuid, f"{instrument.short_name} — party count {display_date(r.snapshot_date)}")
            for r in rows
        ]
    having, lacking = shown_by_code.get(party_to), shown_by_code.get(not_party_to)
    lobby_lines: tuple[m.LobbyLine, ...] = ()
    title = note = ""
    lobby_withheld = 0
    if having is not None and lacking is not None:
        found = lobbying(having, lacking, chosen_region)
        lobby_withheld = found.withheld
        title = lobbying_words(found)
        note = completeness_words(
            found.listed_parties, found.latest_count, found.not_party_to.short_name
        )
        lobby_lines = tuple(
            m.LobbyLine(
                line.name,
                display_date(line.party_since) + (" (listed)" if line.party_undated else ""),
                line.other_words,
                display_date(line.other_signed),
            )
            for line in found.lines
        )
    elif region_members is not None:
        title = "The lobbying list's instruments are not in this pack's desk or are withheld."
    section = m.Universalization(
        sheets=tuple(sheets),
        world=world_map(),
        own_code=own_code,
        region=chosen_region.label if chosen_region else "",
        lobbying_title=title,
        lobbying=lobby_lines,
        lobbying_note=note,
        lobbying_withheld=lobby_withheld,
        withheld=withheld,
    )
    return section, cited


def _count_note(count: DatedCount) -> str:
    said = []
    if count.includes_organisations:
        said.append("organisations included")
    if count.signatories is not None:
        said.append(f"{count.signatories:,} signatories")
    if count.description:
        said.append(count.description)
    return "; ".join(said)
