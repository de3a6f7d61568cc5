"""The universalization view as data, and the rules that read it — no database here.

:mod:`.overview` fills these from the desk for the window; the briefing pack's
content (:mod:`nsdesk.services.briefing.content.universalization`) fills them through
the audience view. Both then ask the same questions of them: how many stand where
(:func:`tally`), who has joined one instrument and not another (:func:`lobbying_lines`),
how the desk's count grew (:func:`listed_over_time`), and how to say a count
(:func:`count_words`) and how complete a list is (:func:`completeness_words`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from nsdesk.domain.dates import PartialDate
from nsdesk.domain.enums import MilestoneKind, PartyKind, Standing
from nsdesk.services.universalization.geography import Geography, Region

NOT_LISTED = "Not listed"
OUTSIDE_WORDS = "not party or not listed"
"""How a tally names the states outside: some are known not to be party, most are
only not in the desk's list, which may be partial."""

#: The instruments a delegation presses others to join, offered first.
FIRST: tuple[str, ...] = ("cppnm", "cppnm_a", "icsant")
DEFAULT_PARTY_TO, DEFAULT_NOT_PARTY_TO = "cppnm", "cppnm_a"


@dataclass(frozen=True, slots=True)
class InstrumentChoice:
    """An instrument the view can be shown for."""

    code: str
    short_name: str
    name: str


@dataclass(frozen=True, slots=True)
class StateFacts:
    """What the desk says of one party under one instrument on a day."""

    name: str
    kind: PartyKind
    standing: Standing
    since: PartialDate | None = None
    undated: bool = False
    signed: PartialDate | None = None
    consent: MilestoneKind | None = None
    consented: PartialDate | None = None
    #: Its standing is decided by a record above an audience's ceiling (packs only).
    withheld: bool = False


@dataclass(frozen=True, slots=True)
class StateLine:
    """One state (or organisation) under the instrument on the view's day."""

    code: str
    name: str
    kind: PartyKind
    standing: Standing
    since: PartialDate | None
    #: Listed so by a source that gives no date; ``since`` is that source's date.
    undated: bool
    signed: PartialDate | None
    consent: MilestoneKind | None
    consented: PartialDate | None
    group: str  # the UN regional group's name, "" for none
    region: str  # M49 region
    sub_region: str  # M49 sub-region
    summits: bool  # took part in at least one Nuclear Security Summit
    own: bool  # the desk's own state
    listed: bool  # the desk has a participation for it
    withheld: bool = False

    @property
    def standing_words(self) -> str:
        """What the table says: "Party", "Signatory only", "Not a party" (the desk
        records why), "Not listed" (the desk has nothing for it: a partial list never
        says "not a party") — or "Standing withheld"."""
        if self.withheld:
            return "Standing withheld"
        if self.standing is Standing.OUTSIDE and not self.listed:
            return NOT_LISTED
        return self.standing.label


@dataclass(frozen=True, slots=True)
class DatedCount:
    """How many were party on a date, by a cited source (never one number)."""

    snapshot_date: PartialDate | None
    parties: int | None
    signatories: int | None
    includes_organisations: bool | None
    member_list_complete: bool | None
    description: str | None
    source: str = ""


@dataclass(frozen=True, slots=True)
class Tally:
    """How many of a set of states stand where (``withheld``: not told)."""

    parties: int
    signatories: int
    outside: int
    withheld: int = 0

    @property
    def total(self) -> int:
        return self.parties + self.signatories + self.outside + self.withheld


@dataclass(frozen=True, slots=True)
class CountPoint:
    """How many parties the desk lists on a day (from the dated acts)."""

    day: date
    parties: int


@dataclass(frozen=True, slots=True)
class Universalization:
    """One instrument on one day: every state's standing, the dated counts, the
    desk's own count over time, and the own state's code."""

    instrument: InstrumentChoice
    day: date
    states: tuple[StateLine, ...]
    counts: tuple[DatedCount, ...]
    listed_over_time: tuple[CountPoint, ...]
    own_code: str

    def filtered(self, region: Region | None = None, summits: bool = False) -> list[StateLine]:
        """The states in ``region`` (all with None), only the summits' with ``summits``."""
        return [
            s
            for s in self.states
            if (region is None or s.code in region.members) and (not summits or s.summits)
        ]

    @property
    def own(self) -> StateLine | None:
        return next((s for s in self.states if s.own), None)

    def latest_count(self) -> DatedCount | None:
        """The latest dated count on or before the day that gives a number."""
        return latest_count(self.counts, self.day)


def latest_count(counts: Iterable[DatedCount], day: date) -> DatedCount | None:
    """The latest of ``counts`` dated on or before ``day`` that gives a number."""
    dated = [
        c
        for c in counts
        if c.snapshot_date is not None
        and c.parties is not None
        and c.snapshot_date.earliest() <= day
    ]
    if not dated:
        return None
    return max(dated, key=lambda c: c.snapshot_date.sort_key() if c.snapshot_date else (0, 0, 0))


def tally(lines: Iterable[StateLine]) -> Tally:
    """Parties, signatories only and outside among ``lines``' states (organisations
    are not counted: the depositaries' counts are of states)."""
    counted = {Standing.PARTY: 0, Standing.SIGNATORY: 0, Standing.OUTSIDE: 0}
    withheld = 0
    for line in lines:
        if line.kind is not PartyKind.STATE:
            continue
        if line.withheld:
            withheld += 1
        else:
            counted[line.standing] += 1
    return Tally(
        counted[Standing.PARTY], counted[Standing.SIGNATORY], counted[Standing.OUTSIDE], withheld
    )


def state_lines(
    facts: Mapping[str, StateFacts],
    names: Mapping[str, tuple[str, PartyKind]],
    own_code: str,
    places: Geography,
) -> tuple[StateLine, ...]:
    """Every UN Member State and every party with ``facts``, with its standing
    (outside when the desk lists nothing for it) and where it is; by name."""
    codes = set(places.un_members) | set(facts) | {own_code}
    summit_states = places.summit_states
    groups = {r.key: r.label for r in places.regions if r.kind == "group"}
    lines = []
    for code in codes:
        found = facts.get(code)
        place = places.places.get(code)
        name, kind = names.get(code, (place.name if place else code, PartyKind.STATE))
        if found is None:
            found = StateFacts(name, kind, Standing.OUTSIDE)
        lines.append(
            StateLine(
                code=code,
                name=found.name,
                kind=found.kind,
                standing=found.standing,
                since=found.since,
                undated=found.undated,
                signed=found.signed,
                consent=found.consent,
                consented=found.consented,
                group=groups.get(f"group:{place.group}", "") if place and place.group else "",
                region=place.region if place else "",
                sub_region=place.sub_region if place else "",
                summits=code in summit_states,
                own=code == own_code,
                listed=code in facts,
                withheld=found.withheld,
            )
        )
    return tuple(sorted(lines, key=lambda s: s.name.casefold()))


def listed_over_time(lines: Iterable[StateLine], day: date) -> tuple[CountPoint, ...]:
    """The number of states the desk lists as party, stepping up on each day one
    joined (the undated ones on their source's last day), up to ``day``."""
    joined: dict[date, int] = {}
    for s in lines:
        if s.standing is Standing.PARTY and s.kind is PartyKind.STATE and s.since is not None:
            if s.withheld:
                continue
            when = min(s.since.latest() if s.undated else s.since.earliest(), day)
            joined[when] = joined.get(when, 0) + 1
    points, total = [], 0
    for when in sorted(joined):
        total += joined[when]
        points.append(CountPoint(when, total))
    return tuple(points)


def default_region(places: Geography, own_code: str) -> Region | None:
    """The own state's UN regional group (its M49 region when it has none)."""
    group = places.group_of(own_code)
    if group is not None:
        return group
    place = places.places.get(own_code)
    if place is None:
        return None
    return next((r for r in places.regions if r.kind == "region" and r.label == place.region), None)


# -- the lobbying list -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LobbyingLine:
    """A state party to one instrument and not to the other."""

    code: str
    name: str
    party_since: PartialDate | None
    party_undated: bool
    other: Standing  # its standing under the instrument it has not joined
    other_signed: PartialDate | None  # when it signed that one, if it has
    other_listed: bool = True  # the desk lists it under that one at all

    @property
    def other_words(self) -> str:
        """Its standing under the other instrument, "Not listed" when the desk has none."""
        if self.other is Standing.OUTSIDE and not self.other_listed:
            return NOT_LISTED
        return self.other.label


@dataclass(frozen=True, slots=True)
class Lobbying:
    """Who to press: the states of ``region`` party to ``party_to`` but not to
    ``not_party_to`` on ``day``, with how complete the desk's list of the latter is."""

    party_to: InstrumentChoice
    not_party_to: InstrumentChoice
    region: Region | None
    day: date
    lines: tuple[LobbyingLine, ...]
    #: How many states the desk lists as party to ``not_party_to``, and the latest
    #: count a source gives: fewer listed than counted means a state on this list
    #: may have joined since.
    listed_parties: int
    latest_count: DatedCount | None
    #: States of the region left out because their standing is withheld (packs).
    withheld: int = 0

    @property
    def list_may_be_incomplete(self) -> bool:
        count = self.latest_count
        if count is None or count.parties is None:
            return True
        return not count.member_list_complete and self.listed_parties < count.parties


def lobbying_lines(
    having: Universalization, lacking: Universalization, region: Region | None
) -> tuple[tuple[LobbyingLine, ...], int]:
    """The states of ``region`` that are party in ``having`` and not in ``lacking``,
    and how many were left out because a standing is withheld."""
    other = {s.code: s for s in lacking.states}
    found, withheld = [], 0
    for line in having.filtered(region):
        if line.kind is not PartyKind.STATE:
            continue
        theirs = other.get(line.code)
        if line.withheld or (theirs is not None and theirs.withheld):
            withheld += 1
            continue
        if line.standing is not Standing.PARTY:
            continue
        standing = theirs.standing if theirs else Standing.OUTSIDE
        if standing is Standing.PARTY:
            continue
        found.append(
            LobbyingLine(
                line.code,
                line.name,
                line.since,
                line.undated,
                standing,
                theirs.signed if theirs and standing is Standing.SIGNATORY else None,
                theirs is not None and theirs.listed,
            )
        )
    return tuple(found), withheld


def lobbying(
    having: Universalization, lacking: Universalization, region: Region | None
) -> Lobbying:
    """The lobbying list from the two instruments' views."""
    lines, withheld = lobbying_lines(having, lacking, region)
    return Lobbying(
        having.instrument,
        lacking.instrument,
        region,
        having.day,
        lines,
        tally(lacking.states).parties,
        lacking.latest_count(),
        withheld,
    )


# -- how it is said ----------------------------------------------------------------------


def count_words(count: DatedCount) -> str:
    """ "127 parties on 16 May 2025 (states only)" — what a dated count says."""
    said = f"{count.parties:,} parties" if count.parties is not None else "no number"
    if count.snapshot_date is not None:
        said += f" on {count.snapshot_date.display()}"
    if count.includes_organisations:
        said += " (organisations included)"
    return said


def completeness_words(listed: int, count: DatedCount | None, short_name: str) -> str:
    """What a list of parties leaves out, said plainly: a count with a partial list
    never reads as "not a party"."""
    if count is None or count.parties is None:
        return (
            f"No dated count of {short_name}'s parties is recorded: the desk lists "
            f"{listed:,}, and a state it does not list may have joined."
        )
    if count.member_list_complete or listed >= count.parties:
        return (
            f"The desk lists {listed:,} parties to {short_name}; "
            f"the latest count is {count_words(count)}."
        )
    return (
        f"The desk lists {listed:,} of the {count.parties:,} parties to {short_name} "
        f"counted on {count.snapshot_date.display() if count.snapshot_date else 'an undated day'}: "
        f"a state it does not list may have joined. Check it against the depositary's "
        f"status list (the File menu's Import workbook reads one)."
    )


def lobbying_words(found: Lobbying) -> str:
    """ "11 states of the Western European and other States are party to CPPNM and, as
    far as the desk lists, not to A/CPPNM on 6 Dec 2026." """
    where = f"of the {found.region.label}" if found.region else "in all"
    hedge = ", as far as the desk lists," if found.list_may_be_incomplete else ""
    states = "state" if len(found.lines) == 1 else "states"
    day = f"{found.day.day} {found.day.strftime('%b')} {found.day.year}"
    return (
        f"{len(found.lines)} {states} {where} {'is' if len(found.lines) == 1 else 'are'} "
        f"party to {found.party_to.short_name} and{hedge} not to "
        f"{found.not_party_to.short_name} on {day}."
    )
