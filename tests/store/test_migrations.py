"""Migrations: the head agrees with the mapped classes, every released schema in
db/ is reproduced exactly, newer desks are refused, failures roll back whole."""

import ast
import shutil
import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from nsdesk.domain.errors import MigrationError, NewerSchemaError
from nsdesk.services.backups.check import check_desk
from nsdesk.services.desk import open_desk
from nsdesk.store import migrate
from nsdesk.store.desk_file import create_desk_engine, initialise_new_file
from nsdesk.store.schema_snapshot import schema_at
from nsdesk.store.search import INDEXED_KINDS, is_search_table
from nsdesk.store.tables import metadata

DB = Path(__file__).resolve().parents[2] / "db"


def test_the_mapped_classes_and_the_migration_head_agree(new_desk_path):
    engine = create_desk_engine(new_desk_path, read_only=True)
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={
                "compare_type": True,
                "include_name": lambda n, t, _p: not (t == "table" and is_search_table(n)),
            },
        )
        assert compare_metadata(context, metadata) == []
        fts = {
            r[0]
            for r in connection.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE sql LIKE 'CREATE VIRTUAL TABLE%'"
            )
        }
        # The migrations spell the index out; the live search must read what they built.
        indexed = {
            kind.table: tuple(
                r[1] for r in connection.exec_driver_sql(f"PRAGMA table_info(fts_{kind.table})")
            )
            for kind in INDEXED_KINDS
        }
    engine.dispose()
    assert fts == {f"fts_{kind.table}" for kind in INDEXED_KINDS}
    assert indexed == {kind.table: kind.columns for kind in INDEXED_KINDS}


def test_the_migrations_import_nothing_of_the_live_application():
    """A migration runs as it ran when it was released: it may use Alembic and
    SQLAlchemy, never a module of nsdesk whose later change would change it."""
    for script in sorted((migrate.MIGRATIONS_DIR / "versions").glob("*.py")):
        imported = {
            alias.name if isinstance(node, ast.Import) else node.module or ""
            for node in ast.walk(ast.parse(script.read_text("utf-8")))
            if isinstance(node, ast.Import | ast.ImportFrom)
            for alias in node.names
        }
        assert not {name for name in imported if name.split(".")[0] == "nsdesk"}, script.name


def test_the_known_revisions_are_the_alembic_chain():
    script = ScriptDirectory(str(migrate.MIGRATIONS_DIR))
    chain = [rev.revision for rev in reversed(list(script.walk_revisions()))]
    assert tuple(chain) == migrate.SCHEMA_REVISIONS


@pytest.mark.parametrize("revision", migrate.SCHEMA_REVISIONS)
def test_every_released_schema_in_db_is_reproduced_exactly(revision):
    snapshot = DB / "schema" / f"{revision}.sql"
    assert snapshot.exists(), f"db/schema/{revision}.sql is missing: run make schema-snapshot"
    assert schema_at(revision) == snapshot.read_text("utf-8")


def test_the_sample_desk_of_every_release_opens_and_is_sound(tmp_path):
    for sample in sorted((DB / "desks").glob("*.nsdesk")):
        copy = Path(shutil.copy(sample, tmp_path / sample.name))
        with open_desk(copy, backups_root=tmp_path / "backups") as desk:
            assert desk.info().own_state_code == "NLD"
        report = check_desk(copy)
        assert report.sound, report.problems
        live = {c.kind: c.live for c in report.counts}
        assert all(live[kind] >= 1 for kind in live), live


def test_a_desk_from_a_newer_nsdesk_is_refused_and_untouched(new_desk_path):
    connection = sqlite3.connect(new_desk_path)
    connection.execute("UPDATE alembic_version SET version_num = '0999'")
    connection.commit()
    connection.close()
    before = new_desk_path.read_bytes()
    with pytest.raises(NewerSchemaError, match=r"newer version of nsdesk \(schema 0999\)") as error:
        open_desk(new_desk_path)
    assert "nothing was changed" in str(error.value)
    assert new_desk_path.read_bytes() == before


def migrations_with_one_more(folder: Path, upgrade_body: str) -> Path:
    """A copy of the migrations in ``folder`` with a revision 9001 after the head,
    whose ``upgrade()`` is ``upgrade_body`` (indented lines)."""
    scripts = folder / "migrations"
    shutil.copytree(migrate.MIGRATIONS_DIR, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    (scripts / "versions" / "9001_rehearsal.py").write_text(
        "from alembic import op\nimport sqlalchemy as sa\n"
        f"revision = '9001'\ndown_revision = '{migrate.SCHEMA_HEAD}'\n"
        "branch_labels = None\ndepends_on = None\n"
        f"def upgrade():\n{upgrade_body}"
        "def downgrade():\n    pass\n"
    )
    return scripts


def test_a_migration_that_fails_midway_leaves_nothing_behind(tmp_path, monkeypatch):
    # A new file runs every migration in one transaction: the last one fails after
    # every earlier revision, and its own first step, has run.
    scripts = migrations_with_one_more(
        tmp_path,
        "    op.create_table('half_done', sa.Column('id', sa.Integer, primary_key=True))\n"
        "    raise OSError('power cut')\n",
    )
    monkeypatch.setattr(migrate, "MIGRATIONS_DIR", scripts)
    path = tmp_path / "fresh.nsdesk"
    initialise_new_file(path)
    with pytest.raises(MigrationError, match=r"power cut.*nothing was changed"):
        migrate.upgrade(path)
    connection = sqlite3.connect(path)
    tables = connection.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()[0]
    connection.close()
    assert tables == 0


@pytest.fixture
def next_revision(tmp_path, monkeypatch):
    """A copy of the migrations with one more revision, as a later nsdesk would ship."""
    scripts = migrations_with_one_more(
        tmp_path,
        "    with op.batch_alter_table('commitment') as batch:\n"
        "        batch.add_column(sa.Column('rehearsal', sa.String(20), nullable=True))\n",
    )
    monkeypatch.setattr(migrate, "MIGRATIONS_DIR", scripts)
    monkeypatch.setattr(migrate, "SCHEMA_REVISIONS", (*migrate.SCHEMA_REVISIONS, "9001"))
    monkeypatch.setattr(migrate, "SCHEMA_HEAD", "9001")
    monkeypatch.setattr("nsdesk.services.desk.SCHEMA_HEAD", "9001")
    return "9001"


def test_opening_an_older_desk_backs_it_up_then_migrates_keeping_every_row(
    demo_desk_path, tmp_path, next_revision
):
    def rows(path):
        connection = sqlite3.connect(path)
        tables = [
            r[0]
            for r in connection.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'fts_%' "
                "AND name NOT LIKE 'sqlite_%' AND name != 'alembic_version'"
            )
        ]
        content = {t: sorted(map(repr, connection.execute(f'SELECT * FROM "{t}"'))) for t in tables}
        connection.close()
        return content

    before = rows(demo_desk_path)
    desk = open_desk(demo_desk_path, backups_root=tmp_path / "backups")
    desk.close()
    backups = list((tmp_path / "backups").rglob("*.nsdesk"))
    assert len(backups) == 1
    assert "before-migration" in backups[0].name
    assert rows(backups[0]) == before
    after = rows(demo_desk_path)
    # every row kept; commitments gained the new, empty column
    assert after.keys() == before.keys()
    for table, content in before.items():
        if table != "commitment":
            assert after[table] == content, table
    assert len(after["commitment"]) == len(before["commitment"])
    assert check_desk(demo_desk_path).schema_revision == next_revision


def all_rows(path, *, except_columns=()):
    """Every row of every table (search tables aside), as comparable text."""
    connection = sqlite3.connect(path)
    tables = [
        r[0]
        for r in connection.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'fts_%' "
            "AND name NOT LIKE 'sqlite_%' AND name != 'alembic_version'"
        )
    ]
    content = {}
    for table in tables:
        columns = [
            r[1]
            for r in connection.execute(f'PRAGMA table_info("{table}")')
            if (table, r[1]) not in except_columns
        ]
        names = ", ".join(f'"{c}"' for c in columns)
        content[table] = sorted(map(repr, connection.execute(f'SELECT {names} FROM "{table}"')))
    connection.close()
    return content


#: The columns each revision added to tables that existed before it (empty in an old desk).
ADDED_COLUMNS = {
    "0002": {("status_entry", "import_batch_id"), ("desk_settings", "prepared_by")},
    "0003": {("baseline", "sensitivity")},
    "0004": {("audit_entry", c) for c in ("revision", "parent_uuid", "replica_id", "hlc")},
    "0005": {
        *(
            (table, column)
            for table in ("participation", "milestone")
            for column in ("catalogue_key", "confidence", "as_of", "catalogue_values")
        ),
        ("participation", "listed_standing"),
        ("membership_snapshot", "signatory_count"),
        ("membership_snapshot", "includes_organisations"),
        ("membership_snapshot", "member_list_complete"),
    },
    "0007": {("audit_entry", "refs"), ("audit_entry", "also_replaces")},
}


@pytest.mark.parametrize(
    "sample", sorted(p.name for p in (DB / "desks").glob("*.nsdesk")), ids=lambda n: n[:4]
)
def test_every_released_desk_migrates_keeping_every_row(tmp_path, sample):
    revision = sample[:4]
    desk = Path(shutil.copy(DB / "desks" / sample, tmp_path / "old.nsdesk"))
    before = all_rows(desk)
    with open_desk(desk, backups_root=tmp_path / "backups") as opened:
        assert opened.schema_revision == migrate.SCHEMA_HEAD
        default = opened.info().default_sensitivity
    added = set().union(*(cols for rev, cols in ADDED_COLUMNS.items() if rev > revision))
    after = all_rows(desk, except_columns=added)
    for table, rows in before.items():
        assert after[table] == rows, table
    assert {"briefing_profile", "import_batch", "column_mapping"} <= set(after)
    assert after["workbook_export"] == after["workbook_export_row"] == []
    if revision < "0003":  # baselines frozen before take the desk's default marking
        connection = sqlite3.connect(desk)
        levels = connection.execute("SELECT DISTINCT sensitivity FROM baseline").fetchall()
        connection.close()
        assert before["baseline"]
        assert levels == [(default,)]
    assert check_desk(desk).sound


def test_search_still_follows_history_entries_after_the_table_was_rebuilt(tmp_path):
    from nsdesk.services.records.record_service import RecordService
    from nsdesk.store.search import Fts5Search

    desk = Path(shutil.copy(DB / "desks" / "0001-sample.nsdesk", tmp_path / "old.nsdesk"))
    with open_desk(desk, backups_root=tmp_path / "backups") as opened:
        records = RecordService(opened)
        ref = records.create("commitment", {"title": "Searchable"}).key
        records.record_progress(ref, status="in progress", narrative="Zuiderzee consultation")
        with opened.connect() as connection:
            search = Fts5Search()
            assert [h.kind for h in search.search(connection, "zuiderzee")] == ["status_entry"]
            assert search.search(connection, "Under way")  # an entry made before migrating
            assert search.problems(connection) == []


SLOW_MIGRATION = """
import os, time
from alembic import op
revision = '9002'
down_revision = '{head}'
branch_labels = None
depends_on = None
def upgrade():
    op.execute("CREATE TABLE half_migrated (x INTEGER)")
    op.execute("UPDATE commitment SET title = title || ' (migrating)'")
    open(os.environ["MIGRATION_MARKER"], "w").write("inside")
    time.sleep(600)
def downgrade():
    pass
"""

RUN_MIGRATION = """
import sys
from pathlib import Path
from nsdesk.store import migrate
migrate.MIGRATIONS_DIR = Path(sys.argv[2])
migrate.upgrade(Path(sys.argv[1]))
"""


def test_a_migration_killed_midway_leaves_the_desk_at_its_old_version(new_desk_path, tmp_path):
    import time

    from tests.support.processes import kill_hard, python

    scripts = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS_DIR, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    (scripts / "versions" / "9002_slow.py").write_text(
        SLOW_MIGRATION.format(head=migrate.SCHEMA_HEAD)
    )
    marker = tmp_path / "marker"
    titles_before = all_rows(new_desk_path)["commitment"]
    child = python(
        RUN_MIGRATION, str(new_desk_path), str(scripts), env={"MIGRATION_MARKER": str(marker)}
    )
    deadline = time.monotonic() + 60
    while not marker.exists() and time.monotonic() < deadline and child.poll() is None:
        time.sleep(0.05)
    assert marker.exists(), child.stderr.read()
    kill_hard(child)  # midway: a table created, rows changed, nothing committed
    report = check_desk(new_desk_path)
    assert report.sound
    assert report.schema_revision == migrate.SCHEMA_HEAD
    assert "half_migrated" not in all_rows(new_desk_path)
    assert all_rows(new_desk_path)["commitment"] == titles_before
    with open_desk(new_desk_path) as reopened:
        assert reopened.info().own_state_code == "NLD"
