"""The merge journeys of issue 18, driven in the app on real desk files: two
officers edit one commitment on two laptops; the changes files travel between them
through File ▸ Send changes… and File ▸ Merge changes…"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from nsdesk.services.merge.conflicts import list_items
from nsdesk.services.merge.outcome import ItemKind
from nsdesk.store import tables as t
from nsdesk.ui.merge.merge_pages import COL_DECISION
from nsdesk.ui.merge.merge_wizard import CONFLICTS, PREVIEW, RESULT, VERIFY

# Laptops keep desk files: these tests copy one desk file to each officer's laptop.
# A travel copy merged back into a register on a server is tested beside them
# (test_register_merge.py, in the server-desk run).
pytestmark = pytest.mark.file_desk


def ref_value(desk, ref: str, column: str):
    with desk.connect() as connection:
        c = t.commitment
        return connection.execute(select(c.c[column]).where(c.c.ref == ref)).scalar()


def merge_in_wizard(app, path: Path):
    """Open File ▸ Merge changes… on ``path`` and go to the preview."""
    wizard = app.flow.start_merge(path)
    assert wizard is not None
    assert wizard.page() == VERIFY
    assert wizard.verify_page.problem() is None, wizard.verify_page.problem()
    wizard.go_next()
    assert wizard.page() == PREVIEW, wizard.status_label.text()
    return wizard


def row_texts(wizard) -> list[tuple[str, ...]]:
    table = wizard.conflicts_page.table
    return [
        tuple(table.item(r, c).text() for c in range(table.columnCount()))
        for r in range(table.rowCount())
    ]


def test_edits_to_different_fields_of_one_commitment_merge_silently(pair, bens_app):
    anna, _ben = pair
    anna.edit("commitment", "C-0002", {"next_steps": "Anna's next steps"})
    app = bens_app
    app.context.data.actions.update("commitment", "C-0002", {"talking_points": "Ben's points"})
    wizard = merge_in_wizard(app, anna.send())
    verify = wizard.verify_page
    assert verify.sender_label.text().startswith("anna, on ")
    assert verify.fingerprint_label.text() == anna.fingerprint
    assert "This desk knows this key: trusted" in verify.trust_label.text()
    assert not wizard.conflicts_page.rows
    assert "conflict" not in wizard.preview_page.summary.text()
    # Each change the desk lacks is listed: the record, the field, the value, who.
    tree = wizard.preview_page.tree
    groups = {
        tree.topLevelItem(i).text(0): tree.topLevelItem(i) for i in range(tree.topLevelItemCount())
    }
    each = groups["Each change new to this desk (1)"]
    assert each.child(0).text(0).startswith("Commitment C-0002 ")
    assert each.child(0).text(0).endswith(", Next steps")
    assert each.child(0).text(1).startswith("Changed: Anna's next steps (anna@laptop, ")
    assert not wizard.next_button.isVisible()  # nothing to settle: Apply is next
    assert wizard.apply_button.isEnabled()
    wizard.apply()
    assert wizard.page() == RESULT
    assert "Nothing is left open." in wizard.result_page.left_label.text()
    assert ref_value(app.desk, "C-0002", "next_steps") == "Anna's next steps"
    assert ref_value(app.desk, "C-0002", "talking_points") == "Ben's points"
    assert app.flow.badge.isHidden()
    said = app.window.statusBar().currentMessage()
    assert said.startswith("Merged anna-")
    assert "from anna: " in said


def test_the_same_field_is_a_conflict_resolved_and_sent_back_without_a_second(pair, bens_app):
    anna, ben = pair
    anna.edit("commitment", "C-0003", {"title": "Anna's title"})
    app = bens_app
    app.context.data.actions.update("commitment", "C-0003", {"title": "Ben's title"})
    wizard = merge_in_wizard(app, anna.send())
    assert "1 conflict" in wizard.preview_page.summary.text()
    wizard.go_next()
    assert wizard.page() == CONFLICTS
    ((what, base, mine, theirs, decision),) = row_texts(wizard)
    assert "C-0003" in what
    assert "Title" in what
    assert base not in ("Anna's title", "Ben's title")
    assert base
    # Who, when, which laptop: Ben is the app's own user on his own laptop.
    assert mine.startswith("Ben's title\n")
    assert ", today " in mine
    assert theirs.startswith("Anna's title\nanna@laptop, ")
    assert theirs.endswith("on anna")
    assert decision == "Decide later"
    # Left for later: the desk keeps its value and shows the conflict everywhere.
    wizard.apply()
    assert wizard.page() == RESULT
    assert ref_value(app.desk, "C-0003", "title") == "Ben's title"
    assert "1 item left open" in wizard.result_page.left_label.text()
    assert not app.flow.badge.isHidden()
    assert app.flow.badge.text() == "⚠ 1 open conflict"
    wizard.accept()

    # Settled from the conflicts window: take Anna's value.
    dialog = app.flow.show_conflicts()
    assert dialog is not None
    assert [i.field for i in dialog.items] == ["title"]
    mine_cell = dialog.table.item(0, 2).text()
    assert mine_cell.startswith("Ben's title")
    assert dialog.take_button.isEnabled()
    dialog.take_button.click()
    assert dialog.items == []
    assert "Nothing is open" in dialog.status_label.text()
    assert ref_value(app.desk, "C-0003", "title") == "Anna's title"
    assert app.flow.badge.isHidden()

    # Sent back through File ▸ Send changes…: Anna merges it without a second conflict.
    send = app.flow.start_send()
    assert send is not None
    warning = send.warning_label.text()
    assert warning.startswith("This file will carry ")
    assert "marked up to " in warning
    out = ben.folder / "to-anna.nsdesk-changes"
    send.output.set_path(out, confirmed=True)
    send.accept()
    assert out.exists()
    box = app.flow.message_box
    assert box is not None
    assert "to-anna.nsdesk-changes" in box.text()
    show = next(b for b in box.buttons() if b.text() == "Show in folder")
    show.click()
    assert app.opened == [out.parent]
    back = anna.merge(out)
    assert back.conflicts == []
    with anna.desk() as desk:
        assert list_items(desk) == []
        assert ref_value(desk, "C-0003", "title") == "Anna's title"


def test_a_decision_taken_in_the_wizard_settles_the_conflict_as_it_merges(pair, bens_app):
    anna, _ben = pair
    anna.edit("commitment", "C-0004", {"next_steps": "Anna's steps"})
    app = bens_app
    app.context.data.actions.update("commitment", "C-0004", {"next_steps": "Ben's steps"})
    wizard = merge_in_wizard(app, anna.send())
    wizard.go_next()
    page = wizard.conflicts_page
    page.table.selectRow(0)
    app.typed.append("Both officers' steps")
    page.edit_button.click()
    assert row_texts(wizard)[0][COL_DECISION] == "Edited: Both officers' steps"
    wizard.apply()
    assert wizard.page() == RESULT
    assert ref_value(app.desk, "C-0004", "next_steps") == "Both officers' steps"
    assert list_items(app.desk) == []
    assert app.flow.badge.isHidden()


def test_an_identity_clash_is_settled_as_two_records_in_the_wizard(pair, bens_app):
    anna, _ben = pair
    annas = anna.create("commitment", {"title": "Anna's new workshop", "pledged_on": "2016"})
    number = anna.value("commitment", "uuid", annas, "ref")
    app = bens_app
    bens = app.context.data.actions.service.create(
        "commitment", {"title": "Ben's new exercise", "pledged_on": "2016"}
    )
    assert ref_value(app.desk, number, "uuid") == bens.uuid
    wizard = merge_in_wizard(app, anna.send())
    assert "1 identity clash" in wizard.preview_page.summary.text()
    wizard.go_next()
    page = wizard.conflicts_page
    ((what, _base, mine, theirs, _decision),) = row_texts(wizard)
    assert number in what
    assert "Ben's new exercise" in mine
    assert "Anna's new workshop" in theirs
    assert not page.keep_button.isEnabled()
    assert page.different_button.isEnabled()
    page.different_button.click()
    assert row_texts(wizard)[0][COL_DECISION] == "Different records"
    wizard.apply()
    assert wizard.page() == RESULT
    assert f"{number}: two records; one is now " in wizard.result_page.left_label.text()
    assert ref_value(app.desk, number, "uuid") == bens.uuid
    with app.desk.connect() as connection:
        renumbered = connection.execute(
            select(t.commitment.c.ref).where(t.commitment.c.uuid == annas)
        ).scalar()
    assert renumbered != number
    assert renumbered.startswith("C-")
    assert "~" not in renumbered
    assert list_items(app.desk, kinds=(ItemKind.IDENTITY,)) == []


def test_a_merge_is_undone_from_the_merge_history_and_refused_over_later_work(pair, bens_app):
    anna, _ben = pair
    anna.edit("commitment", "C-0005", {"next_steps": "Anna's steps"})
    anna.edit("commitment", "C-0006", {"next_steps": "Anna's other steps"})
    app = bens_app
    wizard = merge_in_wizard(app, anna.send())
    wizard.apply()
    wizard.accept()
    assert ref_value(app.desk, "C-0005", "next_steps") == "Anna's steps"

    history = app.flow.show_history()
    assert history is not None
    assert history.table.rowCount() == 1
    assert history.table.item(0, 2).text() == "anna"
    assert "applied 2 commitments" in history.table.item(0, 4).text()
    # Later work on a field the merge changed: the undo is refused, naming it.
    app.context.data.actions.update("commitment", "C-0006", {"next_steps": "Ben's later steps"})
    history.ask_undo(confirm=False)
    box = history.message_box
    assert box is not None
    assert "would overwrite later work" in box.informativeText()
    assert "C-0006" in box.informativeText()
    assert ref_value(app.desk, "C-0005", "next_steps") == "Anna's steps"
    assert history.status_label.text().endswith("nothing was changed.")
    assert history.undo_button.isEnabled()  # refused, not undone: it may be tried again


def test_a_merge_with_nothing_later_is_undone(pair, bens_app):
    anna, _ben = pair
    before = ref_value(bens_app.desk, "C-0005", "next_steps")
    anna.edit("commitment", "C-0005", {"next_steps": "Anna's steps"})
    app = bens_app
    wizard = merge_in_wizard(app, anna.send())
    wizard.apply()
    wizard.accept()
    history = app.flow.show_history()
    history.ask_undo(confirm=False)
    assert "was undone" in history.status_label.text()
    assert history.table.item(0, 5).text()  # the Undone column says when
    assert not history.undo_button.isEnabled()
    assert ref_value(app.desk, "C-0005", "next_steps") == before


def test_a_first_file_from_a_laptop_asks_to_confirm_its_fingerprint(
    demo_desk_path, tmp_path, window, context, monkeypatch
):
    from tests.services.merge.laptops import Laptop
    from tests.ui.merge.conftest import BensApp

    anna = Laptop("anna", tmp_path / "anna", demo_desk_path)
    ben = Laptop("ben", tmp_path / "ben", demo_desk_path)
    anna.edit("commitment", "C-0002", {"next_steps": "From a stranger at first"})
    path = anna.send()
    app = BensApp(window, context, ben, monkeypatch)
    wizard = app.flow.start_merge(path)
    verify = wizard.verify_page
    assert wizard.page() == VERIFY
    assert verify.fingerprint_label.text() == anna.fingerprint
    assert "never received a file signed by this key" in verify.trust_label.text()
    assert verify.trust_check.isVisibleTo(wizard)
    assert not wizard.next_button.isEnabled()
    assert wizard.next_button.toolTip() == "Confirm the fingerprint first."
    verify.trust_check.setChecked(True)
    assert wizard.next_button.isEnabled()
    wizard.go_next()
    assert wizard.page() == PREVIEW
    wizard.apply()
    assert ref_value(app.desk, "C-0002", "next_steps") == "From a stranger at first"


def test_a_cancelled_merge_leaves_the_desk_unchanged(pair, bens_app):
    anna, _ben = pair
    anna.edit("commitment", "C-0002", {"next_steps": "Anna's next steps"})
    app = bens_app
    before = ref_value(app.desk, "C-0002", "next_steps")
    wizard = merge_in_wizard(app, anna.send())
    background = app.context.background
    start = background._executor

    def cancel_then_run(job):  # the user presses Cancel as soon as the merge starts
        for task in list(background._tasks):
            task.cancel()
        start(job)

    background._executor = cancel_then_run
    wizard.apply()
    background._executor = start
    assert wizard.page() == PREVIEW
    assert wizard.status_label.text() == "The merge was cancelled: nothing was changed in the desk."
    assert ref_value(app.desk, "C-0002", "next_steps") == before
    assert app.flow.show_history().table.rowCount() == 0


def test_a_desk_changed_after_the_preview_is_previewed_again_keeping_the_decisions(pair, bens_app):
    anna, _ben = pair
    anna.edit("commitment", "C-0003", {"title": "Anna's title"})
    app = bens_app
    app.context.data.actions.update("commitment", "C-0003", {"title": "Ben's title"})
    wizard = merge_in_wizard(app, anna.send())
    wizard.go_next()
    page = wizard.conflicts_page
    page.table.selectRow(0)
    page.take_button.click()
    # Meanwhile the desk changes (another field): the preview no longer fits it.
    app.context.data.actions.update("commitment", "C-0004", {"next_steps": "Meanwhile"})
    wizard.apply()
    assert wizard.page() == PREVIEW
    assert wizard.status_label.text().startswith("The desk changed after this preview was made")
    assert row_texts(wizard)[0][COL_DECISION] == "Take theirs"  # kept
    wizard.apply()
    assert wizard.page() == RESULT
    assert ref_value(app.desk, "C-0003", "title") == "Anna's title"
    assert ref_value(app.desk, "C-0004", "next_steps") == "Meanwhile"


def test_a_value_typed_for_a_conflict_is_checked_against_its_field(pair, bens_app):
    anna, _ben = pair
    anna.edit("commitment", "C-0003", {"pledged_on": "2014-03"})
    app = bens_app
    app.context.data.actions.update("commitment", "C-0003", {"pledged_on": "2014-04"})
    wizard = merge_in_wizard(app, anna.send())
    wizard.go_next()
    page = wizard.conflicts_page
    page.table.selectRow(0)
    app.typed.append("next spring")
    page.edit_button.click()
    assert row_texts(wizard)[0][COL_DECISION] == "Decide later"  # not taken
    assert "Pledged" in page.count_label.text()
    app.typed.append("2014-03-24")
    page.edit_button.click()
    assert row_texts(wizard)[0][COL_DECISION] == "Edited: 2014-03-24"
    wizard.apply()
    assert wizard.page() == RESULT
    assert str(ref_value(app.desk, "C-0003", "pledged_on")) == "2014-03-24"
