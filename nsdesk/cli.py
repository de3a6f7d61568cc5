"""The command line: ``nsdesk [DESK]`` opens the app; subcommands script the rest.

A thin shell over the services. Exit statuses (PRODUCT.md): 0 done; 1 input
refused (nothing changed); 2 usage error; 3 the desk cannot be opened (missing,
locked, damaged, newer schema); and 4 when the start-up self-check finds this
installation incomplete or unsafe, before anything is opened. Every refusal says
what was wrong and where.

Nothing heavy is imported at module level: ``nsdesk --version`` and the start of
the app must not wait for SQLAlchemy, reportlab or openpyxl.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    import argparse

EXIT_OK, EXIT_REFUSED, EXIT_USAGE, EXIT_DESK, EXIT_BROKEN_INSTALL = 0, 1, 2, 3, 4
COMMANDS = ("init", "demo", "check", "brief", "export", "import", "backup", "restore")
"""The subcommands; any other first argument is a desk to open in the app."""


class UsageError(Exception):
    """A command-line argument is wrong (exit status 2)."""


def _version_text() -> str:
    """What ``nsdesk --version`` prints: the identity, and the self-check's verdict
    (printed, not enforced, so a broken installation can still say what it is)."""
    from nsdesk.services.install.about import app_identity
    from nsdesk.services.install.self_check import startup_problems

    problems = startup_problems()
    verdict = "ok" if not problems else "FAILED: nsdesk will refuse to start"
    lines = app_identity().lines(extra=[("Self-check", verdict)])
    lines += [f"    - {problem}" for problem in problems]
    return "\n".join(lines)


def _installation_refused() -> str | None:
    """The start-up self-check's refusal, or None when this installation is sound."""
    from nsdesk.services.install.self_check import refusal_text, startup_problems

    problems = startup_problems()
    return refusal_text(problems) if problems else None


VALUE_LIMIT = 200
"""The most characters of one value a preview line shows (then "… (3,412 characters)")."""
NAME_LIMIT = 120
"""The most characters of a name or label shown on a line (a record, a delegation)."""


def _terminal_safe(text: str) -> str:
    """A message made safe for a terminal: no bidi control or hidden character (the
    rule every output shares), and every control character but the line break
    written out, so an escape sequence or a carriage return in a value can neither
    recolour, clear nor overwrite what the terminal shows."""
    from nsdesk.domain.text import strip_hidden, visible_controls

    return visible_controls(strip_hidden(text), keep_line_breaks=True)


def _shown(value: object, limit: int = NAME_LIMIT) -> str:
    """A user value on one line: hidden characters removed, line breaks and controls
    written out (``\\n``, ``\\x1b``), and cut after ``limit`` characters with its
    full length said."""
    from nsdesk.domain.text import shorten, strip_hidden, visible_controls

    text = "" if value is None else str(value)
    return visible_controls(shorten(strip_hidden(text), limit, length=len(text)))


def _quoted(value: object, limit: int = VALUE_LIMIT) -> str:
    """A user value in quotes, as :func:`_shown`; a shortened one says its length
    after the closing quote: ``'The ministry will' … (3,412 characters)``."""
    from nsdesk.domain.text import cut_point, length_note, strip_hidden, visible_controls

    text = "" if value is None else str(value)
    clean = strip_hidden(text)
    cut = cut_point(clean, limit)
    if cut == len(clean):
        return f"'{visible_controls(clean)}'"
    return f"'{visible_controls(clean[:cut].rstrip())}' {length_note(len(text))}"


def _say(text: str, stream: TextIO | None = None) -> None:
    print(_terminal_safe(text), file=stream or sys.stdout)


def _refuse(text: str) -> None:
    print(f"nsdesk: {_terminal_safe(text)}", file=sys.stderr)


def _state_code(text: str) -> str:
    """An ISO 3166 alpha-3 state code, with a suggestion when it is not one."""
    import pycountry

    code = text.strip().upper()
    if len(code) == 3 and pycountry.countries.get(alpha_3=code):
        return code
    hint = ""
    try:
        guess = pycountry.countries.lookup(text.strip())
        hint = f"; did you mean {guess.alpha_3} ({guess.name})?"
    except LookupError:
        pass
    raise UsageError(f"--state {text!r} is not an ISO 3166 alpha-3 state code like NLD{hint}")


def _cmd_init(args: argparse.Namespace) -> int:
    from nsdesk.services.desk import create_desk, desk_path

    state = _state_code(args.state)
    path, report = create_desk(desk_path(args.desk), state=state, delegation=args.delegation)
    total = sum(report.created.values())
    _say(f"Created {path} for {state} with the catalogue ({total} records).")
    return EXIT_OK


def _cmd_demo(args: argparse.Namespace) -> int:
    from nsdesk.services.desk import desk_path
    from nsdesk.services.setup.demo import create_demo_desk

    if args.scale < 1:
        raise UsageError("--scale must be 1 or more")
    path, _ = create_demo_desk(desk_path(args.desk), scale=args.scale, seed=args.seed)
    _say(f"Created the DEMO desk {path} (scale {args.scale}, seed {args.seed}).")
    return EXIT_OK


def _cmd_check(args: argparse.Namespace) -> int:
    from nsdesk.services.backups.check import check_desk

    report = check_desk(Path(args.desk))
    _say(f"Desk:       {report.path}")
    migration = (
        f" (older: nsdesk will update it to {report.schema_head} when it opens it for editing)"
        if report.needs_migration
        else ""
    )
    _say(f"Schema:     {report.schema_revision}{migration}")
    if report.info is not None:
        info = report.info
        demo = "  [DEMO]" if info.is_demo else ""
        _say(f"State:      {info.own_state_code} {_shown(info.own_state_name)}{demo}")
        _say(f"Delegation: {_shown(info.delegation) or '-'}")
        _say(f"Catalogue:  {info.catalogue_version} (as of {info.catalogue_as_of})")
        _say(f"Marking:    {' < '.join(info.marking.codes)}")
    if report.left_open_by is not None:
        _say(
            f"Lock:       left by a session that did not close the desk "
            f"({report.left_open_by.describe()})"
        )
    elif report.held_by is not None:
        _say(f"Lock:       open for editing by {report.held_by.describe()}")
    _say(f"Integrity:  {'ok' if report.sound else 'PROBLEMS FOUND'}")
    for problem in report.problems:
        _say(f"  - {_shown(problem, VALUE_LIMIT)}")
    if not report.sound and report.newest_backup is not None:
        _say(f"Newest backup: {report.newest_backup}")
        _say(f"  To restore it: nsdesk restore {report.path} --from {report.newest_backup}")
    if report.counts:
        _say("Records:")
        width = max(len(c.plural) for c in report.counts)
        for count in report.counts:
            retired = f"  ({count.retired} retired)" if count.retired else ""
            _say(f"  {count.plural:<{width}}  {count.live:>7,}{retired}")
    return EXIT_OK if report.sound else EXIT_DESK


def _taken(out: Path, force: bool) -> bool:
    """Whether ``out`` is an existing file that ``--force`` was not given to replace
    (then it says so): a pack or workbook is never replaced silently."""
    if force or not out.exists() or out.is_dir():
        return False
    _refuse(f"{out} already exists; nothing was written. Add --force to replace it.")
    return True


def _cmd_brief(args: argparse.Namespace) -> int:
    from nsdesk.domain.dates import parse_iso_date
    from nsdesk.domain.errors import ValidationError
    from nsdesk.services.briefing.pack import BriefingRequest, write_briefing
    from nsdesk.services.briefing.profiles import find_profile, parse_sections
    from nsdesk.services.desk import open_desk

    try:
        as_of = parse_iso_date(args.as_of) if args.as_of else None
        sections = parse_sections(args.sections) if args.sections else None
    except ValidationError as error:
        raise UsageError(str(error)) from None
    except ValueError:
        raise UsageError(f"--as-of {args.as_of!r} is not a date like 2026-03-24") from None
    out = Path(args.output)
    if _taken(out, args.force):
        return EXIT_REFUSED
    with open_desk(Path(args.desk), read_only=True) as desk:
        options: dict[str, object] = {}
        if args.profile:
            profile = find_profile(desk, args.profile)
            options = dict(profile.options)
            sections = sections or profile.sections
        request = BriefingRequest(
            event=args.event,
            as_of=as_of,
            baseline=args.baseline or options.get("baseline"),  # type: ignore[arg-type]
            ceiling=args.ceiling or options.get("ceiling"),  # type: ignore[arg-type]
            paper=args.paper or options.get("paper") or "A4",  # type: ignore[arg-type]
            **({"sections": sections} if sections else {}),
        )
        outcome = write_briefing(desk, request, out)
    withheld = (
        f"; {outcome.withheld:,} records above the ceiling withheld" if outcome.withheld else ""
    )
    _say(f"Wrote {outcome.path}: {outcome.pages} pages, marked {outcome.marking_label}{withheld}.")
    for note in outcome.notes:
        _refuse(f"warning: {note.section}, {_shown(note.record)}: {note.message}")
    return EXIT_OK


def _cmd_export(args: argparse.Namespace) -> int:
    from nsdesk.services.desk import open_desk
    from nsdesk.services.exchange.export import ExportRequest, export_workbook
    from nsdesk.services.exchange.sheets import RETURN

    out = Path(args.output)
    if not out.parent.is_dir():
        raise UsageError(f"-o {out}: the folder {out.parent} does not exist")
    if _taken(out, args.force):
        return EXIT_REFUSED
    with open_desk(Path(args.desk)) as desk:  # written to: the desk records each export
        outcome = export_workbook(desk, ExportRequest(args.agency, args.ceiling), out)
    what = f"return for {outcome.agency}" if outcome.kind == RETURN else "register"
    withheld = (
        f"; {outcome.withheld:,} records above the ceiling withheld" if outcome.withheld else ""
    )
    _say(
        f"Wrote {outcome.path}: the {what}, {outcome.rows:,} rows in "
        f"{len(outcome.sheets)} sheet(s), marked {outcome.marking}{withheld}."
    )
    if outcome.replaced_characters:
        _refuse(
            f"warning: {outcome.replaced_characters} control character(s) a workbook cannot "
            "hold were replaced by \N{REPLACEMENT CHARACTER}"
        )
    return EXIT_OK


def _print_preview(preview: object) -> None:
    from nsdesk.services.exchange.changes import ImportPreview

    assert isinstance(preview, ImportPreview)
    # Every value here came from the workbook or the desk: each is shown on its own
    # line, shortened, with its controls written out (see _shown).
    name = _shown(preview.path.name)
    who = f" from {_shown(preview.agency)}" if preview.agency else ""
    _say(
        f"{name}: a {preview.kind} workbook{who}; {preview.rows_read:,} rows read, "
        f"{len(preview.records):,} records to change ({preview.field_changes:,} fields), "
        f"{preview.conflicts:,} conflicts, {len(preview.refused):,} cells refused."
    )
    for record in preview.records:
        _say(f"  {_shown(record.sheet)} row {record.row}: {_shown(record.label)}")
        for change in record.changes:
            mark = "  CONFLICT (changed in the desk too)" if change.conflict else ""
            old = _quoted(change.old) if change.old else "(empty)"
            _say(f"      {_shown(change.header)}: {old} -> {_quoted(change.new)}{mark}")
    for note in preview.notes:
        _say(f"  note: {_shown(note, VALUE_LIMIT)}")
    for cell in preview.refused:
        shown = f" ({_quoted(cell.value)})" if cell.value else ""
        _refuse(
            f"{name}, {_shown(cell.where)}, {_shown(cell.header)}{shown}: "
            f"{_shown(cell.reason, VALUE_LIMIT)}"
        )


def _cmd_import(args: argparse.Namespace) -> int:
    from nsdesk.services.desk import open_desk
    from nsdesk.services.exchange.apply import Side, apply_import
    from nsdesk.services.exchange.preview import preview_import

    source = Path(args.workbook)
    if not source.is_file():
        raise UsageError(f"{source}: no such file")
    side = {"keep": Side.DESK, "take": Side.WORKBOOK, "fail": None}[args.on_conflict]
    with open_desk(Path(args.desk), read_only=args.dry_run) as desk:
        preview = preview_import(desk, source, ceiling=args.ceiling)
        _print_preview(preview)
        if preview.refused:
            _refuse(f"{len(preview.refused)} cell(s) refused: nothing was imported")
            return EXIT_REFUSED
        if preview.lowered and not args.allow_lower_marking:
            for lowered in preview.lowered:
                _refuse(
                    f"{source.name}, {lowered.cell}, Sensitivity: {lowered.label} would be "
                    f"marked {lowered.new} instead of {lowered.old}"
                )
            _refuse(
                f"{len(preview.lowered)} marking(s) lowered: nothing was imported; confirm "
                "with --allow-lower-marking"
            )
            return EXIT_REFUSED
        if not preview.records:
            _say("Nothing to import: the workbook changes nothing in the desk.")
            return EXIT_OK
        if preview.conflicts and side is None:
            _refuse(
                f"{preview.conflicts} conflict(s) left: nothing was imported; choose a side "
                "with --on-conflict keep (the desk's value) or take (the workbook's)"
            )
            return EXIT_REFUSED
        if args.dry_run:
            _say("Dry run: nothing was changed.")
            return EXIT_OK
        confirmed = None
        if preview.lowered:
            from nsdesk.services.audit import default_actor_name

            confirmed = f"{default_actor_name()} with --allow-lower-marking"
        result = apply_import(desk, preview, default=side, lowering_confirmed_by=confirmed)
    _say(
        f"Imported {source.name}: {result.records:,} records, {result.fields:,} fields, "
        f"{result.progress_entries:,} progress entries, {result.targets:,} revised targets, "
        f"{result.created:,} new records (import {result.batch})."
    )
    return EXIT_OK


def _cmd_backup(args: argparse.Namespace) -> int:
    from nsdesk.services.backups.backups import BackupReason, take_backup

    target = Path(args.to) if args.to else None
    if target is not None and target.exists():
        raise UsageError(f"--to {target}: a file of that name already exists")
    info = take_backup(Path(args.desk), BackupReason.MANUAL, to=target)
    _say(f"Backed up {args.desk} to {info.path}")
    _say(
        f"Verified: integrity ok, schema {info.schema_revision}, "
        f"{info.record_count:,} records, {info.size / 1e6:.1f} MB."
    )
    return EXIT_OK


def _list_backups(desk: Path) -> None:
    from nsdesk.services.backups.backups import list_backups

    backups = list_backups(desk)
    if not backups:
        _say(f"There are no backups of {desk}.")
        return
    _say(f"Backups of {desk}, newest first:")
    for info in backups:
        when = info.taken_at.astimezone().strftime("%d %b %Y %H:%M")
        _say(
            f"  {when}  {info.reason:<20} {info.size / 1e6:6.1f} MB  {info.record_count:>8,} "
            f"records  {info.path}"
        )


def _cmd_restore(args: argparse.Namespace) -> int:
    from nsdesk.services.backups.restore import restore_desk

    if args.source is None:
        _list_backups(Path(args.desk))
        _refuse("choose the backup to restore with --from FILE")
        return EXIT_USAGE
    report = restore_desk(Path(args.desk), Path(args.source))
    _say(
        f"Restored {args.desk} from {report.restored_from.path.name} "
        f"(taken {report.restored_from.taken_at:%d %b %Y %H:%M} UTC)."
    )
    if report.kept_aside is not None:
        kind = "To undo, restore it" if report.kept_aside_restorable else "It is damaged"
        _say(f"The desk it replaced is kept as {report.kept_aside}. {kind}.")
    return EXIT_OK


def _build_parser() -> argparse.ArgumentParser:
    import argparse

    parser = argparse.ArgumentParser(
        prog="nsdesk",
        description="An offline desk for a national delegation to the nuclear-security "
        "process. Without a command, opens the desktop app on DESK (or the last desk).",
        epilog="Exit status: 0 done, 1 refused (nothing changed), 2 usage error, "
        "3 desk cannot be opened, 4 this installation is incomplete or unsafe "
        "(see --version).",
    )
    parser.add_argument(
        "--version",
        action="store_true",
        help="print the version, catalogue, schema and library versions, and the "
        "self-check, then exit",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    init = commands.add_parser("init", help="create a new desk for a state")
    init.add_argument("desk", metavar="DESK", help="the new desk file (NAME.nsdesk)")
    init.add_argument(
        "--state",
        required=True,
        metavar="ISO3",
        help="the delegation's state, ISO 3166 alpha-3 (e.g. NLD)",
    )
    init.add_argument("--delegation", metavar="TEXT", help="the delegation's name")
    init.set_defaults(run=_cmd_init)

    demo = commands.add_parser("demo", help="create a realistic demo desk, marked DEMO")
    demo.add_argument("desk", metavar="DESK")
    demo.add_argument(
        "--scale",
        type=int,
        default=1,
        metavar="N",
        help="multiply the register (100: about 6,000 commitments)",
    )
    demo.add_argument(
        "--seed",
        type=int,
        default=2026,
        metavar="S",
        help="random seed (the same seed gives the same desk on the same day)",
    )
    demo.set_defaults(run=_cmd_demo)

    check = commands.add_parser("check", help="check a desk: integrity, schema, counts")
    check.add_argument("desk", metavar="DESK")
    check.set_defaults(run=_cmd_check)

    brief = commands.add_parser("brief", help="make the briefing pack (PDF) for an event")
    brief.add_argument("desk", metavar="DESK")
    brief.add_argument(
        "-o",
        "--output",
        metavar="OUT.pdf",
        required=True,
        help="the PDF to write (readable by you only); an existing file is refused unless --force",
    )
    brief.add_argument("--force", action="store_true", help="replace OUT.pdf if it exists")
    brief.add_argument("--event", metavar="ID", help="the event's code (default: the next one)")
    brief.add_argument("--as-of", metavar="DATE", help="YYYY-MM-DD (default: today)")
    brief.add_argument(
        "--baseline", metavar="NAME", help="compare with this baseline (default: the latest)"
    )
    brief.add_argument(
        "--sections",
        metavar="LIST",
        help="comma-separated, in order: cover,contents,summary,changes,themes,alerts,"
        "sheets,gift_baskets,instruments,deadlines,sources (default: all)",
    )
    brief.add_argument(
        "--ceiling",
        metavar="LEVEL",
        help="leave out everything marked above LEVEL (default: the desk's default marking)",
    )
    brief.add_argument("--paper", choices=("A4", "Letter"), help="paper size (default: A4)")
    brief.add_argument("--profile", metavar="NAME", help="a briefing profile saved in the desk")
    brief.set_defaults(run=_cmd_brief)

    export = commands.add_parser(
        "export", help="export the register, or one ministry's return, as a workbook"
    )
    export.add_argument("desk", metavar="DESK")
    export.add_argument(
        "-o",
        "--output",
        metavar="OUT.xlsx",
        required=True,
        help="the workbook to write (readable by you only); an existing file is refused "
        "unless --force",
    )
    export.add_argument("--force", action="store_true", help="replace OUT.xlsx if it exists")
    export.add_argument(
        "--agency", metavar="CODE", help="a return workbook for this agency (its items only)"
    )
    export.add_argument(
        "--ceiling",
        metavar="LEVEL",
        help="leave out everything marked above LEVEL (default: the desk's default marking)",
    )
    export.set_defaults(run=_cmd_export)

    import_ = commands.add_parser(
        "import", help="import a return, a register workbook or a foreign table"
    )
    import_.add_argument("desk", metavar="DESK")
    import_.add_argument("workbook", metavar="IN.xlsx")
    import_.add_argument(
        "--dry-run", action="store_true", help="print what would change; change nothing"
    )
    import_.add_argument(
        "--on-conflict",
        choices=("keep", "take", "fail"),
        default="fail",
        help="a field changed both in the desk and in the workbook: keep the desk's value, "
        "take the workbook's, or fail (default: fail, nothing imported)",
    )
    import_.add_argument(
        "--allow-lower-marking",
        action="store_true",
        help="confirm that the workbook may lower records' sensitivity (e.g. INTERNAL to "
        "PUBLIC); without it such a workbook is refused, nothing imported",
    )
    import_.add_argument(
        "--ceiling",
        metavar="LEVEL",
        help="a table nsdesk did not write may change records marked up to LEVEL (default: "
        "the desk's default marking); a return or register workbook is scoped by the desk's "
        "record of its export instead",
    )
    import_.set_defaults(run=_cmd_import)

    backup = commands.add_parser("backup", help="take a verified backup of a desk")
    backup.add_argument("desk", metavar="DESK")
    backup.add_argument(
        "--to", metavar="FILE", help="write the backup there (default: the desk's backups folder)"
    )
    backup.set_defaults(run=_cmd_backup)

    restore = commands.add_parser(
        "restore", help="replace a desk by a backup (the current desk is kept aside)"
    )
    restore.add_argument("desk", metavar="DESK")
    restore.add_argument(
        "--from",
        dest="source",
        metavar="FILE",
        help="the backup to restore (without it: list the desk's backups)",
    )
    restore.set_defaults(run=_cmd_restore)
    return parser


def _gui_arguments(args: list[str]) -> tuple[Path | None, bool] | None:
    """``[DESK] [--read-only]``, read without argparse (the app's start must not wait
    for it); ``None`` when the arguments are anything else."""
    read_only = "--read-only" in args
    rest = [a for a in args if a != "--read-only"]
    if len(rest) > 1 or any(a.startswith("-") for a in rest):
        return None
    return (Path(rest[0]) if rest else None), read_only


def _errors_to_exit(run: Callable[[], int], context: str) -> int:
    from nsdesk.domain.errors import DeskError, DeskExistsError, NsdeskError

    try:
        return run()
    except UsageError as error:
        _refuse(str(error))
        return EXIT_USAGE
    except DeskExistsError as error:  # the file asked for is taken: nothing was changed
        _refuse(f"{error.path}: {error.reason}")
        return EXIT_REFUSED
    except DeskError as error:  # the desk cannot be used: locked, damaged, newer schema…
        _refuse(f"{error.path}: {error.reason}")
        return EXIT_DESK
    except NsdeskError as error:  # validation and other refusals
        _refuse(str(error))
        return EXIT_REFUSED
    except OSError as error:
        _refuse(f"{getattr(error, 'filename', '') or 'a file'}: {error.strerror or error}")
        return EXIT_REFUSED
    except Exception as error:
        from nsdesk.diagnostics import log_file, log_unexpected

        log_unexpected(error, context)
        _refuse(f"unexpected error while {context}: {error}. Details are in {log_file()}.")
        return EXIT_REFUSED


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    wants_gui = not args_list or args_list[0] not in (*COMMANDS, "-h", "--help", "--version")
    if wants_gui:
        gui = _gui_arguments(args_list)
        if gui is None:
            _build_parser().print_usage(sys.stderr)
            _refuse(f"unrecognised arguments: {' '.join(args_list)}")
            return EXIT_USAGE
        if refusal := _installation_refused():
            from nsdesk.app import refuse_to_start

            print(refusal, file=sys.stderr)
            refuse_to_start(refusal)
            return EXIT_BROKEN_INSTALL
        from nsdesk.app import run_app

        desk, read_only = gui
        return run_app(desk, read_only=read_only)
    parser = _build_parser()
    try:
        args = parser.parse_args(args_list)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    if args.version:
        _say(_version_text())
        return EXIT_OK
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    if refusal := _installation_refused():
        print(refusal, file=sys.stderr)
        return EXIT_BROKEN_INSTALL
    return _errors_to_exit(lambda: args.run(args), f"running 'nsdesk {args.command}'")


def gui_main() -> int:
    """Entry point of the GUI launcher (no console on Windows)."""
    return main()


if __name__ == "__main__":
    sys.exit(main())
