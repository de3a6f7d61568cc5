"""Make resources/regions/m49.csv from the UN M49 columns of OCHA's Countries &
Territories Taxonomy, as the ``hdx-python-country`` package ships it.

Run once by hand when the table is to change (it is not part of the app)::

    pip download --no-deps hdx-python-country==4.2.5 && unzip hdx_python_country-4.2.5-*.whl
    python resources/regions/build.py \\
        "hdx/location/Countries & Territories Taxonomy MVP - C&T Taxonomy.csv" \\
        resources/regions/m49.csv

It keeps, for every row with an ISO 3166-1 alpha-3 code: the M49 numeric code, whether
the UN's Department for General Assembly and Conference Management lists it as a
Member State (the taxonomy's "Appears in DGACM list"), the M49 region, sub-region and
intermediate region (code and English name), and a point inside the territory
(latitude, longitude) for marking a state too small to show on the map. Rows are
sorted by code, so the same input gives the same bytes.

The M49 standard is the UN Statistics Division's (public); the taxonomy is OCHA's,
and hdx-python-country is MIT-licensed (Michael Rans).
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

COLUMNS = (
    "iso3",
    "m49",
    "un_member",
    "name",
    "region_code",
    "region",
    "sub_region_code",
    "sub_region",
    "intermediate_code",
    "intermediate",
    "latitude",
    "longitude",
)


def build(source: Path) -> list[dict[str, str]]:
    with source.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    found = []
    for row in rows:
        code = row["ISO 3166-1 Alpha 3-Codes"].strip()
        if not code or row["Deprecated"].strip() == "Y":
            continue
        found.append(
            {
                "iso3": code,
                "m49": row["m49 numerical code"].strip(),
                "un_member": "Y" if row["Appears in DGACM list"].strip() == "Y" else "",
                "name": row["Preferred Term"].strip(),
                "region_code": row["Region Code"].strip(),
                "region": row["Region Name"].strip(),
                "sub_region_code": row["Sub-region Code"].strip(),
                "sub_region": row["Sub-region Name"].strip(),
                "intermediate_code": row["Intermediate Region Code"].strip(),
                "intermediate": row["Intermediate Region Name"].strip(),
                "latitude": f"{float(row['Latitude']):.2f}" if row["Latitude"].strip() else "",
                "longitude": f"{float(row['Longitude']):.2f}" if row["Longitude"].strip() else "",
            }
        )
    return sorted(found, key=lambda r: r["iso3"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="the taxonomy's CSV from hdx-python-country")
    parser.add_argument("output", type=Path)
    args = parser.parse_args()
    rows = build(args.source)
    with args.output.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"{len(rows)} rows, {sum(1 for r in rows if r['un_member'])} UN Member States")


if __name__ == "__main__":
    main()
