"""The briefing pack: assembled from the desk, rendered, written safely.

:func:`build_briefing` reads the desk (one read transaction, SQLAlchemy Core)
into a :class:`~nsdesk.briefing.model.BriefingPack` for an event, as of a date,
against a baseline and under an audience ceiling. :func:`write_briefing` hands
that model to the renderer and writes the PDF under a temporary name in the
target folder, renaming it into place only when it is whole: a cancelled or
failed pack leaves nothing, and never half a file under the final name.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path

from sqlalchemy import Connection, Row, select

from nsdesk.briefing.model import PAPER_SIZES, SECTION_KEYS, BriefingPack, PackHeader, RenderNote
from nsdesk.domain.dates import PartialDate
from nsdesk.domain.errors import RecordNotFoundError, ValidationError
from nsdesk.domain.private_files import open_private_file
from nsdesk.services.audience.ceiling import Audience
from nsdesk.services.audience.view import AudienceView
from nsdesk.services.briefing import content
from nsdesk.services.briefing.profiles import check_sections
from nsdesk.services.desk import Desk
from nsdesk.services.progress import Progress
from nsdesk.services.universalization.geography import geography
from nsdesk.store import tables as t


@dataclass(frozen=True, slots=True)
class BriefingRequest:
    """What the user asked for; ``None`` takes the defaults of
    :func:`nsdesk.services.briefing.profiles.briefing_choices`."""

    event: str | None = None  # event code
    as_of: date | None = None  # today
    baseline: str | None = None  # baseline name
    sections: tuple[str, ...] = SECTION_KEYS
    ceiling: str | None = None  # marking level code or label
    paper: str = "A4"
    #: Fixed timestamps and ids, so the same desk gives the same bytes (tests).
    deterministic: bool = False
    #: Take the default event / baseline when none is named (the command line's
    #: behaviour); the dialog names its choice or asks for none explicitly.
    use_defaults: bool = True
    #: The Universalization section's lobbying list: the states of ``region`` (a
    #: region key such as "group:african" or "m49:150"; None: the own state's UN
    #: regional group) party to ``party_to`` but not to ``not_party_to``.
    party_to: str = "cppnm"
    not_party_to: str = "cppnm_a"
    region: str | None = None


@dataclass(frozen=True, slots=True)
class BriefingOutcome:
    path: Path
    pages: int
    marking_label: str
    withheld: int
    #: Characters that could not be printed as written, by section and record.
    notes: tuple[RenderNote, ...]


def _event_when(start: PartialDate | None, end: PartialDate | None, city: str | None) -> str | None:
    if start is None:
        return city
    when = start.display()
    if end is not None and end != start:
        s, e = start.display().split(" "), end.display().split(" ")
        if len(s) == 3 and len(e) == 3 and s[1:] == e[1:]:
            when = f"{s[0]}–{end.display()}"  # 24–25 Mar 2014
        else:
            when = f"{when} – {end.display()}"
    return f"{when}, {city}" if city else when


def build_briefing(
    desk: Desk, request: BriefingRequest, progress: Progress | None = None
) -> BriefingPack:
    """The pack's content for ``request``. Raises :class:`ValidationError` for a
    section, paper or ceiling that does not exist and
    :class:`RecordNotFoundError` for an unknown event or baseline."""
    progress = progress or Progress.none()
    sections = check_sections(request.sections)
    if request.region is not None and geography().region(request.region) is None:
        raise ValidationError(
            "Region",
            "a UN regional group (group:african…) or an M49 area (m49:150…)",
            request.region,
        )
    if request.paper not in PAPER_SIZES:
        raise ValidationError("Paper", " or ".join(PAPER_SIZES), request.paper)
    info = desk.info()
    as_of = request.as_of or date.today()
    audience = Audience(info.marking, request.ceiling or info.default_sensitivity)
    steps = 8
    with desk.connect() as connection:
        view = AudienceView(connection, info, audience)
        event = _find_event(connection, request, as_of, audience)
        if event is not None and not audience.admit(event.sensitivity):
            raise ValidationError(
                "Event",
                f"an event marked at or below the ceiling ({info.marking.label(audience.ceiling)})",
                event.code,
            )
        baseline = _find_baseline(connection, request, as_of, audience)
        prepared_by = connection.execute(select(t.desk_settings.c.prepared_by)).scalar_one()
        progress.report(0, steps, "Reading the names")
        names = content.Names(view)
        progress.check_cancelled()
        progress.report(1, steps, "Reading the commitments")
        commitments = content.read_commitments(view, as_of)
        progress.check_cancelled()
        baseline_statuses = view.baseline_statuses(baseline) if baseline else None
        progress.report(2, steps, "Reading the gift baskets")
        baskets, baskets_withheld, basket_cited = content.read_gift_baskets(
            view, names, info.own_state_id
        )
        progress.check_cancelled()
        progress.report(3, steps, "Reading the instruments")
        instruments, instrument_cited = content.read_instruments(
            view, names, info.own_state_id, as_of
        )
        universalization, universalization_cited = None, []
        if "universalization" in sections:  # read only when printed: it counts toward the marking
            progress.report(4, steps, "Reading who else has joined")
            universalization, universalization_cited = content.read_universalization(
                view,
                info.own_state_id,
                as_of,
                party_to=request.party_to,
                not_party_to=request.not_party_to,
                region=request.region,
            )
            progress.check_cancelled()
        progress.report(5, steps, "Reading the deadlines")
        event_start = event.start_date if event is not None else None
        until = content.upcoming_until(as_of, event_start)
        deadlines, deadlines_withheld = content.upcoming(view, commitments, as_of, until)
        progress.check_cancelled()
        sources = content.sources(
            view, commitments, [*instrument_cited, *basket_cited, *universalization_cited]
        )
        progress.report(6, steps, "Arranging the sections")
        changes = content.changes(
            commitments, baseline.name if baseline else None, baseline_statuses
        )
        themes = content.theme_groups(commitments, names)
        alerts = content.alerts(commitments, names)
        # Every figure the summary prints is taken from the section printing it again.
        summary = content.summary(
            commitments,
            changes=changes,
            alerts=alerts,
            themes=themes,
            deadlines=deadlines,
            event_start=event_start,
        )
        sheets = content.sheets(commitments, names, audience)
    marking = audience.marking
    header = PackHeader(
        title="Briefing pack" + (f": {event.name}" if event is not None else ""),
        state_name=info.own_state_name,
        delegation=info.delegation,
        event_name=event.name if event is not None else None,
        event_when=_event_when(event.start_date, event.end_date, event.city) if event else None,
        as_of=as_of,
        baseline_name=baseline.name if baseline else None,
        baseline_as_of=baseline.as_of if baseline else None,
        marking_code=marking,
        marking_label=info.marking.label(marking),
        ceiling_label=info.marking.label(audience.ceiling),
        prepared_by=prepared_by,
        is_demo=info.is_demo,
        generated_at=(
            datetime.combine(as_of, time(0, 0), tzinfo=UTC)
            if request.deterministic
            else datetime.now(UTC)
        ),
        paper=request.paper,
    )
    return BriefingPack(
        header=header,
        sections=sections,
        summary=summary,
        changes=changes,
        themes=themes,
        themes_withheld=commitments.withheld,
        alerts=alerts,
        sheets=sheets,
        gift_baskets=baskets,
        gift_baskets_withheld=baskets_withheld,
        instruments=instruments,
        deadlines=deadlines,
        deadlines_withheld=deadlines_withheld,
        deadlines_until=until,
        event_start=event_start.earliest() if event_start is not None else None,
        sources=sources,
        universalization=universalization,
        levels_included=frozenset(audience.included),
        withheld_total=len(audience.withheld),
    )


def _find_event(
    connection: Connection, request: BriefingRequest, as_of: date, audience: Audience
) -> Row | None:
    """The event asked for, or by default the next one the audience may know of."""
    e = t.event
    query = select(
        e.c.id, e.c.code, e.c.name, e.c.start_date, e.c.end_date, e.c.city, e.c.sensitivity
    )
    live = query.where(e.c.retired_at.is_(None))
    if request.event:
        wanted = request.event.strip()
        row = connection.execute(
            live.where((e.c.code == wanted) | (e.c.code == wanted.lower()) | (e.c.uuid == wanted))
        ).first()
        if row is None:
            raise RecordNotFoundError("event", wanted)
        return row
    if not request.use_defaults:
        return None
    upcoming = [
        r
        for r in connection.execute(live)
        if r.start_date and r.start_date.earliest() >= as_of and audience.permits(r.sensitivity)
    ]
    return min(upcoming, key=lambda r: r.start_date.earliest(), default=None)


def _find_baseline(
    connection: Connection, request: BriefingRequest, as_of: date, audience: Audience
) -> Row | None:
    """The baseline asked for, or by default the latest frozen by the as-of date.
    Its name is printed, so a baseline above the ceiling cannot be compared with."""
    b = t.baseline
    live = select(b.c.id, b.c.uuid, b.c.name, b.c.as_of, b.c.created_at, b.c.sensitivity).where(
        b.c.retired_at.is_(None)
    )
    if request.baseline:
        wanted = request.baseline.strip()
        for row in connection.execute(live):
            if row.name.casefold() == wanted.casefold():
                if not audience.admit(row.sensitivity):
                    raise ValidationError(
                        "Baseline",
                        f"a baseline marked at or below the ceiling "
                        f"({audience.scheme.label(audience.ceiling)})",
                        row.name,
                    )
                return row
        raise RecordNotFoundError("baseline", wanted)
    if not request.use_defaults:
        return None
    for row in connection.execute(
        live.where(b.c.as_of <= as_of).order_by(b.c.as_of.desc(), b.c.id.desc())
    ):
        if audience.admit(row.sensitivity):
            return row
    return None


def write_briefing(
    desk: Desk, request: BriefingRequest, out: Path, progress: Progress | None = None
) -> BriefingOutcome:
    """Assemble and render the pack for ``request`` into ``out``.

    The PDF is written beside ``out`` under a temporary name, readable by its owner
    only, and renamed over it only when complete. Cancelling (through ``progress``) raises
    :class:`~nsdesk.domain.errors.CancelledError` and leaves no file."""
    # lazy: reportlab (~0.1 s) loads when a pack is written, not when the dialog offers one
    from nsdesk.briefing.render import render_pack

    progress = progress or Progress.none()
    out = Path(out)
    if out.is_dir():
        raise ValidationError("Output file", "a file name, not a folder", str(out))
    if not out.parent.is_dir():
        raise ValidationError("Output file", "a file in a folder that exists", str(out))
    pack = build_briefing(desk, request, progress.part(0, 20, 100))
    temporary = out.with_name(f".{out.name}.{os.getpid()}.part")
    temporary.unlink(missing_ok=True)  # left by a crashed run that had this process id
    try:
        # Owner-only from its first byte, and so is the pack it becomes.
        with open_private_file(temporary) as stream:
            result = render_pack(
                pack,
                stream,
                progress=progress.part(20, 100, 100),
                deterministic=request.deterministic,
            )
        os.replace(temporary, out)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
        raise
    return BriefingOutcome(
        out, result.pages, pack.header.marking_label, pack.withheld_total, result.notes
    )
