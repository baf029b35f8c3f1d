"""`kg extract` with an article over its CPU budget: one `Error:` line naming the file and
the reason, and the articles after it are still extracted and printed (issue 20)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from kg.cli import main
from kg.dev.bench.hostile import hostile_text

BODY = ("Gunmen on motorbikes attacked a cattle market near Gao on Tuesday, killing four traders "
        "and wounding six others, the regional governor said.")


def test_an_article_over_its_budget_fails_alone(tmp_path: Path) -> None:
    (tmp_path / "a_heavy.txt").write_text(hostile_text("all digits", 400_000), "utf-8")
    (tmp_path / "b_news.txt").write_text("Market Attack Near Gao\n\n" + BODY + "\n", "utf-8")

    result = CliRunner().invoke(main, ["extract", str(tmp_path), "--format", "jsonl"],
                                env={"KG_MAX_ARTICLE_SECONDS": "1"})

    assert result.exit_code == 1, result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    assert len(errors) == 1, result.stderr
    assert errors[0].startswith(f"Error: {tmp_path / 'a_heavy.txt'}: not extracted: over the "
                                "time budget of 1 s of CPU (KG_MAX_ARTICLE_SECONDS) (400000 bytes")
    printed = [json.loads(line) for line in result.stdout.splitlines()]
    assert [g["article"]["origin"] for g in printed] == [str(tmp_path / "b_news.txt")]
    assert printed[0]["events"], "the article after the failed one is extracted in full"
