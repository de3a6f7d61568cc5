"""``nsdesk init``, ``nsdesk demo`` and ``nsdesk check``: making a desk and looking
into one."""

from __future__ import annotations

import argparse

import pycountry

from nsdesk.cli.terminal import VALUE_LIMIT, say, shown
from nsdesk.cli.usage import EXIT_DESK, EXIT_OK, UsageError
from nsdesk.domain.location import ServerAddress, desk_location, existing_desk_location
from nsdesk.services.backups.check import check_desk
from nsdesk.services.desk import desk_path
from nsdesk.services.setup.copy_desk import copy_desk, grant_server_roles
from nsdesk.services.setup.demo import create_demo_desk
from nsdesk.services.setup.new_desk import create_desk


def _state_code(text: str) -> str:
    """An ISO 3166 alpha-3 state code, with a suggestion when it is not one."""
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


def run_init(args: argparse.Namespace) -> int:
    """``nsdesk init DESK --state ISO3``: a new desk with the catalogue."""
    state = _state_code(args.state)
    path, report = create_desk(desk_path(args.desk), state=state, delegation=args.delegation)
    total = sum(report.created.values())
    say(f"Created {path} for {state} with the catalogue ({total} records).")
    return EXIT_OK


def run_demo(args: argparse.Namespace) -> int:
    """``nsdesk demo DESK``: a demo desk, marked DEMO."""
    if args.scale < 1:
        raise UsageError("--scale must be 1 or more")
    path, _ = create_demo_desk(desk_path(args.desk), scale=args.scale, seed=args.seed)
    say(f"Created the DEMO desk {path} (scale {args.scale}, seed {args.seed}).")
    return EXIT_OK


def run_check(args: argparse.Namespace) -> int:
    """``nsdesk check DESK``: integrity, schema, lock and counts (status 3 when unsound)."""
    report = check_desk(existing_desk_location(args.desk))
    say(f"Desk:       {report.path}")
    if report.server is not None:
        server = report.server
        say(
            f"Server:     PostgreSQL {server.server_version}, logged in as "
            f"{shown(server.login)}; the database holds {server.database_size / 1e6:.1f} MB"
        )
        for role, rights in server.roles.items():
            say(f"Role:       {role} {rights}")
        if not server.roles:
            say("Roles:      none of this database's roles exist (see the README's roles script)")
    migration = (
        f" (older: nsdesk will update it to {report.schema_head} when it opens it for editing)"
        if report.needs_migration
        else ""
    )
    say(f"Schema:     {report.schema_revision}{migration}")
    if report.info is not None:
        info = report.info
        demo = "  [DEMO]" if info.is_demo else ""
        say(f"State:      {info.own_state_code} {shown(info.own_state_name)}{demo}")
        say(f"Delegation: {shown(info.delegation) or '-'}")
        say(f"Catalogue:  {info.catalogue_version} (as of {info.catalogue_as_of})")
        say(f"Marking:    {' < '.join(info.marking.codes)}")
    if report.left_open_by is not None:
        say(
            f"Lock:       left by a session that did not close the desk "
            f"({report.left_open_by.describe()})"
        )
    elif report.held_by is not None:
        say(f"Lock:       open for editing by {report.held_by.describe()}")
    say(f"Integrity:  {'ok' if report.sound else 'PROBLEMS FOUND'}")
    if report.server is not None:
        say(
            "  (on a server, PostgreSQL enforces the keys and keeps the indexes itself; "
            "checking its pages (pg_amcheck) and backing it up (pg_dump) are IT's)"
        )
    for problem in report.problems:
        say(f"  - {shown(problem, VALUE_LIMIT)}")
    if not report.sound and report.newest_backup is not None:
        say(f"Newest backup: {report.newest_backup}")
        say(f"  To restore it: nsdesk restore {report.path} --from {report.newest_backup}")
    if report.counts:
        say("Records:")
        width = max(len(c.plural) for c in report.counts)
        for count in report.counts:
            retired = f"  ({count.retired} retired)" if count.retired else ""
            say(f"  {count.plural:<{width}}  {count.live:>7,}{retired}")
    return EXIT_OK if report.sound else EXIT_DESK


def run_copy(args: argparse.Namespace) -> int:
    """``nsdesk copy SOURCE TARGET``: a server desk saved as a desk file (the travel
    copy), or a desk file published to a server's empty database."""
    source = existing_desk_location(args.source)
    target = desk_location(args.target)
    copied = copy_desk(source, target)
    say(
        f"Copied {copied.source} to {copied.target}: {copied.records:,} records and "
        f"{copied.audit_entries:,} audit entries, checked row for row."
    )
    return EXIT_OK


def run_grant(args: argparse.Namespace) -> int:
    """``nsdesk grant ADDRESS``: grant a server desk's group roles their rights again."""
    location = existing_desk_location(args.desk)
    if not isinstance(location, ServerAddress):
        raise UsageError(f"{location}: only a desk on a server has roles to grant")
    granted = grant_server_roles(location)
    if not granted:
        say(f"None of the roles of {location.database} exist yet: run the roles script first.")
    for role in granted:
        say(f"Granted {role} its rights on every table of {location.database}.")
    return EXIT_OK


RUNNERS = {
    "init": run_init,
    "demo": run_demo,
    "check": run_check,
    "copy": run_copy,
    "grant": run_grant,
}
"""The function that runs each command of this group."""
