"""Developer tooling: measuring kg, never needed to run it.

- `kg.dev.expected`: the one schema of the expected-facts files (`tests/data/expected/`).
- `kg.dev.names`: how names, quotes and sources compare when scored.
- `kg.dev.scoring`: the scorer of extraction against those files (`kg dev score`).
- `kg.dev.devset`: scoring on the shared development set (`kg dev devset-score`).
- `kg.dev.bench`: the synthetic corpus and the benchmark suite (`kg bench`, `make bench`),
  and two stand-alone measurements (`python -m kg.dev.bench.load_rate`, `.export_rate`).

It lives in the package, not in a `tools/` folder, because `kg bench` and `kg dev` are
commands of the installed `kg` and the tests import the scorer and the schema; nothing in
the read → extract → resolve → load / export stages imports from here, and the CLI imports it
only when one of these commands runs.
"""
