"""Alembic environment for desks.

Migrations never open their own connection: :func:`nsdesk.store.migrate.upgrade`
passes one that is already inside a transaction (with foreign keys off, as
SQLite's table-rebuild procedure requires), so a migration killed midway leaves
the desk exactly at its old version.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from alembic import context

# The live schema is only the target Alembic compares a desk with (to write the next
# migration); running a migration never reads it. The migrations themselves import
# nothing of nsdesk: each spells out the SQL it needs, as it was at its revision.
from nsdesk.store.search import is_search_table
from nsdesk.store.tables import metadata

if TYPE_CHECKING:
    from alembic.runtime.environment import NameFilterParentNames, NameFilterType


def include_name(
    name: str | None, type_: NameFilterType, parent_names: NameFilterParentNames
) -> bool:
    """Leave the full-text index (maintained by the search seam) out of comparisons."""
    return not (type_ == "table" and name and is_search_table(name))


connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("nsdesk migrations run through nsdesk.store.migrate, not the alembic CLI")

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=True,
    transactional_ddl=True,
    include_name=include_name,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
