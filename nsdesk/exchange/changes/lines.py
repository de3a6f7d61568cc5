"""The lines of a changes file as JSON, and the checks each must pass.

A change is checked against the :class:`ChangeSchema` it is written or read with,
by one function built once per schema (a loop over precompiled checks, since a file
holds up to millions of changes). The envelope, summary and trailer lines are
checked key by key. Every check answers with a problem in plain words, or ``None``.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from nsdesk.exchange.changes.model import (
    ChangeSchema,
    Encryption,
    Envelope,
    KeyKind,
    KeySpec,
    ScryptCost,
    Summary,
)

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
"""A UUID as nsdesk writes them (lower case, with dashes)."""
_REVISION = re.compile(r"^[0-9A-Za-z_]{1,32}$")
_LABEL_LIMIT = 200
_MARKING = re.compile(r"^[A-Z][A-Z0-9_]{0,31}$")

Check = Callable[[Any], str | None]


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def dumps(value: Any) -> str:
    """One line's JSON: compact, UTF-8 as it is, no NaN or infinity (not JSON)."""
    return _ENCODER.encode(value)


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        twice = next(key for key, _ in pairs if key in seen or seen.add(key))
        raise ValueError(f"the key {twice!r} appears twice")
    return result


_DECODER = json.JSONDecoder(parse_constant=_refuse_constant, object_pairs_hook=_unique_keys)
"""Made once: ``json.loads`` with these options makes a decoder for every line."""


def loads(line: bytes) -> tuple[Any, str | None]:
    """The JSON value of one line, or the problem with it: not UTF-8, not JSON, NaN or
    infinity, a key given twice, nested too deep, a number too long."""
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError as error:
        return None, f"it is not UTF-8 text (byte {error.start + 1})"
    try:
        return _DECODER.decode(text), None
    except RecursionError:
        return None, "it is nested too deep to be a change"
    except json.JSONDecodeError as error:
        said = error.msg.removesuffix(" at")
        return None, f"it is not valid JSON ({said} at character {error.pos + 1})"
    except ValueError as error:  # a key twice, NaN, a number of thousands of digits
        return None, f"it is not valid JSON ({error})"


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    return "an object"


def _key_check(spec: KeySpec) -> Check:
    """The check of one key's value (null already handled)."""
    name = spec.name
    if spec.kind is KeyKind.JSON:
        return lambda _value: None  # read as JSON, so JSON by construction
    if spec.kind is KeyKind.INTEGER:

        def integer(value: Any) -> str | None:
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                return f"{name!r} must be a whole number, 0 or more (got {_type_name(value)})"
            return None

        return integer
    if spec.kind is KeyKind.CHOICE:
        choices = spec.choices
        said = ", ".join(sorted(choices))

        def choice(value: Any) -> str | None:
            if not isinstance(value, str) or value not in choices:
                return f"{name!r} must be one of {said}"
            return None

        return choice
    if spec.kind is KeyKind.DATETIME:

        def moment(value: Any) -> str | None:
            if not isinstance(value, str):
                return f"{name!r} must be a date and time as text (got {_type_name(value)})"
            try:
                parsed = datetime.fromisoformat(value)
            except ValueError:
                return f"{name!r} must be a date and time like 2026-11-22T10:31:00+00:00"
            if parsed.tzinfo is None:
                return f"{name!r} must say its offset from UTC (like +00:00)"
            return None

        return moment
    limit, pattern, what = spec.max_length, spec.pattern, spec.what or "the expected form"

    def text(value: Any) -> str | None:
        if not isinstance(value, str):
            return f"{name!r} must be text (got {_type_name(value)})"
        if limit is not None and len(value) > limit:
            return f"{name!r} is {len(value):,} characters long; at most {limit:,} fit"
        if pattern is not None and not pattern.match(value):
            return f"{name!r} must be {what}"
        return None

    return text


def _plan(spec: KeySpec) -> tuple[str, bool, int, int | None, Any]:
    """One key's check as plain data, for the quick pass of :func:`change_checker`:
    (name, nullable, kind code, length limit, pattern or choices)."""
    code = _KIND_CODES[spec.kind]
    bound = spec.choices if spec.kind is KeyKind.CHOICE else spec.pattern
    return spec.name, spec.nullable, code, spec.max_length, bound


_TEXT, _INTEGER, _JSON, _DATETIME, _CHOICE = range(5)
_KIND_CODES = {
    KeyKind.TEXT: _TEXT,
    KeyKind.INTEGER: _INTEGER,
    KeyKind.JSON: _JSON,
    KeyKind.DATETIME: _DATETIME,
    KeyKind.CHOICE: _CHOICE,
}


def _moment_ok(value: str) -> bool:
    try:
        return datetime.fromisoformat(value).tzinfo is not None
    except ValueError:
        return False


def change_explainer(schema: ChangeSchema) -> Callable[[Any], str | None]:
    """What is wrong with one change against ``schema``, key by key, or ``None``: the
    slow, explaining twin of :func:`change_checker`, which it must always agree with."""
    key_set = frozenset(schema.names)
    checks = [(spec.name, spec.nullable, _key_check(spec)) for spec in schema.keys]
    tables, table_key, field_key = schema.tables, schema.table_key, schema.field_key

    def check(change: Any) -> str | None:
        if type(change) is not dict:
            return f"a change must be a JSON object (got {_type_name(change)})"
        if change.keys() != key_set:
            missing = sorted(key_set - change.keys())
            extra = sorted(change.keys() - key_set)
            said = []
            if missing:
                said.append(f"lacks {', '.join(map(repr, missing))}")
            if extra:
                said.append(f"has keys a change does not have: {', '.join(map(repr, extra))}")
            return f"the change {' and '.join(said)}"
        for name, nullable, key_check in checks:
            value = change[name]
            if value is None:
                if not nullable:
                    return f"{name!r} must not be null"
                continue
            problem = key_check(value)
            if problem is not None:
                return problem
        fields = tables.get(change[table_key])
        if fields is None:
            return f"{table_key!r} names a table this desk does not have ({change[table_key]!r})"
        field = change[field_key]
        if field is not None and field not in fields:
            return (
                f"{field_key!r} names a field that {change[table_key]} records do not have "
                f"({field!r})"
            )
        return None

    return check


def change_checker(schema: ChangeSchema) -> Callable[[Any], str | None]:
    """The check of one change against ``schema``: its problem, or ``None``.

    A file holds up to millions of changes, and writing one may cost little more than
    serialising them: a quick pass over plain data decides whether a change is
    valid; only a change it doubts goes through the checks that say what is wrong."""
    key_set = frozenset(schema.names)
    plan = [_plan(spec) for spec in schema.keys]
    tables, table_key, field_key = schema.tables, schema.table_key, schema.field_key
    problem_of = change_explainer(schema)

    def check(change: Any) -> str | None:
        if type(change) is not dict or change.keys() != key_set:
            return problem_of(change)
        for name, nullable, kind, limit, bound in plan:
            value = change[name]
            if value is None:
                if nullable:
                    continue
                return problem_of(change)
            if kind == _TEXT:
                if (
                    not isinstance(value, str)
                    or (limit is not None and len(value) > limit)
                    or (bound is not None and bound.match(value) is None)
                ):
                    return problem_of(change)
            elif kind == _DATETIME:
                if not isinstance(value, str) or not _moment_ok(value):
                    return problem_of(change)
            elif kind == _CHOICE:
                if not isinstance(value, str) or value not in bound:
                    return problem_of(change)
            elif kind == _INTEGER and (
                not isinstance(value, int) or isinstance(value, bool) or value < 0
            ):
                return problem_of(change)
        fields = tables.get(change[table_key])
        if fields is None:
            return problem_of(change)
        field = change[field_key]
        if field is not None and field not in fields:
            return problem_of(change)
        return None

    return check


# -- the envelope, summary and trailer ----------------------------------------------


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: Any, size: int | None = None) -> bytes | None:
    if type(text) is not str:
        return None
    try:
        data = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None
    return data if size is None or len(data) == size else None


def envelope_json(envelope: Envelope) -> dict[str, Any]:
    """The envelope as its line's JSON object."""
    encryption = None
    if envelope.encryption is not None:
        e = envelope.encryption
        encryption = {
            "cipher": "AES-256-GCM",
            "kdf": "scrypt",
            "salt": _b64(e.salt),
            "n": e.cost.n,
            "r": e.cost.r,
            "p": e.cost.p,
            "chunk_bytes": e.chunk_bytes,
        }
    return {
        "nsdesk_changes": envelope.format_version,
        "file_id": envelope.file_id,
        "desk_uuid": envelope.desk_uuid,
        "schema_revision": envelope.schema_revision,
        "created_at": envelope.created_at,
        "sender_replica": envelope.sender_replica,
        "sender_key": _b64(envelope.sender_key),
        "marking": envelope.marking,
        "encryption": encryption,
    }


_ENVELOPE_KEYS = frozenset(
    {
        "nsdesk_changes",
        "file_id",
        "desk_uuid",
        "schema_revision",
        "created_at",
        "sender_replica",
        "sender_key",
        "marking",
        "encryption",
    }
)
_ENCRYPTION_KEYS = frozenset({"cipher", "kdf", "salt", "n", "r", "p", "chunk_bytes"})


def format_version_of(first: Any) -> int | None:
    """The format version a first line claims, or ``None`` when it is not the first
    line of a changes file."""
    if type(first) is not dict:
        return None
    version = first.get("nsdesk_changes")
    return version if type(version) is int and version >= 1 else None


def _short_text(value: Any, limit: int = _LABEL_LIMIT) -> bool:
    return type(value) is str and 0 < len(value) <= limit


def envelope_from(data: dict[str, Any]) -> tuple[Envelope | None, str | None]:
    """The envelope a first line holds (its format version already checked), or the
    problem with it."""
    if data.keys() != _ENVELOPE_KEYS:
        missing = sorted(_ENVELOPE_KEYS - data.keys())
        extra = sorted(data.keys() - _ENVELOPE_KEYS)
        return None, f"its header lacks {missing} or has keys it should not have {extra}"
    for key in ("file_id", "desk_uuid"):
        if type(data[key]) is not str or not UUID.match(data[key]):
            return None, f"its header's {key!r} is not a UUID"
    if type(data["schema_revision"]) is not str or not _REVISION.match(data["schema_revision"]):
        return None, "its header's 'schema_revision' is not a schema revision"
    try:
        created = datetime.fromisoformat(data["created_at"])
    except (TypeError, ValueError):
        created = None
    if created is None or created.tzinfo is None:
        return None, "its header's 'created_at' is not a date and time with its offset"
    if not _short_text(data["sender_replica"], 36):
        return None, "its header's 'sender_replica' is not a replica id"
    key = _unb64(data["sender_key"], 32)
    if key is None:
        return None, "its header's 'sender_key' is not an Ed25519 public key"
    if type(data["marking"]) is not str or not _MARKING.match(data["marking"]):
        return None, "its header's 'marking' is not a marking level"
    encryption = None
    if data["encryption"] is not None:
        encryption, problem = _encryption_from(data["encryption"])
        if problem:
            return None, problem
    return Envelope(
        format_version=data["nsdesk_changes"],
        file_id=data["file_id"],
        desk_uuid=data["desk_uuid"],
        schema_revision=data["schema_revision"],
        created_at=data["created_at"],
        sender_replica=data["sender_replica"],
        sender_key=key,
        marking=data["marking"],
        encryption=encryption,
    ), None


def _encryption_from(data: Any) -> tuple[Encryption | None, str | None]:
    bad = "its header's 'encryption' is not one nsdesk writes"
    if type(data) is not dict or data.keys() != _ENCRYPTION_KEYS:
        return None, bad
    if data["cipher"] != "AES-256-GCM" or data["kdf"] != "scrypt":
        return (
            None,
            f"it is encrypted with {data['cipher']!r} and {data['kdf']!r}, not AES-256-GCM "
            "and scrypt",
        )
    salt = _unb64(data["salt"])
    numbers = [data[k] for k in ("n", "r", "p", "chunk_bytes")]
    if salt is None or len(salt) < 16 or any(type(v) is not int or v < 1 for v in numbers):
        return None, bad
    n, r, p, chunk = numbers
    return Encryption(salt, ScryptCost(n, r, p), chunk), None


def summary_json(summary: Summary) -> dict[str, Any]:
    """The summary as its line's JSON object."""
    return {
        "summary": {
            "sender_label": summary.sender_label,
            "knows": dict(summary.knows),
            "counts": dict(summary.counts),
        }
    }


def _counts_ok(value: Any, key_ok: Callable[[str], bool]) -> bool:
    return type(value) is dict and all(
        key_ok(k) and type(v) is int and v >= 0 for k, v in value.items()
    )


def summary_from(data: Any) -> tuple[Summary | None, str | None]:
    """The summary a second line holds, or the problem with it."""
    if type(data) is not dict or data.keys() != {"summary"} or type(data["summary"]) is not dict:
        return None, "its second line is not the summary of what it holds"
    inner = data["summary"]
    if inner.keys() != {"sender_label", "knows", "counts"}:
        return None, "its summary lacks 'sender_label', 'knows' or 'counts', or has other keys"
    if type(inner["sender_label"]) is not str or len(inner["sender_label"]) > _LABEL_LIMIT:
        return None, "its summary's 'sender_label' is not a label"
    if not _counts_ok(inner["knows"], lambda k: 0 < len(k) <= 36):
        return None, "its summary's 'knows' is not a list of replicas and revisions"
    if not _counts_ok(inner["counts"], lambda k: 0 < len(k) <= 60):
        return None, "its summary's 'counts' is not a number of changes per table"
    return Summary(inner["sender_label"], inner["knows"], inner["counts"]), None


TRAILER_PREFIX = b'{"trailer":'
"""How the trailer's line begins: it is found without parsing every line."""


def trailer_json(digest: bytes, signature: bytes) -> dict[str, Any]:
    """The trailer as its line's JSON object."""
    return {"trailer": {"sha256": digest.hex(), "signature": _b64(signature)}}


def trailer_from(data: Any) -> tuple[tuple[bytes, bytes] | None, str | None]:
    """The digest and signature a trailer holds, or the problem with it."""
    inner = data.get("trailer") if type(data) is dict and data.keys() == {"trailer"} else None
    if type(inner) is not dict or inner.keys() != {"sha256", "signature"}:
        return None, "its last line is not the digest and signature nsdesk writes"
    digest_text = inner["sha256"]
    signature = _unb64(inner["signature"], 64)
    if type(digest_text) is not str or not re.fullmatch(r"[0-9a-f]{64}", digest_text):
        return None, "its last line's digest is not a SHA-256"
    if signature is None:
        return None, "its last line's signature is not an Ed25519 signature"
    return (bytes.fromhex(digest_text), signature), None


def sealed_json(data: bytes) -> dict[str, Any]:
    """One sealed chunk of an encrypted file as its line's JSON object."""
    return {"sealed": _b64(data)}


def sealed_from(data: Any) -> bytes | None:
    """The sealed bytes a line holds, or ``None`` when it is not a sealed chunk."""
    if type(data) is not dict or data.keys() != {"sealed"}:
        return None
    return _unb64(data["sealed"])


def counts_problem(declared: Mapping[str, int], found: Mapping[str, int]) -> str | None:
    """How the changes found differ from the counts the summary declares."""
    if dict(declared) == dict(found):
        return None
    tables = sorted(set(declared) | set(found))
    said = "; ".join(
        f"{t} {declared.get(t, 0):,} said, {found.get(t, 0):,} found"
        for t in tables
        if declared.get(t, 0) != found.get(t, 0)
    )
    return f"its summary does not match the changes it holds ({said})"


__all__ = [
    "TRAILER_PREFIX",
    "UUID",
    "change_checker",
    "counts_problem",
    "dumps",
    "envelope_from",
    "envelope_json",
    "format_version_of",
    "loads",
    "sealed_from",
    "sealed_json",
    "summary_from",
    "summary_json",
    "trailer_from",
    "trailer_json",
]
