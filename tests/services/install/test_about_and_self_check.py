"""What this copy of nsdesk says it is, and the start-up self-check that refuses a
broken installation (fonts, defusedxml, resources, migrations)."""

import json
import shutil
import sqlite3
import tomllib
from pathlib import Path

import openpyxl
import pytest
import reportlab

from nsdesk import __version__, locations
from nsdesk.briefing.font_files import FONT_FILES, fonts_dir, missing_fonts
from nsdesk.exchange.xml_protection import defusedxml_problem
from nsdesk.services.install.about import app_folders, app_identity
from nsdesk.services.install.self_check import refusal_text, startup_problems
from nsdesk.store import schema_revisions
from nsdesk.store.migrate import SCHEMA_HEAD

REPOSITORY = Path(__file__).resolve().parents[3]


def test_the_package_version_is_pyprojects():
    """The bundle and wheel take their version from pyproject.toml; the app reports
    nsdesk.__version__. They must never disagree."""
    project = tomllib.loads((REPOSITORY / "pyproject.toml").read_text())["project"]
    assert __version__ == project["version"]


def test_the_identity_names_the_catalogue_schema_and_libraries():
    identity = app_identity()
    catalogue = json.loads(locations.catalogue_path().read_text())
    assert identity.version == __version__
    assert (identity.catalogue_version, identity.catalogue_as_of) == (
        catalogue["version"],
        catalogue["as_of"],
    )
    assert identity.schema_revision == SCHEMA_HEAD
    versions = {c.name: c.version for c in identity.components}
    assert versions["reportlab"] == reportlab.Version
    assert versions["openpyxl"] == openpyxl.__version__
    assert versions["SQLite"] == sqlite3.sqlite_version
    assert versions["Qt (PySide6)"][0] == "6"
    lines = identity.lines()
    assert lines[0] == f"nsdesk {__version__}"
    assert any(line.split() == ["reportlab", reportlab.Version] for line in lines)


def test_the_qt_actually_loaded_is_named_when_it_differs_from_the_binding():
    versions = {c.name: c.version for c in app_identity(qt_version="6.99.1").components}
    assert versions["Qt (PySide6)"].startswith("6.99.1 (PySide6 6.")


def test_the_folders_are_the_desks_its_backups_and_the_log(tmp_path):
    folders = app_folders(tmp_path / "a.nsdesk", tmp_path / "backups" / "uuid")
    assert folders.desks == tmp_path
    assert folders.backups == tmp_path / "backups" / "uuid"
    assert folders.logs == locations.log_dir()
    assert app_folders(None, None).desks == locations.desks_dir()


def test_this_installation_passes_its_self_check():
    assert startup_problems() == []


def test_a_missing_font_is_named(tmp_path):
    for name in FONT_FILES.values():
        shutil.copy(fonts_dir() / name, tmp_path / name)
    assert missing_fonts(tmp_path) == []
    (tmp_path / "NotoNaskhArabic-Bold.ttf").unlink()
    (tmp_path / "NotoSerif-Italic.ttf").write_text("<html>not a font</html>")
    problems = missing_fonts(tmp_path)
    assert problems == [
        f"the font NotoNaskhArabic-Bold.ttf is missing from {tmp_path}",
        f"{tmp_path / 'NotoSerif-Italic.ttf'} is not a font file",
    ]


def test_every_shipped_font_is_checked_the_cjk_one_included():
    """A font added to resources/fonts but not to the list would go unchecked: a
    bundle without it would start, then fail at the first pack in that script."""
    shipped = {path.name for path in fonts_dir().glob("*.ttf")}
    assert set(FONT_FILES.values()) == shipped
    assert "DroidSansFallback.ttf" in shipped


def test_a_bundle_without_the_cjk_font_refuses_to_start(tmp_path, monkeypatch, capsys):
    from nsdesk.cli import main

    resources = tmp_path / "resources"
    shutil.copytree(
        locations.resources_dir(), resources, ignore=shutil.ignore_patterns("DroidSans*")
    )
    monkeypatch.setattr(locations, "resources_dir", lambda: resources)
    assert startup_problems() == [
        f"the font DroidSansFallback.ttf is missing from {resources / 'fonts'}"
    ]
    desk = tmp_path / "never.nsdesk"
    assert main(["demo", str(desk)]) == 4
    assert "DroidSansFallback.ttf" in capsys.readouterr().err
    assert not desk.exists()


@pytest.mark.parametrize("setting", ["False", "false", "0", ""])
def test_defusedxml_switched_off_is_a_problem(monkeypatch, setting):
    monkeypatch.setenv("OPENPYXL_DEFUSEDXML", setting)
    problem = defusedxml_problem()
    assert problem is not None
    assert "OPENPYXL_DEFUSEDXML" in problem
    assert "OPENPYXL_DEFUSEDXML" in refusal_text(startup_problems())


def test_defusedxml_left_alone_or_true_is_sound(monkeypatch):
    monkeypatch.delenv("OPENPYXL_DEFUSEDXML", raising=False)
    assert defusedxml_problem() is None
    monkeypatch.setenv("OPENPYXL_DEFUSEDXML", "True")
    assert defusedxml_problem() is None


def test_a_missing_migration_is_named(tmp_path, monkeypatch):
    copy = tmp_path / "migrations"
    shutil.copytree(schema_revisions.MIGRATIONS_DIR, copy)
    monkeypatch.setattr(schema_revisions, "MIGRATIONS_DIR", copy)
    assert schema_revisions.missing_migrations() == []
    (next((copy / "versions").glob(f"{SCHEMA_HEAD}_*.py"))).unlink()
    assert schema_revisions.missing_migrations() == [
        f"the desk migrations {SCHEMA_HEAD} are missing from {copy}"
    ]
    (copy / "env.py").unlink()
    assert "missing" in schema_revisions.missing_migrations()[0]


def test_a_missing_resources_folder_is_said_once(monkeypatch):
    def gone():
        raise FileNotFoundError("resources")

    monkeypatch.setattr(locations, "resources_dir", gone)
    problems = startup_problems()
    assert problems.count("the resources folder (catalogue, fonts, icons) is missing") == 1
