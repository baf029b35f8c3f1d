"""Corrections on a real Neo4j server and real extraction of three example articles: one of each
action survives `kg ingest --force`, a new extractor version and `kg remove` + re-ingest, and
`kg review export` → an empty graph → `kg review import` + ingest gives the identical graph."""

from __future__ import annotations

import datetime as dt
import json
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from neo4j import Driver

from kg.extract.pipeline import Extractor
from kg.ingest import ingest
from kg.models import Article, ArticleGraph
from kg.neo4j.loader import remove_articles
from kg.resolve.corrections import Correction, CorrectionError
from kg.review.service import export_file, import_file, listing, record, undo

pytestmark = pytest.mark.neo4j

ARTICLES = Path(__file__).resolve().parents[2] / "examples" / "articles"
PATHS = [ARTICLES / "borno_malam_fatori_base_attack_afp.txt",
         ARTICLES / "borno_malam_fatori_base_attack_local.json",
         ARTICLES / "somalia_lower_shabelle_convoy_bombing.txt"]
AFP, LOCAL, SOMALIA = "9ebfceee42f069b2", "nechronicle-20241016-malam-fatori", "b8f31a98cec5517b"
AT = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)


class Versioned:
    """The real extractor under another version key: what an extractor upgrade looks like."""

    def __init__(self, extractor: Extractor, version: str) -> None:
        self.extractor, self.version = extractor, version

    def extract_many(self, articles: Iterable[Article], *, n_process: int = 1,
                     batch_size: int | None = None) -> Iterator[ArticleGraph]:
        for graph in self.extractor.extract_many(articles):
            yield graph.model_copy(update={"extractor_version": self.version})


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def correction(action: str, minute: int, **fields: Any) -> Correction:
    return Correction.model_validate({"analyst": "ana", "at": AT + dt.timedelta(minutes=minute),
                                      "action": action, "note": f"test {action}", **fields})


def event(article: str, start: int, end: int, **more: Any) -> dict[str, Any]:
    return {"kind": "event", "article": article, "start": start, "end": end, **more}


ONE_OF_EACH = [
    correction("reject", 1, target={"kind": "relation", "type": "TARGETED", "source": "event",
                                    "target": "group:al-shabaab", **event(SOMALIA, 0, 243)} | {"kind": "relation"}),
    correction("add", 2, target={"kind": "relation", "type": "PERPETRATED", "source": "group:al-shabaab",
                                 "target": "event", "article": SOMALIA, "start": 0, "end": 243}),
    correction("reject", 3, target={"kind": "figure", "article": AFP, "start": 1776, "end": 1950,
                                    "text": "more than 40,000 people"}),
    correction("set", 4, target=event(SOMALIA, 1404, 1673), field="date", value="2025-04-16"),
    correction("set", 5, target=event(LOCAL, 199, 440, event_type="security_operation"),
               field="type", value="armed_clash"),
    correction("set", 6, target=event(SOMALIA, 0, 243), field="geo_precision", value="near"),
    correction("set", 7, target=event(AFP, 1007, 1115), field="background", value=False),
    correction("set", 8, target={"kind": "figure", "article": LOCAL, "start": 1146, "end": 1369,
                                 "text": "20 soldiers"}, field="max", value=22),
    correction("merge_events", 9, target=event(AFP, 0, 247), other=event(AFP, 1007, 1115)),
    correction("merge_entities", 10, target={"kind": "entity", "entity": "group:islamic-state"},
               value="group:islamic-state-west-africa-province"),
    correction("retype", 11, target={"kind": "entity", "entity": "person:hadin-kai"}, value="Organisation"),
    correction("reject", 12, target={"kind": "relation", "type": "SAID", "source": "person:olumide-adeyemi",
                                     "target": "quote", "article": LOCAL, "start": 352, "end": 395}),
    correction("reject", 13, target=event(LOCAL, 199, 440, event_type="armed_clash")),
    correction("set", 14, target=event(SOMALIA, 0, 243), field="place", value="place:geonames:53654"),
]


def statuses(driver: Driver) -> dict[str, str]:
    return {c.id: status for c, status, _ in listing(driver)}


def dump(driver: Driver) -> tuple[list[Any], list[Any]]:
    """Every node and relationship with its properties (load times left out), comparable."""
    def clean(props: dict[str, Any]) -> str:
        props = {k: v for k, v in props.items() if k != "ingested_at"}
        for key in ("extraction", "raw_extraction"):
            if isinstance(props.get(key), bytes):
                props[key] = zlib.decompress(props[key]).decode()
        return json.dumps(props, sort_keys=True, default=str)

    nodes = sorted((sorted(r["labels"]), clean(r["props"])) for r in driver.execute_query(
        "MATCH (n) RETURN labels(n) AS labels, properties(n) AS props").records)
    rels = sorted((r["type"], r["s"], r["t"], clean(r["props"])) for r in driver.execute_query(
        "MATCH (s)-[r]->(t) RETURN type(r) AS type, s.id AS s, t.id AS t, properties(r) AS props").records)
    return nodes, rels


def check_applied(driver: Driver) -> None:
    """Each correction shows in the graph."""
    assert set(statuses(driver).values()) == {"applied"}, listing(driver)
    q = driver.execute_query
    rows = q("MATCH (:Article {id: $a})-[:REPORTS]->(e:Event)<-[:PERPETRATED]-(:Group {id: 'group:al-shabaab'}) "
             "RETURN e.reviewed AS reviewed, e.original_geo_precision AS original", a=SOMALIA).records
    assert rows and rows[0]["reviewed"] is True
    assert not q("MATCH (:Article {id: $a})-[:REPORTS]->(e:Event)-[:TARGETED]->(:Group {id: 'group:al-shabaab'}) "
                 "RETURN e", a=SOMALIA).records
    assert not q("MATCH (f:Figure {article: $a}) WHERE f.text = 'more than 40,000 people' RETURN f", a=AFP).records
    arrest = q("MATCH (:Article {id: $a})-[:REPORTS]->(e:Event {type: 'arrest'}) RETURN e", a=SOMALIA).records[0]["e"]
    assert arrest["date"].iso_format() == "2025-04-16" and arrest["original_date"] == "2025-04-17"
    assert arrest["reviewed_by"] == ["ana"]
    assert {r["t"] for r in q("MATCH (:Article {id: $a})-[:REPORTS]->(e:Event) RETURN e.type AS t",
                              a=LOCAL).records} == {"armed_clash"}
    figure = q("MATCH (f:Figure {article: $a, text: '20 soldiers'}) RETURN f", a=LOCAL).records[0]["f"]
    assert figure["max"] == 22 and figure["original_max"] == 20 and figure["reviewed"] is True
    assert len(q("MATCH (:Article {id: $a})-[:REPORTS]->(e:Event) RETURN e", a=AFP).records) == 4
    assert not q("MATCH (n {id: 'group:islamic-state'}) RETURN n").records
    assert q("MATCH (n:Organisation {id: 'organisation:hadin-kai'}) RETURN n").records
    assert not q("MATCH (:Person {id: 'person:olumide-adeyemi'})-[:SAID]->(q:Quote {start: 352}) RETURN q").records
    places = q("MATCH (:Article {id: $a})-[:REPORTS]->(e:Event {type: 'bombing'})-[:OCCURRED_IN]->(p:Place) "
               "RETURN p.id AS place, e.label AS label, e.original_place AS original", a=SOMALIA).records
    assert [(r["place"], r["label"], r["original"]) for r in places] == [
        ("place:geonames:53654", "Bombing in Mogadishu, 2025-04-18", "place:geonames:65785")]


def test_every_correction_survives_reingest_upgrade_and_removal(kg: Driver, extractor: Extractor,
                                                                 tmp_path: Path) -> None:
    ingest(PATHS, kg, extractor=Versioned(extractor, "v1"))
    done = record(kg, ONE_OF_EACH)
    assert len(done.new) == len(ONE_OF_EACH)
    check_applied(kg)

    ingest(PATHS, kg, extractor=Versioned(extractor, "v1"), force=True)
    check_applied(kg)
    ingest(PATHS, kg, extractor=Versioned(extractor, "v2"))  # a new extractor version
    check_applied(kg)

    remove_articles(kg, [SOMALIA])
    assert {status for c, status, _ in listing(kg) if c.article == SOMALIA} == {"pending"}
    ingest(PATHS, kg, extractor=Versioned(extractor, "v2"))
    check_applied(kg)
    before = dump(kg)

    exported = tmp_path / "corrections.jsonl"
    assert export_file(kg, exported) == len(ONE_OF_EACH)
    kg.execute_query("MATCH (n) DETACH DELETE n")
    import_file(kg, exported)
    ingest(PATHS, kg, extractor=Versioned(extractor, "v2"))
    check_applied(kg)
    assert dump(kg) == before


def test_undo_restores_the_extractor_value(kg: Driver, extractor: Extractor) -> None:
    ingest(PATHS[2:], kg, extractor=Versioned(extractor, "v1"))
    original = dump(kg)
    done = record(kg, [ONE_OF_EACH[3]])
    undo(kg, done.new[0], "ben", "wrong article")
    assert statuses(kg)[done.new[0]] == "undone"
    arrest = kg.execute_query("MATCH (e:Event {type: 'arrest'}) RETURN e").records[0]["e"]
    assert arrest["date"].iso_format() == "2025-04-17" and "reviewed" not in arrest
    nodes, rels = dump(kg)
    assert rels == original[1]


def test_a_target_that_does_not_exist_is_one_clear_error(kg: Driver, extractor: Extractor) -> None:
    ingest(PATHS[2:], kg, extractor=Versioned(extractor, "v1"))
    missing = correction("set", 1, target=event(SOMALIA, 5, 9, event_type="riot"), field="date", value="2025-01-01")
    with pytest.raises(CorrectionError, match=r"event in article b8f31a98cec5517b \[5:9\]: no event"):
        record(kg, [missing])
    with pytest.raises(CorrectionError, match="article 0000 is not in the graph"):
        record(kg, [correction("reject", 2, target=event("0000", 1, 5))])
    assert not listing(kg)


def test_a_malformed_file_names_the_line_and_changes_nothing(kg: Driver, extractor: Extractor,
                                                              tmp_path: Path) -> None:
    ingest(PATHS[2:], kg, extractor=Versioned(extractor, "v1"))
    record(kg, [ONE_OF_EACH[3]])
    before = dump(kg)
    good = ONE_OF_EACH[5].line()
    bad = json.dumps({"analyst": "ana", "at": "2026-12-07T09:00:00Z", "action": "set",
                      "target": event(SOMALIA, 0, 243), "field": "date", "value": "yesterday"})
    path = tmp_path / "corrections.jsonl"
    path.write_text(good + "\n\n" + bad + "\n", encoding="utf-8")
    with pytest.raises(CorrectionError, match=r"corrections.jsonl:3: .*Invalid isoformat string"):
        import_file(kg, path)
    path.write_text(good + "\n{not json\n", encoding="utf-8")
    with pytest.raises(CorrectionError, match=r"corrections.jsonl:2: Invalid JSON"):
        import_file(kg, path)
    assert dump(kg) == before
