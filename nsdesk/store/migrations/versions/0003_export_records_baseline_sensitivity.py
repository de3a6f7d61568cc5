"""The desk's record of its exports, and a sensitivity for baselines.

Adds what lets an import trust the desk rather than the file: every workbook the
desk writes (its export id, kind, ministry, ceiling, marking, who, when, the file's
name and SHA-256) and every record it sent, with a fingerprint of each value as
sent. A returned workbook is then judged against that record, never against what
its own hidden sheets say.

Baselines gain a sensitivity like the other records that can leave the desk.
Existing baselines take the desk's default marking: the column is added empty,
filled from ``desk_settings``, then made required with its foreign key (one table
rebuild each; ``baseline`` has no full-text triggers to reinstall).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06 15:29:18.584732
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "workbook_export",
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=True),
        sa.Column("ceiling", sa.String(length=32), nullable=False),
        sa.Column("marking", sa.String(length=32), nullable=False),
        sa.Column("exported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column("file_name", sa.String(length=260), nullable=False),
        sa.Column("file_sha256", sa.String(length=64), nullable=False),
        sa.Column("sheets", sa.JSON(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agency.id"], name=op.f("fk_workbook_export_agency_id_agency")
        ),
        sa.ForeignKeyConstraint(
            ["ceiling"],
            ["marking_level.code"],
            name=op.f("fk_workbook_export_ceiling_marking_level"),
            onupdate="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["marking"],
            ["marking_level.code"],
            name=op.f("fk_workbook_export_marking_marking_level"),
            onupdate="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workbook_export")),
        sa.UniqueConstraint("uuid", name=op.f("uq_workbook_export_uuid")),
    )
    op.create_table(
        "workbook_export_row",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("export_id", sa.Integer(), nullable=False),
        sa.Column("sheet", sa.String(length=40), nullable=False),
        sa.Column("record_uuid", sa.String(length=36), nullable=False),
        sa.Column("record_key", sa.String(length=200), nullable=True),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("locked", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["export_id"],
            ["workbook_export.id"],
            name=op.f("fk_workbook_export_row_export_id_workbook_export"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workbook_export_row")),
        sa.UniqueConstraint(
            "export_id",
            "sheet",
            "record_uuid",
            name=op.f("uq_workbook_export_row_export_id_sheet_record_uuid"),
        ),
    )

    with op.batch_alter_table("baseline", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sensitivity", sa.String(length=32), nullable=True))
    op.execute("UPDATE baseline SET sensitivity = (SELECT default_sensitivity FROM desk_settings)")
    with op.batch_alter_table("baseline", schema=None) as batch_op:
        batch_op.alter_column("sensitivity", existing_type=sa.String(length=32), nullable=False)
        batch_op.create_index(batch_op.f("ix_baseline_sensitivity"), ["sensitivity"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_baseline_sensitivity_marking_level"),
            "marking_level",
            ["sensitivity"],
            ["code"],
            onupdate="CASCADE",
        )


def downgrade() -> None:
    raise NotImplementedError("nsdesk never migrates a desk downwards; restore a backup instead")
