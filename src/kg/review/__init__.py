"""Review and correction: analysts' fixes as data that survive every re-ingest (docs/review.md).

`records` defines a correction and its JSONL form; `apply` applies corrections to an article's
extracted graph before it is loaded; `store` keeps them in Neo4j and holds the loader's hook;
`service` records, undoes, imports and exports them; `queue` ranks what most needs a human;
`inspect` shows an event with the anchors a correction needs.
"""
