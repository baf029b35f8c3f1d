"""Score extraction against the expected facts of the example articles.

Every article under the given paths is read with `kg.sources.read_paths`, extracted with
the `Extractor`, and compared with its expected file (`tests/data/expected/<key>.yaml`,
schema in `kg.dev.expected`). A plain spaCy NER baseline is scored the same way, and both
are timed. Precision, recall and F1 are micro-averaged over all articles, per category, for
the "must" items and for all items. The matching rules, and which categories count
unexpected predictions against precision, are in docs/evaluation.md.

    from kg.dev.scoring import evaluate
    report = evaluate(["examples/articles"], "tests/data/expected")
    print(report.tallies["kg"]["groups"].all.f1)

Modules: `matching` (counts and one-to-one pairing), `predictions` (what a system
predicted), `article` (one article scored), `run` (the whole run, timed).
"""

from kg.dev.scoring.article import score_article
from kg.dev.scoring.matching import PRF, Tally, pair
from kg.dev.scoring.predictions import PredEntity, Prediction, from_graph, from_ner
from kg.dev.scoring.run import BASELINE, CATEGORIES, KG, Report, Speed, evaluate

__all__ = [
    "BASELINE",
    "CATEGORIES",
    "KG",
    "PRF",
    "PredEntity",
    "Prediction",
    "Report",
    "Speed",
    "Tally",
    "evaluate",
    "from_graph",
    "from_ner",
    "pair",
    "score_article",
]
