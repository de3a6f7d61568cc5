"""``nsdesk changes show`` and ``nsdesk changes trust``: changes files between laptops.

``show`` says what a file is — who sent it, its key's fingerprint, its marking, the
counts per table, whether it is intact and, with ``--desk``, whether that desk would
accept it — and never a value of a record. ``trust`` trusts or revokes a laptop's key
in a desk, or lists the keys the desk knows with this laptop's own fingerprint (the
one to read out to the other side). Exit statuses as every command: 0 done (the file
is accepted), 1 refused, 2 usage, 3 the desk cannot be opened.
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path

from nsdesk.cli.terminal import refuse, say, shown
from nsdesk.cli.usage import EXIT_OK, EXIT_REFUSED, UsageError
from nsdesk.domain.location import DeskLocation
from nsdesk.exchange.changes import KeyState, normalise_fingerprint
from nsdesk.services.desk import Desk, desk_path, open_desk
from nsdesk.services.merge.changes_files import ChangesReport, examine_changes
from nsdesk.services.merge.laptop_key import laptop_key
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


def _print_report(report: ChangesReport, desk: DeskLocation | None) -> None:
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
        say(f"{desk.location} trusts no other laptop yet.")
        return
    say(f"Laptop keys {desk.location} knows:")
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


def run_changes(args: argparse.Namespace) -> int:
    """``nsdesk changes ACTION …``."""
    return {"show": run_show, "trust": run_trust}[args.changes_command](args)


RUNNERS = {"changes": run_changes}
"""The function that runs each command of this group."""
