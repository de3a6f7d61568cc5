"""Whether openpyxl will parse workbooks through defusedxml, asked without importing
openpyxl or anything else heavy: the start-up self-check runs before the first
window paints. (:func:`nsdesk.exchange.safety.defusedxml_in_force` checks what
openpyxl actually did, when a workbook is about to be read.)"""

from __future__ import annotations

import importlib.util
import os

#: openpyxl reads this at import: anything but "True" turns defusedxml off.
DEFUSEDXML_ENV = "OPENPYXL_DEFUSEDXML"


def defusedxml_problem() -> str | None:
    """Why openpyxl would not parse through defusedxml, without importing openpyxl
    (the start-up self-check must not cost the first window its time); None when it
    would. openpyxl decides at import: ``OPENPYXL_DEFUSEDXML`` must be unset or
    exactly "True", and defusedxml importable. :func:`defusedxml_in_force` checks
    what openpyxl actually did, when a workbook is about to be read."""
    setting = os.environ.get(DEFUSEDXML_ENV, "True")
    if setting != "True":
        return (
            f"{DEFUSEDXML_ENV} is set to {setting!r}, which makes openpyxl read workbooks "
            "without defusedxml's protection; unset it"
        )
    if importlib.util.find_spec("defusedxml") is None:
        return "defusedxml, which protects workbook reading from hostile XML, is not installed"
    return None
