"""``nsdesk brief``: the briefing pack (PDF) for an event, from the command line."""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path

from nsdesk.cli.terminal import refuse, say, shown, taken
from nsdesk.cli.usage import EXIT_OK, EXIT_REFUSED, UsageError
from nsdesk.domain.dates import parse_iso_date
from nsdesk.domain.errors import ValidationError
from nsdesk.domain.wording import count
from nsdesk.services.briefing.pack import BriefingRequest, write_briefing
from nsdesk.services.briefing.profiles import find_profile, parse_sections
from nsdesk.services.desk import open_desk


def run_brief(args: argparse.Namespace) -> int:
    """``nsdesk brief DESK -o OUT.pdf``: write the pack; a profile fills what is not given."""
    try:
        as_of = parse_iso_date(args.as_of) if args.as_of else None
        sections = parse_sections(args.sections) if args.sections else None
    except ValidationError as error:
        raise UsageError(str(error)) from None
    except ValueError:
        raise UsageError(f"--as-of {args.as_of!r} is not a date like 2026-03-24") from None
    out = Path(args.output)
    if taken(out, args.force):
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
            baseline=args.baseline or _text(options.get("baseline")),
            ceiling=args.ceiling or _text(options.get("ceiling")),
            paper=args.paper or _text(options.get("paper")) or "A4",
            region=args.region or _text(options.get("region")),
            party_to=args.party_to or _text(options.get("party_to")) or "cppnm",
            not_party_to=args.not_party_to or _text(options.get("not_party_to")) or "cppnm_a",
        )
        if sections:
            request = replace(request, sections=tuple(sections))
        outcome = write_briefing(desk, request, out)
    withheld = (
        f"; {count(outcome.withheld, 'record')} above the ceiling withheld"
        if outcome.withheld
        else ""
    )
    pages = count(outcome.pages, "page")
    say(f"Wrote {outcome.path}: {pages}, marked {outcome.marking_label}{withheld}.")
    for note in outcome.notes:
        refuse(f"warning: {note.section}, {shown(note.record)}: {note.message}")
    return EXIT_OK


RUNNERS = {"brief": run_brief}
"""The function that runs each command of this group."""


def _text(value: object) -> str | None:
    """A profile option as text (profiles are JSON kept in the desk)."""
    return value if isinstance(value, str) and value else None
