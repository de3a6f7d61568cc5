"""The shared register's server stops in the middle of an edit and of an import: the
window says so in a bar, refuses edits with a sentence, writes nothing by halves, and
comes back by itself when the server does."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt

from nsdesk.domain.errors import ServerUnreachableError
from nsdesk.services.exchange.apply import apply_import
from nsdesk.services.exchange.export import ExportRequest, export_workbook
from nsdesk.services.exchange.preview import preview_import
from nsdesk.services.progress import Progress
from nsdesk.services.records.record_service import RecordService
from nsdesk.ui.desk.opening_flow import open_desk_into
from tests.exchange.workbooks import edit
from tests.support.desks import desk_digest

pytestmark = pytest.mark.server_desk  # a desk file has no connection to lose

KEY = "C-0007"


@pytest.fixture
def server(pg_server, desk_copies) -> Iterator:
    """The test server, started again after a test that stopped it (and the fixtures'
    own connection to it renewed)."""
    yield pg_server
    if (
        "pg_ctl: no server running"
        in pg_server._run(
            pg_server.bin / "pg_ctl", "-D", pg_server.data, "status", check=False
        ).stdout
    ):
        pg_server.resume()
    if desk_copies._admin is not None:
        desk_copies._admin.close()


def _stopped(server, desk_copies) -> None:
    server.halt()
    if desk_copies._admin is not None:
        desk_copies._admin.close()  # cut: the next database is made on a new one


def test_an_edit_when_the_server_stops_is_refused_and_saved_once_it_is_back(
    qtbot, window, context, demo_desk_location, server, desk_copies
):
    assert open_desk_into(context, window, demo_desk_location)
    watch = window.connection_watch
    bar = window.workspace.banner.connection_bar
    assert not bar.isVisible()
    assert window.workspace.open_register_record("commitments", KEY)
    view = window.workspace.registers["commitments"]
    said: list[str] = []
    view.status_message.connect(said.append)
    title = view.editor.fields["title"].widget
    title.setFocus()
    title.selectAll()
    qtbot.keyClicks(title, "Typed while the server stopped")  # an edit in progress
    before = desk_digest(demo_desk_location)

    _stopped(server, desk_copies)
    qtbot.keyClick(title, Qt.Key.Key_Return)  # leaving the field saves it: refused

    qtbot.waitUntil(bar.isVisible, timeout=5_000)  # told from wherever it was noticed
    register = demo_desk_location.register
    assert bar.label.text().startswith(f"The connection to the register on {register} was lost at")
    assert "edits are refused until it is back — nothing was half written" in bar.label.text()
    assert said[-1].startswith("Not saved: Title")
    assert "was lost" in said[-1]
    assert title.text() == "Typed while the server stopped"  # the typing is kept

    qtbot.keyClick(title, Qt.Key.Key_Return)  # again, while it is known lost
    assert "edits are refused until it is back" in view.editor.errors()["title"]

    server.resume()
    watch.timer.setInterval(50)  # probe at once rather than in a few seconds
    qtbot.waitUntil(lambda: not bar.isVisible(), timeout=20_000)
    assert "is back" in window.statusBar().currentMessage()
    assert desk_digest(demo_desk_location) == before  # nothing was written by halves

    title.setFocus()
    qtbot.keyClick(title, Qt.Key.Key_Return)
    assert said[-1] == "Saved Title."
    assert context.data is not None
    assert context.data.values("commitment", KEY)["title"] == "Typed while the server stopped"


def test_an_import_cut_before_its_commit_leaves_the_register_as_it_was(
    qtbot, window, context, demo_desk_location, server, desk_copies, tmp_path
):
    assert open_desk_into(context, window, demo_desk_location)
    desk = context.desk
    bar = window.workspace.banner.connection_bar
    out = export_workbook(desk, ExportRequest(agency="MFA"), tmp_path / "mfa.xlsx").path
    edited = edit(out, tmp_path / "edited.xlsx", {("Commitments", KEY, "Evidence"): "Cut short"})
    preview = preview_import(desk, edited)
    before = desk_digest(demo_desk_location)

    def stop_when_saving(_done: int, _total: int, text: str) -> None:
        if text == "Saving":  # everything written, the commit not yet made
            _stopped(server, desk_copies)

    with pytest.raises(ServerUnreachableError):
        apply_import(desk, preview, progress=Progress(stop_when_saving))
    qtbot.waitUntil(bar.isVisible, timeout=5_000)
    with pytest.raises(ServerUnreachableError, match="edits are refused until it is back"):
        RecordService(desk).update("commitment", KEY, {"notes": "refused"})

    server.resume()
    window.connection_watch.timer.setInterval(50)
    qtbot.waitUntil(lambda: not bar.isVisible(), timeout=20_000)
    assert desk_digest(demo_desk_location) == before  # all or nothing: nothing

    result = apply_import(desk, preview_import(desk, edited))  # the same import, whole
    assert result.records == 1
    assert desk_digest(demo_desk_location) != before
