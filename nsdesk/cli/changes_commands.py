"""``nsdesk changes …``: changes files between laptops.

``show`` says what a file is — who sent it, its key's fingerprint, its marking, the
counts per table, whether it is intact and, with ``--desk``, whether that desk would
accept it — and never a value of a record. ``trust`` trusts or revokes a laptop's key
in a desk, or lists the keys the desk knows with this laptop's own fingerprint (the
one to read out to the other side). ``export`` writes what the other laptops have
not seen, ``merge`` merges a file (``--dry-run`` says what it would do),
``conflicts`` lists what merges left open, ``resolve`` settles one, ``merges`` lists
the merges and ``undo`` undoes one. Exit statuses as every command: 0 done (the file
is accepted), 1 refused, or conflicts left with ``--on-conflict fail`` (nothing
changed), 2 usage, 3 the desk cannot be opened.
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path

from nsdesk.cli.terminal import quoted, refuse, say, shown, taken
from nsdesk.cli.usage import EXIT_OK, EXIT_REFUSED, UsageError
from nsdesk.domain.wording import count
from nsdesk.exchange.changes import KeyState, normalise_fingerprint
from nsdesk.services.desk import Desk, desk_path, open_desk
from nsdesk.services.merge.changes_files import ChangesReport, examine_changes
from nsdesk.services.merge.conflicts import (
    list_items,
    mark_reviewed,
    resolve_conflict,
    settle_clash,
)
from nsdesk.services.merge.laptop_key import laptop_key
from nsdesk.services.merge.merges import list_merges, undo_merge
from nsdesk.services.merge.merging import apply_merge, preview_merge
from nsdesk.services.merge.outcome import ItemKind, MergeReport, OnConflict, OpenItem
from nsdesk.services.merge.sending import export_changes
from nsdesk.services.merge.trust import revoke_key, trust_key, trusted_keys

_WIDTH = 11


def _line(name: str, text: str) -> None:
    say(f"{name + ':':<{_WIDTH}} {text}")


def _passphrase(option: str | None) -> str | None:
    if option is None:
        return None
    path = Path(option)
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"--passphrase-file {path}: cannot be read ({error})") from None
    lines = text.splitlines()
    if not lines or not lines[0]:
        raise UsageError(f"--passphrase-file {path}: its first line is empty")
    return lines[0]


def _print_report(report: ChangesReport, desk: Path | None) -> None:
    envelope = report.envelope
    assert envelope is not None
    _line("File", shown(report.path.name))
    _line("Format", f"nsdesk changes file, format {envelope.format_version}")
    _line("Desk", f"{envelope.desk_uuid} (schema {envelope.schema_revision})")
    written = datetime.fromisoformat(envelope.created_at).astimezone(UTC)
    _line("Written", f"{written:%Y-%m-%d %H:%M} UTC")
    summary = report.summary
    label = shown(summary.sender_label) if summary is not None else "(sealed)"
    _line("Sender", f"{label or '(no label)'}, replica {envelope.sender_replica}")
    _line("Key", f"{report.fingerprint}")
    _line("Marking", f"{envelope.marking}: the highest marking of the records it carries")
    if envelope.encryption is not None:
        _line("Encrypted", "yes: AES-256-GCM, with a key made from a passphrase by scrypt")
    else:
        _line("Encrypted", "no")
    if summary is None:
        counted = "sealed: give --passphrase-file to count them"
        if envelope.encryption is None:
            counted = "(not read: the file was refused)"
        _line("Changes", counted)
    else:
        per_table = ", ".join(f"{table} {n:,}" for table, n in sorted(summary.counts.items()))
        _line("Changes", f"{summary.total:,}" + (f": {per_table}" if per_table else ""))
        knows = ", ".join(f"{r} up to {n:,}" for r, n in sorted(summary.knows.items()))
        _line("Knows", knows or "nothing yet")
    _line("Integrity", "intact: its SHA-256 matches and it is signed by the key above")
    if report.trust is None:
        _line("Trust", "not checked (give --desk DESK)")
    else:
        said = {
            KeyState.TRUSTED: f"the key is {report.trust.said} in {desk}",
            KeyState.REVOKED: f"the key was {report.trust.said} in {desk}",
            KeyState.UNKNOWN: f"the key is not known in {desk}",
        }[report.trust.state]
        _line("Trust", said)


def run_show(args: argparse.Namespace) -> int:
    """``nsdesk changes show FILE [--desk DESK]``: what the file is (status 1 when it is
    refused, or when DESK would refuse it)."""
    source = Path(args.file)
    if not source.exists():
        raise UsageError(f"{source}: no such file")
    passphrase = _passphrase(args.passphrase_file)
    if args.desk is None:
        report = examine_changes(source, None, passphrase)
        where = None
    else:
        where = desk_path(args.desk)
        with open_desk(where, read_only=True) as desk:
            report = examine_changes(source, desk, passphrase)
    if report.envelope is not None:
        _print_report(report, where)
    if report.refusal is not None:
        refuse(str(report.refusal))
        return EXIT_REFUSED
    if where is not None:
        verdict = f"{where} would accept it"
        if report.summary is None:
            verdict += " (its changes are checked once the passphrase is given)"
    elif report.summary is None:
        verdict = "intact; give --passphrase-file to check its changes and --desk DESK"
    else:
        verdict = "intact, every change valid; give --desk DESK to know if a desk accepts it"
    _line("Verdict", verdict)
    return EXIT_OK


def _fingerprint(option: str, text: str) -> str:
    found = normalise_fingerprint(text)
    if found is None:
        raise UsageError(
            f"{option} {text!r} is not a key fingerprint: 32 hex digits, shown in groups of "
            "four like 3f9a-1c04-77b2-0e5d-9a1f-44c0-b7e2-118d"
        )
    return found


def _list_keys(desk: Desk) -> None:
    say(f"This laptop's key: {laptop_key().fingerprint}")
    known = trusted_keys(desk)
    if not known:
        say(f"{desk.path} trusts no other laptop yet.")
        return
    say(f"Laptop keys {desk.path} knows:")
    for key in known:
        label = f"  {shown(key.label)}" if key.label else ""
        say(f"  {key.fingerprint}  {key.describe()}{label}")


def run_trust(args: argparse.Namespace) -> int:
    """``nsdesk changes trust DESK [--fingerprint FP [--label TEXT] | --revoke FP]``."""
    path = desk_path(args.desk)
    given: str | None = args.fingerprint
    revoked_given: str | None = args.revoke
    if args.label is not None and given is None:
        raise UsageError("--label goes with --fingerprint")
    if revoked_given is not None:
        fingerprint = _fingerprint("--revoke", revoked_given)
        with open_desk(path) as desk:
            revoked = revoke_key(desk, fingerprint)
        say(f"{revoked.fingerprint} is {revoked.describe()} in {path}: nothing it signs is read.")
        return EXIT_OK
    if given is None:
        with open_desk(path, read_only=True) as desk:
            _list_keys(desk)
        return EXIT_OK
    fingerprint = _fingerprint("--fingerprint", given)
    with open_desk(path) as desk:
        trusted = trust_key(desk, fingerprint, label=args.label)
    label = f" ({shown(trusted.label)})" if trusted.label else ""
    say(
        f"{trusted.fingerprint}{label} is {trusted.describe()} in {path}: the changes files "
        "it signs will be read."
    )
    return EXIT_OK


def run_export(args: argparse.Namespace) -> int:
    """``nsdesk changes export DESK -o FILE [--all] [--ceiling LEVEL] [--to REPLICA]``."""
    path = desk_path(args.desk)
    out = Path(args.output)
    if taken(out, args.force):
        return EXIT_REFUSED
    passphrase = _passphrase(args.passphrase_file)
    with open_desk(path, read_only=True) as desk:
        sent = export_changes(
            desk,
            out,
            everything=args.all,
            ceiling=args.ceiling,
            to=args.to,
            passphrase=passphrase,
            replace=args.force,
        )
    per_table = ", ".join(f"{table} {n:,}" for table, n in sorted(sent.counts.items()))
    say(
        f"Wrote {sent.path}: {count(sent.changes, 'change')}"
        + (f" ({per_table})" if per_table else "")
    )
    scope = "everything" if args.all or not sent.since else "what the other laptops have not seen"
    say(f"It carries {scope}, signed with this laptop's key {sent.fingerprint}.")
    say(
        f"Marked {sent.marking}: it carries records up to {sent.marking}; send it only to "
        "someone cleared for that."
    )
    if args.ceiling:
        say(f"Records above {args.ceiling.upper()} left out: {sent.withheld:,}.")
    if sent.encrypted:
        say("Encrypted with the passphrase given: send the passphrase another way.")
    return EXIT_OK


def _item_line(item: OpenItem) -> str:
    number = f"{item.id}" if item.id is not None else "-"
    kind = {
        ItemKind.CONFLICT: "conflict",
        ItemKind.IDENTITY: "identity clash",
        ItemKind.REVIEW: "review",
    }[item.kind]
    return f"  {number:>4}  {kind:<14} {shown(item.describe(), 160)}"


def _conflict_lines(item: OpenItem) -> list[str]:
    lines = [_item_line(item)]
    if item.kind is not ItemKind.CONFLICT:
        return lines
    for name, side in (("base", item.base), ("mine", item.mine)):
        if side is not None:
            lines.append(f"          {name}: {quoted(side.shown())} ({side.laptop}, {side.actor})")
    for side in item.theirs:
        lines.append(f"          theirs: {quoted(side.shown())} ({side.laptop}, {side.actor})")
    return lines


def _print_merge(report: MergeReport, path: Path) -> None:
    verb = "Would merge" if report.dry_run else "Merged"
    sender = shown(report.sender_label) or f"replica {report.sender_replica}"
    say(f"{verb} {report.path.name} from {sender} (key {report.fingerprint}) into {path}:")
    applied = ", ".join(f"{t} {n:,}" for t, n in sorted(report.applied.items()))
    say(f"  {count(report.total, 'change')}: {report.known:,} already here")
    say(f"  applied: {report.applied_total:,}" + (f" ({applied})" if applied else ""))
    if report.merged:
        say(f"  merged without a conflict: {len(report.merged):,}")
        for merged in report.merged[:20]:
            say(f"    {shown(merged.record_label)}, {merged.field}: {merged.how}")
    for settled in report.settled:
        say(f"  settled: {shown(settled.record_label)}, {settled.field_label}: {settled.note}")
    if report.conflicts:
        say(f"  open conflicts: {len(report.conflicts):,} (the desk keeps its values)")
        for item in report.conflicts:
            for line in _conflict_lines(item):
                say(line)
    if report.clashes:
        say(f"  identity clashes: {len(report.clashes):,} (settle with nsdesk changes resolve)")
        for item in report.clashes:
            say(_item_line(item))
    if report.reviews:
        say(f"  to review: {len(report.reviews):,}")
        for item in report.reviews:
            say(_item_line(item))
    if report.dry_run:
        say("Nothing was changed (--dry-run).")


def run_merge(args: argparse.Namespace) -> int:
    """``nsdesk changes merge DESK FILE [--dry-run] [--on-conflict later|keep|take|fail]``."""
    path = desk_path(args.desk)
    source = Path(args.file)
    if not source.exists():
        raise UsageError(f"{source}: no such file")
    passphrase = _passphrase(args.passphrase_file)
    policy = OnConflict(args.on_conflict)
    with open_desk(path) as desk:
        if args.dry_run:
            report = preview_merge(desk, source, passphrase, on_conflict=policy)
        else:
            report = apply_merge(desk, source, passphrase, on_conflict=policy)
    _print_merge(report, path)
    if args.dry_run and policy is OnConflict.FAIL and report.conflicts:
        refuse(f"{source.name}: merging it would leave {count(len(report.conflicts), 'conflict')}")
        return EXIT_REFUSED
    return EXIT_OK


def run_conflicts(args: argparse.Namespace) -> int:
    """``nsdesk changes conflicts DESK [--all]``."""
    path = desk_path(args.desk)
    with open_desk(path, read_only=True) as desk:
        items = list_items(desk, include_settled=args.all)
    if not items:
        say(f"{path} has no open conflict, identity clash or record to review.")
        return EXIT_OK
    say(f"{count(len(items), 'item')} in {path} (settle one with nsdesk changes resolve DESK N):")
    for item in items:
        for line in _conflict_lines(item):
            say(line)
        if item.resolved_at is not None:
            say(f"          settled: {item.resolution} {item.resolved_at:%Y-%m-%d %H:%M} UTC")
    return EXIT_OK


def run_resolve(args: argparse.Namespace) -> int:
    """``nsdesk changes resolve DESK CONFLICT --keep|--take|--value V|--same|--different|
    --reviewed``."""
    path = desk_path(args.desk)
    if not str(args.item).isdigit():
        raise UsageError(
            f"CONFLICT {args.item!r} is not a number (nsdesk changes conflicts lists them)"
        )
    item = int(args.item)
    if (args.renumber_other or args.key) and not (args.same or args.different):
        raise UsageError("--renumber-other and --key go with --same or --different")
    with open_desk(path) as desk:
        if args.keep or args.take:
            done = resolve_conflict(desk, item, "keep" if args.keep else "take")
        elif args.value is not None:
            done = resolve_conflict(desk, item, ("value", args.value))
        elif args.reviewed:
            done = mark_reviewed(desk, item)
        else:
            done = settle_clash(
                desk,
                item,
                same=bool(args.same),
                renumber_other=args.renumber_other,
                new_key=args.key,
            )
    say(f"Settled {item}: {shown(done.said, 200)}")
    return EXIT_OK


def run_merges(args: argparse.Namespace) -> int:
    """``nsdesk changes merges DESK``."""
    path = desk_path(args.desk)
    with open_desk(path, read_only=True) as desk:
        merges = list_merges(desk)
    if not merges:
        say(f"{path} has merged no changes file yet.")
    for merge in merges:
        say(shown(merge.describe(), 300))
    return EXIT_OK


def run_undo(args: argparse.Namespace) -> int:
    """``nsdesk changes undo DESK MERGE-ID``."""
    path = desk_path(args.desk)
    with open_desk(path) as desk:
        done = undo_merge(desk, args.merge)
    say(
        f"Undid merge {done.merge_id}: {count(done.values, 'value')} put back, "
        f"{count(done.deleted, 'record')} it created deleted (as changes that travel to the "
        "other laptops)."
    )
    return EXIT_OK


def run_changes(args: argparse.Namespace) -> int:
    """``nsdesk changes ACTION …``."""
    return {
        "show": run_show,
        "trust": run_trust,
        "export": run_export,
        "merge": run_merge,
        "conflicts": run_conflicts,
        "resolve": run_resolve,
        "merges": run_merges,
        "undo": run_undo,
    }[args.changes_command](args)


RUNNERS = {"changes": run_changes}
"""The function that runs each command of this group."""
