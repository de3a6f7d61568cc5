"""The schema of a desk as text, for ``db/schema/<revision>.sql``.

    python -m nsdesk.store.schema_snapshot db/schema      (make schema-snapshot)

Each released schema revision is kept in ``db/`` as the exact SQL SQLite holds
for it; a test rebuilds every revision from the migrations and compares, so the
migrations can never silently drift from what old desks in the field contain.
"""

from __future__ import annotations

import sqlite3
import sys
import tempfile
from pathlib import Path

from nsdesk.store.desk_file import initialise_new_file
from nsdesk.store.migrate import SCHEMA_REVISIONS, upgrade


def schema_sql(path: Path) -> str:
    """The desk's schema: every table, index, trigger and view, in a stable order."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = connection.execute(
            "SELECT type, name, sql FROM sqlite_master "
            "WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY type, name"
        ).fetchall()
    finally:
        connection.close()
    return "".join(f"-- {kind} {name}\n{sql};\n\n" for kind, name, sql in rows)


def schema_at(revision: str) -> str:
    """The schema a brand-new file has once migrated to ``revision``."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "schema.nsdesk"
        initialise_new_file(path)
        upgrade(path, revision)
        return schema_sql(path)


def main(argv: list[str]) -> int:
    folder = Path(argv[0]) if argv else Path("db/schema")
    folder.mkdir(parents=True, exist_ok=True)
    for revision in SCHEMA_REVISIONS:
        target = folder / f"{revision}.sql"
        if not target.exists():
            target.write_text(schema_at(revision), "utf-8")
            print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
