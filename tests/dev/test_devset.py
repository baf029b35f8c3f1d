"""`kg dev devset-score` on a development set made here, never on ../shared (CI has none).

The set below has the layout of ../shared/devset (articles/, gold/, score.py) with an
article written for this test and a scorer that checks what it was given.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main

ARTICLE = {
    "id": "t01-test-market-attack",
    "url": "https://example.org/t01",
    "source": "Test Wire",
    "title": "Gunmen kill four traders at a market near Gao",
    "published": "2025-04-02",
    "text": "Gunmen on motorbikes attacked a cattle market near Gao on Tuesday, killing four "
            "traders, the regional governor said.\n\n\"The attackers fled towards the river,\" "
            "the governor told reporters.",
}

# A stand-in for ../shared/devset/score.py with its command line: it fails unless every gold
# article has a prediction named after it that is a kg graph of that article.
SCORER = textwrap.dedent('''
    import argparse, json, sys
    from pathlib import Path
    ap = argparse.ArgumentParser()
    ap.add_argument("--pred", type=Path)
    ap.add_argument("--gold", type=Path, required=True)
    ap.add_argument("--min-macro", type=float, default=0.0)
    a = ap.parse_args()
    for gold in sorted(a.gold.glob("*.json")):
        pred = json.loads((a.pred / gold.name).read_text())
        assert pred["article"]["id"] == gold.stem and "events" in pred
        print(f"{gold.stem}: {len(pred['events'])} events")
    print(f"macro F1 1.00 (goal >= {a.min_macro:.2f})")
    sys.exit(0 if a.min_macro <= 1.0 else 1)
''')


@pytest.fixture
def devset(tmp_path: Path) -> Path:
    root = tmp_path / "devset"
    (root / "articles").mkdir(parents=True)
    (root / "gold").mkdir()
    (root / "articles" / f"{ARTICLE['id']}.json").write_text(json.dumps(ARTICLE), "utf-8")
    (root / "gold" / f"{ARTICLE['id']}.json").write_text("{}", "utf-8")
    (root / "score.py").write_text(SCORER, "utf-8")
    return root


def test_a_missing_devset_is_one_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["dev", "devset-score", "--devset", str(tmp_path / "none")])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"Error: {tmp_path / 'none'}: no development set here; it lives in ../shared/devset "
        f"beside the repository (give another with --devset)"]


def test_an_incomplete_devset_says_what_is_missing(devset: Path) -> None:
    (devset / "score.py").unlink()
    result = CliRunner().invoke(main, ["dev", "devset-score", "--devset", str(devset)])
    assert result.exit_code == 1
    assert f"Error: {devset}: not a development set, score.py missing" in result.output


def test_graphs_are_kg_extract_output_and_the_set_scores_them(devset: Path,
                                                              tmp_path: Path) -> None:
    out = tmp_path / "graphs"
    runner = CliRunner()
    result = runner.invoke(main, ["dev", "devset-score", "--devset", str(devset), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "macro F1 1.00" in result.output
    assert f"Graphs of 1 articles in {out}" in result.output
    written = json.loads((out / f"{ARTICLE['id']}.json").read_text("utf-8"))
    printed = runner.invoke(main, ["extract", str(devset / "articles"), "--format", "json"])
    assert printed.exit_code == 0
    assert written == json.loads(printed.stdout)
    assert written["events"], "the attack is extracted"
    # The scorer's verdict is the exit status.
    below = runner.invoke(main, ["dev", "devset-score", "--devset", str(devset),
                                 "--min-macro", "1", "--out", str(out)])
    assert below.exit_code == 0
    (devset / "gold" / "t02-no-such-article.json").write_text("{}", "utf-8")
    broken = runner.invoke(main, ["dev", "devset-score", "--devset", str(devset)])
    assert broken.exit_code == 1
    assert "the scorer failed" in broken.output
