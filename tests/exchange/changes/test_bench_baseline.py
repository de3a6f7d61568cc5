"""The changes-file benchmark's raw side must write exactly the changes nsdesk
writes, or its ratio lies."""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

from nsdesk.exchange.changes import SigningKey, read_changes, write_changes
from nsdesk.services.merge.change_schema import change_schema
from tests.exchange.changes.forge import Trust, expectations

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bench"))

import changes_bench as bench


def test_the_raw_side_writes_the_same_changes_nsdesk_writes(tmp_path):
    changes = bench.sample_changes()
    assert len(changes) == 10_000
    assert len({c["record_uuid"] for c in changes}) == 5_000
    raw = tmp_path / "raw.jsonl.gz"
    bench.raw_write(raw, changes)
    key = SigningKey.generate()
    ours = tmp_path / "ours.nsdesk-changes"
    header = bench._header(changes)
    write_changes(ours, header, changes, key, schema=change_schema())
    expect = expectations()
    expect = type(expect)(header.desk_uuid, expect.schema_revisions, expect.schema)
    with read_changes(ours, Trust({key.fingerprint}), expect=expect) as verified:
        read = list(verified)
    with gzip.open(raw, "rt", encoding="utf-8") as source:
        assert [json.loads(line) for line in source] == read == changes
