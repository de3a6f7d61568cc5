"""Every party's participation from the catalogue, and what a membership count covers.

Participation rows and their milestones may now come from the catalogue, as the
depositary's facts about any state (signature, consent and its kind, deposit,
entry into force): each gains the catalogue's key, confidence, as-of date and the
values last applied (the base of the three-way merge with a newer catalogue), and
a participation keeps the standing its source lists (``listed_standing``), because
some sources say "party" without a date. The desk's own domestic milestones stay
rows without a catalogue key: the user's.

A membership snapshot says how many had only signed (``signatory_count``), whether
its count takes in international organisations (``includes_organisations``) and
whether its linked members are the whole list (``member_list_complete``), so a
count with a partial list never reads as "we are not listed".

Every column is added in place (``ALTER TABLE ADD COLUMN``), the keys' uniqueness
as unique indexes: no table is rebuilt, so the revision costs a new desk next to
nothing. Existing rows keep every value; the new columns start empty ("not known").

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _catalogue_columns(table: str) -> None:
    op.add_column(table, sa.Column("catalogue_key", sa.String(length=80), nullable=True))
    op.add_column(table, sa.Column("confidence", sa.String(length=40), nullable=True))
    op.add_column(table, sa.Column("as_of", sa.String(length=10), nullable=True))
    op.add_column(table, sa.Column("catalogue_values", sa.JSON(), nullable=True))
    op.create_index(op.f(f"ix_{table}_catalogue_key"), table, ["catalogue_key"], unique=True)


def upgrade() -> None:
    _catalogue_columns("participation")
    op.add_column("participation", sa.Column("listed_standing", sa.String(length=40)))
    _catalogue_columns("milestone")
    op.add_column("membership_snapshot", sa.Column("signatory_count", sa.Integer()))
    op.add_column("membership_snapshot", sa.Column("includes_organisations", sa.Boolean()))
    op.add_column("membership_snapshot", sa.Column("member_list_complete", sa.Boolean()))


def downgrade() -> None:
    raise NotImplementedError("nsdesk never migrates a desk downwards; restore a backup instead")
