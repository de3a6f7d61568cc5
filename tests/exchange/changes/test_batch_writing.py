"""The writer checks changes a batch at a time and compresses on a thread of its own:
a batch is refused exactly where the one-by-one check refuses, the change at fault is
named by its place in the whole file, and a file that fails part way leaves neither a
file nor a thread behind."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nsdesk.domain.changes_errors import ChangesWriteError
from nsdesk.exchange.changes import ChangeSchema, KeyKind, KeySpec, SigningKey, write_changes
from nsdesk.exchange.changes import lines as wire
from nsdesk.exchange.changes.batch_check import batch_checker
from nsdesk.services.merge.change_schema import change_schema
from tests.exchange.changes.forge import header_for, sample_change

KEY = SigningKey.generate()
REPOSITORY = Path(__file__).resolve().parents[3]


class Text(str):
    """Text that is not of the plain ``str`` type (valid wherever text is)."""


class Whole(int):
    """A whole number that is not of the plain ``int`` type."""


_STRANGE: list[Any] = [
    None,
    0,
    1,
    -1,
    1.0,
    1.5,
    True,
    False,
    "",
    "x" * 400,
    [],
    {},
    ["typed"],
    "typed",
    "fax",
    "2026-13-01",
    "2026-11-22T10:31:00",
    "2026-11-22T10:31:00+00:00",
    "commitment",
    "no_such_table",
    "title",
    "no_such_field",
    "7c1e9a0b-3d4f-4a5b-8c6d-0e1f2a3b4c5d",
    "7C1E9A0B-3D4F-4A5B-8C6D-0E1F2A3B4C5D",
    "7c1e9a0b-3d4f-4a5b-8c6d-0e1f2a3b4c5d\n",
    Text("typed"),
    Text("7c1e9a0b-3d4f-4a5b-8c6d-0e1f2a3b4c5d"),
    Whole(3),
]
_strange = st.sampled_from(_STRANGE)


def _first_refusal(batch: list[Any], schema: ChangeSchema | None = None) -> tuple[int, str] | None:
    check = wire.change_checker(schema or change_schema())
    for index, change in enumerate(batch):
        problem = check(change)
        if problem is not None:
            return index, problem
    return None


_SMALL = ChangeSchema(
    keys=(
        KeySpec("record_table", KeyKind.TEXT, max_length=40),
        KeySpec("field", KeyKind.TEXT, nullable=True, max_length=60),
        KeySpec("payload", KeyKind.JSON),
        KeySpec("count", KeyKind.INTEGER, nullable=True),
    ),
    tables={"commitment": frozenset({"title"})},
)
"""A schema with the kinds the change log does not use: a JSON value that may not be
null, a whole number that may."""


def _small_change(number: int) -> dict[str, Any]:
    return {"record_table": "commitment", "field": "title", "payload": [number], "count": number}


@pytest.mark.parametrize("schema", [change_schema(), _SMALL], ids=["change log", "small"])
def test_every_key_set_to_every_odd_value_is_refused_where_one_by_one_refuses(schema):
    check = batch_checker(schema)
    sample = sample_change if schema is not _SMALL else _small_change
    for name in schema.names:
        for value in _STRANGE:
            batch = [sample(n) for n in range(3)]
            assert check(batch) is None
            batch[1][name] = value
            assert check(batch) == _first_refusal(batch, schema), (name, value)


@settings(max_examples=300, deadline=None)
@given(size=st.integers(min_value=1, max_value=6), data=st.data())
def test_a_batch_is_refused_exactly_where_the_one_by_one_check_refuses(size, data):
    """Changes that share most of their texts, some keys of some changes set to any
    value (a plain or odd type, a valid or invalid text, one the others share)."""
    schema = change_schema()
    operation = sample_change(0)["operation_id"]
    batch: list[Any] = [sample_change(n, operation_id=operation) for n in range(size)]
    for _ in range(data.draw(st.integers(min_value=0, max_value=3))):
        at = data.draw(st.integers(min_value=0, max_value=size - 1))
        name = data.draw(st.sampled_from(schema.names))
        batch[at][name] = data.draw(_strange)
    if data.draw(st.booleans()):
        at = data.draw(st.integers(min_value=0, max_value=size - 1))
        batch[at] = data.draw(st.sampled_from([None, [], {}, {"uuid": "x"}]))
    assert batch_checker(schema)(batch) == _first_refusal(batch)


def test_a_change_at_fault_is_named_by_its_place_in_the_file_and_no_thread_is_left(tmp_path):
    changes = [sample_change(n) for n in range(20_000)]
    changes[19_499]["channel"] = "fax"
    with pytest.raises(ChangesWriteError, match="change 19,500 cannot be written: 'channel'"):
        write_changes(
            tmp_path / "out.nsdesk-changes",
            header_for(changes),
            changes,
            KEY,
            schema=change_schema(),
        )
    assert list(tmp_path.iterdir()) == []
    assert [t for t in threading.enumerate() if t.name == "changes-writer"] == []


_FULL_DISK = """
import resource, signal, sys, threading
from pathlib import Path
from nsdesk.exchange.changes import SigningKey, write_changes
from nsdesk.services.merge.change_schema import change_schema
from tests.exchange.changes.forge import header_for, sample_change

folder = Path(sys.argv[1])
changes = [sample_change(n) for n in range(20_000)]
taken = 0


def given():
    global taken
    for change in changes:
        taken += 1
        yield change


signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (256 * 1024, 256 * 1024))
try:
    write_changes(folder / "out.nsdesk-changes", header_for(changes), given(),
                  SigningKey.generate(), schema=change_schema())
except OSError as error:
    print("refused", error.errno, sorted(p.name for p in folder.iterdir()),
          [t.name for t in threading.enumerate() if t.name == "changes-writer"],
          "stopped early" if taken < len(changes) else "read everything")
"""


@pytest.mark.skipif(os.name != "posix", reason="RLIMIT_FSIZE is a POSIX limit")
def test_a_file_that_cannot_be_written_whole_leaves_nothing_behind(tmp_path):
    """The disk refuses more than 256 KiB (the file size limit of the writing process)
    while the compressing thread writes: the writer stops reading changes soon after,
    says why, and leaves no file, no temporary and no thread."""
    import errno

    done = subprocess.run(
        [sys.executable, "-c", _FULL_DISK, str(tmp_path)],
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    said = f"refused {errno.EFBIG} [] [] stopped early"
    assert done.stdout.strip() == said, done.stderr
