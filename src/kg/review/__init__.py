"""Review and correction: analysts' fixes as data that survive every re-ingest (docs/review.md).

A correction and its JSONL form live in `kg.resolve.corrections`, and applying corrections to an
article's extracted graph in `kg.resolve.correcting` (the resolve stage: the human wins before
anything is loaded); `kg.neo4j.corrections` keeps them in Neo4j and holds the loader's hook.
Here: `service` records, undoes, imports and exports them; `queue` ranks what most needs a
human; `inspect` shows an event with the anchors a correction needs.
"""
