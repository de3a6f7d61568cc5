"""The pack agrees with itself: every figure it prints twice, read back from the
PDF's text, is the same in both places (the executive summary said "14 completed
since the baseline" and the next page "6 completed")."""

from __future__ import annotations

import re
import shutil
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from nsdesk.services.briefing.pack import BriefingRequest, write_briefing
from nsdesk.services.desk import open_desk
from tests.briefing.pdf_reading import ReadPdf, read_pdf
from tests.conftest import DEMO_DAY

TILES = re.compile(
    r"ahead of the event\. (\d+) (\d+) (\d+) (\d+) (\d+) Commitments Late At risk "
    r"Due before the event Completed since the baseline"
)
WITHHELD = re.compile(r"(\d+) commitments marked above Internal withheld from this section")
REF = re.compile(r"^C-\d{4}$", re.MULTILINE)


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module", params=[None, "demo_ministerial_2028"], ids=["next", "far"])
def pack(
    request: pytest.FixtureRequest,
    desk_templates: dict[str, Path],
    tmp_path_factory: pytest.TempPathFactory,
) -> ReadPdf:
    """The demo desk's pack against its baseline at the desk's default ceiling (so
    some commitments are withheld), for its next event and for one more than a
    year ahead (the deadlines section then runs to the event)."""
    folder = tmp_path_factory.mktemp("agrees")
    desk_file = Path(shutil.copy(desk_templates["demo"], folder / "demo.nsdesk"))
    out = folder / "pack.pdf"
    asked = BriefingRequest(event=request.param, as_of=DEMO_DAY, deterministic=True)
    with open_desk(desk_file, read_only=True) as desk:
        write_briefing(desk, asked, out)
    return read_pdf(out)


def section(pdf: ReadPdf, title: str, next_title: str) -> str:
    """The text of the pages from ``title``'s first page to the page before
    ``next_title``'s (each section starts on a page of its own), past the contents."""
    first = pdf.page_of(title, start=2)
    last = pdf.page_of(next_title, start=first)
    return "\n".join(pdf.pages[first - 1 : last - 1])


def tiles(pdf: ReadPdf) -> dict[str, int]:
    found = TILES.search(flat(section(pdf, "Executive summary", "Changes since the baseline")))
    assert found, "the summary's figures"
    names = ("total", "late", "at_risk", "due_before", "completed")
    return dict(zip(names, (int(n) for n in found.groups()), strict=True))


def test_late_and_at_risk_agree_with_the_alerts_section(pack):
    figures = tiles(pack)
    alerts = section(pack, "Late and at-risk items", "Detailed sheets")
    said = re.search(r"(\d+) late and (\d+) at risk\.", flat(alerts))
    assert said
    assert (int(said[1]), int(said[2])) == (figures["late"], figures["at_risk"])
    states = [line.strip() for line in alerts.splitlines()]
    assert states.count("Late") == figures["late"] > 0
    assert states.count("At risk") == figures["at_risk"] > 0


def test_completed_since_the_baseline_agrees_with_the_changes_section(pack):
    figures = tiles(pack)
    changes = section(pack, "Changes since the baseline", "Commitments by theme")
    said = re.search(r"(\d+) completed, (\d+) status changes?, (\d+) new\.", flat(changes))
    assert said
    completed, moves, new = (int(n) for n in said.groups())
    assert completed == figures["completed"] > 0
    body = changes.split("withheld.", 1)[-1]  # past the sentence and its notes
    listed_completed, rest = body.split("\nStatus changes\n", 1)
    listed_moves, listed_new = rest.split("\nNew since the baseline\n", 1)
    assert len(REF.findall(listed_completed)) == completed
    assert len(REF.findall(listed_moves)) == moves
    assert len(REF.findall(listed_new)) == new


def _due_day(text: str) -> date | None:
    """The last day a printed due date ("25 Dec 2026", "Dec 2026", "2027") covers."""
    for form in ("%d %b %Y", "%b %Y", "%Y"):
        try:
            day = datetime.strptime(text, form).date()
        except ValueError:
            continue
        if form == "%b %Y":
            return (day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        return day.replace(month=12, day=31) if form == "%Y" else day
    return None


def test_due_before_the_event_agrees_with_the_deadlines_listed(pack):
    figures = tiles(pack)
    deadlines = section(pack, "Upcoming deadlines", "Sources")
    said = re.search(
        r"(\d+) commitments? falls? due before the event \((\d+ \w+ \d{4})\)", flat(deadlines)
    )
    assert said
    assert int(said[1]) == figures["due_before"] > 0
    event = datetime.strptime(said[2], "%d %B %Y").date()
    lines = [line.strip() for line in deadlines.splitlines()]
    # A row reads its due date, then its kind (on one line or wrapped over two).
    targets = [
        due
        for number, due in enumerate(lines)
        if " ".join(lines[number + 1 : number + 3]).startswith("Commitment target")
        and (day := _due_day(due)) is not None
        and day <= event
    ]
    assert len(targets) == figures["due_before"]


def test_the_total_agrees_with_the_statuses_and_the_sheets(pack):
    figures = tiles(pack)
    summary = section(pack, "Executive summary", "Changes since the baseline")
    statuses = summary.split("By status", 1)[1].split("By theme", 1)[0]
    counts = re.findall(r"^(\d+)$", statuses, re.MULTILINE)
    assert sum(int(n) for n in counts) == figures["total"]
    sheets = [title for depth, title in pack.outline if depth == 1 and REF.match(title[:6])]
    assert len(sheets) == figures["total"]


def test_the_theme_chart_agrees_with_the_theme_tables(pack):
    summary = flat(section(pack, "Executive summary", "Changes since the baseline"))
    chart = summary.split("By theme", 1)[1]
    groups, section_title = [], ""
    for depth, title in pack.outline:
        if depth == 0:
            section_title = title
        elif depth == 1 and section_title == "Commitments by theme":
            groups.append(re.fullmatch(r"(.+) \((\d+)\)", title))
    themes = [(g[1], int(g[2])) for g in groups if g is not None and g[1] != "No theme"]
    assert len(themes) > 10
    for label, count in themes:
        assert f"{label} {count}" in chart, label


def test_every_section_withholds_the_same_commitments(pack):
    numbers = {int(n) for n in WITHHELD.findall(flat(pack.text))}
    assert len(numbers) == 1
    assert numbers.pop() > 0
    assert flat(pack.text).count("commitments marked above Internal withheld") >= 5
