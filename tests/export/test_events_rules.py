"""How a row is derived from the graph (docs/exports.md), on hand-written records: no database."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from kg.errors import ExportError
from kg.export.events import (
    COLUMNS,
    countries,
    derive,
    fatality_estimates,
    interaction,
    resolve_country,
    resolve_types,
)
from kg.export.tables import XlsxWriter

PAKISTAN = {"id": "place:pk", "name": "Pakistan", "kind": "country", "country": "PK",
            "latitude": 30.0, "longitude": 70.0, "precision": "country"}
KP = {"id": "place:kp", "name": "Khyber Pakhtunkhwa", "kind": "admin_region", "country": "PK",
      "latitude": 34.5, "longitude": 72.0, "precision": "admin_region"}
BANNU = {"id": "place:bannu", "name": "Bannu", "kind": "city", "country": "PK",
         "latitude": 32.98, "longitude": 70.6, "precision": "exact"}
VILLAGE = {"id": "place:v", "name": "Jani Khel", "kind": "village", "country": "PK",
           "latitude": None, "longitude": None, "precision": "unknown"}


def _record(place: dict[str, Any] | None = BANNU, enclosing: list[dict[str, Any]] | None = None,
            actors: list[dict[str, Any]] | None = None, killed: list[dict[str, Any]] | None = None,
            **event: Any) -> dict[str, Any]:
    return {
        "event": {"id": "event:0123456789abcdef", "type": "attack",
                  "acled_event_type": "Violence against civilians", "acled_sub_event_type": "Attack",
                  "label": "Attack in Bannu", "date": "2025-06-04", "date_precision": "day",
                  "claimed_by": None, "background": False, **event},
        "place": place,
        "enclosing": [KP, PAKISTAN] if enclosing is None else enclosing,
        "actors": actors or [],
        "killed": killed or [],
        "reports": [{"article": "a1", "title": "T", "source": "Dawn", "url": None,
                     "published": "2025-06-05", "ingested_at": 1749081600,
                     "background": False, "evidence": ["Gunmen  attacked a\npolice post."]}],
    }


def _actor(relation: str, label: str, name: str, kind: str | None, support: int = 1) -> dict[str, Any]:
    return {"relation": relation, "label": label, "id": f"{label.lower()}:{name}", "name": name,
            "kind": kind, "country": "PK", "support": support}


def _figure(low: int | None, high: int | None, source: str | None = None, outlet: str = "Dawn") -> dict[str, Any]:
    return {"id": f"f{low}-{high}", "min": low, "max": high, "text": "", "article": "a1",
            "outlet": outlet, "source": source}


def test_acled_codes_place_and_notes() -> None:
    row = derive(_record()).row
    assert row.event_id_cnty == "PAK0123456789AB" and row.kg_event_id == "event:0123456789abcdef"
    assert (row.event_date, row.year, row.time_precision) == (dt.date(2025, 6, 4), 2025, 1)
    assert (row.disorder_type, row.event_type, row.sub_event_type) == (
        "Political violence", "Violence against civilians", "Attack")
    assert (row.iso, row.region, row.country) == (586, "South Asia", "Pakistan")
    assert (row.admin1, row.admin2, row.location) == ("Khyber Pakhtunkhwa", "", "Bannu")
    assert (row.latitude, row.longitude, row.geo_precision) == (32.98, 70.6, 1)
    assert row.notes == "Gunmen attacked a police post."
    assert (row.source, row.reports, row.timestamp) == ("Dawn", 1, 1749081600)
    assert (row.fatalities, row.best, row.low, row.high) == (0, None, None, None)


def test_geo_precision_never_invents_coordinates() -> None:
    village = derive(_record(place=VILLAGE, enclosing=[BANNU, KP, PAKISTAN])).row
    assert (village.location, village.latitude, village.geo_precision) == ("Jani Khel", 32.98, 2)
    assert "coordinates of Bannu" in village.tags
    region_only = derive(_record(place=VILLAGE, enclosing=[KP, PAKISTAN])).row
    assert (region_only.latitude, region_only.geo_precision) == (34.5, 3)
    region = derive(_record(place=KP, enclosing=[PAKISTAN])).row
    assert (region.location, region.admin1, region.geo_precision) == ("Khyber Pakhtunkhwa",) * 2 + (3,)
    country = derive(_record(place=PAKISTAN, enclosing=[])).row
    assert (country.country, country.latitude, country.geo_precision) == ("Pakistan", None, None)
    assert "placed only to the country" in country.tags
    lost = derive(_record(place=VILLAGE, enclosing=[PAKISTAN])).row
    assert lost.latitude is None and "not geocoded" in lost.tags
    nowhere = derive(_record(place=None, enclosing=[])).row
    assert (nowhere.event_id_cnty[:3], nowhere.country, nowhere.iso) == ("XXX", "", None)


def test_actors_sides_and_interaction() -> None:
    actors = [
        _actor("PERPETRATED", "Group", "Tehrik-i-Taliban Pakistan", "jihadist", support=2),
        _actor("PERPETRATED", "Actor", "Unidentified armed group (Pakistan)", "unidentified_armed_group"),
        _actor("CLAIMED_RESPONSIBILITY", "Group", "Tehrik-i-Taliban Pakistan", "jihadist"),
        _actor("ATTRIBUTED_TO", "Group", "Hafiz Gul Bahadur Group", "jihadist"),
        _actor("TARGETED", "Organisation", "Pakistani police", "state_force"),
        _actor("TARGETED", "Target", "Civilians (Pakistan)", "civilians"),
        _actor("TARGETED", "Target", "a police van", "vehicle"),
    ]
    row = derive(_record(actors=actors)).row
    assert (row.actor1, row.inter1) == ("Tehrik-i-Taliban Pakistan", "Rebel group")
    assert row.assoc_actor_1 == "Unidentified armed group (Pakistan)"
    assert (row.actor2, row.inter2) == ("Civilians (Pakistan)", "Civilians")  # ties: by name
    assert row.assoc_actor_2 == "Pakistani police"
    assert row.interaction == "Rebel group-Civilians"
    assert row.civilian_targeting == "Civilian targeting"
    assert row.claimed_by == "Tehrik-i-Taliban Pakistan"
    assert "target: a police van" in row.tags
    # Blame counts as the actor only when no one is said to have done it or claimed it.
    blamed = derive(_record(actors=[actors[3]])).row
    assert (blamed.actor1, blamed.interaction) == ("Hafiz Gul Bahadur Group", "Rebel group only")


def test_interaction_orders_acled_types() -> None:
    assert interaction("Rebel group", "State forces") == "State forces-Rebel group"
    assert interaction("Protesters", "") == "Protesters only"
    assert interaction("", "") == ""


def test_fatalities_rule_when_sources_conflict() -> None:
    """ACLED's `fatalities` is the most conservative figure: the smallest lower bound reported.
    best is the median (the lower of the middle two), high the largest number."""
    killed = [_figure(7, 7, "Nigerian Army"), _figure(20, 20, "ISWAP", outlet="AFP"),
              _figure(12, None, "officials"), _figure(None, 30), _figure(None, None)]
    best, low, high, sources = fatality_estimates(killed)
    assert (best, low, high) == (12, 7, 30)
    assert sources == ("7 (Nigerian Army, via Dawn); at least 12 (officials, via Dawn); "
                       "20 (ISWAP, via AFP); up to 30 (Dawn)")
    row = derive(_record(killed=killed)).row
    assert (row.fatalities, row.best, row.low, row.high) == (7, 12, 7, 30)
    vague = derive(_record(killed=[_figure(None, None)])).row
    assert (vague.fatalities, vague.best) == (0, None)
    assert "fatalities reported without a number" in vague.tags


def test_background_claims_and_coarse_dates_are_tagged() -> None:
    actors = [_actor("PERPETRATED", "Group", "Arakan Army", "separatist")]
    row = derive(_record(actors=actors, background=True, date_precision="year",
                         claimed_by="group:Arakan Army")).row
    assert row.time_precision == 3
    assert "background" in row.tags and "dated to the year" in row.tags
    assert "only claimed by Arakan Army" in row.tags
    undated = derive(_record(date=None, date_precision=None)).row
    assert (undated.event_date, undated.year, undated.time_precision) == (None, None, None)


def test_type_and_country_filters_resolve_or_say_why() -> None:
    assert resolve_types(["air_strike"]) == ["air_strike"]
    assert set(resolve_types(["Battles"])) == {"armed_clash", "security_operation",
                                               "government_regains_territory", "territory_seized"}
    assert resolve_types(["abduction/forced disappearance"]) == ["abduction", "hostage_taking"]
    with pytest.raises(ExportError, match="--type 'picnic' is not a kg event type"):
        resolve_types(["picnic"])
    assert resolve_country("pk") == resolve_country("PAK") == resolve_country("Pakistan") == "PK"
    assert resolve_country("XK") == "XK"
    with pytest.raises(ExportError, match="--country 'Atlantis'"):
        resolve_country("Atlantis")
    assert all(c.region for c in countries().values())


def test_xlsx_keeps_text_that_looks_like_a_formula_as_text(tmp_path: Path) -> None:
    import openpyxl

    record = _record()
    record["reports"][0]["evidence"] = ['=HYPERLINK("http://example.org","x")\x01 was said']
    row = derive(record).row
    path = tmp_path / "t.xlsx"
    with path.open("wb") as stream:
        writer = XlsxWriter(stream)
        writer.write(row)
        writer.close()
    sheet = openpyxl.load_workbook(path)["events"]
    notes = sheet.cell(row=2, column=COLUMNS.index("notes") + 1)
    assert notes.data_type == "s"
    assert notes.value == '=HYPERLINK("http://example.org","x") was said'


def test_an_event_an_analyst_corrected_says_so() -> None:
    row = derive(_record(reviewed=True, reviewed_by=["ana", "ben"])).row
    assert "reviewed by ana, ben" in row.tags
    assert "reviewed" not in derive(_record()).row.tags
