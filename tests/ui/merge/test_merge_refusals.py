"""What the merge wizard refuses, and how it says so: a revoked key, a laptop that
signs with another key than before, an encrypted file's passphrase (wrong, then
right); what the conflicts window settles besides conflicts (two records made with
one number, a record retired on one side and edited on the other); a read-only desk."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from nsdesk.services.merge.conflicts import list_items
from nsdesk.services.merge.laptop_key import key_path
from nsdesk.services.merge.trust import revoke_key
from nsdesk.services.records.record_service import RecordService
from nsdesk.store import tables as t
from nsdesk.ui.merge.merge_wizard import PREVIEW, RESULT, VERIFY
from nsdesk.ui.merge.verify_page import REFUSED_STYLE
from tests.services.merge.laptops import profile
from tests.ui.merge.test_merge_journeys import merge_in_wizard, ref_value

# Laptops keep desk files: these tests copy one desk file to each officer's laptop.
# A travel copy merged back into a register on a server is tested beside them
# (test_register_merge.py, in the server-desk run).
pytestmark = pytest.mark.file_desk

PASSPHRASE = "correct horse battery"


def test_a_revoked_key_is_refused_in_a_sentence(pair, bens_app):
    anna, _ben = pair
    anna.edit("commitment", "C-0002", {"next_steps": "From a lost laptop"})
    path = anna.send()
    app = bens_app
    revoke_key(app.desk, anna.fingerprint)
    wizard = app.flow.start_merge(path)
    verify = wizard.verify_page
    said = verify.trust_label.text()
    assert said.startswith("This key was revoked in this desk (revoked ")
    assert said.endswith("nothing it signs is accepted. Nothing was changed.")
    assert verify.trust_label.styleSheet() == REFUSED_STYLE
    assert not verify.trust_check.isVisibleTo(wizard)
    assert not wizard.next_button.isEnabled()
    wizard.go_next()
    assert wizard.page() == VERIFY


def test_a_laptop_signing_with_another_key_than_before_is_refused(pair, bens_app):
    anna, _ben = pair
    anna.edit("commitment", "C-0002", {"next_steps": "First"})
    app = bens_app
    wizard = merge_in_wizard(app, anna.send())
    wizard.apply()
    wizard.accept()
    with profile(anna.home):
        from nsdesk.services.merge.laptop_key import laptop_key, replicas_dir

        key_path(replicas_dir()).unlink()
        new = laptop_key().fingerprint
    assert new != anna.fingerprint
    anna.edit("commitment", "C-0002", {"next_steps": "Second, under a new key"})
    wizard = app.flow.start_merge(anna.send())
    verify = wizard.verify_page
    assert verify.fingerprint_label.text() == new
    assert verify.trust_label.text().startswith(
        f"This laptop signed the files merged before with another key ({anna.fingerprint})"
    )
    assert not verify.trust_check.isVisibleTo(wizard)  # not trusted on the spot
    assert not wizard.next_button.isEnabled()
    assert ref_value(app.desk, "C-0002", "next_steps") == "First"


def test_an_encrypted_file_asks_its_passphrase_and_says_when_it_is_wrong(pair, bens_app):
    anna, _ben = pair
    anna.edit("commitment", "C-0002", {"next_steps": "Sealed"})
    path = anna.send(passphrase=PASSPHRASE)
    app = bens_app
    wizard = app.flow.start_merge(path)
    verify = wizard.verify_page
    assert verify.passphrase_edit.isVisibleTo(wizard)
    assert "encrypted: its name is inside" in verify.sender_label.text()
    assert not wizard.next_button.isEnabled()  # nothing typed yet
    verify.passphrase_edit.setText("not the passphrase")
    verify.passphrase_edit.textEdited.emit("not the passphrase")
    wizard.go_next()
    assert wizard.page() == VERIFY
    assert "passphrase" in verify.refusal.text().lower()
    verify.passphrase_edit.setText(PASSPHRASE)
    verify.passphrase_edit.textEdited.emit(PASSPHRASE)
    wizard.go_next()  # read with the passphrase
    assert verify.sender_label.text().startswith("anna, on ")
    assert verify.sender_label.text().endswith("(encrypted with a passphrase)")
    wizard.go_next()
    assert wizard.page() == PREVIEW
    wizard.apply()
    assert wizard.page() == RESULT
    assert ref_value(app.desk, "C-0002", "next_steps") == "Sealed"


def test_the_send_dialog_wants_the_passphrase_twice_and_writes_it_encrypted(bens_app):
    app = bens_app
    app.context.data.actions.update("commitment", "C-0002", {"next_steps": "To send"})
    dialog = app.flow.start_send()
    dialog.everything_radio.setChecked(True)
    dialog.passphrase_edit.setText(PASSPHRASE)
    dialog.again_edit.setText(PASSPHRASE + "!")
    out = app.ben.folder / "sealed.nsdesk-changes"
    dialog.output.set_path(out, confirmed=True)
    dialog.accept()
    assert dialog.passphrase_error.text() == "The two passphrases differ: type the same one twice."
    assert not out.exists()
    dialog.again_edit.setText(PASSPHRASE)
    dialog.accept()
    assert out.exists()
    box = app.flow.message_box
    assert "It is encrypted" in box.informativeText()


def test_the_conflicts_window_settles_a_clash_as_one_record_and_marks_a_review(pair, bens_app):
    anna, _ben = pair
    annas = anna.create("commitment", {"title": "Workshop", "pledged_on": "2016"})
    with anna.desk() as desk:
        RecordService(desk, anna.actor).retire("commitment", "C-0007")
    app = bens_app
    service = app.context.data.actions.service
    bens = service.create("commitment", {"title": "Workshop", "pledged_on": "2016"})
    app.context.data.actions.update("commitment", "C-0007", {"next_steps": "Still alive here"})
    wizard = merge_in_wizard(app, anna.send())
    wizard.apply()  # both left for later
    wizard.accept()
    dialog = app.flow.show_conflicts()
    kinds = [dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())]
    assert sorted(kinds) == ["Identity clash", "To review"]
    clash = kinds.index("Identity clash")
    dialog.table.selectRow(clash)
    assert not dialog.keep_button.isEnabled()
    assert dialog.same_button.isEnabled()
    dialog.same_button.click()
    assert "one record; the other copy is retired as " in dialog.status_label.text()
    with app.desk.connect() as connection:
        c = t.commitment
        retired = connection.execute(select(c.c.retired_at).where(c.c.uuid == annas)).scalar()
    assert retired is not None
    assert ref_value(app.desk, "C-0061", "uuid") == bens.uuid
    dialog.table.selectRow(0)
    assert dialog.items[0].kind.value == "review"
    assert "retired on another laptop" in dialog.table.item(0, 1).text()
    dialog.reviewed_button.click()
    assert list_items(app.desk) == []
    assert app.flow.badge.isHidden()


def test_a_read_only_desk_sends_but_does_not_merge(pair, window, context, monkeypatch):
    from nsdesk.ui.desk.opening_flow import open_desk_into
    from nsdesk.ui.merge.merge_flow import MergeFlow

    _anna, ben = pair
    monkeypatch.setenv("NSDESK_HOME", str(ben.home))
    context.read_only = True
    assert open_desk_into(context, window, ben.path)
    flow = MergeFlow(context, window)
    actions = window.actions_
    assert actions.send_changes.isEnabled()
    assert not actions.merge_changes.isEnabled()
    assert actions.merge_history.isEnabled()
    assert flow.start_merge() is None
    assert "Nothing can be merged: the desk is read-only" in window.statusBar().currentMessage()
    assert flow.start_send() is not None
