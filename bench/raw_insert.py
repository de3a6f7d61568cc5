"""Baseline: plain sqlite3 ``executemany`` of given rows into an empty desk schema.

    python raw_insert.py ROWS.pickle SCHEMA.sql OUT.sqlite

Prints ``raw_insert_seconds S``: the time of the inserts and the commit only,
with the same pragmas nsdesk uses (WAL, synchronous=FULL, foreign keys on).
"""

import pickle
import sqlite3
import sys
import time


def main() -> None:
    rows_path, schema_path, out = sys.argv[1:4]
    with open(rows_path, "rb") as handle:
        tables = pickle.load(handle)  # [(table, columns, rows)] in insertion order
    with open(schema_path, encoding="utf-8") as handle:
        schema = handle.read()
    connection = sqlite3.connect(out, isolation_level=None)
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA synchronous = FULL")
    connection.execute("PRAGMA foreign_keys = ON")
    connection.executescript(schema)
    started = time.perf_counter()
    connection.execute("BEGIN")
    for table, columns, rows in tables:
        marks = ", ".join("?" for _ in columns)
        names = ", ".join(f'"{c}"' for c in columns)
        connection.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', rows)
    connection.execute("COMMIT")
    print(f"raw_insert_seconds {time.perf_counter() - started:.6f}", flush=True)
    connection.close()


if __name__ == "__main__":
    main()
