"""`kg report`: one self-contained HTML file of the selected events that opens offline.

A map of the events (coloured by ACLED event type, sized by fatalities, shaped by location
precision) over country outlines, a weekly timeline of events and fatalities (best, with the
low-high band), the most active actors and places, and every event with the sentences each
article states it in. Clicking an event on the map goes to it in the list.

Nothing is fetched when the file opens: the charts are Vega-Lite specifications rendered by
Vega, Vega-Lite and vega-embed, and the basemap is Natural Earth's 1:50m country outlines as
TopoJSON from world-atlas; all four are vendored from npm into kg/resources/report
(scripts/vendor_report_assets.sh) and inlined. The rows are those of `kg export events`.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from string import Template
from typing import IO, Any

import neo4j

from kg.export.events import EventFilters, ExportedEvent, read_events, select_events
from kg.export.tables import write_atomically

ProgressFn = Callable[[int, int], None]
TOP = 15  # rows in the top actors and top places tables
# One colour per ACLED event type (ColorBrewer Set1/Dark2 hues, distinguishable in print).
EVENT_COLOURS = {
    "Battles": "#d62728", "Explosions/Remote violence": "#ff7f0e",
    "Violence against civilians": "#7b3294", "Protests": "#1f77b4", "Riots": "#17becf",
    "Strategic developments": "#6b6b6b",
}
PRECISION_LABELS = {1: "1: the town", 2: "2: near or part of a town", 3: "3: the region"}
PRECISION_SHAPES = {1: "circle", 2: "diamond", 3: "triangle-up"}
# Weeks with no event are filled in (zero) up to this many weeks; longer spans are not.
MAX_FILLED_WEEKS = 520


@dataclass
class ReportResult:
    output: str
    rows: int = 0
    without_coordinates: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def summary(self) -> str:
        return f"{self.rows} events to {self.output} in {self.seconds:.1f} s"


def write_report(driver: neo4j.Driver, out: str | os.PathLike[str], *,
                 title: str = "Conflict events", filters: EventFilters | None = None,
                 database: str | None = None, progress: ProgressFn | None = None,
                 generated: dt.datetime | None = None) -> ReportResult:
    """Read the selected events and write the report to `out` (a path, or "-")."""
    started = time.monotonic()
    selection = select_events(driver, filters or EventFilters(), database=database)
    events = []
    for event in read_events(driver, selection.ids, database=database, sentences=True):
        events.append(event)
        if progress is not None and (len(events) % 200 == 0 or len(events) == len(selection.ids)):
            progress(len(events), len(selection.ids))
    page = render(events, title=title, generated=generated or dt.datetime.now(dt.UTC))

    def write(stream: IO[Any]) -> None:
        stream.write(page)

    write_atomically(str(out), write, binary=False)
    return ReportResult(output=str(out), rows=len(events),
                        without_coordinates=[e.row.event_id_cnty for e in events
                                             if e.row.latitude is None],
                        seconds=time.monotonic() - started)


# -- the page ---------------------------------------------------------------------------------


@cache
def _asset(name: str) -> str:
    return resources.files("kg").joinpath(f"resources/report/{name}").read_text("utf-8")


def _script_json(value: Any) -> str:
    """JSON safe inside a <script> element."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")


def anchor(event: ExportedEvent) -> str:
    return f"event-{event.row.event_id_cnty}"


def render(events: Sequence[ExportedEvent], *, title: str, generated: dt.datetime) -> str:
    """The whole HTML page for `events` (in the order given)."""
    located = [e for e in events if e.row.latitude is not None and e.row.longitude is not None]
    return _PAGE.substitute(
        title=html.escape(title),
        summary=_summary(events, located, generated),
        map_spec=_script_json(map_spec(located)),
        # No dated event, no chart: an empty time axis only draws a warning.
        timeline_spec=_script_json(timeline_spec(events)
                                   if any(e.row.event_date for e in events) else None),
        actors=_top_table(("Actor", "Events", "Fatalities (best)"), top_actors(events)),
        places=_top_table(("Place", "Events", "Fatalities (best)"), top_places(events)),
        events="\n".join(_event_item(e) for e in events) or "<p>No event matched.</p>",
        vega=_asset("vega.min.js"), vega_lite=_asset("vega-lite.min.js"),
        vega_embed=_asset("vega-embed.min.js"),
    )


def _summary(events: Sequence[ExportedEvent], located: Sequence[ExportedEvent],
             generated: dt.datetime) -> str:
    dates = sorted(e.row.event_date for e in events if e.row.event_date)
    span = f"{dates[0]:%d %b %Y} to {dates[-1]:%d %b %Y}" if dates else "no dated event"
    best = sum(e.row.best or 0 for e in events)
    low = sum(e.row.low or 0 for e in events)
    high = sum(e.row.high or 0 for e in events)
    articles = len({ev.article for e in events for ev in e.evidence})
    parts = [f"<strong>{len(events)}</strong> events from <strong>{articles}</strong> articles, "
             f"{span}; <strong>{best}</strong> killed (best estimate; {low} to {high} as "
             f"reported). Generated {generated:%Y-%m-%d %H:%M} UTC by kg."]
    unplaced = [e for e in events if e not in located]
    if unplaced:
        links = ", ".join(f'<a href="#{anchor(e)}">{html.escape(e.row.event_id_cnty)}</a>'
                          for e in unplaced)
        parts.append(f"<br>{len(unplaced)} events are not on the map: their place has no known "
                     f"coordinates (none are invented): {links}.")
    return "".join(parts)


def map_spec(located: Sequence[ExportedEvent]) -> dict[str, Any]:
    """Vega-Lite: the country outlines and one mark per event, fitted to the events."""
    points = [{
        "anchor": anchor(e), "id": e.row.event_id_cnty, "date": _text(e.row.event_date),
        "event_type": e.row.event_type, "sub_event_type": e.row.sub_event_type,
        "place": ", ".join(p for p in (e.row.location, e.row.admin1, e.row.country) if p),
        "longitude": e.row.longitude, "latitude": e.row.latitude,
        "precision": PRECISION_LABELS[e.row.geo_precision or 3],
        "actors": " vs ".join(a for a in (e.row.actor1, e.row.actor2) if a) or "not named",
        "fatalities": _fatalities(e), "size": e.row.best or 0,
    } for e in located]
    outline = {"values": json.loads(_asset("countries-50m.json")),
               "format": {"type": "topojson", "feature": "countries"}}
    spec: dict[str, Any] = {
        "width": "container", "height": 460, "autosize": {"type": "fit-x", "contains": "padding"},
        "projection": {"type": "equalEarth", "fit": _fit(points)},
        "layer": [
            {"data": outline, "mark": {"type": "geoshape", "fill": "#eeebe3", "stroke": "#a8a294",
                                       "strokeWidth": 0.6, "clip": True}},
            {"data": {"values": points},
             "mark": {"type": "point", "filled": True, "opacity": 0.8, "stroke": "#222",
                      "strokeWidth": 0.6, "clip": True, "cursor": "pointer"},
             "encoding": {
                 "longitude": {"field": "longitude", "type": "quantitative"},
                 "latitude": {"field": "latitude", "type": "quantitative"},
                 "color": {"field": "event_type", "type": "nominal", "title": "Event type",
                           "scale": {"domain": list(EVENT_COLOURS),
                                     "range": list(EVENT_COLOURS.values())}},
                 "size": {"field": "size", "type": "quantitative", "title": "Killed (best)",
                          "scale": {"type": "sqrt", "zero": True, "rangeMin": 40,
                                    "rangeMax": 1200},
                          "legend": {"tickCount": 4}},
                 "shape": {"field": "precision", "type": "nominal", "title": "Location precision",
                           "scale": {"domain": list(PRECISION_LABELS.values()),
                                     "range": list(PRECISION_SHAPES.values())}},
                 "tooltip": [
                     {"field": "date", "title": "Date"}, {"field": "sub_event_type", "title": "Event"},
                     {"field": "place", "title": "Place"}, {"field": "actors", "title": "Actors"},
                     {"field": "fatalities", "title": "Killed"},
                     {"field": "precision", "title": "Precision"}, {"field": "id", "title": "Id"}],
             }},
        ],
        "config": {"view": {"stroke": "#d0ccc0", "fill": "#f6fafd"},
                   "legend": {"orient": "bottom", "direction": "horizontal", "columns": 6}},
    }
    if not points:  # the outlines alone: scales over no data only draw warnings
        spec["layer"] = spec["layer"][:1]
    return spec


def _fit(points: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """A MultiPoint around the events with a margin (the whole world when there are none)."""
    if not points:
        lons, lats = [-170.0, 170.0], [-55.0, 75.0]
    else:
        lons = [p["longitude"] for p in points]
        lats = [p["latitude"] for p in points]
    west, east, south, north = min(lons), max(lons), min(lats), max(lats)
    pad_x, pad_y = max(3.0, (east - west) * 0.15), max(3.0, (north - south) * 0.15)
    west, east = max(-180.0, west - pad_x), min(180.0, east + pad_x)
    south, north = max(-85.0, south - pad_y), min(85.0, north + pad_y)
    corners = [[west, south], [west, north], [east, south], [east, north],
               [(west + east) / 2, south], [(west + east) / 2, north]]
    return {"type": "Feature", "properties": {},
            "geometry": {"type": "MultiPoint", "coordinates": corners}}


def weekly(events: Iterable[ExportedEvent]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(events per week and type, fatalities per week) for dated events; weeks start Monday."""
    counts: Counter[tuple[dt.date, str]] = Counter()
    deaths: dict[dt.date, list[int]] = defaultdict(lambda: [0, 0, 0])
    for event in events:
        date = event.row.event_date
        if date is None:
            continue
        week = date - dt.timedelta(days=date.weekday())
        counts[(week, event.row.event_type)] += 1
        totals = deaths[week]
        totals[0] += event.row.best or 0
        totals[1] += event.row.low or 0
        totals[2] += event.row.high or 0
    if deaths:
        first, last = min(deaths), max(deaths)
        if (last - first).days // 7 <= MAX_FILLED_WEEKS:
            week = first
            while week <= last:
                deaths[week]  # noqa: B018 - the defaultdict fills the week with zeros
                week += dt.timedelta(days=7)
    bars = [{"week": w.isoformat(), "week_end": (w + dt.timedelta(days=7)).isoformat(),
             "event_type": t, "events": n} for (w, t), n in sorted(counts.items())]
    line = [{"week": w.isoformat(), "best": v[0], "low": v[1], "high": v[2]}
            for w, v in sorted(deaths.items())]
    return bars, line


_WEEK_TOOLTIP = {"field": "week", "type": "temporal", "timeUnit": "utcyearmonthdate",
                 "title": "Week of", "format": "%d %b %Y"}


def timeline_spec(events: Sequence[ExportedEvent]) -> dict[str, Any]:
    """Vega-Lite: events per week by type over fatalities per week (best, low-high band)."""
    bars, line = weekly(events)
    x = {"field": "week", "type": "temporal", "title": None, "scale": {"type": "utc"},
         "axis": {"format": "%d %b %Y", "labelAngle": 0}}
    # The map's colours; its legend says what they are.
    colour = {"field": "event_type", "type": "nominal", "title": "Event type", "legend": None,
              "scale": {"domain": list(EVENT_COLOURS), "range": list(EVENT_COLOURS.values())}}
    return {
        "vconcat": [
            {"width": "container", "height": 150, "title": "Events per week",
             "data": {"values": bars}, "mark": {"type": "bar", "stroke": "white", "strokeWidth": 0.5},
             "encoding": {"x": x, "x2": {"field": "week_end"},
                          "y": {"aggregate": "sum", "field": "events", "type": "quantitative",
                                "title": "Events"},
                          "color": colour,
                          "tooltip": [_WEEK_TOOLTIP,
                                      {"field": "event_type", "title": "Type"},
                                      {"field": "events", "title": "Events"}]}},
            {"width": "container", "height": 150,
             "title": "Killed per week: best estimate, with the range reported",
             "data": {"values": line},
             "layer": [
                 {"mark": {"type": "area", "opacity": 0.25, "color": "#b2182b"},
                  "encoding": {"x": x, "y": {"field": "low", "type": "quantitative", "title": "Killed"},
                               "y2": {"field": "high"}}},
                 {"mark": {"type": "line", "color": "#b2182b", "point": {"color": "#b2182b"}},
                  "encoding": {"x": x, "y": {"field": "best", "type": "quantitative"},
                               "tooltip": [_WEEK_TOOLTIP,
                                           {"field": "best", "title": "Best"},
                                           {"field": "low", "title": "Low"},
                                           {"field": "high", "title": "High"}]}},
             ]},
        ],
        "resolve": {"scale": {"x": "shared"}},
        "config": {"view": {"stroke": None}},
    }


def top_actors(events: Iterable[ExportedEvent]) -> list[tuple[str, int, int]]:
    """(actor, events, fatalities best) for the TOP actors in most events."""
    return _top((actor, e.row.best or 0) for e in events for actor in e.actors)


def top_places(events: Iterable[ExportedEvent]) -> list[tuple[str, int, int]]:
    """(place, events, fatalities best) for the TOP places (location, admin1, country)."""
    return _top((", ".join(dict.fromkeys(p for p in (e.row.location, e.row.admin1, e.row.country)
                                         if p)), e.row.best or 0)
                for e in events if e.row.location or e.row.country)


def _top(items: Iterable[tuple[str, int]]) -> list[tuple[str, int, int]]:
    counts: Counter[str] = Counter()
    deaths: Counter[str] = Counter()
    for name, killed in items:
        counts[name] += 1
        deaths[name] += killed
    ranked = sorted(counts, key=lambda n: (-counts[n], -deaths[n], n))[:TOP]
    return [(n, counts[n], deaths[n]) for n in ranked]


def _top_table(header: tuple[str, str, str], rows: list[tuple[str, int, int]]) -> str:
    if not rows:
        return "<p>None.</p>"
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    body = "".join(f"<tr><td>{html.escape(n)}</td><td class=num>{c}</td><td class=num>{d}</td></tr>"
                   for n, c, d in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _fatalities(event: ExportedEvent) -> str:
    row = event.row
    if row.best is None:
        return "no number reported"
    if row.low == row.high:
        return str(row.best)
    return f"{row.best} ({row.low if row.low is not None else '?'}–{row.high})"


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _event_item(event: ExportedEvent) -> str:
    row = event.row
    esc = html.escape
    place = ", ".join(p for p in (row.location, row.admin1, row.country) if p) or "place unknown"
    actors = " — ".join(a for a in (row.actor1, row.actor2) if a) or "actors not named"
    sources = []
    for evidence in event.evidence:
        title = esc(evidence.title or evidence.article)
        if evidence.url.startswith(("http://", "https://")):
            title = f'<a href="{esc(evidence.url)}" rel="noreferrer">{title}</a>'
        meta = ", ".join(esc(p) for p in (evidence.source, _text(evidence.published)) if p)
        sentences = "".join(f"<blockquote>{esc(s)}</blockquote>" for s in evidence.sentences)
        sources.append(f"<li>{title}{' (' + meta + ')' if meta else ''}{sentences}</li>")
    tags = f"<p class=tags>{esc(row.tags)}</p>" if row.tags else ""
    fatality_sources = (f"<p class=tags>Killed, as reported: {esc(row.fatality_sources)}</p>"
                        if row.fatality_sources else "")
    return (
        f'<article class=event id="{esc(anchor(event))}">'
        f"<h3><span class=date>{esc(_text(row.event_date) or 'undated')}</span> "
        f'<span class=type style="border-color:{EVENT_COLOURS.get(row.event_type, "#999")}">'
        f"{esc(row.sub_event_type)}</span> {esc(place)}</h3>"
        f"<p>{esc(actors)} · killed: {esc(_fatalities(event))} · "
        f"{row.reports} report{'s' if row.reports != 1 else ''} · "
        f"<code>{esc(row.event_id_cnty)}</code> <code>{esc(row.kg_event_id)}</code></p>"
        f"{tags}{fatality_sources}"
        f"<details><summary>Evidence</summary><ul>{''.join(sources)}</ul></details></article>"
    )


_PAGE = Template("""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>$title</title>
<style>
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", "Liberation Sans", sans-serif;
       margin: 0 auto; max-width: 1200px; padding: 16px 24px; color: #222; background: #fff; }
h1 { font-size: 24px; margin: 4px 0 8px; } h2 { font-size: 18px; margin: 24px 0 8px; }
h3 { font-size: 15px; margin: 0 0 4px; }
.summary { color: #444; margin-bottom: 12px; }
#map, #timeline { width: 100%; }
.columns { display: grid; grid-template-columns: 1fr 1fr; gap: 24px; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th, td { text-align: left; padding: 3px 8px; border-bottom: 1px solid #e4e1d8; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.event { border-top: 1px solid #e4e1d8; padding: 8px 0; }
.event:target { background: #fff7d6; }
.event p { margin: 2px 0; }
.date { font-variant-numeric: tabular-nums; color: #555; }
.type { border-left: 6px solid; padding-left: 6px; }
.tags { color: #666; font-size: 13px; }
blockquote { margin: 4px 0 8px 12px; padding-left: 8px; border-left: 3px solid #ddd; color: #333; }
code { font-size: 12px; color: #666; }
</style>
<script>$vega</script>
<script>$vega_lite</script>
<script>$vega_embed</script>
</head>
<body>
<h1>$title</h1>
<p class="summary">$summary</p>
<h2>Map</h2>
<div id="map"></div>
<h2>Timeline</h2>
<div id="timeline"></div>
<div class="columns">
<section><h2>Most active actors</h2>$actors</section>
<section><h2>Places with most events</h2>$places</section>
</div>
<h2>Events</h2>
$events
<script>
(function () {
  var options = {actions: false, renderer: "svg"};
  vegaEmbed("#map", $map_spec, options).then(function (result) {
    result.view.addEventListener("click", function (event, item) {
      if (item && item.datum && item.datum.anchor) { location.hash = item.datum.anchor; }
    });
  }).catch(function (error) { console.error(error); });
  var timeline = $timeline_spec;
  if (timeline) {
    vegaEmbed("#timeline", timeline, options)
      .catch(function (error) { console.error(error); });
  } else {
    document.getElementById("timeline").textContent = "No dated event.";
  }
})();
</script>
</body>
</html>
""")
