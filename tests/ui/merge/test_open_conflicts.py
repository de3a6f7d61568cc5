"""What a merge leaves open shows wherever the user looks: a badge in the status bar,
a "Conflicts" filter in the register, a marker on the field in the record's editor
(settled from there), and the laptop each change came from in the History."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from nsdesk.services.merge.conflicts import list_items
from nsdesk.store import tables as t
from tests.ui.merge.test_merge_journeys import merge_in_wizard

# Laptops keep desk files: these tests copy one desk file to each officer's laptop.
# A travel copy merged back into a register on a server is tested beside them
# (test_register_merge.py, in the server-desk run).
pytestmark = pytest.mark.file_desk


def title_of(desk, ref: str) -> str:
    with desk.connect() as connection:
        c = t.commitment
        return connection.execute(select(c.c.title).where(c.c.ref == ref)).scalar()


def test_an_open_conflict_is_badged_filtered_marked_and_settled_from_the_field(pair, bens_app):
    anna, _ben = pair
    anna.edit("commitment", "C-0003", {"title": "Anna's title"})
    app = bens_app
    app.context.data.actions.update("commitment", "C-0003", {"title": "Ben's title"})
    wizard = merge_in_wizard(app, anna.send())
    wizard.apply()  # every conflict left for later
    wizard.accept()
    window = app.window
    assert app.flow.badge.text() == "⚠ 1 open conflict"
    assert not app.flow.badge.isHidden()

    window.workspace.show_page("commitments")
    view = window.workspace.current_register()
    total = view.model.rowCount()
    assert view.filter_bar.conflicts_check.isVisibleTo(view)  # offered: something is open
    view.filter_bar.conflicts_check.setChecked(True)
    assert [view.model.key_at(r) for r in range(view.model.rowCount())] == ["C-0003"]
    assert view.filter_bar.count_label.text() == f"1 of {total:,} commitments"

    assert view.select_key("C-0003")
    marked = view.editor.marked()
    assert list(marked) == ["title"]
    assert "This desk: Ben's title" in marked["title"]
    assert "Theirs: Anna's title\n    set by anna@laptop, " in marked["title"]
    assert marked["title"].split("\n")[4].endswith(", on anna")  # which laptop
    assert view.editor.marked() == {"title": marked["title"]}
    assert view.editor.fields["title"].marker.isVisibleTo(view)

    view.editor.fields["title"].take_action.trigger()
    assert title_of(app.desk, "C-0003") == "Anna's title"
    assert view.editor.fields["title"].text() == "Anna's title"
    assert view.editor.marked() == {}
    assert list_items(app.desk) == []
    assert app.flow.badge.isHidden()
    # The record settled stays in view (as after any edit); the filter set again
    # finds nothing open any more.
    assert view.current_key() == "C-0003"
    view.filter_bar.conflicts_check.setChecked(False)
    assert view.model.rowCount() == total
    view.filter_bar.conflicts_check.setChecked(True)
    assert view.model.rowCount() == 0
    view.filter_bar.conflicts_check.setChecked(False)
    window.workspace.reload()
    assert not view.filter_bar.conflicts_check.isVisibleTo(view)  # nothing open: not offered

    # The History names the laptop each change came from.
    window.workspace.show_page("history")
    history = window.workspace.history_view
    laptops = {
        history.model.row_at(r).laptop
        for r in range(history.model.rowCount())
        if "Anna's title" in (history.model.row_at(r).new_value or "")
    }
    # Anna's edit came from her laptop; the settlement that took it was made here.
    assert laptops == {"anna", "this desk"}
    assert history.model.headers[:3] == ("When", "Who", "Laptop")


def test_editing_a_field_in_conflict_settles_it_and_the_badge_follows(pair, bens_app):
    anna, _ben = pair
    anna.edit("commitment", "C-0003", {"title": "Anna's title"})
    app = bens_app
    app.context.data.actions.update("commitment", "C-0003", {"title": "Ben's title"})
    wizard = merge_in_wizard(app, anna.send())
    wizard.apply()
    wizard.accept()
    assert not app.flow.badge.isHidden()
    app.context.data.actions.update("commitment", "C-0003", {"title": "A title both agree on"})
    assert list_items(app.desk) == []
    assert app.flow.badge.isHidden()
