"""Score the extractor (and a plain spaCy NER baseline) on the example articles.

Usage, from the repository root:

    .venv/bin/python scripts/evaluate_extraction.py            # the table
    .venv/bin/python scripts/evaluate_extraction.py --details  # and every miss and false hit
    .venv/bin/python scripts/evaluate_extraction.py --json > scores.json

Precision, recall and F1 per category, for the "must" items and for all items, micro-
averaged over the articles; how items are matched is in docs/evaluation.md.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from kg.errors import KgError
from kg.evaluate import BASELINE, CATEGORIES, KG, PRF, Report, evaluate

ROOT = Path(__file__).resolve().parents[1]


def _pct(value: float | None) -> str:
    return "    —" if value is None else f"{100 * value:5.1f}"


def _cells(prf: PRF) -> str:
    return f"{_pct(prf.precision)} {_pct(prf.recall)} {_pct(prf.f1)}"


def print_table(report: Report, *, details: bool) -> None:
    systems = [s for s in (KG, BASELINE) if s in report.tallies]
    print(f"{len(report.articles)} articles; P / R / F1 in %, micro-averaged")
    head = "".join(f" | {s + ' ' + part:^17}" for s in systems for part in ("must", "all"))
    print(f"{'category':<13}{head}")
    print(f"{'':<13}" + " | ".join(["", *["    P     R    F1"] * (2 * len(systems))])[1:])
    for category in CATEGORIES:
        row = "".join(f" | {_cells(getattr(report.tallies[s][category], part))}"
                      for s in systems for part in ("must", "all"))
        t = report.tallies[KG][category]
        print(f"{category:<13}{row}   (kg {t.found}/{t.expected}, must {t.must_found}/"
              f"{t.must_expected}, {t.spurious} spurious)")
    print()
    for system in systems:
        speed = report.speed[system]
        what = "kg extractor" if system == KG else "bare nlp.pipe"
        print(f"speed {what:<14} {speed.articles_per_second:7.2f} articles/s "
              f"{speed.words_per_second:9.0f} words/s  ({speed.articles} articles, "
              f"{speed.words} words, {speed.seconds:.2f} s)")
    print()
    print(f"must_not violations (kg): {len(report.must_not[KG])}")
    for line in report.must_not[KG]:
        print(f"  {line}")
    for line in report.over_extracted:
        print(f"over-extraction: {line}")
    for line in report.failures:
        print(f"failure: {line}")
    if details:
        for category in CATEGORIES:
            tally = report.tallies[KG][category]
            print(f"\n== {category}: missed {len(tally.missed)}, spurious {len(tally.false)}")
            for line in tally.missed:
                print(f"  - missed   {line}")
            for line in tally.false:
                print(f"  + spurious {line}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", default=[str(ROOT / "examples" / "articles")],
                        help="article files or directories (default: examples/articles)")
    parser.add_argument("--expected", default=str(ROOT / "tests" / "data" / "expected"),
                        help="folder of expected files (default: tests/data/expected)")
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    parser.add_argument("--details", action="store_true",
                        help="list every missed and spurious item (with --json: include them)")
    parser.add_argument("--no-baseline", action="store_true", help="skip the spaCy NER baseline")
    args = parser.parse_args(argv)
    try:
        report = evaluate(args.paths, args.expected, baseline=not args.no_baseline)
    except KgError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(report.as_dict(details=args.details), indent=2, ensure_ascii=False))
    else:
        print_table(report, details=args.details)
    return 0


if __name__ == "__main__":
    sys.exit(main())
