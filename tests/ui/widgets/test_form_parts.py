"""The output-file field the briefing and export dialogs share."""

from PySide6.QtWidgets import QWidget

from nsdesk.ui.widgets.form_parts import OutputFileField


def field(tmp_path) -> OutputFileField:
    return OutputFileField(
        desk_folder=tmp_path,
        remembered_folder=None,
        suffix=".pdf",
        noun="the PDF file",
        description="The PDF file the pack is written to",
    )


def test_the_default_name_follows_until_the_user_types_a_path(qtbot, tmp_path):
    output = field(tmp_path)
    output.propose("pack-a")
    assert output.path() == tmp_path / "pack-a.pdf"
    qtbot.keyClicks(output.edit, "x")  # the user edits the field
    output.propose("pack-b")
    assert output.edit.text() == str(tmp_path / "pack-a") + "x"
    assert output.path() == tmp_path / "pack-ax.pdf"


def test_a_missing_folder_is_said_beside_the_field(qtbot, tmp_path):
    parent = QWidget()
    qtbot.addWidget(parent)
    output = field(tmp_path)
    output.set_path(tmp_path / "nowhere" / "pack.pdf")
    assert output.checked_path(parent) is None
    assert output.error.text() == f"The folder {tmp_path / 'nowhere'} does not exist."


def test_replacing_a_file_is_asked_unless_the_file_dialog_asked(qtbot, tmp_path, modal):
    parent = QWidget()
    qtbot.addWidget(parent)
    existing = tmp_path / "pack.pdf"
    existing.write_bytes(b"%PDF-")
    output = field(tmp_path)
    output.set_path(existing, confirmed=True)
    assert output.checked_path(parent) == existing
    output.set_path(existing)
    modal.click("No")
    assert output.checked_path(parent) is None
    assert modal.seen
