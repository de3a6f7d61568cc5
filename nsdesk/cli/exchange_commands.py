"""``nsdesk export`` and ``nsdesk import``: workbooks out and in, with what an
import would change printed line by line before anything is changed."""

from __future__ import annotations

import argparse
from pathlib import Path

from nsdesk.cli.terminal import VALUE_LIMIT, quoted, refuse, say, shown, taken
from nsdesk.cli.usage import EXIT_OK, EXIT_REFUSED, UsageError
from nsdesk.domain.errors import ValidationError
from nsdesk.domain.wording import count
from nsdesk.services.audit import default_actor_name
from nsdesk.services.desk import Desk, open_desk
from nsdesk.services.exchange.apply import Side, apply_import
from nsdesk.services.exchange.changes import ImportPreview, ParticipationTarget
from nsdesk.services.exchange.depositary import depositary_fields
from nsdesk.services.exchange.export import ExportRequest, export_workbook
from nsdesk.services.exchange.foreign_tables import ForeignTable, inspect_table
from nsdesk.services.exchange.preview import preview_import
from nsdesk.services.exchange.sheets import RETURN


def run_export(args: argparse.Namespace) -> int:
    """``nsdesk export DESK -o OUT.xlsx``: the register, or one agency's return."""
    out = Path(args.output)
    if not out.parent.is_dir():
        raise UsageError(f"-o {out}: the folder {out.parent} does not exist")
    if taken(out, args.force):
        return EXIT_REFUSED
    with open_desk(Path(args.desk)) as desk:  # written to: the desk records each export
        outcome = export_workbook(desk, ExportRequest(args.agency, args.ceiling), out)
    what = f"return for {outcome.agency}" if outcome.kind == RETURN else "register"
    withheld = (
        f"; {count(outcome.withheld, 'record')} above the ceiling withheld"
        if outcome.withheld
        else ""
    )
    say(
        f"Wrote {outcome.path}: the {what}, {count(outcome.rows, 'row')} in "
        f"{count(len(outcome.sheets), 'sheet')}, marked {outcome.marking}{withheld}."
    )
    if outcome.replaced_characters:
        refuse(
            f"warning: {count(outcome.replaced_characters, 'control character')} a workbook cannot "
            "hold were replaced by \N{REPLACEMENT CHARACTER}"
        )
    return EXIT_OK


def print_preview(preview: ImportPreview) -> None:
    """Print what importing the workbook would change, field by field, and every
    cell refused (to standard error, naming the file, cell and header)."""
    # Every value here came from the workbook or the desk: each is shown on its own
    # line, shortened, with its controls written out (see shown).
    name = shown(preview.path.name)
    who = f" from {shown(preview.agency)}" if preview.agency else ""
    say(
        f"{name}: a {preview.kind} workbook{who}; {preview.rows_read:,} rows read, "
        f"{len(preview.records):,} records to change ({preview.field_changes:,} fields), "
        f"{preview.conflicts:,} conflicts, {len(preview.refused):,} cells refused."
    )
    conflict = (
        "  CONFLICT (the desk holds another value: keep or take)"
        if preview.target is not None
        else "  CONFLICT (changed in the desk too)"
    )
    for record in preview.records:
        say(f"  {shown(record.sheet)} row {record.row}: {shown(record.label)}")
        for change in record.changes:
            mark = conflict if change.conflict else ""
            old = quoted(change.old) if change.old else "(empty)"
            say(f"      {shown(change.header)}: {old} -> {quoted(change.new)}{mark}")
    for note in preview.notes:
        say(f"  note: {shown(note, VALUE_LIMIT)}")
    for cell in preview.refused:
        value = f" ({quoted(cell.value)})" if cell.value else ""
        refuse(
            f"{name}, {shown(cell.where)}, {shown(cell.header)}{value}: "
            f"{shown(cell.reason, VALUE_LIMIT)}"
        )


def _participation_target(args: argparse.Namespace) -> ParticipationTarget | None:
    """The depositary's list ``--participation`` names, with its date and source."""
    if not args.participation:
        if args.as_of or args.source or args.url:
            raise UsageError("--as-of, --source and --url describe a --participation list")
        return None
    if not args.as_of or not args.source:
        raise UsageError(
            "--participation needs --as-of DATE (when the list was current) and --source TEXT "
            "(where it comes from)"
        )
    try:
        return ParticipationTarget.of(args.participation, args.as_of, args.source, args.url)
    except ValidationError as error:
        raise UsageError(str(error)) from None


def _mapping(
    args: argparse.Namespace, desk: Desk, source: Path, target: ParticipationTarget | None
) -> dict[str, str] | None:
    """The columns as ``--map`` says, the others as proposed (None: all as proposed)."""
    if not args.map:
        return None
    table = inspect_table(desk, source)
    mapping = dict(table.participation_mapping if target is not None else table.mapping)
    known = {key for key, _ in (depositary_fields() if target else ForeignTable.fields())}
    for item in args.map:
        header, _, key = item.partition("=")
        if header.strip() not in mapping:
            raise UsageError(
                f"--map {item}: the table has no column {header.strip()!r} (its columns: "
                f"{', '.join(h for h in table.headers if h)})"
            )
        if key.strip() and key.strip() not in known:
            raise UsageError(f"--map {item}: FIELD is one of {', '.join(sorted(known))}")
        mapping[header.strip()] = key.strip()
    return mapping


def run_import(args: argparse.Namespace) -> int:
    """``nsdesk import DESK IN.xlsx``: preview, then apply unless refused, in conflict
    without a side chosen, lowering a marking unconfirmed, or a dry run."""
    source = Path(args.workbook)
    if not source.is_file():
        raise UsageError(f"{source}: no such file")
    side = {"keep": Side.DESK, "take": Side.WORKBOOK, "fail": None}[args.on_conflict]
    target = _participation_target(args)
    with open_desk(Path(args.desk), read_only=args.dry_run) as desk:
        mapping = _mapping(args, desk, source, target)
        preview = preview_import(desk, source, ceiling=args.ceiling, target=target, mapping=mapping)
        print_preview(preview)
        if preview.refused:
            refuse(f"{count(len(preview.refused), 'cell')} refused: nothing was imported")
            return EXIT_REFUSED
        if preview.lowered and not args.allow_lower_marking:
            for lowered in preview.lowered:
                refuse(
                    f"{source.name}, {lowered.cell}, Sensitivity: {lowered.label} would be "
                    f"marked {lowered.new} instead of {lowered.old}"
                )
            refuse(
                f"{count(len(preview.lowered), 'marking')} lowered: nothing was imported; confirm "
                "with --allow-lower-marking"
            )
            return EXIT_REFUSED
        if not preview.records:
            say("Nothing to import: the workbook changes nothing in the desk.")
            return EXIT_OK
        if preview.conflicts and side is None:
            refuse(
                f"{count(preview.conflicts, 'conflict')} left: nothing was imported; choose a side "
                "with --on-conflict keep (the desk's value) or take (the workbook's)"
            )
            return EXIT_REFUSED
        if args.dry_run:
            say("Dry run: nothing was changed.")
            return EXIT_OK
        confirmed = None
        if preview.lowered:
            confirmed = f"{default_actor_name()} with --allow-lower-marking"
        result = apply_import(desk, preview, default=side, lowering_confirmed_by=confirmed)
    say(
        f"Imported {source.name}: {result.records:,} records, {result.fields:,} fields, "
        f"{result.progress_entries:,} progress entries, {result.targets:,} revised targets, "
        f"{result.created:,} new records (import {result.batch}; undo it with the import "
        "history)."
    )
    return EXIT_OK


RUNNERS = {"export": run_export, "import": run_import}
"""The function that runs each command of this group."""
