"""The stored extraction of the example articles, and how to remake it.

`tests/data/extract_snapshot/examples.json` holds what `kg extract examples/articles
--format json` prints, without each graph's `extractor_version` (it changes with every
code edit). `test_snapshot.py` compares a fresh extraction with it, so a refactoring that
changes any entity, event, figure, quote or relation fails.

When extraction changes on purpose, look at the difference, then remake the file:

    PYTHONPATH=src:. .venv/bin/python -m tests.extract.snapshot
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from kg.sources import ArticleOverrides, read_paths

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples" / "articles"
SNAPSHOT = REPO / "tests" / "data" / "extract_snapshot" / "examples.json"


def extract_examples(extractor: Any) -> str:
    """The examples' graphs as `kg extract --format json` prints them, minus versions."""
    articles = []
    for item in read_paths([EXAMPLES], overrides=ArticleOverrides()):
        if not hasattr(item, "text"):
            raise AssertionError(f"example not readable: {item}")
        articles.append(item)
    graphs = []
    for graph in extractor.extract_many(articles):
        document = graph.model_dump(mode="json")
        document.pop("extractor_version")
        # Where the file sits on this machine is no part of the extraction.
        origin = document["article"].get("origin")
        if origin and origin.startswith(f"{REPO}/"):
            document["article"]["origin"] = origin.removeprefix(f"{REPO}/")
        graphs.append(document)
    return json.dumps(graphs, indent=2, ensure_ascii=False) + "\n"


def main() -> None:
    from kg.extract.pipeline import Extractor

    SNAPSHOT.write_text(extract_examples(Extractor()), encoding="utf-8")
    print(f"wrote {SNAPSHOT.relative_to(REPO)}")


if __name__ == "__main__":
    main()
