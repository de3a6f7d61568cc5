"""The store: the desk file, its mapped classes, migrations and queries.

SQLAlchemy lives here and in nothing below. SQLite-specific SQL is confined to
:mod:`nsdesk.store.desk_file` (pragmas, file checks) and :mod:`nsdesk.store.search`
(full-text search), so the same mapped classes can later run on PostgreSQL.
"""
