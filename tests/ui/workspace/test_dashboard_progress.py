"""Progress since a baseline in the app: the dashboard and the Baselines page show
the figures the briefing pack prints for the same desk, baseline and day, follow a
change of baseline and an edit, and open the commitments they list."""

from __future__ import annotations

import re

from nsdesk.services.briefing.pack import BriefingRequest, write_briefing
from nsdesk.ui.desk.opening_flow import open_desk_into
from tests.briefing.pdf_reading import read_pdf

BASELINE = "As reported at The Hague 2014"
TOP = "CONFIDENTIAL"
FIGURES = re.compile(r"(\d+) completed, (\d+) status changes?, (\d+) new")


def figures(text: str) -> tuple[int, int, int]:
    found = FIGURES.search(" ".join(text.split()))
    assert found, text
    completed, moves, new = found.groups()
    return int(completed), int(moves), int(new)


def test_the_dashboard_shows_the_packs_figures_for_the_same_baseline_and_day(
    window, context, demo_desk_path, tmp_path
):
    assert open_desk_into(context, window, demo_desk_path)
    workspace = window.workspace
    data = workspace.data
    assert data is not None
    shown = workspace.dashboard.progress_view.summary_label.text()
    assert BASELINE in shown
    out = tmp_path / "pack.pdf"
    request = BriefingRequest(as_of=data.as_of, baseline=BASELINE, ceiling=TOP)
    write_briefing(data.desk, request, out)
    printed = read_pdf(out)
    changes = printed.pages[printed.page_of("Compared with the baseline") - 1]
    assert f"Compared with the baseline “{BASELINE}”" in " ".join(changes.split())
    assert figures(shown) == figures(changes)
    assert figures(shown)[0] > 0

    # The Baselines page says the same of the baseline selected there.
    baselines = workspace.open_register("baselines")
    assert baselines.select_key(BASELINE)
    assert baselines.panel is not None
    assert figures(baselines.panel.progress_view.summary_label.text()) == figures(shown)


def test_recording_progress_moves_the_dashboards_figure(window, context, demo_desk_path):
    assert open_desk_into(context, window, demo_desk_path)
    workspace = window.workspace
    progress = workspace.dashboard.progress_view
    completed, moves, new = figures(progress.summary_label.text())
    assert progress.progress is not None
    line = next(
        line
        for line in progress.progress.lines()
        if line.before is not None and line.now in ("Ongoing", "Stalled", "Partially completed")
    )
    assert workspace.data is not None
    workspace.data.actions.record_progress(line.ref, status="completed", narrative="Done.")
    assert figures(progress.summary_label.text()) == (completed + 1, moves, new)
    window.undo_stack.undo()
    assert figures(progress.summary_label.text()) == (completed, moves, new)


def test_a_listed_commitment_opens_in_its_register(window, context, demo_desk_path):
    assert open_desk_into(context, window, demo_desk_path)
    workspace = window.workspace
    table = workspace.dashboard.progress_view.table
    ref = table.model().index(0, 0).data()
    table.activated.emit(table.model().index(0, 1))
    assert workspace.current_page() == "commitments"
    view = workspace.current_register()
    assert view is not None
    assert view.current_key() == ref
