"""The catalogue: the public facts every desk starts with.

The shipped catalogue (``resources/catalogue/catalogue.json``, built from the
sourced reference) holds instruments, summits with their documents and deadlines,
joint statements with dated membership snapshots, themes and their mappings to
external schemes, and the organisations that sign; the states come from ISO 3166
(pycountry). Every fact keeps its sources (as citations), confidence and as-of date.

This module reads a catalogue document; applying one to a desk is
:mod:`nsdesk.services.setup.catalogue_update`, by the per-field three-way merge of
:mod:`nsdesk.services.setup.catalogue_merge`.
"""

from __future__ import annotations

import importlib.metadata
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pycountry

from nsdesk import locations
from nsdesk.domain.dates import PartialDate
from nsdesk.domain.errors import CatalogueError

CATALOGUE_FORMAT = 1


@dataclass(frozen=True)
class Catalogue:
    """A catalogue document, checked for its format."""

    data: dict[str, Any]

    @classmethod
    def load(cls, path: Path) -> Catalogue:
        """The catalogue in ``path``; :class:`CatalogueError` when it cannot be read or
        is in another format."""
        try:
            data = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError) as error:
            raise CatalogueError(f"the catalogue {path} cannot be read ({error})") from error
        if not isinstance(data, dict) or data.get("format") != CATALOGUE_FORMAT:
            raise CatalogueError(
                f"the catalogue {path} is not in format {CATALOGUE_FORMAT} "
                "(it was written for another version of nsdesk)"
            )
        return cls(data)

    @classmethod
    def shipped(cls) -> Catalogue:
        """The catalogue that ships with this version of nsdesk."""
        return cls.load(locations.catalogue_path())

    @property
    def version(self) -> str:
        """The catalogue's version, as desks record it (``2026.11.1``)."""
        return str(self.data["version"])

    @property
    def as_of(self) -> PartialDate:
        """The date its facts were last checked."""
        return PartialDate.parse(self.data["as_of"])


def iso_state_records(as_of: PartialDate) -> list[dict[str, Any]]:
    """Every ISO 3166-1 state as a catalogue party record."""
    version = importlib.metadata.version("pycountry")
    records = []
    for country in pycountry.countries:
        records.append(
            {
                "key": f"iso3166:{country.alpha_3}",
                "code": country.alpha_3,
                "name": _diplomatic_name(country.name),
                "official_name": getattr(country, "official_name", None),
                "alpha2": country.alpha_2,
                "source": f"ISO 3166-1, as distributed in pycountry {version}",
                "as_of": as_of,
            }
        )
    return records


def _diplomatic_name(iso_name: str) -> str:
    """ISO's short name un-inverted as diplomatic lists write it:
    "Korea, Republic of" → "Republic of Korea" (never the colloquial "South Korea")."""
    if ", " in iso_name:
        head, tail = iso_name.split(", ", 1)
        if tail.endswith((" of", " of the")):
            tail = tail[4:] if tail.startswith("The ") else tail
            return f"{tail} {head}"
    return iso_name
