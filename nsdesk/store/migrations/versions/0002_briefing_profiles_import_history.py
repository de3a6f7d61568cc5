"""Briefing profiles, the import history, and who prepares the packs.

Adds what the briefing-pack and workbook-exchange work store in a desk: named
briefing profiles, the history of imported workbooks (each import undoable as a
whole, so history entries point to the import that wrote them), remembered column
mappings of foreign tables, and the "prepared by" line of a pack's cover.

Adding the foreign key rebuilds ``status_entry`` on SQLite (which cannot add a
constraint in place), and a rebuilt table loses its triggers: the full-text
triggers of history entries are installed again afterwards. PostgreSQL alters the
table in place.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 09:14:10.828562
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# History entries' full-text triggers, as at this revision (frozen with the migration).
STATUS_ENTRY_FTS5_TRIGGERS = (
    "DROP TRIGGER IF EXISTS fts_status_entry_ai",
    "DROP TRIGGER IF EXISTS fts_status_entry_ad",
    "DROP TRIGGER IF EXISTS fts_status_entry_au",
    "CREATE TRIGGER fts_status_entry_ai AFTER INSERT ON status_entry BEGIN "
    "INSERT INTO fts_status_entry(rowid, narrative, evidence) "
    "VALUES (new.id, new.narrative, new.evidence); END",
    "CREATE TRIGGER fts_status_entry_ad AFTER DELETE ON status_entry BEGIN "
    "INSERT INTO fts_status_entry(fts_status_entry, rowid, narrative, evidence) "
    "VALUES ('delete', old.id, old.narrative, old.evidence); END",
    "CREATE TRIGGER fts_status_entry_au AFTER UPDATE OF narrative, evidence ON status_entry "
    "BEGIN INSERT INTO fts_status_entry(fts_status_entry, rowid, narrative, evidence) "
    "VALUES ('delete', old.id, old.narrative, old.evidence); "
    "INSERT INTO fts_status_entry(rowid, narrative, evidence) "
    "VALUES (new.id, new.narrative, new.evidence); END",
)


revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "briefing_profile",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("sections", sa.JSON(), nullable=False),
        sa.Column("options", sa.JSON(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_briefing_profile")),
        sa.UniqueConstraint("name", name=op.f("uq_briefing_profile_name")),
        sa.UniqueConstraint("uuid", name=op.f("uq_briefing_profile_uuid")),
    )
    op.create_table(
        "column_mapping",
        sa.Column("source_key", sa.String(length=200), nullable=False),
        sa.Column("mapping", sa.JSON(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_column_mapping")),
        sa.UniqueConstraint("source_key", name=op.f("uq_column_mapping_source_key")),
        sa.UniqueConstraint("uuid", name=op.f("uq_column_mapping_uuid")),
    )
    op.create_table(
        "import_batch",
        sa.Column("file_name", sa.String(length=260), nullable=False),
        sa.Column("file_sha256", sa.String(length=64), nullable=False),
        sa.Column("workbook_kind", sa.String(length=40), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=True),
        sa.Column("export_id", sa.String(length=36), nullable=True),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column("operation_id", sa.String(length=36), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=True),
        sa.Column("undone_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("undo_operation_id", sa.String(length=36), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agency.id"], name=op.f("fk_import_batch_agency_id_agency")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_batch")),
        sa.UniqueConstraint("uuid", name=op.f("uq_import_batch_uuid")),
    )
    with op.batch_alter_table("import_batch", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_import_batch_operation_id"), ["operation_id"], unique=False
        )

    with op.batch_alter_table("desk_settings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("prepared_by", sa.String(length=200), nullable=True))

    with op.batch_alter_table("status_entry", schema=None) as batch_op:
        batch_op.add_column(sa.Column("import_batch_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_status_entry_import_batch_id"), ["import_batch_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_status_entry_import_batch_id_import_batch"),
            "import_batch",
            ["import_batch_id"],
            ["id"],
        )

    # SQLite rebuilt the table above, losing its triggers; PostgreSQL altered it in
    # place, keeping its search index.
    if op.get_bind().dialect.name == "sqlite":
        for statement in STATUS_ENTRY_FTS5_TRIGGERS:
            op.execute(statement)


def downgrade() -> None:
    raise NotImplementedError("nsdesk never migrates a desk downwards; restore a backup instead")
