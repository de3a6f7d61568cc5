"""The briefing pack as data: everything the renderer prints, nothing it must look up.

A service (:mod:`nsdesk.services.briefing.pack`) assembles this model from the desk for
an event, as of a date, against a baseline and under an audience ceiling; records
above the ceiling are already left out here and only their number remains
(``withheld``). The renderer receives the model and never touches the database.

Every text is the user's or the catalogue's own words, unescaped: escaping for
reportlab is the renderer's job, in one place (:mod:`nsdesk.briefing.text`).
Plain frozen dataclasses, no reportlab: services import this module freely.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from nsdesk.domain.world_map import WorldMap


@dataclass(frozen=True, slots=True)
class Section:
    key: str
    title: str
    #: What the section holds, in the words of the dialog's list.
    description: str


SECTIONS: tuple[Section, ...] = (
    Section("cover", "Cover", "title, event, delegation, as-of date, marking, prepared by"),
    Section("contents", "Contents", "sections with their page numbers"),
    Section("summary", "Executive summary", "key figures and a chart by theme"),
    Section("changes", "Changes since the baseline", "status moves, new and completed items"),
    Section("themes", "Commitments by theme", "a table per theme"),
    Section("alerts", "Late and at-risk items", "each with the reason"),
    Section("sheets", "Detailed sheets", "text, origin, history, next steps, talking points"),
    Section("gift_baskets", "Gift baskets", "our role, signatories over time, action items"),
    Section("instruments", "Instruments", "our status, the domestic pipeline, reporting due"),
    Section(
        "universalization",
        "Universalization",
        "who else has joined: a map, party counts over time, the lobbying list",
    ),
    Section("deadlines", "Upcoming deadlines", "targets, reporting and event deadlines ahead"),
    Section("sources", "Sources", "the documents and catalogue facts cited"),
)
SECTION_KEYS: tuple[str, ...] = tuple(s.key for s in SECTIONS)
SECTION_TITLES: dict[str, str] = {s.key: s.title for s in SECTIONS}

PAPER_SIZES = ("A4", "Letter")


@dataclass(frozen=True, slots=True)
class Figure:
    """A labelled count (a bar of a chart, a line of a figures table)."""

    label: str
    count: int


@dataclass(frozen=True, slots=True)
class PackHeader:
    """What the cover, the running title and the PDF's metadata say."""

    title: str
    state_name: str
    delegation: str | None
    event_name: str | None
    event_when: str | None  # "24–25 March 2014, The Hague"
    as_of: date
    baseline_name: str | None
    baseline_as_of: date | None
    #: The marking printed on every page: the highest level included, never lower.
    marking_code: str
    marking_label: str
    #: The audience ceiling asked for (nothing above it is in the pack).
    ceiling_label: str
    prepared_by: str | None
    is_demo: bool
    generated_at: datetime
    paper: str = "A4"


@dataclass(frozen=True, slots=True)
class Summary:
    total: int
    by_status: tuple[Figure, ...]
    by_theme: tuple[Figure, ...]
    late: int
    at_risk: int
    due_before_event: int | None  # None: no event chosen
    completed_since_baseline: int | None  # None: no baseline chosen
    withheld: int
    #: Commitments whose late / at-risk state is decided by a withheld record.
    deadline_withheld: int = 0


@dataclass(frozen=True, slots=True)
class ItemLine:
    """A commitment or action item named in a list."""

    ref: str
    title: str
    status: str


@dataclass(frozen=True, slots=True)
class StatusMove:
    ref: str
    title: str
    before: str
    after: str


@dataclass(frozen=True, slots=True)
class Changes:
    baseline_name: str | None  # None: no baseline chosen, the section says so
    moves: tuple[StatusMove, ...] = ()
    new: tuple[ItemLine, ...] = ()
    completed: tuple[ItemLine, ...] = ()
    withheld: int = 0
    #: Commitments whose status then or now is decided by a withheld record.
    status_withheld: int = 0


@dataclass(frozen=True, slots=True)
class CommitmentRow:
    ref: str
    title: str
    lead_agency: str
    target: str
    status: str
    last_update: str
    #: "late", "at_risk" or "" (for the row's colour mark).
    flag: str = ""


@dataclass(frozen=True, slots=True)
class ThemeGroup:
    code: str
    label: str
    rows: tuple[CommitmentRow, ...]


@dataclass(frozen=True, slots=True)
class AlertLine:
    ref: str
    title: str
    lead_agency: str
    target: str
    status: str
    state: str  # "Late" / "At risk"
    reason: str


@dataclass(frozen=True, slots=True)
class HistoryLine:
    entry_date: date
    status: str
    narrative: str | None
    evidence: str | None


@dataclass(frozen=True, slots=True)
class CommitmentSheet:
    ref: str
    title: str
    status: str
    deadline: str  # "Late: target … passed 20 days ago" or ""
    marking_label: str
    text: str | None
    origin: str | None  # "The Hague 2014 — National statement, para. 3"
    lead_agency: str
    contributing: tuple[str, ...]
    themes: tuple[str, ...]
    targets: tuple[str, ...]
    history: tuple[HistoryLine, ...]  # newest first
    history_withheld: int
    next_steps: str | None
    talking_points: str | None


@dataclass(frozen=True, slots=True)
class SnapshotLine:
    when: str
    members: str  # "35" or "35 (+2 observers)" or "not stated"
    listed: str  # "Yes" / "No" / "Not known"
    source: str


@dataclass(frozen=True, slots=True)
class ActionLine:
    ref: str
    title: str
    agency: str
    due: str
    status: str


@dataclass(frozen=True, slots=True)
class BasketSheet:
    code: str
    title: str
    event: str | None
    infcirc: str | None
    role: str
    role_note: str | None
    leads: tuple[str, ...]
    snapshots: tuple[SnapshotLine, ...]
    action_items: tuple[ActionLine, ...]
    action_items_withheld: int


@dataclass(frozen=True, slots=True)
class StepLine:
    label: str
    planned: str
    actual: str
    state: str  # "Done", "Due", "Late", "Planned", "Not planned"


@dataclass(frozen=True, slots=True)
class InstrumentLine:
    code: str
    short_name: str
    name: str
    status: str
    since: str
    next_step: str
    steps: tuple[StepLine, ...]
    #: How many states were party as of the pack's date, by the latest dated count
    #: ("164 parties on Mar 2022 (source)"); "" when no count is recorded.
    party_count: str = ""


@dataclass(frozen=True, slots=True)
class ReportingLine:
    instrument: str
    title: str
    period: str
    due: str
    agency: str
    state: str  # "Late", "Due", "Submitted …"


@dataclass(frozen=True, slots=True)
class Instruments:
    lines: tuple[InstrumentLine, ...]
    reporting: tuple[ReportingLine, ...]
    withheld: int


@dataclass(frozen=True, slots=True)
class CountLine:
    """A dated party count as a source gives it."""

    when: str
    parties: str
    note: str
    source: str


@dataclass(frozen=True, slots=True)
class UniversalizationSheet:
    """One instrument: how many states stand where on the pack's date, our place,
    the map's colours, and the counts over time."""

    code: str
    short_name: str
    name: str
    parties: int
    signatories: int
    outside: int
    #: States whose standing is decided by a record above the ceiling (not counted).
    withheld: int
    own: str  # "Netherlands: party since 30 Jun 2010 (acceptance)"
    region_line: str  # "Western European and other States: 24 of 29 party"
    completeness: str  # how partial the desk's list is, in words
    #: Each state's code → "party" | "signatory" | "outside" | "withheld" (the map).
    standings: dict[str, str] = field(hash=False, compare=False)
    counts: tuple[CountLine, ...] = ()
    #: (day, parties) of the dated counts, and of the parties the desk lists.
    counted_over_time: tuple[tuple[date, int], ...] = ()
    listed_over_time: tuple[tuple[date, int], ...] = ()


@dataclass(frozen=True, slots=True)
class LobbyLine:
    state: str
    party_since: str
    standing: str  # under the instrument not yet joined
    signed: str


@dataclass(frozen=True, slots=True)
class Universalization:
    """The Universalization section: a sheet per instrument, the map they colour,
    and the lobbying list ("party to X, not to Y, in region R")."""

    sheets: tuple[UniversalizationSheet, ...]
    world: WorldMap | None
    own_code: str
    region: str  # the lobbying list's region, "" for all
    lobbying_title: str
    lobbying: tuple[LobbyLine, ...]
    lobbying_note: str
    lobbying_withheld: int = 0
    withheld: int = 0


@dataclass(frozen=True, slots=True)
class DeadlineLine:
    due: str
    due_sort: date
    kind: str  # "Commitment target", "Reporting", "Action item", "Deadline"
    ref: str
    what: str
    state: str


@dataclass(frozen=True, slots=True)
class SourceEntry:
    title: str
    citation: str | None
    url: str | None
    #: What cites it: "C-0001 (origin)", "CPPNM/A — entry into force".
    cited_for: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class BriefingPack:
    """One pack, ready to print: the header and the content of every chosen section."""

    header: PackHeader
    sections: tuple[str, ...]
    summary: Summary
    changes: Changes
    themes: tuple[ThemeGroup, ...]
    themes_withheld: int
    alerts: tuple[AlertLine, ...]
    sheets: tuple[CommitmentSheet, ...]
    gift_baskets: tuple[BasketSheet, ...]
    gift_baskets_withheld: int
    instruments: Instruments
    deadlines: tuple[DeadlineLine, ...]
    deadlines_withheld: int
    sources: tuple[SourceEntry, ...]
    #: Every marking level included anywhere (the printed marking is their highest).
    levels_included: frozenset[str] = field(default_factory=frozenset)
    #: None when the section was not asked for (nothing of it was read).
    universalization: Universalization | None = None
    #: How many records (of every kind) were left out for being above the ceiling.
    withheld_total: int = 0
    #: The last day the Upcoming deadlines section covers (None: a year from the as-of day).
    deadlines_until: date | None = None
    #: The event's first possible day (None: no event chosen).
    event_start: date | None = None


@dataclass(frozen=True, slots=True)
class RenderNote:
    """Something the renderer could not print as written, said where it is."""

    section: str
    record: str
    message: str


@dataclass(frozen=True, slots=True)
class RenderResult:
    pages: int
    notes: tuple[RenderNote, ...] = ()
