"""Issue 18's figures for changes files, against raw ``json`` + ``gzip`` in the same run.

``python bench/changes_bench.py [--readme]`` prints ``BENCH …`` lines,
``changes-bench-figures <json>`` for ``run.py`` and ``changes-bench-hostile <json>``
(the per-file table of hostile refusals); with ``--readme`` it also rewrites that
table in ``bench/README.md`` (``run.py`` does it in a full run).

* **write** — ``write_changes`` of 10,000 field changes over 5,000 records (titles,
  narratives, next steps, statuses, themes; realistic lengths), given as a list,
  into a file: every change checked against the change log's schema, serialised,
  hashed, compressed, signed, the file fsynced and renamed into place. Against raw
  ``json`` + ``gzip``: the same changes serialised with the same encoder settings,
  one line each, through ``gzip.open(..., "wt")`` at the same compression level
  (6, zlib's default; ``gzip``'s own default, 9, is 2-3× slower here and would flatter
  the ratio). Interleaved, medians of ``NSDESK_BENCH_RUNS``.
* **encrypted write** — the same with a passphrase: scrypt (n=2^17, r=8: 128 MiB,
  most of the difference), then AES-256-GCM over the compressed contents.
* **read** — ``read_changes`` (snapshot, integrity, signature, trust, every change
  checked) and iterating every change, against raw ``gzip`` + ``json.loads`` of
  each line.
* **hostile files** — each case of ``tests/exchange/changes/hostile_changes.py``
  refused by ``read_changes``: time and ``tracemalloc`` peak.
"""

from __future__ import annotations

import gzip
import json
import os
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
import uuid
from dataclasses import asdict
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from run import Figure, replace_between  # noqa: E402

from nsdesk.domain.changes_errors import ChangesFileRefusedError  # noqa: E402
from nsdesk.exchange.changes import ChangesHeader, SigningKey, read_changes, write_changes  # noqa: E402
from nsdesk.exchange.changes.writer import COMPRESS_LEVEL  # noqa: E402
from nsdesk.services.merge.change_schema import change_schema  # noqa: E402

RUNS = int(os.environ.get("NSDESK_BENCH_RUNS", "7"))
CHANGES, RECORDS = 10_000, 5_000
PASSPHRASE = "correct horse battery staple"
_TEXT = (
    "the ministry will ratify amendment convention physical protection nuclear "
    "material facilities security culture insider threat training regulator review "
    "mission transport sources radioactive detection border forensics response "
    "exercise plan national legislation report progress implementation partners "
    "workshop funding"
)
_WORDS = _TEXT.split(" ")


def _text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(words)).capitalize() + "."


def sample_changes(seed: int = 2026) -> list[dict[str, Any]]:
    """10,000 field changes over 5,000 records, as the change log records them."""
    rng = random.Random(seed)
    records = [(str(uuid.UUID(int=rng.getrandbits(128), version=4)), i) for i in range(RECORDS)]
    fields = (
        ("commitment", "title", 12),
        ("commitment", "next_steps", 40),
        ("commitment", "talking_points", 60),
        ("status_entry", "narrative", 70),
        ("status_entry", "status", 0),
    )
    keys = change_schema().names
    result = []
    for n in range(CHANGES):
        record, number = records[n % RECORDS]
        table, field, words = fields[n % len(fields)]
        if words:
            old, new = _text(rng, words), _text(rng, words)
        else:
            old, new = "in_progress", "completed"
        change: dict[str, Any] = {
            "uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "at": f"2026-11-{1 + n % 28:02d}T{n % 24:02d}:{n % 60:02d}:00.{n % 999999:06d}+00:00",
            "actor": "anna@laptop-7",
            "channel": "typed",
            "action": "update",
            "record_table": table,
            "record_uuid": record,
            "record_label": f"C-{number:04d} {_text(rng, 6)}"[:200],
            "field": field,
            "old_value": old,
            "new_value": new,
            "operation_id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "note": None,
            "revision": n + 1,
            "parent_uuid": None,
            "replica_id": "7c1e9a0b-3d4f-4a5b-8c6d-0e1f2a3b4c5d",
            "hlc": f"{1764000000000 + n:015d}-00000-7c1e9a0b-3d4f-4a5b-8c6d-0e1f2a3b4c5d",
            "refs": None,
            "also_replaces": None,
        }
        result.append({key: change[key] for key in keys})  # the keys the change log has
    return result


def _header(changes: list[dict[str, Any]]) -> ChangesHeader:
    counts: dict[str, int] = {}
    for change in changes:
        counts[change["record_table"]] = counts.get(change["record_table"], 0) + 1
    return ChangesHeader(
        desk_uuid="5e1f0c3a-8d2b-4c6e-9a7f-1b2c3d4e5f60",
        schema_revision="0006",
        sender_replica="7c1e9a0b-3d4f-4a5b-8c6d-0e1f2a3b4c5d",
        sender_label="Anna's laptop",
        marking="RESTRICTED",
        counts=counts,
    )


def raw_write(path: Path, changes: list[dict[str, Any]]) -> None:
    """What a program with no checks, signature or encryption would do."""
    encoder = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=COMPRESS_LEVEL) as out:
        for change in changes:
            out.write(encoder.encode(change) + "\n")


def raw_read(path: Path) -> int:
    count = 0
    with gzip.open(path, "rt", encoding="utf-8") as source:
        for line in source:
            json.loads(line)
            count += 1
    return count


class _Trusting:
    def __init__(self, fingerprint: str):
        from nsdesk.exchange.changes import KeyState, KeyStatus

        self._fingerprint = fingerprint
        self._trusted = KeyStatus(KeyState.TRUSTED)
        self._unknown = KeyStatus(KeyState.UNKNOWN)

    def status(self, fingerprint: str):
        return self._trusted if fingerprint == self._fingerprint else self._unknown


def _expect(desk_uuid: str):
    from nsdesk.exchange.changes import Expectations
    from nsdesk.store.schema_revisions import SCHEMA_REVISIONS

    return Expectations(desk_uuid, SCHEMA_REVISIONS, change_schema())


def timings(work: Path) -> dict[str, list[float]]:
    """Every contender, interleaved, ``RUNS`` times each."""
    changes = sample_changes()
    header = _header(changes)
    key = SigningKey.generate()
    trust = _Trusting(key.fingerprint)
    expect = _expect(header.desk_uuid)
    found: dict[str, list[float]] = {
        name: [] for name in ("ours", "raw", "sealed", "read", "raw_read", "read_sealed")
    }
    sizes: dict[str, list[float]] = {"ours": [], "raw": [], "sealed": []}
    for run in range(RUNS):
        ours, raw, sealed = (work / f"{n}-{run}.nsdesk-changes" for n in ("ours", "raw", "sealed"))
        order = ("ours", "raw") if run % 2 == 0 else ("raw", "ours")
        for side in order:
            started = time.perf_counter()
            if side == "ours":
                write_changes(ours, header, changes, key, schema=change_schema())
            else:
                raw_write(raw, changes)
            found[side].append(time.perf_counter() - started)
        started = time.perf_counter()
        write_changes(sealed, header, changes, key, PASSPHRASE, schema=change_schema())
        found["sealed"].append(time.perf_counter() - started)
        started = time.perf_counter()
        with read_changes(ours, trust, expect=expect) as verified:
            count = sum(1 for _ in verified)
        found["read"].append(time.perf_counter() - started)
        assert count == CHANGES
        started = time.perf_counter()
        assert raw_read(raw) == CHANGES
        found["raw_read"].append(time.perf_counter() - started)
        started = time.perf_counter()
        with read_changes(sealed, trust, PASSPHRASE, expect=expect) as verified:
            count = sum(1 for _ in verified)
        found["read_sealed"].append(time.perf_counter() - started)
        for name, path in (("ours", ours), ("raw", raw), ("sealed", sealed)):
            sizes[name].append(path.stat().st_size)
            path.unlink()
    return found | {f"size_{k}": v for k, v in sizes.items()}


def hostile(work: Path) -> list[dict[str, Any]]:
    """Each hostile case refused: how long it took and the ``tracemalloc`` peak."""
    from tests.exchange.changes.forge import PASSPHRASE as TEST_PASSPHRASE
    from tests.exchange.changes.forge import Trust, expectations
    from tests.exchange.changes.hostile_changes import REPLAYED_ID, Keys, hostile_changes

    keys = Keys.new()
    files = hostile_changes(work / "hostile", keys)
    trust = Trust({keys.trusted.fingerprint}, {keys.revoked.fingerprint})
    expect = expectations({REPLAYED_ID: "before"})
    rows = []
    for case, found in files.items():
        tracemalloc.start()
        started = time.perf_counter()
        try:
            with read_changes(found.path, trust, TEST_PASSPHRASE, expect=expect) as verified:
                list(verified)
            refused = False
        except ChangesFileRefusedError as error:
            refused = found.says in str(error)
        seconds = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        rows.append(
            {
                "case": case,
                "size": found.path.stat().st_size,
                "refused": refused,
                "ms": seconds * 1000,
                "peak_mb": peak / 2**20,
            }
        )
    return rows


def hostile_table(rows: list[dict[str, Any]]) -> str:
    lines = [
        "| hostile changes file | size | refused as expected | read_changes | tracemalloc peak |",
        "|---|---|---|---|---|",
    ]
    for row in rows:
        size = row["size"]
        shown = f"{size / 2**20:.1f} MB" if size >= 2**20 else f"{size:,} bytes"
        lines.append(
            f"| `{row['case']}` | {shown} | {'yes' if row['refused'] else 'NO'} | "
            f"{row['ms']:.1f} ms | {row['peak_mb']:.2f} MB |"
        )
    return "\n".join(lines)


def figures(work: Path) -> tuple[list[Figure], str]:
    timed = timings(work)
    rows = hostile(work)
    med = statistics.median
    ours, raw, sealed = med(timed["ours"]), med(timed["raw"]), med(timed["sealed"])
    read, raw_read_s, read_sealed = (
        med(timed["read"]),
        med(timed["raw_read"]),
        med(timed["read_sealed"]),
    )
    size, raw_size = med(timed["size_ours"]), med(timed["size_raw"])
    worst = max(rows, key=lambda row: row["ms"])
    bomb = next(row for row in rows if row["case"] == "gzip_bomb")
    refused = sum(row["refused"] for row in rows)
    result = [
        Figure(
            "changes_write_ratio_10k",
            ours / raw,
            1.5,
            "×",
            f"write_changes of {CHANGES:,} field changes over {RECORDS:,} records (each checked, "
            f"serialised, hashed, compressed, signed; fsynced and renamed) {ours * 1000:.0f} ms, "
            f"{size / 1e6:.2f} MB, against raw json + gzip (level {COMPRESS_LEVEL}) of the same "
            f"changes {raw * 1000:.0f} ms, {raw_size / 1e6:.2f} MB; medians of {RUNS}",
        ),
        Figure(
            "changes_write_encrypted_ratio_10k",
            sealed / raw,
            None,
            "×",
            f"the same with a passphrase {sealed * 1000:.0f} ms (scrypt n=2^17 r=8, then "
            "AES-256-GCM chunks)",
        ),
        Figure(
            "changes_read_ratio_10k",
            read / raw_read_s,
            None,
            "×",
            f"read_changes and every change handed out {read * 1000:.0f} ms (snapshot, digest, "
            f"signature, trust, every change checked, then read again one at a time), against "
            f"raw gzip + json.loads of each line {raw_read_s * 1000:.0f} ms; encrypted "
            f"{read_sealed * 1000:.0f} ms",
        ),
        Figure(
            "changes_hostile_refusal_worst_ms",
            worst["ms"],
            None,
            "ms",
            f"the slowest refusal, {worst['case']} ({refused} of {len(rows)} hostile changes "
            f"files refused as expected; the gzip bomb, {bomb['size'] / 2**20:.1f} MB holding "
            f"1 GiB, refused after {bomb['ms']:.0f} ms with a {bomb['peak_mb']:.1f} MB peak)",
        ),
    ]
    return result, hostile_table(rows)


def main(argv: list[str]) -> int:
    with tempfile.TemporaryDirectory(prefix="nsdesk-changes-bench-") as folder:
        os.environ.setdefault("NSDESK_HOME", str(Path(folder) / "home"))
        found, table = figures(Path(folder))
    for figure in found:
        print(figure.line(), flush=True)
    print("changes-bench-figures " + json.dumps([asdict(f) for f in found]), flush=True)
    print("changes-bench-hostile " + json.dumps(table), flush=True)
    if "--readme" in argv:
        readme = HERE / "README.md"
        text = replace_between(
            readme.read_text("utf-8"),
            "<!-- changes-hostile:start -->",
            "<!-- changes-hostile:end -->",
            table,
        )
        readme.write_text(text, "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
