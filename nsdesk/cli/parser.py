"""The command line's arguments: every subcommand, its options and their help.

Which function runs a command is :mod:`nsdesk.cli.commands`' business: the parser
names none, so building it (for ``--help`` or ``--version``) loads no service.
"""

from __future__ import annotations

import argparse


def build_parser() -> argparse.ArgumentParser:
    """The parser of ``nsdesk [--version] COMMAND ...``; ``args.command`` names the
    subcommand given (``None`` without one)."""

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

    check = commands.add_parser("check", help="check a desk: integrity, schema, counts")
    check.add_argument("desk", metavar="DESK")

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
        "sheets,gift_baskets,instruments,universalization,deadlines,sources (default: all)",
    )
    brief.add_argument(
        "--ceiling",
        metavar="LEVEL",
        help="leave out everything marked above LEVEL (default: the desk's default marking)",
    )
    brief.add_argument("--paper", choices=("A4", "Letter"), help="paper size (default: A4)")
    brief.add_argument("--profile", metavar="NAME", help="a briefing profile saved in the desk")
    brief.add_argument(
        "--region",
        metavar="KEY",
        help="the lobbying list's region: a UN regional group (group:african, group:asia_pacific, "
        "group:eastern_european, group:latin_american_caribbean, group:western_european_others) "
        "or an M49 area (m49:150 is Europe) (default: our state's group)",
    )
    brief.add_argument(
        "--party-to",
        metavar="CODE",
        help="the lobbying list: states party to this instrument (default: cppnm)…",
    )
    brief.add_argument(
        "--not-party-to",
        metavar="CODE",
        help="…but not to this one (default: cppnm_a)",
    )

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

    import_ = commands.add_parser(
        "import", help="import a return, a register workbook or a foreign table"
    )
    import_.add_argument("desk", metavar="DESK")
    import_.add_argument("workbook", metavar="IN.xlsx|IN.csv")
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
    import_.add_argument(
        "--participation",
        metavar="INSTRUMENT",
        help="read the table (a workbook or a CSV) as a depositary's status list for "
        "INSTRUMENT (its key, e.g. icsant): its rows become each party's participation; "
        "needs --as-of and --source",
    )
    import_.add_argument(
        "--as-of", metavar="DATE", help="the date the depositary's list was current (2025-05-16)"
    )
    import_.add_argument(
        "--source", metavar="TEXT", help="where the depositary's list comes from (its title)"
    )
    import_.add_argument("--url", metavar="URL", help="the list's web address, if any")
    import_.add_argument(
        "--map",
        metavar="HEADER=FIELD",
        action="append",
        default=[],
        help="read the column HEADER as FIELD (repeatable; the others as their headers say); "
        "for a depositary's list FIELD is one of party, signature, consent, consent_kind, "
        "entry_into_force, reservations",
    )

    backup = commands.add_parser("backup", help="take a verified backup of a desk")
    backup.add_argument("desk", metavar="DESK")
    backup.add_argument(
        "--to", metavar="FILE", help="write the backup there (default: the desk's backups folder)"
    )

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
    _changes_parser(commands)
    return parser


def _changes_parser(commands: argparse._SubParsersAction) -> None:
    """``nsdesk changes …``: changes files between laptops."""
    changes = commands.add_parser(
        "changes",
        help="changes files between laptops: send, look into, merge; trust a laptop's key; "
        "conflicts, merges and undo",
    )
    actions = changes.add_subparsers(dest="changes_command", metavar="ACTION", required=True)
    show = actions.add_parser(
        "show",
        help="say what a changes file is: who sent it, its key's fingerprint, counts, "
        "marking, and whether it is intact (never a value of a record)",
    )
    show.add_argument("file", metavar="FILE", help="the changes file (NAME.nsdesk-changes)")
    show.add_argument(
        "--desk",
        metavar="DESK",
        help="also say whether DESK would accept it: its desk, schema, the sender's key "
        "trusted, not received before",
    )
    show.add_argument(
        "--passphrase-file",
        metavar="PATH",
        help="the passphrase of an encrypted file, on the first line of PATH (without it, "
        "an encrypted file's counts and sender's label stay sealed)",
    )
    trust = actions.add_parser(
        "trust",
        help="trust or revoke a laptop's key in a desk; without an option, list the keys "
        "the desk knows and this laptop's own fingerprint",
    )
    trust.add_argument("desk", metavar="DESK")
    which = trust.add_mutually_exclusive_group()
    which.add_argument(
        "--fingerprint",
        metavar="FP",
        help="trust the key with this fingerprint, once you have compared it with the one the "
        "sending laptop shows (nsdesk changes trust DESK, on that laptop)",
    )
    which.add_argument(
        "--revoke",
        metavar="FP",
        help="revoke the key with this fingerprint (a lost or replaced laptop): nothing it "
        "signs is accepted again",
    )
    trust.add_argument("--label", metavar="TEXT", help="whose laptop it is (with --fingerprint)")
    _changes_exchange_parsers(actions)


def _passphrase_option(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument(
        "--passphrase-file",
        metavar="PATH",
        help=f"the passphrase {what}, on the first line of PATH",
    )


def _changes_exchange_parsers(actions: argparse._SubParsersAction) -> None:
    """``nsdesk changes export|merge|conflicts|resolve|merges|undo``."""
    export = actions.add_parser(
        "export",
        help="write the changes the other laptops have not seen to a changes file "
        "(everything with --all)",
    )
    export.add_argument("desk", metavar="DESK")
    export.add_argument("-o", "--output", required=True, metavar="FILE", help="NAME.nsdesk-changes")
    export.add_argument(
        "--all", action="store_true", help="every change, not only what the others lack"
    )
    export.add_argument(
        "--ceiling",
        metavar="LEVEL",
        help="leave out every record marked above LEVEL (and what belongs to it); a "
        "reference to one travels as its UUID only",
    )
    export.add_argument(
        "--to",
        metavar="REPLICA",
        help="only what the laptop with this replica id has not seen (by default: what "
        "any laptop this desk heard from has not seen)",
    )
    export.add_argument("--force", action="store_true", help="replace FILE if it exists")
    _passphrase_option(export, "to encrypt the file with (at least 8 characters)")
    merge = actions.add_parser(
        "merge",
        help="merge a changes file into a desk, in one step after a backup (exit 1: "
        "refused, or conflicts left with --on-conflict fail)",
    )
    merge.add_argument("desk", metavar="DESK")
    merge.add_argument("file", metavar="FILE", help="the changes file (NAME.nsdesk-changes)")
    merge.add_argument(
        "--dry-run", action="store_true", help="say what it would do; change nothing"
    )
    merge.add_argument(
        "--on-conflict",
        choices=("later", "keep", "take", "fail"),
        default="later",
        help="later: leave conflicts open, the desk keeping its values (the default); keep "
        "or take: settle each for this desk's or the file's value (the settlement travels); "
        "fail: change nothing if any conflict would be left",
    )
    _passphrase_option(merge, "of an encrypted file")
    conflicts = actions.add_parser(
        "conflicts",
        help="list the open conflicts, identity clashes and records to review a merge left",
    )
    conflicts.add_argument("desk", metavar="DESK")
    conflicts.add_argument(
        "--all", action="store_true", help="settled ones too, with how they were settled"
    )
    resolve = actions.add_parser(
        "resolve",
        help="settle a conflict (--keep, --take, --value V), an identity clash (--same or "
        "--different) or a review item (--reviewed)",
    )
    resolve.add_argument("desk", metavar="DESK")
    resolve.add_argument("item", metavar="CONFLICT", help="its number, as conflicts lists it")
    how = resolve.add_mutually_exclusive_group(required=True)
    how.add_argument("--keep", action="store_true", help="keep this desk's value")
    how.add_argument("--take", action="store_true", help="take the other value")
    how.add_argument("--value", metavar="V", help="write this value instead")
    how.add_argument("--same", action="store_true", help="an identity clash: one record")
    how.add_argument(
        "--different", action="store_true", help="an identity clash: two records, renumber one"
    )
    how.add_argument("--reviewed", action="store_true", help="a review item: looked at")
    resolve.add_argument(
        "--renumber-other",
        action="store_true",
        help="with --different: renumber the record that held the key, not the newcomer",
    )
    resolve.add_argument(
        "--key", metavar="CODE", help="with --different or --same: the new code (for codes)"
    )
    merges = actions.add_parser("merges", help="list the merges the desk received")
    merges.add_argument("desk", metavar="DESK")
    undo = actions.add_parser(
        "undo",
        help="undo a merge (changes that put its values back; refused where later work "
        "would be overwritten)",
    )
    undo.add_argument("desk", metavar="DESK")
    undo.add_argument("merge", metavar="MERGE-ID", help="its number, as merges lists it")
