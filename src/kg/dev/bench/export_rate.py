"""Benchmark: kg's streaming export against rdflib's Graph.add + serialize, on a synthetic graph.

Run against a throw-away server (never your own: it empties the database):

    KG_NEO4J_URI=bolt://127.0.0.1:7687 KG_NEO4J_PASSWORD=… \\
        .venv/bin/python -m kg.dev.bench.export_rate --articles 2000 --format ttl nt

`build` writes a synthetic graph shaped like the loader's (entities shared across articles,
provenance lists on every relationship) straight through Cypher. Each measurement runs in its
own process, so peak RSS (ru_maxrss) is that of the one export:

- `kg`: `export_rdf` to a file, as `kg export rdf` does.
- `rdflib`: the same pages read and mapped, every triple added to an rdflib Graph, then
  `Graph.serialize` to a file.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from neo4j import Driver, GraphDatabase

GROUPS, ORGS, PLACES, PEOPLE, TARGETS = 200, 200, 500, 300, 100
SENTENCE = ("Militants of the {g} attacked a convoy near {p} on Tuesday, killing several "
            "soldiers, officials said, in the latest of a series of raids in the region.")


def _driver() -> Driver:
    uri = os.environ["KG_NEO4J_URI"]
    return GraphDatabase.driver(uri, auth=(os.environ.get("KG_NEO4J_USER", "neo4j"),
                                           os.environ["KG_NEO4J_PASSWORD"]))


def _prov(article: str, text: str, start: int, confidence: float = 0.8) -> dict[str, Any]:
    return {"articles": [article], "evidence": [text], "evidence_start": [start],
            "evidence_end": [start + len(text)], "confidences": [confidence],
            "confidence": confidence, "key": ""}


def build(driver: Driver, articles: int, seed: int = 7) -> None:
    """A synthetic graph of `articles` articles over shared entity pools."""
    rng = random.Random(seed)
    driver.execute_query("MATCH (n) DETACH DELETE n")
    pools = {
        "Group": [f"group:synthetic-group-{i}" for i in range(GROUPS)],
        "Organisation": [f"organisation:synthetic-org-{i}" for i in range(ORGS)],
        "Place": [f"place:geonames:{100000 + i}" for i in range(PLACES)],
        "Person": [f"person:synthetic-person-{i}" for i in range(PEOPLE)],
        "Target": [f"target:synthetic-target-{i}" for i in range(TARGETS)],
    }
    kinds = {"Group": "rebel", "Organisation": "state_force", "Place": "city", "Target": "vehicle"}
    for label, ids in pools.items():
        rows: list[dict[str, Any]] = [{"id": i, "props": {"name": i.split(":")[-1].replace("-", " ").title(),
                                    "aliases": [i.split(":")[-1]], "country": "PK",
                                    "kind": kinds.get(label)}} for i in ids]
        if label == "Place":
            for n, row in enumerate(rows):
                row["props"].update(latitude=25 + n / 100, longitude=60 + n / 100,
                                    gazetteer_id=row["id"].split(":", 1)[1], precision="exact")
        driver.execute_query(f"UNWIND $rows AS row MERGE (n:{label} {{id: row.id}}) SET n += row.props",
                             rows=rows)
    hierarchy: list[dict[str, Any]] = [{"s": pools["Place"][i], "t": pools["Place"][i // 10], **_prov("gazetteer", "", -1, 1.0)}
                 for i in range(10, PLACES)]
    for row in hierarchy:
        row["evidence_end"] = [-1]
    driver.execute_query("UNWIND $rows AS r MATCH (s:Place {id: r.s}) MATCH (t:Place {id: r.t}) "
                         "MERGE (s)-[x:LOCATED_IN {key: ''}]->(t) SET x += r {.articles, .evidence, "
                         ".evidence_start, .evidence_end, .confidences, .confidence}", rows=hierarchy)
    batch: dict[str, list[dict[str, Any]]] = {"articles": [], "events": [], "rels": [], "figures": [],
                                              "quotes": []}

    def flush() -> None:
        driver.execute_query("UNWIND $rows AS row CREATE (n:Article) SET n = row", rows=batch["articles"])
        driver.execute_query("UNWIND $rows AS row CREATE (n:Event) SET n = row", rows=batch["events"])
        driver.execute_query("UNWIND $rows AS row CREATE (n:Figure) SET n = row", rows=batch["figures"])
        driver.execute_query("UNWIND $rows AS row CREATE (n:Quote) SET n = row", rows=batch["quotes"])
        by_type: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
        for rel in batch["rels"]:
            by_type.setdefault((rel.pop("type"), rel.pop("sl"), rel.pop("tl")), []).append(rel)
        for (rel_type, sl, tl), rows in by_type.items():
            driver.execute_query(
                f"UNWIND $rows AS r MATCH (s:{sl} {{id: r.s}}) MATCH (t:{tl} {{id: r.t}}) "
                f"CREATE (s)-[x:{rel_type}]->(t) SET x = r.props", rows=rows)
        for key in batch:
            batch[key].clear()

    for a in range(articles):
        aid = f"{a:016x}"
        group, place = rng.choice(pools["Group"]), rng.choice(pools["Place"])
        text = " ".join(SENTENCE.format(g=group, p=place) for _ in range(12))
        batch["articles"].append({"id": aid, "title": f"Synthetic report {a}", "text": text,
                                  "url": f"https://example.org/{aid}", "source": "Synthetic",
                                  "published": dt.date(2024, 1, 1) + dt.timedelta(days=a % 365),
                                  "language": "en", "content_hash": f"{a:064x}",
                                  "extractor_version": "bench", "ingested_at": dt.datetime.now(dt.UTC)})
        sentence = SENTENCE.format(g=group, p=place)
        mentioned = {group, place, *rng.sample(pools["Organisation"], 2),
                     *rng.sample(pools["Place"], 3), *rng.sample(pools["Person"], 2),
                     *rng.sample(pools["Target"], 2)}
        for entity in sorted(mentioned):
            label = entity.split(":")[0].capitalize()
            props = _prov(aid, entity, 10)
            props.update(articles=[aid, aid], evidence=[entity, entity], evidence_start=[10, 400],
                         evidence_end=[10 + len(entity), 400 + len(entity)], confidences=[1.0, 1.0])
            batch["rels"].append({"type": "MENTIONS", "sl": "Article", "tl": label, "s": aid,
                                  "t": entity, "props": props})
        for e in range(2):
            eid = f"event:{aid}{e}"
            batch["events"].append({"id": eid, "type": "attack",
                                    "acled_event_type": "Violence against civilians",
                                    "acled_sub_event_type": "Attack", "label": f"Attack {a}.{e}",
                                    "date": dt.date(2024, 1, 1) + dt.timedelta(days=a % 365),
                                    "date_precision": "day", "date_text": "Tuesday"})
            for rel_type, sl, s, tl, t in (("REPORTS", "Article", aid, "Event", eid),
                                           ("PERPETRATED", "Group", group, "Event", eid),
                                           ("TARGETED", "Event", eid, "Target", rng.choice(pools["Target"])),
                                           ("OCCURRED_IN", "Event", eid, "Place", place)):
                batch["rels"].append({"type": rel_type, "sl": sl, "tl": tl, "s": s, "t": t,
                                      "props": _prov(aid, sentence, 0)})
            fid = f"figure:{aid}:{e}"
            batch["figures"].append({"id": fid, "article": aid, "kind": "killed", "min": 3, "max": 5,
                                     "approximate": True, "qualifier": "several",
                                     "text": "several soldiers", "who": "soldiers"})
            batch["rels"].append({"type": "HAS_FIGURE", "sl": "Event", "tl": "Figure", "s": eid,
                                  "t": fid, "props": _prov(aid, sentence, 0)})
            batch["rels"].append({"type": "ACCORDING_TO", "sl": "Figure", "tl": "Article", "s": fid,
                                  "t": aid, "props": _prov(aid, sentence, 0)})
        qid = f"quote:{aid}:1"
        batch["quotes"].append({"id": qid, "article": aid, "text": "We will respond.", "start": 5,
                                "end": 21, "speaker_description": "an official"})
        batch["rels"].append({"type": "QUOTED_IN", "sl": "Quote", "tl": "Article", "s": qid, "t": aid,
                              "props": _prov(aid, sentence, 0)})
        if len(batch["articles"]) >= 200:
            flush()
    flush()


def run_one(tool: str, fmt: str, out: Path) -> dict[str, Any]:
    """One export in this process: time, triples, peak RSS."""
    from kg.dev.bench.suite import rdflib_export
    from kg.export import export_rdf

    driver = _driver()
    started = time.perf_counter()
    if tool == "kg":
        triples = export_rdf(driver, out, fmt=fmt).triples
    else:
        triples = rdflib_export(driver, out, fmt)
    seconds = time.perf_counter() - started
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"tool": tool, "format": fmt, "triples": triples, "seconds": round(seconds, 2),
            "triples_per_s": round(triples / seconds), "peak_rss_mib": round(peak_kib / 1024, 1),
            "bytes": out.stat().st_size}



def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--format", nargs="+", default=["ttl", "nt"])
    parser.add_argument("--tools", nargs="+", default=["kg", "rdflib"], choices=["kg", "rdflib"])
    parser.add_argument("--skip-build", action="store_true")
    parser.add_argument("--out", type=Path, default=Path("/tmp/kg-bench"))
    parser.add_argument("--one", nargs=2, metavar=("TOOL", "FORMAT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    if args.one:
        tool, fmt = args.one
        print(json.dumps(run_one(tool, fmt, args.out / f"{tool}.{fmt}")))
        return
    if not args.skip_build:
        started = time.perf_counter()
        with _driver() as driver:
            build(driver, args.articles)
        print(f"built {args.articles} articles in {time.perf_counter() - started:.0f} s", flush=True)
    for fmt in args.format:
        for tool in args.tools:
            done = subprocess.run([sys.executable, "-m", "kg.dev.bench.export_rate", "--one", tool, fmt, "--out", str(args.out)],
                                  capture_output=True, text=True, check=True)
            print(done.stdout.strip(), flush=True)


if __name__ == "__main__":
    main()
