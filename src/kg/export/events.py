"""The events table: one row per canonical event, in ACLED's columns (docs/exports.md).

    with kg.neo4j.connection.connect() as driver:
        selection = select_events(driver, EventFilters(countries=("Pakistan",)))
        for event in read_events(driver, selection.ids):
            print(event.row.event_id_cnty, event.row.fatalities)

The graph is read through `cypher/export/events-select.cypher` (which events, by the filters)
and `cypher/export/events-rows.cypher` (a page of them with their place, actors, tolls and
reports); only a page of events is held at a time. Each row is derived here, in one place:
ACLED's codes for the event, its actors, where it happened and how precisely, and UCDP-style
best / low / high fatality estimates with the sources that gave them.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import re
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, fields
from functools import cache
from importlib import resources
from typing import Any, get_args, get_type_hints

import neo4j
from neo4j import RoutingControl

from kg.errors import ExportError
from kg.schema import ACLED_MAPPING, ActorKind, EventType, GroupKind, OrganisationKind, TargetKind

# The loader's lock node (kg.neo4j.loader.LOCK_ID): never an event.
LOCK_ID = "kg:lock"
DEFAULT_PAGE_SIZE = 500


@dataclass(slots=True)
class EventRow:
    """One row of the table. ACLED's columns first, with ACLED's names and meanings, then kg's.

    Text columns are "" when unknown (as in ACLED's exports); numbers are None. A plain
    dataclass, not a pydantic model: a large export builds tens of thousands of rows, each
    from values of known types, and validating 38 fields per row would cost more than reading
    the row from Neo4j (tests check the types instead).
    """

    event_id_cnty: str
    event_date: dt.date | None
    year: int | None
    time_precision: int | None
    disorder_type: str
    event_type: str
    sub_event_type: str
    actor1: str
    assoc_actor_1: str
    inter1: str
    actor2: str
    assoc_actor_2: str
    inter2: str
    interaction: str
    civilian_targeting: str
    iso: int | None
    region: str
    country: str
    admin1: str
    admin2: str
    admin3: str
    location: str
    latitude: float | None
    longitude: float | None
    geo_precision: int | None
    source: str
    source_scale: str
    notes: str
    fatalities: int
    tags: str
    timestamp: int | None
    best: int | None
    low: int | None
    high: int | None
    fatality_sources: str
    claimed_by: str
    reports: int
    kg_event_id: str


COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(EventRow))


def column_types() -> dict[str, type]:
    """Each column's Python type without None: str, int, float or datetime.date."""
    hints = get_type_hints(EventRow)
    return {c: next(t for t in get_args(hints[c]) or (hints[c],) if t is not type(None))
            for c in COLUMNS}


def row_values(row: EventRow, *, as_json: bool = False) -> dict[str, Any]:
    """The row as a dict in column order; with `as_json`, dates as YYYY-MM-DD."""
    values = {c: getattr(row, c) for c in COLUMNS}
    if as_json and row.event_date is not None:
        values["event_date"] = row.event_date.isoformat()
    return values


@dataclass(frozen=True)
class Evidence:
    """One article's report of an event: where it came from and the sentences that state it."""

    article: str
    title: str
    source: str
    url: str
    published: dt.date | None
    sentences: tuple[str, ...]


@dataclass(frozen=True)
class ExportedEvent:
    """A row and what the offline report shows beside it."""

    row: EventRow
    evidence: tuple[Evidence, ...]
    actors: tuple[str, ...]  # every named actor on either side, for the report's tables


# -- filters ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class EventFilters:
    """Which events to export; every given condition must hold. Names are resolved against the
    graph and the country table; an unknown value is an `ExportError` naming it."""

    since: dt.date | None = None
    until: dt.date | None = None
    countries: tuple[str, ...] = ()  # ISO alpha-2 / alpha-3 codes or names
    groups: tuple[str, ...] = ()  # ids, names or aliases
    places: tuple[str, ...] = ()  # ids, names or aliases; events in them or inside them
    types: tuple[str, ...] = ()  # kg types, ACLED event types or ACLED sub-event types
    with_background: bool = False


@dataclass
class Selection:
    """The ids of the selected events, sorted, and the filters as resolved."""

    ids: list[str]
    parameters: dict[str, Any] = field(default_factory=dict)


_FIND_GROUP = (
    "MATCH (n:Group) WHERE n.id = $key OR toLower(n.name) = toLower($key) "
    "OR any(alias IN coalesce(n.aliases, []) WHERE toLower(alias) = toLower($key)) "
    "RETURN n.id AS id ORDER BY id"
)
_FIND_PLACE = _FIND_GROUP.replace("(n:Group)", "(n:Place)")


def select_events(driver: neo4j.Driver, filters: EventFilters, *,
                  database: str | None = None) -> Selection:
    """The events `filters` select, after checking every filter value."""
    if filters.since and filters.until and filters.since > filters.until:
        raise ExportError(f"--since {filters.since} is after --until {filters.until}")
    params: dict[str, Any] = {
        "lock": LOCK_ID, "with_background": filters.with_background,
        "since": filters.since, "until": filters.until,
        "types": resolve_types(filters.types) if filters.types else None,
        "countries": [resolve_country(c) for c in filters.countries] if filters.countries else None,
        "groups": _resolve_nodes(driver, _FIND_GROUP, "group", filters.groups, database)
        if filters.groups else None,
        "places": _resolve_nodes(driver, _FIND_PLACE, "place", filters.places, database)
        if filters.places else None,
    }
    records = _run(driver, cypher("events-select"), params, database)
    return Selection([r["id"] for r in records], params)


def resolve_types(values: Sequence[str]) -> list[str]:
    """kg event types for `--type` values: a kg type, an ACLED event type or sub-event type."""
    found: set[str] = set()
    for value in values:
        key = _key(value)
        matches = {t.value for t in EventType if key == _key(t.value)}
        matches |= {t.value for t, pair in ACLED_MAPPING.items() if key in map(_key, pair)}
        if not matches:
            acled = sorted({p[0] for p in ACLED_MAPPING.values()})
            raise ExportError(
                f"--type {value!r} is not a kg event type ({', '.join(t.value for t in EventType)}) "
                f"nor an ACLED event or sub-event type ({', '.join(acled)}, …)")
        found |= matches
    return sorted(found)


def resolve_country(value: str) -> str:
    """The ISO 3166-1 alpha-2 code for `--country`: a code (alpha-2 or -3) or an English name."""
    key = _key(value)
    for country in countries().values():
        if key in (_key(country.alpha2), _key(country.alpha3), _key(country.name)):
            return country.alpha2
    raise ExportError(f"--country {value!r} is not an ISO 3166-1 code or country name "
                      "(e.g. PK, PAK or Pakistan)")


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def _resolve_nodes(driver: neo4j.Driver, query: str, what: str, keys: Sequence[str],
                   database: str | None) -> list[str]:
    found: set[str] = set()
    for key in keys:
        ids = [r["id"] for r in _run(driver, query, {"key": key}, database)]
        if not ids:
            raise ExportError(f"--{what} {key!r}: no {what} has that id, name or alias")
        found.update(ids)
    return sorted(found)


# -- reading ----------------------------------------------------------------------------------


def read_events(driver: neo4j.Driver, ids: Sequence[str], *, database: str | None = None,
                page_size: int = DEFAULT_PAGE_SIZE, sentences: bool = False
                ) -> Iterator[ExportedEvent]:
    """The rows of `ids`, in that order, read `page_size` events at a time; with `sentences`,
    every evidence sentence of each report (the table needs only the first, for `notes`).

    The next page is read from Neo4j while this one is turned into rows, so the server and
    Python work at the same time; at most two pages are held.
    """
    query = cypher("events-rows")
    pages = [list(ids[start:start + page_size]) for start in range(0, len(ids), page_size)]

    def fetch(page: list[str]) -> list[neo4j.Record]:
        return _run(driver, query, {"ids": page, "sentences": sentences}, database)

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="kg-events") as pool:
        ahead = pool.submit(fetch, pages[0]) if pages else None
        for number, page in enumerate(pages):
            assert ahead is not None
            records = ahead.result()
            ahead = pool.submit(fetch, pages[number + 1]) if number + 1 < len(pages) else None
            by_id = {}
            for record in records:
                event = derive(record)
                by_id[event.row.kg_event_id] = event
            for event_id in page:
                if event_id in by_id:  # removed since it was selected: nothing to write
                    yield by_id[event_id]


def _run(driver: neo4j.Driver, query: str, params: dict[str, Any],
         database: str | None) -> list[neo4j.Record]:
    try:
        return driver.execute_query(query, params, routing_=RoutingControl.READ,
                                    database_=database).records
    except neo4j.exceptions.Neo4jError as exc:
        raise ExportError(f"reading events from Neo4j failed: {exc.message}") from exc
    except neo4j.exceptions.DriverError as exc:
        raise ExportError(f"reading events from Neo4j failed: {exc}") from exc


@cache
def cypher(name: str) -> str:
    """A query of `cypher/export/` (shipped as kg/resources/cypher/export)."""
    return resources.files("kg").joinpath(f"resources/cypher/export/{name}.cypher").read_text("utf-8")


# -- countries --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Country:
    alpha2: str
    alpha3: str
    numeric: int
    name: str
    region: str


@cache
def countries() -> dict[str, Country]:
    """ISO codes, names and ACLED regions by alpha-2 (scripts/build_country_codes.py)."""
    text = resources.files("kg").joinpath("resources/exports/countries.csv").read_text("utf-8")
    rows = csv.DictReader(text.splitlines())
    return {r["alpha2"]: Country(r["alpha2"], r["alpha3"], int(r["numeric"]), r["name"], r["region"])
            for r in rows}


# -- deriving a row ---------------------------------------------------------------------------

# ACLED's disorder type by (event type, sub-event type); the default is by event type.
_DISORDER = {
    "Battles": "Political violence", "Explosions/Remote violence": "Political violence",
    "Violence against civilians": "Political violence", "Protests": "Demonstrations",
    "Riots": "Demonstrations", "Strategic developments": "Strategic developments",
}
_DISORDER_BY_SUB = {
    ("Riots", "Mob violence"): "Political violence",
    ("Protests", "Excessive force against protesters"): "Political violence; Demonstrations",
}
# ACLED's actor types, in ACLED's order (the old inter codes 1-8): `interaction` names the
# lower one first.
INTER_TYPES = ("State forces", "Rebel group", "Political militia", "Identity militia", "Rioters",
               "Protesters", "Civilians", "External/Other forces")
_GROUP_INTER = {GroupKind.REBEL: "Rebel group", GroupKind.SEPARATIST: "Rebel group",
                GroupKind.JIHADIST: "Rebel group"}
_ORGANISATION_INTER = {OrganisationKind.STATE_FORCE: "State forces",
                       OrganisationKind.GOVERNMENT: "State forces"}
_ACTOR_INTER = {ActorKind.PROTESTERS: "Protesters", ActorKind.RIOTERS: "Rioters"}
_TARGET_INTER = {TargetKind.CIVILIANS: "Civilians", TargetKind.SECURITY_PERSONNEL: "State forces"}
_TIME_PRECISION = {"day": 1, "week": 2, "month": 3, "year": 3}
_PERPETRATOR_RELATIONS = ("PERPETRATED", "CLAIMED_RESPONSIBILITY", "ATTRIBUTED_TO")


def inter_type(actor: dict[str, Any]) -> str:
    """ACLED's actor type for a graph node ("" when ACLED has none for it, e.g. a train)."""
    label, kind = actor.get("label"), actor.get("kind")
    if label == "Group":
        return _GROUP_INTER.get(kind, "Political militia")  # type: ignore[arg-type]
    if label == "Organisation":
        return _ORGANISATION_INTER.get(kind, "External/Other forces")  # type: ignore[arg-type]
    if label == "Actor":
        return _ACTOR_INTER.get(kind, "Political militia")  # type: ignore[arg-type]
    if label == "Target":
        return _TARGET_INTER.get(kind, "")  # type: ignore[arg-type]
    return ""


def derive(record: Mapping[str, Any]) -> ExportedEvent:
    """An `events-rows.cypher` record as a row (the rules are in docs/exports.md)."""
    event = record["event"]
    event_type, sub_event_type = event["acled_event_type"], event["acled_sub_event_type"]
    date = _date(event.get("date"))
    tags: list[str] = []
    if event.get("background"):
        tags.append("background: recalled as context by every report")
    if event.get("reviewed"):  # an analyst's corrections (kg review) are already the values
        analysts = event.get("reviewed_by") or []
        analysts = [analysts] if isinstance(analysts, str) else analysts
        tags.append("reviewed" + (f" by {', '.join(analysts)}" if analysts else ""))
    if event.get("date_precision") == "year":
        tags.append("dated to the year")

    sides = _sides(record["actors"])
    perpetrators, targets = sides["perpetrators"], sides["targets"]
    actor1 = perpetrators[0] if perpetrators else None
    actor2 = targets[0] if targets else None
    inter1 = inter_type(actor1) if actor1 else ""
    inter2 = inter_type(actor2) if actor2 else ""
    for thing in sides["things"]:
        tags.append(f"target: {thing['name']}")
    claimants = sides["claimants"]
    claim_only = event.get("claimed_by")
    if claim_only:
        named = next((a["name"] for a in record["actors"] if a["id"] == claim_only), claim_only)
        tags.append(f"only claimed by {named}, not reported as established")

    place, enclosing = record.get("place"), record.get("enclosing") or []
    where = _where(place, enclosing, tags)
    country = countries().get(where.alpha2 or "")
    best, low, high, fatality_sources = fatality_estimates(record["killed"])
    if best is None and record["killed"]:
        tags.append("fatalities reported without a number")

    reports = sorted(record["reports"], key=lambda r: (r["background"], r["article"]))
    evidence = tuple(
        Evidence(r["article"], r.get("title") or "", r.get("source") or "", r.get("url") or "",
                 _date(r.get("published")),
                 tuple(" ".join(s.split()) for s in (r.get("evidence") or []) if s.strip()))
        for r in reports)
    notes = next((e.sentences[0] for e in evidence if e.sentences), event.get("label") or "")
    stamps = [r["ingested_at"] for r in reports if r.get("ingested_at") is not None]
    hex_id = event["id"].removeprefix("event:")

    row = EventRow(
        event_id_cnty=f"{country.alpha3 if country else 'XXX'}{hex_id[:12].upper()}",
        event_date=date,
        year=date.year if date else None,
        time_precision=_TIME_PRECISION.get(event.get("date_precision") or ""),
        disorder_type=_DISORDER_BY_SUB.get((event_type, sub_event_type),
                                           _DISORDER.get(event_type, "")),
        event_type=event_type,
        sub_event_type=sub_event_type,
        actor1=actor1["name"] if actor1 else "",
        assoc_actor_1="; ".join(a["name"] for a in perpetrators[1:]),
        inter1=inter1,
        actor2=actor2["name"] if actor2 else "",
        assoc_actor_2="; ".join(a["name"] for a in targets[1:]),
        inter2=inter2,
        interaction=interaction(inter1, inter2),
        civilian_targeting="Civilian targeting" if any(
            inter_type(t) == "Civilians" for t in targets) else "",
        iso=country.numeric if country else None,
        region=country.region if country else "",
        country=where.country_name or (country.name if country else ""),
        admin1=where.admins[0] if len(where.admins) > 0 else "",
        admin2=where.admins[1] if len(where.admins) > 1 else "",
        admin3=where.admins[2] if len(where.admins) > 2 else "",
        location=where.location,
        latitude=where.latitude,
        longitude=where.longitude,
        geo_precision=where.precision,
        source="; ".join(sorted({e.source for e in evidence if e.source})),
        source_scale="",
        notes=notes,
        fatalities=low if low is not None else 0,
        tags="; ".join(tags),
        timestamp=max(stamps) if stamps else None,
        best=best, low=low, high=high,
        fatality_sources=fatality_sources,
        claimed_by="; ".join(a["name"] for a in claimants),
        reports=len({r["article"] for r in reports}),
        kg_event_id=event["id"],
    )
    named = {a["name"] for a in perpetrators + targets if inter_type(a)}
    return ExportedEvent(row, evidence, tuple(sorted(named)))


def interaction(inter1: str, inter2: str) -> str:
    """ACLED's interaction: both actor types, ACLED's lower code first; "X only" for one."""
    if not inter1 and not inter2:
        return ""
    if not inter1 or not inter2:
        return f"{inter1 or inter2} only"
    first, second = sorted((inter1, inter2), key=INTER_TYPES.index)
    return f"{first}-{second}"


def _sides(actors: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Perpetrators (those who did it, else claimed it, else were blamed), targets that are
    actors, other targets (things), and claimants; each ordered by support, then name."""
    def ordered(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        unique = {a["id"]: a for a in sorted(items, key=lambda a: -a["support"])}
        return sorted(unique.values(), key=lambda a: (-a["support"], a["name"] or "", a["id"]))

    by_relation: dict[str, list[dict[str, Any]]] = {}
    for actor in actors:
        by_relation.setdefault(actor["relation"], []).append(actor)
    perpetrators: list[dict[str, Any]] = []
    for relation in _PERPETRATOR_RELATIONS:
        perpetrators = ordered(by_relation.get(relation, []))
        if perpetrators:
            break
    targeted = ordered(by_relation.get("TARGETED", []))
    taken = {a["id"] for a in perpetrators}
    return {
        "perpetrators": perpetrators,
        "targets": [t for t in targeted if inter_type(t) and t["id"] not in taken],
        "things": [t for t in targeted if not inter_type(t) and t["label"] != "Place"],
        "claimants": ordered(by_relation.get("CLAIMED_RESPONSIBILITY", [])),
    }


@dataclass
class _Where:
    alpha2: str | None = None
    country_name: str = ""
    admins: list[str] = field(default_factory=list)
    location: str = ""
    latitude: float | None = None
    longitude: float | None = None
    precision: int | None = None


def _where(place: dict[str, Any] | None, enclosing: list[dict[str, Any]], tags: list[str]) -> _Where:
    """Country, admin units, location, coordinates and ACLED geo precision of the event's place.

    Precision 1: a town or village with its own coordinates; 2: a place known only as part of
    a town (its coordinates are the town's); 3: an admin region (its coordinates), or a place
    inside one whose own coordinates are unknown. A place known only to the country gets no
    coordinates: a country's centre is not where anything happened.
    """
    if place is None:
        tags.append("no place reported")
        return _Where()
    chain = [place, *enclosing]
    where = _Where(alpha2=place.get("country"))
    country = next((p for p in chain if p.get("kind") == "country"), None)
    if country is not None:
        where.country_name = country["name"]
        where.alpha2 = where.alpha2 or country.get("country")
    # Admin units from the top (ACLED's admin1 is the largest below the country).
    where.admins = [p["name"] for p in reversed(chain) if p.get("kind") == "admin_region"]
    if place.get("kind") == "country":
        tags.append("placed only to the country: no coordinates")
        return where
    where.location = place["name"]
    located = next((p for p in chain if p.get("kind") != "country"
                    and p.get("latitude") is not None and p.get("longitude") is not None), None)
    if located is None:
        tags.append("place not geocoded: no coordinates")
        return where
    where.latitude, where.longitude = float(located["latitude"]), float(located["longitude"])
    if located is not place:
        tags.append(f"coordinates of {located['name']}")
    if located.get("kind") == "admin_region":
        where.precision = 3
    elif located is not place or place.get("precision") == "near":
        where.precision = 2
    else:
        where.precision = 1
    return where


def fatality_estimates(killed: list[dict[str, Any]]
                       ) -> tuple[int | None, int | None, int | None, str]:
    """(best, low, high, sources) from the event's own killed figures, as fatalities.cypher.

    low: the smallest lower bound reported ("at least 12" and "12 to 15" count 12; "up to 20"
    has none); high: the largest number ("at least 12" counts 12); best: the median of each
    figure's largest number (the lower middle one of an even count). Figures without a number
    ("several") count for none of them.
    """
    numbered = [f for f in killed if f.get("min") is not None or f.get("max") is not None]
    if not numbered:
        return None, None, None, ""
    values = sorted(f["max"] if f.get("max") is not None else f["min"] for f in numbered)
    lows = [f["min"] for f in numbered if f.get("min") is not None]
    best = values[math.ceil(len(values) / 2) - 1]
    sources = sorted({(f["min"] if f.get("min") is not None else f["max"],
                       f"{_range(f)} ({_said_by(f)})") for f in numbered})
    return best, (min(lows) if lows else None), values[-1], "; ".join(t for _, t in sources)


def _said_by(figure: dict[str, Any]) -> str:
    """Who gave a figure: "officials, via Reuters"; "Reuters" for the outlet's own reporting."""
    if figure.get("source"):
        return f"{figure['source']}, via {figure['outlet']}"
    return str(figure["outlet"])


def _range(figure: dict[str, Any]) -> str:
    low, high = figure.get("min"), figure.get("max")
    if low is None:
        return f"up to {high}"
    if high is None:
        return f"at least {low}"
    return str(low) if low == high else f"{low}-{high}"


def _date(value: str | None) -> dt.date | None:
    """A date the query sent as text (cheaper to read than a driver Date)."""
    return dt.date.fromisoformat(value) if value else None
