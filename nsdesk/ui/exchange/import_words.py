"""The sentences the import wizard and the import history say: what a file is and
what it would change, what an import did, the markings a workbook lowers, the
examples of a foreign table's columns. Plain Python (no Qt), so the pages and
their tests share the same words."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from nsdesk.ui.wording import count

if TYPE_CHECKING:
    from nsdesk.services.exchange.changes import ImportPreview

KIND_WORDS = {
    "return": "Return",
    "register": "Register workbook",
    "foreign": "Table nsdesk did not write",
    "depositary": "Depositary's list (participation)",
}
KINDS_EXPLAINED = (
    (
        "A ministry's return",
        "The workbook exported for it with File ▸ Export workbook… and filled in: only "
        "the columns it may edit are read.",
    ),
    (
        "A register workbook",
        "Exported from this desk as the register: the yellow columns are read, and new "
        "commitments or agencies may be added in empty rows.",
    ),
    (
        "Another table",
        "A ministry's own tracker, as a workbook or CSV: you say which column holds what, and "
        "rows are matched to commitments by their Ref (C-0001…).",
    ),
    (
        "A depositary's list",
        "The IAEA's or the UN's status list of a treaty, saved as a workbook or CSV: each "
        "row becomes a party's participation; dates the desk holds differently are shown "
        "as conflicts for you to settle.",
    ),
)
BLOCKED = "Nothing can be imported until the workbook is corrected"


def one_line(text: str) -> str:
    """``text`` with every run of white space (new lines too) made one space."""
    return " ".join(text.split())


def counts_text(counts: Mapping[str, int]) -> str:
    """What an import did, in words: "1 record: 2 fields, 1 progress entry"."""
    parts = [count(counts.get("fields", 0), "field")]
    if counts.get("progress_entries"):
        parts.append(count(counts["progress_entries"], "progress entry", "progress entries"))
    if counts.get("targets"):
        parts.append(count(counts["targets"], "revised target"))
    if counts.get("created"):
        parts.append(f"{counts['created']:,} created")
    said = f"{count(counts.get('records', 0), 'record')}: {', '.join(parts)}"
    kept, taken = counts.get("conflicts_kept", 0), counts.get("conflicts_taken", 0)
    if kept or taken:
        said += f"; conflicts: {kept:,} kept the desk's value, {taken:,} took the workbook's"
    return said


def preview_summary(preview: ImportPreview) -> str:
    """The preview's first line: what the file is and what it would change."""
    kind = KIND_WORDS.get(preview.kind, preview.kind)
    if preview.kind == "return" and preview.agency:
        kind = f"Return from {preview.agency}"
        if not preview.recorded:
            kind += " (not recorded by this desk)"
    changes = (
        f"{count(len(preview.records), 'record')} and "
        f"{count(preview.field_changes, 'field')} would change"
        if preview.records
        else "nothing would change"
    )
    conflicts = count(preview.conflicts, "conflict") if preview.conflicts else "no conflicts"
    refused = count(len(preview.refused), "refused cell") if preview.refused else "no refused cells"
    rows = count(preview.rows_read, "row")
    return f"{kind} · {rows} read · {changes} · {conflicts} · {refused}"


def lowering_text(preview: ImportPreview, most: int = 12) -> str:
    """The records whose marking the preview lowers, and to what, in a sentence."""
    lowered = preview.lowered
    if not lowered:
        return ""
    named = [
        f"{m.label.split()[0] if m.label else m.key} ({m.cell}) from {m.old} to {m.new}"
        for m in lowered[:most]
    ]
    more = f"; and {len(lowered) - most:,} more" if len(lowered) > most else ""
    return (
        f"This workbook lowers the marking of {count(len(lowered), 'record')}: "
        f"{'; '.join(named)}{more}. Once lowered, a record leaves the desk in exports "
        "marked at its new level. Nothing is imported until you confirm it."
    )


def blocking_reason(preview: ImportPreview | None, open_conflicts: int, confirmed: bool) -> str:
    """Why the preview cannot be applied yet, in a sentence ("": it can be)."""
    if preview is None:
        return "Nothing to import."
    if preview.refused:
        return (
            f"{BLOCKED}: {count(len(preview.refused), 'cell was', 'cells were')} "
            "refused (listed below). Correct the workbook, then import it again."
        )
    if not preview.records:
        return "The workbook changes nothing in the desk: there is nothing to import."
    if open_conflicts:
        return (
            f"Choose a side for {count(open_conflicts, 'conflict')}: "
            f"{'that field was' if open_conflicts == 1 else 'those fields were'} changed both "
            "in the desk and in the workbook since the export."
        )
    if not confirmed:
        return (
            f"The workbook lowers the marking of {count(len(preview.lowered), 'record')}: "
            "confirm it below the summary, or correct the workbook."
        )
    return ""


def sample_values(
    rows: Iterable[Sequence[Any]], headers: Sequence[str], most: int = 3
) -> dict[str, list[str]]:
    """A few values of each column, as a person reads them, for the mapping page."""
    found: dict[str, list[str]] = {h: [] for h in headers if h}
    for values in rows:
        for index, header in enumerate(headers):
            if not header or index >= len(values) or values[index] is None:
                continue
            shown = one_line(str(values[index]).strip())[:40]
            column = found[header]
            if shown and shown not in column and len(column) < most:
                column.append(shown)
    return found
