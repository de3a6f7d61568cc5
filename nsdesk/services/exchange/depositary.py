"""A depositary's status list, imported as participation in one instrument.

The IAEA's and the UN Treaty Collection's status tables, saved by a user as a
workbook or a CSV, are foreign tables whose columns map to a party's acts: who
(a state's name as ISO 3166 or the UN write it, or its alpha-3 code), signature,
consent to be bound (the date of deposit, with the UN's marks ``a`` accession,
``A`` acceptance, ``AA`` approval, ``d`` succession, or a separate column naming
the kind), entry into force, reservations. The user says which instrument the
list is for, as of which date it was current and where it came from.

What the list would change is shown before anything changes, like any import:

* a party the desk has no participation for gets one, with its steps;
* a step the desk lacks is added;
* a step the desk holds with another date (or kind) is a **conflict**: the desk's
  value may be the catalogue's sourced fact or the user's own, so it is never
  overwritten silently — the user decides, field by field (or ``--on-conflict``);
* a blank cell never clears anything, and a row naming no known party is refused
  by its cell (names are matched exactly, never guessed).

Applying records the list as a source, cited on every step it set with its as-of
date, and sets each changed record's as-of date; the import can be undone whole
from the history (:mod:`nsdesk.services.exchange.import_history`).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pycountry
from sqlalchemy import Connection, select

from nsdesk.domain.dates import PartialDate
from nsdesk.domain.enums import CONSENT_TO_BE_BOUND, JoiningMechanism, MilestoneKind
from nsdesk.domain.errors import ValidationError
from nsdesk.exchange.cells import DateCellError, cell_text, partial_date_from_cell
from nsdesk.exchange.model import ReadSheet, ReadWorkbook
from nsdesk.services.desk import Desk
from nsdesk.services.exchange.changes import (
    Collector,
    FieldChange,
    ImportPreview,
    ParticipationTarget,
    RecordChange,
)
from nsdesk.services.exchange.compare_context import desk_mark
from nsdesk.services.exchange.export_records import file_sha256
from nsdesk.services.exchange.headers import HEADER_SEARCH_ROWS, fold_header, letter
from nsdesk.services.progress import Progress
from nsdesk.store import tables as t

DEPOSITARY = "depositary"
"""The kind of an import of a depositary's status list (``ImportPreview.kind``)."""
IGNORE = ""


#: (field key, what the mapping page calls it, header synonyms)
PARTICIPATION_FIELDS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "party",
        "Party (state or organisation)",
        ("participant", "participants", "state", "states", "country", "party", "parties"),
    ),
    ("signature", "Signature", ("signature", "signed", "date of signature", "signature date")),
    (
        "consent",
        "Consent to be bound (date of deposit)",
        (
            "ratification",
            "consent",
            "deposit",
            "date of deposit",
            "accession",
            "instrument deposited",
            "ratification, acceptance, approval, accession",
        ),
    ),
    ("consent_kind", "Kind of consent", ("type", "kind", "means", "type of instrument")),
    (
        "entry_into_force",
        "Entry into force for the party",
        ("entry into force", "in force", "date of entry into force", "eif"),
    ),
    (
        "reservations",
        "Reservations or declarations",
        ("reservations", "declarations", "reservations/declarations", "remarks"),
    ),
)

_UN_MARKS = {
    "a": MilestoneKind.ACCESSION,
    "A": MilestoneKind.ACCEPTANCE,
    "AA": MilestoneKind.APPROVAL,
    "d": MilestoneKind.SUCCESSION,
}
_MARKED = re.compile(r"^(.*?)\s*\b(AA|A|a|d)$")
UN_NAMES = {
    "Holy See": "VAT",
    "European Atomic Energy Community": "EURATOM",
    "European Atomic Energy Community (EURATOM)": "EURATOM",
}
"""Names the UN writes that neither ISO 3166's names nor the UN's parenthesised
style give."""
_FIELD_WORDS = {
    "party": "Party",
    "instrument": "Instrument",
    "participation": "Participation",
    "kind": "Step",
    "actual": "Date",
    "reservations": "Reservations or declarations",
}
"""What the preview calls each field a list sets (the cell says which column)."""
_FOOTNOTE = re.compile(r"[\s\d,*†‡§]+$")
_KIND_WORDS = {
    word: kind
    for kind, words in {
        MilestoneKind.RATIFICATION: ("ratification", "ratified", "r"),
        MilestoneKind.ACCEPTANCE: ("acceptance", "accepted", "a (acceptance)"),
        MilestoneKind.APPROVAL: ("approval", "approved", "aa"),
        MilestoneKind.ACCESSION: ("accession", "acceded"),
        MilestoneKind.SUCCESSION: ("succession", "d"),
    }.items()
    for word in words
}


def depositary_instruments(desk: Desk) -> tuple[tuple[str, str], ...]:
    """The instruments a depositary keeps a status list of (the live treaties), as
    (key, short name), by short name."""
    i = t.instrument
    with desk.connect() as connection:
        rows = connection.execute(
            select(i.c.code, i.c.short_name)
            .where(i.c.mechanism == JoiningMechanism.TREATY, i.c.retired_at.is_(None))
            .order_by(i.c.short_name)
        ).all()
    return tuple((code, name) for code, name in rows)


def depositary_fields() -> tuple[tuple[str, str], ...]:
    """The fields a column of a depositary's list can be mapped to: (key, name)."""
    return tuple((key, name) for key, name, _ in PARTICIPATION_FIELDS)


def depositary_source_key(headers: tuple[str, ...]) -> str:
    """The key a participation mapping is remembered under: the header layout, kept
    apart from the same layout mapped onto commitments."""
    folded = "|".join(fold_header(h) for h in headers)
    return "depositary:" + hashlib.sha256(folded.encode("utf-8")).hexdigest()[:32]


def suggest_depositary_mapping(headers: tuple[str, ...]) -> dict[str, str]:
    """Each header matched to the field its name says (exactly, or as the start of a
    longer header such as the UN's "Ratification, Acceptance(A), …"); others ignored."""
    mapping = {h: IGNORE for h in headers if h}
    taken: set[str] = set()
    for header in headers:
        folded = fold_header(header)
        if not folded:
            continue
        for key, name, synonyms in PARTICIPATION_FIELDS:
            words = {fold_header(name), *synonyms}
            if key not in taken and any(
                folded == w or re.match(rf"{re.escape(w)}\b", folded) for w in words
            ):
                mapping[header] = key
                taken.add(key)
                break
    return mapping


# -- parties by name ---------------------------------------------------------------------


def _fold_name(text: str) -> str:
    return " ".join(text.replace("’", "'").split()).casefold()


def _un_style(name: str) -> str:
    """'Bolivia (Plurinational State of)' → 'Plurinational State of Bolivia'."""
    match = re.match(r"^(.*?)\s*\((.+?)\)$", name)
    if match and match[2].endswith((" of", " of the")):
        return f"{match[2]} {match[1]}"
    return name


class PartyNames:
    """Every party of the desk by code and by the names ISO 3166 and the UN give it;
    exact matches only (a fuzzy match once made the Republic of Korea North Korea)."""

    def __init__(self, connection: Connection):
        p = t.party
        self.by_code: dict[str, tuple[int, str]] = {}
        self.by_name: dict[str, str] = {}
        for row in connection.execute(
            select(p.c.id, p.c.code, p.c.name, p.c.official_name).where(p.c.retired_at.is_(None))
        ):
            self.by_code[row.code] = (row.id, row.name)
            for name in (row.name, row.official_name):
                if name:
                    self.by_name.setdefault(_fold_name(name), row.code)
        for country in pycountry.countries:
            if country.alpha_3 not in self.by_code:
                continue
            for attribute in ("name", "official_name", "common_name"):
                name = getattr(country, attribute, None)
                if name:
                    self.by_name.setdefault(_fold_name(name), country.alpha_3)

    def find(self, text: str) -> str | None:
        """The code of the party ``text`` names, or None."""
        cleaned = _FOOTNOTE.sub("", text).strip()  # "Netherlands 3", "China*"
        if cleaned.isupper() and cleaned in self.by_code:  # a code: NLD, EURATOM
            return cleaned
        if cleaned in UN_NAMES:
            return UN_NAMES[cleaned]
        for candidate in (cleaned, _un_style(cleaned)):
            code = self.by_name.get(_fold_name(candidate))
            if code is not None:
                return code
        return None


# -- cells ---------------------------------------------------------------------------


def _consent_cell(value: Any, date1904: bool) -> tuple[PartialDate | None, MilestoneKind | None]:
    """A consent cell: its date and, if the UN's mark says, its kind ("2 Apr 2008 a")."""
    text = cell_text(value)
    if text is None:
        return None, None
    kind = None
    marked = _MARKED.match(text) if isinstance(value, str) else None
    if marked and marked[1]:
        text, kind = marked[1], _UN_MARKS[marked[2]]
        value = text
    return partial_date_from_cell(value, date1904), kind


def _kind_cell(value: Any) -> MilestoneKind:
    text = fold_header(cell_text(value) or "")
    kind = _KIND_WORDS.get(text) or _UN_MARKS.get(cell_text(value) or "")
    if kind is None:
        raise DateCellError(
            "expected the kind of consent: ratification, acceptance, approval, accession "
            "or succession (or the UN's marks a, A, AA, d)"
        )
    return kind


# -- the desk's side -----------------------------------------------------------------------


@dataclass(slots=True)
class _Held:
    """One party's participation as the desk holds it, step by step."""

    uuid: str
    retired: bool
    reservations: str | None
    steps: dict[str, Any]  # step -> the live milestone row


def _step(kind: MilestoneKind) -> str:
    return "consent" if kind in CONSENT_TO_BE_BOUND else kind.value


def _held(connection: Connection, instrument_id: int) -> dict[int, _Held]:
    p, ms = t.participation, t.milestone
    held = {
        row.party_id: _Held(row.uuid, row.retired_at is not None, row.reservations, {})
        for row in connection.execute(
            select(p.c.id, p.c.party_id, p.c.uuid, p.c.retired_at, p.c.reservations).where(
                p.c.instrument_id == instrument_id
            )
        )
    }
    ids = dict(
        connection.execute(
            select(p.c.id, p.c.party_id).where(p.c.instrument_id == instrument_id)
        ).all()
    )
    for row in connection.execute(
        select(ms.c.participation_id, ms.c.uuid, ms.c.kind, ms.c.actual, ms.c.catalogue_key)
        .where(ms.c.participation_id.in_(list(ids)), ms.c.retired_at.is_(None))
        .order_by(ms.c.catalogue_key.is_(None), ms.c.id)  # the catalogue's step first
    ):
        steps = held[ids[row.participation_id]].steps
        steps.setdefault(_step(MilestoneKind(row.kind)), row)
    return held


# -- the comparison ------------------------------------------------------------------------


def _header(sheet: ReadSheet) -> tuple[int, tuple[str, ...]]:
    for row in sheet.rows[:HEADER_SEARCH_ROWS]:
        texts = [v for v in row.values if isinstance(v, str) and v.strip()]
        if len(texts) >= 2:
            return row.number, tuple("" if v is None else str(v).strip() for v in row.values)
    first = sheet.rows[0]
    return first.number, tuple("" if v is None else str(v) for v in first.values)


def table_sheet(workbook: ReadWorkbook) -> ReadSheet | None:
    """The sheet holding the list: the first visible one with a header and a row."""
    return next((s for s in workbook.sheets if s.visible and len(s.rows) >= 2), None)


def preview_participation(
    desk: Desk,
    path: Path,
    workbook: ReadWorkbook,
    target: ParticipationTarget,
    *,
    mapping: Mapping[str, str] | None = None,
    progress: Progress | None = None,
) -> ImportPreview:
    """What importing the depositary's list in ``workbook`` as participation in
    ``target.instrument`` would change; nothing is written."""
    path = Path(path)
    collector = Collector(path)
    sheet = table_sheet(workbook)
    if sheet is None:
        collector.refuse(path.name, "table", None, "no sheet holds a table (a header and rows)")
        return _preview(collector, path, target, desk, "", ())
    header_row, headers = _header(sheet)
    chosen = dict(mapping) if mapping is not None else suggest_depositary_mapping(headers)
    source_key = depositary_source_key(headers)
    columns: dict[str, int] = {}
    for index, header in enumerate(headers):
        key = chosen.get(header, IGNORE)
        if key and key in columns:
            collector.refuse(
                f"{sheet.name}!{letter(index)}{header_row}",
                header,
                None,
                "two columns are imported as the same field: import one of them only",
            )
        elif key:
            columns[key] = index
    if "party" not in columns:
        collector.refuse(
            f"{sheet.name}!{header_row}:{header_row}",
            "Party",
            None,
            "no column is imported as the party: choose the column naming the states",
        )
    with desk.connect() as connection:
        instrument = connection.execute(
            select(t.instrument.c.id, t.instrument.c.short_name).where(
                t.instrument.c.code == target.instrument
            )
        ).first()
        if instrument is None:
            raise ValidationError(
                "Instrument", "the key of an instrument of this desk", target.instrument
            )
        mark = desk_mark(connection)
        if "party" in columns and not collector.refused:
            if progress is not None:
                progress.report(2, 4, "Comparing with the desk")
            _Comparison(
                collector,
                sheet,
                header_row,
                headers,
                columns,
                workbook.date1904,
                target,
                instrument.short_name,
                PartyNames(connection),
                _held(connection, instrument.id),
            ).run()
    collector.notes.append(
        f"Read as the depositary's list for {instrument.short_name}, as of {target.as_of}, "
        f"from {target.source}. A date the desk holds differently is a conflict for you to "
        "settle: the desk's value may be the catalogue's sourced fact or your own."
    )
    return _preview(collector, path, target, desk, source_key, tuple(sorted(chosen.items())), mark)


def _preview(
    collector: Collector,
    path: Path,
    target: ParticipationTarget,
    desk: Desk,
    source_key: str,
    mapping: tuple[tuple[str, str], ...],
    mark: int | None = None,
) -> ImportPreview:
    if mark is None:
        with desk.connect() as connection:
            mark = desk_mark(connection)
    return collector.preview(
        sha256=file_sha256(path),
        kind=DEPOSITARY,
        agency=None,
        export_id=None,
        desk_mark=mark,
        ceiling=None,
        mapping_source=source_key or None,
        mapping=mapping,
        target=target,
    )


class _Comparison:
    """One pass over the list's rows against the desk's participation."""

    def __init__(
        self,
        collector: Collector,
        sheet: ReadSheet,
        header_row: int,
        headers: tuple[str, ...],
        columns: dict[str, int],
        date1904: bool,
        target: ParticipationTarget,
        instrument_name: str,
        names: PartyNames,
        held: dict[int, _Held],
    ):
        self.collector, self.sheet, self.header_row = collector, sheet, header_row
        self.headers, self.columns, self.date1904 = headers, columns, date1904
        self.target, self.instrument_name = target, instrument_name
        self.names, self.held = names, held
        self.seen: dict[str, int] = {}
        # The UN's header "Ratification, Acceptance(A), Approval(AA), Accession(a)…":
        # a date without a mark is a ratification.
        consent = fold_header(headers[columns["consent"]]) if "consent" in columns else ""
        self.unmarked_ratification = consent.startswith("ratification") and "(a" in consent

    def where(self, key: str, row: int) -> str:
        return f"{self.sheet.name}!{letter(self.columns[key])}{row}"

    def value(self, key: str, values: tuple[Any, ...]) -> Any:
        index = self.columns.get(key)
        return values[index] if index is not None and index < len(values) else None

    def run(self) -> None:
        for row in self.sheet.rows:
            if row.number <= self.header_row:
                continue
            self.collector.rows_read += 1
            self.row(row.number, row.values)

    def row(self, number: int, values: tuple[Any, ...]) -> None:
        collector = self.collector
        named = cell_text(self.value("party", values))
        read: dict[str, Any] = {}
        for key in ("signature", "entry_into_force"):
            if key in self.columns and self.value(key, values) is not None:
                try:
                    read[key] = partial_date_from_cell(self.value(key, values), self.date1904)
                except (DateCellError, ValueError) as error:
                    collector.refuse(
                        self.where(key, number),
                        self.header(key),
                        self.value(key, values),
                        f"expected a date like 2005-09-14 ({error})",
                    )
        kind = None
        if "consent" in self.columns and self.value("consent", values) is not None:
            try:
                read["consent"], kind = _consent_cell(self.value("consent", values), self.date1904)
                if kind is None and self.unmarked_ratification:
                    kind = MilestoneKind.RATIFICATION
            except (DateCellError, ValueError) as error:
                collector.refuse(
                    self.where("consent", number),
                    self.header("consent"),
                    self.value("consent", values),
                    "expected a date like 2010-06-30, with the UN's mark a, A, AA or d if "
                    f"any ({error})",
                )
        if "consent_kind" in self.columns and self.value("consent_kind", values) is not None:
            try:
                kind = _kind_cell(self.value("consent_kind", values))
            except DateCellError as error:
                collector.refuse(
                    self.where("consent_kind", number),
                    self.header("consent_kind"),
                    self.value("consent_kind", values),
                    str(error),
                )
        reservations = cell_text(self.value("reservations", values))
        dated = {k: v for k, v in read.items() if v is not None}
        if not named:
            if dated:
                collector.refuse(
                    self.where("party", number),
                    self.header("party"),
                    None,
                    "this row has dates but names no party",
                )
            return
        if not dated and not reservations:
            return  # a heading or a footnote between the rows
        code = self.names.find(named)
        if code is None:
            collector.refuse(
                self.where("party", number),
                self.header("party"),
                named,
                "expected a state's name as ISO 3166 or the UN write it (Viet Nam, "
                "Bolivia (Plurinational State of)), or its alpha-3 code (VNM)",
            )
            return
        if code in self.seen:
            collector.refuse(
                self.where("party", number),
                self.header("party"),
                named,
                f"this party is also in row {self.seen[code]}; keep one row per party",
            )
            return
        self.seen[code] = number
        party_id, party_name = self.names.by_code[code]
        self.changes(number, code, party_id, party_name, dated, kind, reservations)

    def header(self, key: str) -> str:
        return self.headers[self.columns[key]]

    def changes(
        self,
        number: int,
        code: str,
        party_id: int,
        party_name: str,
        dated: dict[str, PartialDate],
        kind: MilestoneKind | None,
        reservations: str | None,
    ) -> None:
        collector, sheet = self.collector, self.sheet.name
        held = self.held.get(party_id)
        label = f"{party_name} in {self.instrument_name}"
        if held is not None and held.retired:
            collector.notes.append(
                f"{label} (row {number}) is retired in the desk: the row is not imported; "
                "restore the participation first to import it."
            )
            return
        if held is None:
            participation = f"new:participation:{sheet}:{number}"
            fields = [
                self.change("party", "party", number, "", party_name, code),
                self.change(
                    "party", "instrument", number, "", self.instrument_name, self.target.instrument
                ),
            ]
            if reservations:
                fields.append(
                    self.change(
                        "reservations", "reservations", number, "", reservations, reservations
                    )
                )
            collector.records.append(
                RecordChange(
                    participation,
                    sheet,
                    number,
                    "participation",
                    f"New: {label}",
                    tuple(fields),
                    True,
                )
            )
            steps: dict[str, Any] = {}
        else:
            participation = held.uuid
            steps = held.steps
            if reservations and reservations != (held.reservations or ""):
                collector.records.append(
                    RecordChange(
                        held.uuid,
                        sheet,
                        number,
                        "participation",
                        label,
                        (
                            self.change(
                                "reservations",
                                "reservations",
                                number,
                                held.reservations or "",
                                reservations,
                                reservations,
                                conflict=bool(held.reservations),
                            ),
                        ),
                    )
                )
        wanted: list[tuple[str, MilestoneKind, PartialDate, str]] = []
        if "signature" in dated:
            wanted.append(("signature", MilestoneKind.SIGNATURE, dated["signature"], "signature"))
        if "consent" in dated:
            if kind is not None:
                wanted.append(("consent", kind, dated["consent"], "consent"))
            wanted.append(("deposit", MilestoneKind.DEPOSIT, dated["consent"], "consent"))
        if "entry_into_force" in dated:
            wanted.append(
                (
                    "entry_into_force",
                    MilestoneKind.ENTRY_INTO_FORCE,
                    dated["entry_into_force"],
                    "entry_into_force",
                )
            )
        for step, step_kind, day, column in wanted:
            existing = steps.get(step)
            what = f"{label}: {step_kind.label}"
            if existing is None:
                collector.records.append(
                    RecordChange(
                        f"new:milestone:{sheet}:{number}:{step}",
                        sheet,
                        number,
                        "milestone",
                        f"New: {what}",
                        (
                            self.change(column, "participation", number, "", label, participation),
                            self.change(column, "kind", number, "", step_kind.label, step_kind),
                            self.change(column, "actual", number, "", str(day), day),
                        ),
                        True,
                    )
                )
                continue
            fields = []
            if existing.actual != day:
                fields.append(
                    self.change(
                        column,
                        "actual",
                        number,
                        str(existing.actual or ""),
                        str(day),
                        day,
                        conflict=existing.actual is not None,
                    )
                )
            if step == "consent" and MilestoneKind(existing.kind) is not step_kind:
                fields.append(
                    self.change(
                        "consent_kind" if "consent_kind" in self.columns else column,
                        "kind",
                        number,
                        MilestoneKind(existing.kind).label,
                        step_kind.label,
                        step_kind,
                        conflict=True,
                    )
                )
            if fields:
                origin = "the catalogue's" if existing.catalogue_key else "the desk's own"
                collector.records.append(
                    RecordChange(
                        existing.uuid,
                        sheet,
                        number,
                        "milestone",
                        f"{what} ({origin} step)",
                        tuple(fields),
                    )
                )

    def change(
        self,
        column: str,
        field: str,
        number: int,
        old: str,
        new: str,
        value: Any,
        *,
        conflict: bool = False,
    ) -> FieldChange:
        return FieldChange(
            column=f"{column}:{field}",
            field=field,
            header=_FIELD_WORDS.get(field, field),
            cell=self.where(column, number),
            old=old,
            new=new,
            value=value,
            conflict=conflict,
        )


__all__ = [
    "DEPOSITARY",
    "PARTICIPATION_FIELDS",
    "UN_NAMES",
    "ParticipationTarget",
    "PartyNames",
    "depositary_fields",
    "depositary_instruments",
    "depositary_source_key",
    "preview_participation",
    "suggest_depositary_mapping",
    "table_sheet",
]
