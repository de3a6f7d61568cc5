"""What is written is what is read: any valid changes, plain or encrypted, come back
exactly, with their header; a file of 10,000 changes is written and read streaming;
a real desk's whole change log travels; and a writer refuses what a reader would."""

from __future__ import annotations

import os
import stat
import tracemalloc
import uuid
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from nsdesk.domain.changes_errors import ChangesFileRefusedError, ChangesWriteError
from nsdesk.exchange.changes import (
    ChangeSchema,
    KeyKind,
    KeySpec,
    SigningKey,
    open_changes_file,
    read_changes,
    write_changes,
)
from nsdesk.exchange.changes import lines as wire
from nsdesk.services.merge.change_schema import change_schema, to_change
from nsdesk.store import tables as t
from tests.exchange.changes.forge import (
    CHEAP,
    PASSPHRASE,
    Trust,
    expectations,
    header_for,
    sample_change,
    write_sample,
)

KEY = SigningKey.generate()
TRUST = Trust({KEY.fingerprint})

_json = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**53), max_value=2**53)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=40),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)
_uuids = st.uuids().map(str)
_moments = st.datetimes(timezones=st.timezones()).map(lambda moment: moment.isoformat())


def _value(spec: KeySpec, schema: ChangeSchema) -> st.SearchStrategy[Any]:
    """Any valid value of one key (the table and field are drawn together, below)."""
    if spec.kind is KeyKind.JSON:
        strategy = _json
    elif spec.kind is KeyKind.INTEGER:
        strategy = st.integers(min_value=0, max_value=2**62)
    elif spec.kind is KeyKind.CHOICE:
        strategy = st.sampled_from(sorted(spec.choices))
    elif spec.kind is KeyKind.DATETIME:
        strategy = _moments
    elif spec.pattern is not None and spec.what == "a UUID":
        strategy = _uuids
    elif spec.pattern is not None:
        strategy = st.from_regex(spec.pattern, fullmatch=True).filter(
            lambda text: spec.max_length is None or len(text) <= spec.max_length
        )
    else:
        strategy = st.text(max_size=min(spec.max_length or 300, 300))
    return st.none() | strategy if spec.nullable else strategy


@st.composite
def changes(draw: st.DrawFn) -> dict[str, Any]:
    """A random valid change of the schema this desk's change log has."""
    schema = change_schema()
    change = {spec.name: draw(_value(spec, schema)) for spec in schema.keys}
    table = draw(st.sampled_from(sorted(schema.tables)))
    change[schema.table_key] = table
    change[schema.field_key] = draw(st.none() | st.sampled_from(sorted(schema.tables[table])))
    return change


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(written=st.lists(changes(), max_size=25), label=st.text(max_size=200))
def test_any_valid_changes_come_back_exactly_with_their_header(tmp_path, written, label):
    path = tmp_path / f"{uuid.uuid4()}.nsdesk-changes"
    header = header_for(written, sender_label=label)
    done = write_changes(path, header, written, KEY, schema=change_schema())
    with read_changes(path, TRUST, expect=expectations()) as verified:
        assert list(verified) == written
        assert verified.header == header
        assert verified.fingerprint == KEY.fingerprint == done.fingerprint
        assert verified.digest == done.digest
        assert not verified.encrypted


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(written=st.lists(changes(), max_size=25), passphrase=st.text(min_size=8, max_size=30))
def test_encrypted_changes_come_back_exactly_with_the_passphrase(tmp_path, written, passphrase):
    path = tmp_path / f"{uuid.uuid4()}.nsdesk-changes"
    header = header_for(written)
    write_changes(path, header, written, KEY, passphrase, schema=change_schema(), cost=CHEAP)
    with read_changes(path, TRUST, passphrase, expect=expectations()) as verified:
        assert list(verified) == written
        assert verified.header == header
        assert verified.encrypted


def test_an_encrypted_file_hides_its_contents_but_not_its_envelope(tmp_path):
    """Decided: the desk, schema, sender's replica and key, file id and the marking are
    readable without the passphrase (to refuse a file early and to handle it by its
    marking); the sender's label, what it knows, the counts and every change are not."""
    written = [sample_change(i, new_value=f"canary-{i}-Zanzibar") for i in range(200)]
    path = tmp_path / "sealed.nsdesk-changes"
    write_sample(path, KEY, written, passphrase=PASSPHRASE, sender_label="Anna's laptop")
    import gzip

    clear = gzip.decompress(path.read_bytes())
    assert b"Zanzibar" not in clear
    assert b"Anna" not in clear
    assert b"counts" not in clear
    assert b'"marking":"RESTRICTED"' in clear
    with open_changes_file(path) as file:
        assert file.encrypted
        assert file.envelope.marking == "RESTRICTED"
        assert file.fingerprint == KEY.fingerprint


def test_ten_thousand_changes_are_written_and_read_one_at_a_time(tmp_path):
    """A generator in, a generator out: neither side holds all the changes."""

    def generated():
        for i in range(10_000):
            yield sample_change(i, old_value="x" * 200, new_value="y" * 200)

    held = [sample_change(i, old_value="x" * 200, new_value="y" * 200) for i in range(10_000)]
    tracemalloc.start()
    baseline, _ = tracemalloc.get_traced_memory()
    tracemalloc.reset_peak()
    path = tmp_path / "big.nsdesk-changes"
    write_changes(path, header_for(held), generated(), KEY, schema=change_schema())
    _, writing = tracemalloc.get_traced_memory()
    tracemalloc.reset_peak()
    count = 0
    with read_changes(path, TRUST, expect=expectations()) as verified:
        for change in verified:
            count += change["old_value"] == "x" * 200
    _, reading = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del held  # the list existed only for its counts: it is what "everything once" weighs
    assert count == 10_000
    assert writing - baseline < 4 << 20, f"writing held {(writing - baseline) / 2**20:.1f} MiB"
    assert reading - baseline < 8 << 20, f"reading held {(reading - baseline) / 2**20:.1f} MiB"


def test_a_real_desks_whole_change_log_travels(demo_desk_location, tmp_path):
    """Every audit entry of the demo desk, as a change, comes back exactly."""
    from nsdesk.services.desk import open_desk

    with open_desk(demo_desk_location, read_only=True) as desk, desk.connect() as connection:
        rows = connection.execute(select(t.audit_entry).order_by(t.audit_entry.c.id)).mappings()
        written = [to_change(row) for row in rows]
        uuid_ = desk.info().uuid
    assert len(written) > 1000
    path = tmp_path / "log.nsdesk-changes"
    write_changes(path, header_for(written, desk_uuid=uuid_), written, KEY, schema=change_schema())
    expect = expectations()
    expect = type(expect)(uuid_, expect.schema_revisions, expect.schema)
    with read_changes(path, TRUST, expect=expect) as verified:
        assert list(verified) == written


def test_the_file_and_its_temporary_are_owner_only_and_nothing_is_left_on_refusal(tmp_path):
    path = tmp_path / "out.nsdesk-changes"
    write_sample(path, KEY)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    refused = tmp_path / "refused.nsdesk-changes"
    bad = [sample_change(1), sample_change(2, channel="fax")]
    with pytest.raises(ChangesWriteError, match="change 2 cannot be written: 'channel' must be"):
        write_changes(refused, header_for(bad), bad, KEY, schema=change_schema())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.nsdesk-changes"]


def test_a_writer_refuses_what_a_reader_would(tmp_path):
    schema = change_schema()
    path = tmp_path / "out.nsdesk-changes"
    one = [sample_change(1)]
    with pytest.raises(ChangesWriteError, match="the header does not describe the changes"):
        write_changes(path, header_for(one, counts={"commitment": 2}), one, KEY, schema=schema)
    bad = [sample_change(1, new_value=float("nan"))]
    with pytest.raises(ChangesWriteError, match="is not JSON"):
        write_changes(path, header_for(bad), bad, KEY, schema=schema)
    with pytest.raises(ChangesWriteError, match="'marking' is not a marking level"):
        write_changes(path, header_for(one, marking="secret!"), one, KEY, schema=schema)
    with pytest.raises(ChangesWriteError, match="at least 8 characters"):
        write_changes(path, header_for(one), one, KEY, "short", schema=schema)
    write_changes(path, header_for(one), one, KEY, schema=schema)
    with pytest.raises(ChangesWriteError, match="already exists"):
        write_changes(path, header_for(one), one, KEY, schema=schema)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.nsdesk-changes"]


_STRANGE: list[Any] = [None, 1, -1, 1.5, True, "", "x" * 400, [], {}, "typed", "2026-13-01"]


@settings(max_examples=200, deadline=None)
@given(
    name=st.sampled_from(change_schema().names),
    value=st.sampled_from(_STRANGE) | _json | _uuids | _moments,
)
def test_the_quick_check_and_the_check_that_explains_agree(name, value):
    """The writer's and reader's quick pass over a change decides exactly as the check
    that says what is wrong: any key of a valid change set to any value."""
    schema = change_schema()
    change = dict(sample_change(1), **{name: value})
    assert wire.change_checker(schema)(change) == wire.change_explainer(schema)(change)


def test_the_key_is_kept_as_pem_and_gives_the_same_fingerprint():
    again = SigningKey.from_pem(KEY.to_pem())
    assert again.fingerprint == KEY.fingerprint
    assert len(KEY.fingerprint) == 39
    other = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    with pytest.raises(ValueError, match="not an Ed25519"):
        SigningKey.from_pem(other)


def test_every_file_is_new_on_disk_not_written_in_place(tmp_path):
    """A reader on the other laptop never sees half a file under its name: the file
    appears by a rename once complete (same inode change)."""
    path = tmp_path / "out.nsdesk-changes"
    write_sample(path, KEY)
    first = os.stat(path).st_ino
    write_changes(path, header_for([]), [], KEY, schema=change_schema(), replace=True)
    assert os.stat(path).st_ino != first
    with read_changes(path, TRUST, expect=expectations()) as verified:
        assert list(verified) == []
        assert verified.header.total == 0


def test_a_file_written_here_is_refused_by_a_desk_whose_schema_lacks_a_key(tmp_path):
    """A change log with a key the reading nsdesk does not know (a newer one) cannot be
    read silently without it."""
    path = tmp_path / "out.nsdesk-changes"
    write_sample(path, KEY)
    schema = change_schema()
    older = ChangeSchema(tuple(s for s in schema.keys if s.name != "note"), schema.tables)
    expect = expectations()
    expect = type(expect)(expect.desk_uuid, expect.schema_revisions, older)
    with pytest.raises(ChangesFileRefusedError, match="has keys a change does not have: 'note'"):
        read_changes(Path(path), TRUST, expect=expect)
