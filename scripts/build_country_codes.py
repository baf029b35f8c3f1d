"""Build src/kg/resources/exports/countries.csv: ISO codes, names and ACLED regions.

The events table (`kg export events`, docs/exports.md) needs for each country its ISO 3166-1
numeric code (ACLED's `iso`), alpha-3 code (the prefix of `event_id_cnty`), a name and ACLED's
`region`. Codes and names come from pycountry; regions start from the UN M49 sub-region that
countryinfo gives and are renamed or split into ACLED's regions below (M49's "Sub-Saharan
Africa" and "Latin America and the Caribbean" are too coarse, so those countries are listed).

    pip install -e '.[gazetteer]' && python scripts/build_country_codes.py
"""

from __future__ import annotations

import csv
from pathlib import Path

import pycountry
from countryinfo import CountryInfo

OUT = Path(__file__).resolve().parents[1] / "src/kg/resources/exports/countries.csv"

# M49 sub-region → ACLED region, where one maps onto the other whole.
FROM_M49 = {
    "Northern Europe": "Europe", "Southern Europe": "Europe", "Eastern Europe": "Europe",
    "Western Europe": "Europe", "South-eastern Asia": "Southeast Asia",
    "Southern Asia": "South Asia", "Eastern Asia": "East Asia", "Western Asia": "Middle East",
    "Central Asia": "Caucasus and Central Asia", "Northern Africa": "Northern Africa",
    "Australia and New Zealand": "Oceania", "Polynesia": "Oceania", "Micronesia": "Oceania",
    "Melanesia": "Oceania", "Northern America": "North America",
}
# Countries whose ACLED region is not their M49 sub-region's, or whose sub-region is too coarse.
LISTED = {
    "Western Africa": "BJ BF CV CI GM GH GN GW LR ML MR NE NG SH SN SL TG",
    "Middle Africa": "CM CF TD CG CD GQ GA ST",
    "Eastern Africa": "BI KM DJ ER ET KE MU YT RE RW SC SO SS TZ UG IO",
    "Southern Africa": "AO BW SZ LS MG MW MZ NA ZA ZM ZW",
    "Northern Africa": "SD",
    "Middle East": "IR",
    "Caucasus and Central Asia": "AM AZ GE",
    "Central America": "BZ CR SV GT HN MX NI PA",
    "South America": "AR BO BR CL CO EC FK GF GY PY PE SR UY VE",
    "Caribbean": "AI AG AW BS BB BQ VG KY CU CW DM DO GD GP HT JM MQ MS PR BL KN LC MF VC SX TT "
                 "TC VI",
    "North America": "BM GL PM",
    "Antarctica": "AQ BV GS HM TF",
}

# Codes in use that ISO 3166-1 has not assigned; ACLED codes Kosovo with `iso` 0.
UNASSIGNED = [("XK", "XKX", 0, "Kosovo", "Europe")]


def region(alpha2: str) -> str:
    for name, codes in LISTED.items():
        if alpha2 in codes.split():
            return name
    subregion = CountryInfo(alpha2).info().get("subregion", "")
    if subregion not in FROM_M49:
        raise SystemExit(f"{alpha2}: no ACLED region for M49 sub-region {subregion!r}; list it")
    return FROM_M49[subregion]


def main() -> None:
    rows = []
    for country in sorted(pycountry.countries, key=lambda c: c.alpha_2):
        name = getattr(country, "common_name", None) or country.name
        rows.append((country.alpha_2, country.alpha_3, int(country.numeric), name,
                     region(country.alpha_2)))
    rows = sorted(rows + UNASSIGNED)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(["alpha2", "alpha3", "numeric", "name", "region"])
        writer.writerows(rows)
    print(f"Wrote {len(rows)} countries to {OUT}")


if __name__ == "__main__":
    main()
