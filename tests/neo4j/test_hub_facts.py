"""Hub facts (cypher/README.md, *Relationships*): a fact restated by many articles keeps its
first HUB_ENTRIES provenance entries, and the graph stays independent of load order and of
what was taken out before."""

from __future__ import annotations

import datetime as dt

import pytest
from neo4j import Driver

from kg.ids import entity_id
from kg.models import Article, ArticleGraph, Entity, Evidence, Mention, Relation
from kg.neo4j.loader import load, remove_articles
from kg.neo4j.rows import HUB_ENTRIES
from kg.schema import EntityType, RelType
from tests.neo4j.fixtures import graph_dump

pytestmark = pytest.mark.neo4j

GROUP = entity_id(EntityType.GROUP, "Northern Hills Front")
PROVINCE = entity_id(EntityType.PLACE, "Ardena Province", country="ZZ")
SPOKESMAN = entity_id(EntityType.PERSON, "Tomas Verel")
ARTICLES = HUB_ENTRIES + 4


def restatement(number: int) -> ArticleGraph:
    """Article `number` says again that the front is active in the province, and who speaks for it."""
    sentence = f"Report {number}: the Northern Hills Front remains active in Ardena Province."
    role = f"Tomas Verel, its spokesman, said so in report {number}."
    text = f"{sentence} {role}"
    active = Evidence(text=sentence, start=0, end=len(sentence))
    start = len(sentence) + 1
    entities = [
        Entity(id=GROUP, type=EntityType.GROUP, name="Northern Hills Front",
               mentions=[Mention(text="Northern Hills Front", start=15, end=35)]),
        Entity(id=PROVINCE, type=EntityType.PLACE, name="Ardena Province", kind="admin_region",
               country="ZZ", mentions=[Mention(text="Ardena Province", start=56, end=71)]),
        Entity(id=SPOKESMAN, type=EntityType.PERSON, name="Tomas Verel", role="spokesman",
               affiliation=GROUP, mentions=[Mention(text="Tomas Verel", start=start, end=start + 11)]),
    ]
    article = Article(id=f"hub-{number:02d}", title=f"Report {number}", text=text,
                      published=dt.date(2025, 5, 1) + dt.timedelta(days=number))
    return ArticleGraph(article=article, extractor_version="hub-test", entities=entities,
                        relations=[Relation(source=GROUP, type=RelType.ACTIVE_IN, target=PROVINCE,
                                            evidence=active, confidence=0.5 + number / 100)])


def hub(driver: Driver, rel: RelType) -> dict[str, list[object]]:
    record = driver.execute_query(
        "MATCH ()-[r]->() WHERE type(r) = $type RETURN r.articles AS articles, "
        "r.confidences AS confidences, r.confidence AS confidence, count(*) AS n",
        type=rel.value).records
    return {"articles": record[0]["articles"], "confidences": record[0]["confidences"],
            "confidence": [record[0]["confidence"]], "n": [record[0]["n"]]} if record else {}


def test_a_hub_fact_keeps_its_first_entries_whatever_the_order(kg: Driver) -> None:
    graphs = [restatement(n) for n in range(ARTICLES)]
    ids = [g.article.id for g in graphs]
    for batch in (graphs[7:], graphs[:7]):  # later articles first, in two transactions
        load(kg, batch, batch_size=3)

    active = hub(kg, RelType.ACTIVE_IN)
    assert active["articles"] == ids[:HUB_ENTRIES]
    assert active["n"] == [1]
    assert active["confidence"] == [max(active["confidences"])]  # type: ignore[type-var]
    assert hub(kg, RelType.HOLDS_ROLE)["articles"] == ids[:HUB_ENTRIES]
    # Every article's own entries are on its MENTIONS of the source.
    stated = kg.execute_query(
        "MATCH (:Article)-[m:MENTIONS]->(:Group {id: $group}) RETURN count(m.hub_facts) AS n",
        group=GROUP).records[0]["n"]
    assert stated == ARTICLES
    in_order = graph_dump(kg)

    kg.execute_query("MATCH (n) DETACH DELETE n")
    load(kg, graphs)
    assert graph_dump(kg) == in_order


def test_taking_a_listed_article_out_refills_the_list(kg: Driver) -> None:
    graphs = [restatement(n) for n in range(ARTICLES)]
    ids = [g.article.id for g in graphs]
    load(kg, graphs)

    gone = [ids[0], ids[3]]
    assert sorted(remove_articles(kg, gone).removed) == gone
    left = [i for i in ids if i not in gone]
    assert hub(kg, RelType.ACTIVE_IN)["articles"] == left[:HUB_ENTRIES]
    assert hub(kg, RelType.HOLDS_ROLE)["articles"] == left[:HUB_ENTRIES]
    after_removal = graph_dump(kg)

    # The same graph as loading only the articles left.
    kg.execute_query("MATCH (n) DETACH DELETE n")
    load(kg, [g for g in graphs if g.article.id in left])
    assert graph_dump(kg) == after_removal

    # The fact stands while some article gives it, and goes with the last one.
    remove_articles(kg, left[:-1])
    assert hub(kg, RelType.ACTIVE_IN)["articles"] == left[-1:]
    remove_articles(kg, left[-1:])
    assert hub(kg, RelType.ACTIVE_IN) == {}
    assert hub(kg, RelType.HOLDS_ROLE) == {}


def test_a_changed_article_moves_its_entry(kg: Driver) -> None:
    graphs = [restatement(n) for n in range(ARTICLES)]
    load(kg, graphs)
    first = graphs[0]
    # The first article no longer says where the front is active: it leaves the list, and
    # the next article not yet listed takes its place.
    changed = first.model_copy(update={
        "relations": [], "article": first.article.model_copy(update={"title": "Report 0, corrected"})})
    result = load(kg, [changed])
    assert result.updated == [first.article.id]
    ids = [g.article.id for g in graphs]
    assert hub(kg, RelType.ACTIVE_IN)["articles"] == ids[1:HUB_ENTRIES + 1]
    assert hub(kg, RelType.HOLDS_ROLE)["articles"] == ids[:HUB_ENTRIES]
