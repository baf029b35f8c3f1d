"""The report page built from hand-made events: inlined, escaped, weekly sums, top tables.
(tests/browser/test_report.py opens a real one in Chromium.)"""

from __future__ import annotations

import datetime as dt
import json
import re

from kg.export.events import EventRow, Evidence, ExportedEvent
from kg.export.report import map_spec, render, timeline_spec, top_actors, top_places, weekly
from tests.export.helpers import outside_scripts


def _event(n: int, date: dt.date | None, *, best: int | None = None, low: int | None = None,
           high: int | None = None, lat: float | None = 12.0, actors: tuple[str, ...] = ("A",),
           location: str = "Djibo", notes: str = "", event_type: str = "Battles") -> ExportedEvent:
    row = EventRow(
        event_id_cnty=f"BFA{n:012X}", event_date=date, year=date.year if date else None,
        time_precision=1 if date else None, disorder_type="Political violence",
        event_type=event_type, sub_event_type="Armed clash", actor1=actors[0], assoc_actor_1="",
        inter1="Rebel group", actor2="", assoc_actor_2="", inter2="", interaction="Rebel group only",
        civilian_targeting="", iso=854, region="Western Africa", country="Burkina Faso",
        admin1="Sahel", admin2="", admin3="", location=location, latitude=lat,
        longitude=None if lat is None else -1.6, geo_precision=None if lat is None else 1,
        source="OCHA", source_scale="", notes=notes, fatalities=low or 0, tags="", timestamp=0,
        best=best, low=low, high=high, fatality_sources="", claimed_by="", reports=1,
        kg_event_id=f"event:{n:016x}")
    evidence = (Evidence("a1", "Update <b>", "OCHA", "https://example.org/a?x=1&y=2", None,
                         (notes or "A sentence.",)),)
    return ExportedEvent(row, evidence, actors)


def test_weekly_sums_start_on_monday_and_fill_empty_weeks() -> None:
    events = [_event(1, dt.date(2025, 3, 5), best=4, low=4, high=9),  # a Wednesday
              _event(2, dt.date(2025, 3, 9), best=2, low=1, high=2),  # the Sunday of that week
              _event(3, dt.date(2025, 3, 24), best=None),
              _event(4, None, best=100, low=100, high=100)]  # undated: not on the timeline
    bars, line = weekly(events)
    assert bars == [
        {"week": "2025-03-03", "week_end": "2025-03-10", "event_type": "Battles", "events": 2},
        {"week": "2025-03-24", "week_end": "2025-03-31", "event_type": "Battles", "events": 1}]
    assert line == [{"week": "2025-03-03", "best": 6, "low": 5, "high": 11},
                    {"week": "2025-03-10", "best": 0, "low": 0, "high": 0},
                    {"week": "2025-03-17", "best": 0, "low": 0, "high": 0},
                    {"week": "2025-03-24", "best": 0, "low": 0, "high": 0}]
    spec = timeline_spec(events)
    assert spec["vconcat"][0]["data"]["values"] == bars


def test_top_actors_and_places() -> None:
    events = [_event(1, None, best=5, actors=("A", "B")), _event(2, None, best=1, actors=("B",)),
              _event(3, None, actors=("C",), location="Arbinda")]
    assert top_actors(events) == [("B", 2, 6), ("A", 1, 5), ("C", 1, 0)]
    assert top_places(events) == [("Djibo, Sahel, Burkina Faso", 2, 6),
                                  ("Arbinda, Sahel, Burkina Faso", 1, 0)]


def test_map_has_one_point_per_located_event_and_fits_them() -> None:
    located = [_event(1, None, best=3, lat=12.0), _event(2, None, lat=14.0)]
    spec = map_spec(located)
    points = spec["layer"][1]["data"]["values"]
    assert [p["anchor"] for p in points] == ["event-BFA000000000001", "event-BFA000000000002"]
    assert [p["size"] for p in points] == [3, 0]  # no number: the smallest mark, not dropped
    corners = spec["projection"]["fit"]["geometry"]["coordinates"]
    lats = [c[1] for c in corners]
    assert min(lats) < 12.0 and max(lats) > 14.0
    assert spec["layer"][0]["data"]["format"] == {"type": "topojson", "feature": "countries"}


def test_page_is_self_contained_and_escaped() -> None:
    events = [_event(1, dt.date(2025, 3, 5), best=4, low=4, high=9,
                     notes='They said "</script><script>alert(1)</script>"'),
              _event(2, dt.date(2025, 3, 6), lat=None)]
    page = render(events, title="Sahel <weekly>", generated=dt.datetime(2025, 3, 10, tzinfo=dt.UTC))
    assert "<title>Sahel &lt;weekly&gt;</title>" in page
    assert not re.search(r"<(script|img|iframe|link)\b[^>]*\b(src|href)=", outside_scripts(page))
    assert "<script>alert(1)</script>" not in page
    assert page.count("<article class=event") == 2
    assert 'href="https://example.org/a?x=1&amp;y=2"' in page
    assert "Update &lt;b&gt;" in page
    # The event off the map is listed with a link to it.
    assert 'are not on the map' in page and 'href="#event-BFA000000000002"' in page
    # Both specs are valid JSON inside their script.
    specs = re.findall(r'vegaEmbed\("#map", (\{.*?\}), options\)', page)
    specs += re.findall(r"var timeline = (\{.*?\});\n", page)
    assert len(specs) == 2
    for spec in specs:
        json.loads(spec.replace("<\\/", "</"))
    # The libraries are inlined.
    assert "vegaEmbed" in page and page.count("<script>") == 4


def test_an_empty_report_says_so_without_charts_of_nothing() -> None:
    page = render([], title="Nothing", generated=dt.datetime(2025, 3, 10, tzinfo=dt.UTC))
    assert "<strong>0</strong> events" in page and "No event matched." in page
    assert "var timeline = null;" in page
    assert len(map_spec([])["layer"]) == 1  # the outlines only
