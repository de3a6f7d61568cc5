"""The search dialog over a real demo desk, driven from the keyboard."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QDialog

from nsdesk.services.records.record_service import RecordService
from nsdesk.services.records.search import search_desk
from nsdesk.ui.workspace.search_dialog import (
    RESULT_ROLE,
    SearchDialog,
    accessible_text,
    group_heading,
    row_lines,
    tooltip_html,
)


@pytest.fixture
def dialog(qtbot, demo_desk) -> SearchDialog:
    dlg = SearchDialog(lambda q: search_desk(demo_desk, q))
    dlg.debounce_ms = 0  # search on every keystroke, at once
    qtbot.addWidget(dlg)
    dlg.show()
    return dlg


def headers(dlg):
    tree = dlg.results_tree
    return [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]


def current_result(dlg):
    item = dlg.results_tree.currentItem()
    return None if item is None else item.data(0, RESULT_ROLE)


def test_the_dialog_reads_as_a_search_box(dialog):
    assert dialog.windowTitle() == "Search the desk"
    assert dialog.query_edit.accessibleName() == "Search"
    assert dialog.query_edit.placeholderText() == (
        "Search commitments, history, gift baskets, documents, agencies"
    )


def test_typed_words_show_results_grouped_under_headers(qtbot, dialog, demo_desk):
    qtbot.keyClicks(dialog.query_edit, "forensics")
    expected = search_desk(demo_desk, "forensics")
    assert len(expected.groups) == 3  # commitments, progress entries, gift baskets
    assert [h.text(0) for h in headers(dialog)] == [
        group_heading(g.label, len(g.hits), g.more) for g in expected.groups
    ]
    assert headers(dialog)[0].text(0) == "Commitments (3)"
    for header, group in zip(headers(dialog), expected.groups, strict=True):
        assert header.isExpanded()
        assert not header.flags() & Qt.ItemFlag.ItemIsSelectable
        assert header.font(0).bold()
        children = [header.child(i).data(0, RESULT_ROLE) for i in range(header.childCount())]
        assert children == list(group.hits)
    assert not dialog.status_label.isVisible()
    dialog.grab()  # the delegate paints every kind of row without error


def test_the_search_waits_for_typing_to_pause(qtbot, demo_desk):
    asked = []

    def search(query):
        asked.append(query)
        return search_desk(demo_desk, query)

    dlg = SearchDialog(search)
    qtbot.addWidget(dlg)
    assert dlg.debounce_ms == SearchDialog.DEBOUNCE_MS > 0
    qtbot.keyClicks(dlg.query_edit, "forensics")
    assert dlg.results_tree.topLevelItemCount() == 0  # not yet
    qtbot.waitUntil(lambda: dlg.results_tree.topLevelItemCount() == 3)
    assert asked == ["forensics"]  # once, for the whole word


def test_down_then_enter_opens_the_chosen_result(qtbot, dialog, demo_desk):
    qtbot.keyClicks(dialog.query_edit, "marrakech")
    qtbot.keyClick(dialog.query_edit, Qt.Key.Key_Down)
    entry = current_result(dialog)
    assert entry.kind == "status_entry"
    with qtbot.waitSignal(dialog.result_chosen) as opened:
        qtbot.keyClick(dialog.query_edit, Qt.Key.Key_Return)
    assert opened.args == ["commitments", "C-0001"]
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.chosen == entry
    narrative = RecordService(demo_desk).values("status_entry", entry.detail_key)["narrative"]
    assert "Marrakech" in narrative


def test_up_and_down_skip_the_group_headers(qtbot, dialog):
    qtbot.keyClicks(dialog.query_edit, "forensics")
    commitments = [r.key for r in dialog.results.groups[0].hits]
    entries = dialog.results.groups[1].hits
    for _ in range(len(commitments) + 1):
        qtbot.keyClick(dialog.query_edit, Qt.Key.Key_Down)
    assert current_result(dialog) == entries[0]  # past "Progress entries (2)"
    qtbot.keyClick(dialog.query_edit, Qt.Key.Key_Up)
    assert current_result(dialog).key == commitments[-1]
    for _ in range(len(commitments)):
        qtbot.keyClick(dialog.query_edit, Qt.Key.Key_Up)
    assert dialog.results_tree.currentItem() is None  # up from the first: back to the box
    qtbot.keyClick(dialog.query_edit, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.query_edit, Qt.Key.Key_Down)
    with qtbot.waitSignal(dialog.result_chosen) as opened:
        qtbot.keyClick(dialog.query_edit, Qt.Key.Key_Enter)
    assert opened.args == ["commitments", commitments[1]]


def test_enter_without_choosing_opens_the_first_result(qtbot, dialog):
    qtbot.keyClicks(dialog.query_edit, "MFA")
    assert dialog.results_tree.currentItem() is None
    with qtbot.waitSignal(dialog.result_chosen) as opened:
        qtbot.keyClick(dialog.query_edit, Qt.Key.Key_Return)
    assert opened.args == ["agencies", "MFA"]


def test_enter_in_the_list_opens_its_current_result(qtbot, dialog):
    qtbot.keyClicks(dialog.query_edit, "insider")
    second = dialog.results.all_results()[1]
    qtbot.keyClick(dialog.query_edit, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.results_tree, Qt.Key.Key_Down)
    with qtbot.waitSignal(dialog.result_chosen) as opened:
        qtbot.keyClick(dialog.results_tree, Qt.Key.Key_Return)
    assert opened.args == [second.register, second.key]


def test_typing_in_the_list_goes_on_in_the_box(qtbot, dialog):
    qtbot.keyClicks(dialog.query_edit, "portal")
    qtbot.keyClicks(dialog.results_tree, " monit")
    assert dialog.query_edit.text() == "portal monit"
    assert "C-0008" in {r.key for r in dialog.results.all_results()}


def test_escape_closes_without_opening_anything(qtbot, dialog):
    qtbot.keyClicks(dialog.query_edit, "security")
    with qtbot.assertNotEmitted(dialog.result_chosen):
        qtbot.keyClick(dialog.query_edit, Qt.Key.Key_Escape)
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert not dialog.isVisible()


def test_no_matches_says_so_and_enter_does_nothing(qtbot, dialog):
    qtbot.keyClicks(dialog.query_edit, "zzqxj")
    assert dialog.results_tree.topLevelItemCount() == 0
    assert dialog.status_label.isVisible()
    assert dialog.status_label.text() == "No matches for “zzqxj”."
    with qtbot.assertNotEmitted(dialog.result_chosen):
        qtbot.keyClick(dialog.query_edit, Qt.Key.Key_Return)
    assert dialog.isVisible()
    dialog.query_edit.clear()
    assert not dialog.status_label.isVisible()  # an empty box is not "no matches"


def test_markup_in_a_title_is_shown_literally(qtbot, dialog, demo_desk):
    RecordService(demo_desk).create(
        "commitment", {"title": "<b>Zanzibar</b> & <i>drills</i>", "text": "Pemba <br> exercises"}
    )
    literal = "<b>Zanzibar</b> & <i>drills</i>"
    qtbot.keyClicks(dialog.query_edit, "zanzibar")
    (header,) = headers(dialog)
    item = header.child(0)
    result = item.data(0, RESULT_ROLE)
    assert result.title.endswith(" " + literal)
    assert item.text(0) == result.title
    # What is painted: plain strings, the markup among them as typed.
    title_line, _ = row_lines(result)
    assert "".join(text for text, _ in title_line) == result.title
    assert ("Zanzibar", True) in title_line
    # The tooltip is rich text: read it as Qt will, and the markup is still literal.
    shown = QTextDocument()
    shown.setHtml(item.toolTip(0))
    assert shown.toPlainText() == result.title
    assert accessible_text(result) == result.title

    dialog.query_edit.setText("pemba")  # found in the text: the snippet's line
    item = headers(dialog)[0].child(0)
    _, snippet_line = row_lines(item.data(0, RESULT_ROLE))
    assert snippet_line == (("Pemba", True), (" <br> exercises", False))
    shown.setHtml(item.toolTip(0))
    assert shown.toPlainText().splitlines()[-1] == "Pemba <br> exercises"
    dialog.grab()

    dialog.query_edit.setText("<i>nothing like it</i>")
    assert dialog.status_label.textFormat() == Qt.TextFormat.PlainText
    assert dialog.status_label.text() == "No matches for “<i>nothing like it</i>”."


def test_a_snippet_that_repeats_the_title_marks_the_title_instead(demo_desk):
    (hit,) = search_desk(demo_desk, "MFA").all_results()
    title, snippet = row_lines(hit)
    assert title == (("MFA", True), (" — Ministry of Foreign Affairs", False))
    assert snippet == ()
    assert tooltip_html(hit) == "<p><b>MFA</b> — Ministry of Foreign Affairs</p>"


def test_tab_goes_from_the_box_to_the_list_and_back(qtbot, dialog):
    qtbot.keyClicks(dialog.query_edit, "security")
    dialog.activateWindow()
    qtbot.waitUntil(dialog.query_edit.hasFocus)
    qtbot.keyClick(dialog.query_edit, Qt.Key.Key_Tab)
    assert dialog.results_tree.hasFocus()
    qtbot.keyClick(dialog.results_tree, Qt.Key.Key_Tab)
    assert dialog.query_edit.hasFocus()  # no trap: the list lets go
    qtbot.keyClick(dialog.query_edit, Qt.Key.Key_Backtab)
    assert dialog.results_tree.hasFocus()
