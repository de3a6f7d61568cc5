"""How the merge's dialogs say things: kinds of record, the sides of a conflict,
counts, laptops — in words a person reads, never a stored name ("status_entry")."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from nsdesk.domain.records import RECORD_SPECS
from nsdesk.ui import wording
from nsdesk.ui.conflict_words import item_tooltip, side_text, theirs_of, who_text

if TYPE_CHECKING:
    from nsdesk.services.merge.outcome import MergeReport, OpenItem

__all__ = [
    "applied_text",
    "counts_text",
    "field_words",
    "item_tooltip",
    "kind_words",
    "record_words",
    "report_lines",
    "side_text",
    "theirs_of",
    "who_text",
]

#: Kinds of record the change log carries that have no form of their own.
_OTHER_KINDS = {
    "briefing_profile": ("briefing profile", "briefing profiles"),
    "column_mapping": ("column matching", "column matchings"),
    "external_scheme": ("reporting scheme", "reporting schemes"),
    "marking_level": ("marking level", "marking levels"),
    "record_alias": ("former number", "former numbers"),
    "citation": ("source cited", "sources cited"),
    "desk_settings": ("desk setting", "desk settings"),
    "scheme_area": ("area of a reporting scheme", "areas of reporting schemes"),
    "import_batch": ("import", "imports"),
    "commitment_appearance": ("appearance in a document", "appearances in documents"),
}


def kind_words(table: str, number: int = 1) -> str:
    """A kind of record in lower case, singular or plural as ``number`` asks."""
    spec = RECORD_SPECS.get(table)
    if spec is not None:
        return (spec.label if number == 1 else spec.plural).lower()
    one, many = _OTHER_KINDS.get(table, (table.replace("_", " "), table.replace("_", " ") + "s"))
    return one if number == 1 else many


def field_words(table: str, name: str) -> str:
    """A field as its form labels it ("Next steps"), never its stored name."""
    spec = RECORD_SPECS.get(table)
    if spec is not None:
        for fspec in spec.fields:
            if name in (fspec.name, f"{fspec.name}_id"):
                return fspec.label
    return name.replace("_", " ").capitalize()


def applied_text(applied: Mapping[str, int]) -> str:
    """The changes applied, by kind: "12 commitments, 3 progress entries"."""
    if not applied:
        return "nothing"
    parts = sorted(applied.items(), key=lambda item: (-item[1], kind_words(item[0])))
    return ", ".join(f"{n:,} {kind_words(table, n)}" for table, n in parts)


def counts_text(counts: Mapping[str, int]) -> str:
    """A file's changes by kind, as the sender counted them."""
    total = sum(counts.values())
    return f"{wording.count(total, 'change')} ({applied_text(counts)})" if total else "no changes"


def report_lines(report: MergeReport) -> list[str]:
    """What a merge did (or, previewed, would do), one sentence per part."""
    would = report.dry_run
    lines = [
        f"{wording.count(report.total, 'change')} in the file; "
        f"{report.known:,} {'is' if report.known == 1 else 'are'} already in this desk."
    ]
    lines.append(
        f"{'Would apply' if would else 'Applied'}: {applied_text(report.applied)}."
        if report.applied
        else f"Nothing new {'would be' if would else 'was'} applied."
    )
    if report.merged:
        lines.append(
            f"{wording.count(len(report.merged), 'field')} changed on both laptops "
            f"{'would merge' if would else 'merged'} without a conflict."
        )
    if report.conflicts:
        lines.append(
            f"{wording.count(len(report.conflicts), 'conflict')}: two different values of one "
            "field; this desk keeps its value until someone decides."
        )
    if report.clashes:
        lines.append(
            f"{wording.count(len(report.clashes), 'identity clash', 'identity clashes')}: "
            "two records made with one number."
        )
    if report.reviews:
        lines.append(f"{wording.count(len(report.reviews), 'record')} to review.")
    return lines


def item_kind_text(item: OpenItem) -> str:
    """What an open item is, in a word or two."""
    return {"conflict": "Conflict", "identity": "Identity clash", "review": "To review"}[
        str(item.kind.value)
    ]


_KEYED_LABEL = re.compile(r"^(\S+) \((.*)\)$")


def record_words(label: str | None) -> str:
    """A record's label without its key said twice: "C-0061~1f0e (C-0061 Workshop)"
    reads "C-0061~1f0e Workshop"."""
    if not label:
        return "another record"
    found = _KEYED_LABEL.match(label)
    if found is not None:
        key, inner = found.groups()
        first = key.split("~")[0] + " "
        if inner.startswith(first):
            return f"{key} {inner[len(first) :]}"
    return label


def item_summary(item: OpenItem) -> str:
    """One line naming what an open item is about."""
    kind = kind_words(item.record_table).capitalize()
    if item.kind.value == "identity":
        return (
            f"{kind} number {item.key} was given on two laptops: to "
            f"{record_words(item.other_label)} here, and to {record_words(item.record_label)}"
            " from the other laptop"
        )
    if item.kind.value == "review":
        return f"{kind} {item.record_label}: {item.note}"
    return f"{kind} {item.record_label}, {item.field_label}"


def plain(value: Any) -> str:
    """A value as one line of text."""
    return " ".join(str(value).split()) if value is not None else ""
