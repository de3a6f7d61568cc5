"""Alembic migrations of the desk schema (shipped inside the package)."""
