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

_CONSTRAINT_STARTS = ("CONSTRAINT", "PRIMARY KEY", "FOREIGN KEY", "UNIQUE", "CHECK")


def _canonical(sql: str) -> str:
    """A CREATE TABLE with its constraint lines sorted: Alembic's table rebuilds
    write them in set order, which varies from one process to the next; the
    columns keep their real order."""
    if not sql.startswith("CREATE TABLE") or "\n" not in sql:
        return sql
    head, _, rest = sql.partition("(")
    body, _, tail = rest.rpartition(")")
    lines = [line.strip().rstrip(",").strip() for line in body.split("\n") if line.strip()]
    columns = [line for line in lines if not line.startswith(_CONSTRAINT_STARTS)]
    constraints = sorted(line for line in lines if line.startswith(_CONSTRAINT_STARTS))
    return f"{head}(\n\t" + ", \n\t".join(columns + constraints) + f"\n){tail}"


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
    return "".join(f"-- {kind} {name}\n{_canonical(sql)};\n\n" for kind, name, sql in rows)


def schema_at(revision: str) -> str:
    """The schema a brand-new file has once migrated to ``revision``."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "schema.nsdesk"
        initialise_new_file(path)
        upgrade(path, revision)
        return schema_sql(path)


def main(argv: list[str]) -> int:
    folder = Path(next((a for a in argv if not a.startswith("--")), "db/schema"))
    folder.mkdir(parents=True, exist_ok=True)
    rewrite = "--rewrite" in argv
    for revision in SCHEMA_REVISIONS:
        target = folder / f"{revision}.sql"
        if rewrite or not target.exists():
            target.write_text(schema_at(revision), "utf-8")
            print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
