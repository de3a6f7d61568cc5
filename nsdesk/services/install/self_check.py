"""The start-up self-check: what this installation must have before nsdesk does
anything, so that a broken bundle or install is caught at start, with a message
IT can act on, and never at the first export the night before a summit.

Refused when:
- openpyxl would parse workbooks without defusedxml (missing, or switched off by
  ``OPENPYXL_DEFUSEDXML``): a ministry's workbook could then expand entities;
- a shipped font is missing or is not a font: briefing packs could not be made;
- the catalogue, the export styles or the desk migrations are missing: desks
  could not be created, exported or opened.

Cheap by design (file checks and one ``find_spec``; nothing heavy is imported),
because it runs before the first window paints.
"""

from __future__ import annotations

from nsdesk import locations
from nsdesk.briefing.font_files import missing_fonts
from nsdesk.exchange.xml_protection import defusedxml_problem
from nsdesk.store.schema_revisions import missing_migrations


def _resource_problems() -> list[str]:
    problems = []
    try:
        if not locations.catalogue_path().is_file():
            problems.append(f"the catalogue {locations.catalogue_path()} is missing")
    except FileNotFoundError:
        problems.append("the resources folder (catalogue, fonts, icons) is missing")
    try:
        exports = locations.exports_dir()
        for style in ("briefing/style.json", "workbook/style.json"):
            if not (exports / style).is_file():
                problems.append(f"the export style {exports / style} is missing")
    except FileNotFoundError:
        problems.append("the export styles (exports/briefing, exports/workbook) are missing")
    return problems


def startup_problems() -> list[str]:
    """Everything wrong with this installation, each as a sentence (empty: sound)."""
    problems = []
    if (problem := defusedxml_problem()) is not None:
        problems.append(problem)
    problems += missing_fonts()
    problems += _resource_problems()
    problems += missing_migrations()
    return list(dict.fromkeys(problems))  # a missing resources folder is said once


def refusal_text(problems: list[str]) -> str:
    """What nsdesk says when it refuses to start, for the user and for IT."""
    listed = "\n".join(f"  - {problem}" for problem in problems)
    return (
        "nsdesk will not start: this installation is incomplete or unsafe.\n"
        f"{listed}\n"
        "Nothing was opened or changed. A missing or damaged file means nsdesk must "
        "be reinstalled from the delegation's bundle or wheelhouse: show this message "
        "to whoever installs it."
    )
