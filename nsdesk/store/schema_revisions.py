"""The desk schema revisions this version knows, and where their migrations are.

Plain constants with no SQLAlchemy, so ``nsdesk --version`` and the start-up
self-check can name and find them without importing the database stack.
"""

from __future__ import annotations

from pathlib import Path

MIGRATIONS_DIR = Path(__file__).with_name("migrations")

SCHEMA_REVISIONS: tuple[str, ...] = ("0001", "0002", "0003", "0004", "0005", "0006", "0007")
"""Every schema revision this version knows, oldest first; the last is the head.
Kept in step with ``migrations/versions`` by a test, so opening a desk can check
its revision without importing Alembic."""

SCHEMA_HEAD = SCHEMA_REVISIONS[-1]


def missing_migrations() -> list[str]:
    """The migration files absent from this installation, each as a sentence."""
    if not (MIGRATIONS_DIR / "env.py").is_file():
        return [f"the desk migrations are missing from {MIGRATIONS_DIR}"]
    present = {path.name.split("_", 1)[0] for path in (MIGRATIONS_DIR / "versions").glob("*.py")}
    absent = [revision for revision in SCHEMA_REVISIONS if revision not in present]
    if absent:
        return [f"the desk migrations {', '.join(absent)} are missing from {MIGRATIONS_DIR}"]
    return []
