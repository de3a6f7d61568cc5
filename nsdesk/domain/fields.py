"""What each field of the register accepts, declared once.

A :class:`FieldSpec` says the field's label, type and constraints; :func:`coerce`
turns what a person typed (or a workbook cell held) into the value stored, or
raises :class:`~nsdesk.domain.errors.ValidationError` naming the field and what
was expected. Services validate every write with these specs; the editors and
the workbook readers use the same specs, so a rule is stated in one place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from nsdesk.domain.dates import PartialDate
from nsdesk.domain.enums import LabelledEnum
from nsdesk.domain.errors import ValidationError

MAX_TEXT = 200
"""Longest single-line text (titles, names)."""
MAX_LONG_TEXT = 32_767
"""Longest free text: what one spreadsheet cell can hold, so nothing is ever cut on export."""

# Characters that corrupt files downstream (XML 1.0 forbids them in workbooks).
_FORBIDDEN_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_CODE = re.compile(r"^[A-Z0-9][A-Z0-9_.\-/]{0,31}$")
_KEY = re.compile(r"^[a-z0-9][a-z0-9_.\-]{0,59}$")
_URL = re.compile(r"^(https?|ftp)://\S+$", re.IGNORECASE)


class FieldType(StrEnum):
    TEXT = "text"
    LONG_TEXT = "long_text"
    CODE = "code"
    KEY = "key"
    URL = "url"
    DATE = "date"
    PARTIAL_DATE = "partial_date"
    ENUM = "enum"
    BOOL = "bool"
    COUNT = "count"
    REFERENCE = "reference"
    REFERENCES = "references"
    SENSITIVITY = "sensitivity"


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One editable field of a record kind."""

    name: str
    label: str
    type: FieldType
    required: bool = False
    enum: type[LabelledEnum] | None = None
    references: str | None = None
    max_length: int | None = None
    help: str = ""

    @property
    def limit(self) -> int:
        if self.max_length is not None:
            return self.max_length
        return MAX_LONG_TEXT if self.type is FieldType.LONG_TEXT else MAX_TEXT

    @property
    def referenced_kind(self) -> str:
        """The kind of record a ``REFERENCE(S)`` field points to; ``ValueError`` for a
        field that points nowhere."""
        if self.references is None:
            raise ValueError(f"the field {self.name!r} does not refer to other records")
        return self.references


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _coerce_text(spec: FieldSpec, value: Any) -> str:
    text = value if isinstance(value, str) else str(value)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # single-line fields fold runs of white space; long text keeps its line breaks
    text = " ".join(text.split()) if spec.type is not FieldType.LONG_TEXT else text.strip()
    if _FORBIDDEN_CONTROL.search(text):
        raise ValidationError(spec.label, "text without control characters", value)
    if len(text) > spec.limit:
        raise ValidationError(
            spec.label, f"at most {spec.limit:,} characters (this has {len(text):,})"
        )
    return text


def _coerce_date(spec: FieldSpec, value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        exact = PartialDate.parse(str(value)).as_date()
    except ValueError:
        exact = None
    if exact is None:
        raise ValidationError(spec.label, "a date like 2026-03-31", value)
    return exact


def _coerce_partial_date(spec: FieldSpec, value: Any) -> PartialDate:
    if isinstance(value, datetime):
        value = value.date()
    try:
        return PartialDate.of(value)
    except (ValueError, TypeError):
        raise ValidationError(
            spec.label, "a date like 2026-03-31, a month like 2026-03 or a year like 2026", value
        ) from None


def _coerce_enum(spec: FieldSpec, value: Any) -> LabelledEnum:
    assert spec.enum is not None
    if isinstance(value, spec.enum):
        return value
    try:
        return spec.enum.parse(str(value))
    except ValueError:
        choices = ", ".join(member.label for member in spec.enum)
        raise ValidationError(spec.label, f"one of: {choices}", value) from None


def _coerce_bool(spec: FieldSpec, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().casefold()
    if text in {"yes", "y", "true", "1"}:
        return True
    if text in {"no", "n", "false", "0"}:
        return False
    raise ValidationError(spec.label, "yes or no", value)


def _coerce_count(spec: FieldSpec, value: Any) -> int:
    if isinstance(value, bool):
        raise ValidationError(spec.label, "a whole number, 0 or more", value)
    try:
        number = int(str(value).strip()) if not isinstance(value, int) else value
    except ValueError:
        raise ValidationError(spec.label, "a whole number, 0 or more", value) from None
    if number < 0:
        raise ValidationError(spec.label, "a whole number, 0 or more", value)
    return number


def coerce(spec: FieldSpec, value: Any) -> Any:
    """The stored form of ``value`` for ``spec``; ``None`` for a blank optional field.

    References and sensitivity levels are returned as stripped text (a list of
    them for ``REFERENCES``, which also accepts ``"a; b"``): resolving them needs
    the desk, which the service layer does.
    """
    if _is_blank(value):
        if spec.required:
            raise ValidationError(spec.label, "a value (this field is required)")
        return None
    match spec.type:
        case FieldType.TEXT | FieldType.LONG_TEXT:
            return _coerce_text(spec, value)
        case FieldType.CODE:
            code = str(value).strip().upper()
            if not _CODE.match(code):
                raise ValidationError(
                    spec.label, "a short code of capital letters and digits, like MFA", value
                )
            return code
        case FieldType.KEY:
            key = str(value).strip().lower()
            if not _KEY.match(key):
                raise ValidationError(
                    spec.label,
                    "a short key of lowercase letters, digits and _, like nss2016",
                    value,
                )
            return key
        case FieldType.URL:
            url = str(value).strip()
            if not _URL.match(url):
                raise ValidationError(spec.label, "a web address starting with https://", value)
            return url
        case FieldType.DATE:
            return _coerce_date(spec, value)
        case FieldType.PARTIAL_DATE:
            return _coerce_partial_date(spec, value)
        case FieldType.ENUM:
            return _coerce_enum(spec, value)
        case FieldType.BOOL:
            return _coerce_bool(spec, value)
        case FieldType.COUNT:
            return _coerce_count(spec, value)
        case FieldType.REFERENCE | FieldType.SENSITIVITY:
            return str(value).strip()
        case FieldType.REFERENCES:
            items = value.split(";") if isinstance(value, str) else list(value)
            keys = [str(item).strip() for item in items if str(item).strip()]
            return list(dict.fromkeys(keys))
    raise AssertionError(f"unhandled field type {spec.type}")  # pragma: no cover
