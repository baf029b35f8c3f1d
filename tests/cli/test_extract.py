"""`kg extract`: every input format, the three output formats, stdin, and what a run with
bad input prints and returns (the graphs it could make on stdout, one `Error:` line per bad
file, line or record on stderr, exit 1; usage errors exit 2)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from kg.cli import main

HEADLINE = "Gunmen Kill Four Traders At A Cattle Market Near Gao"
BODY = ("Gunmen on motorbikes attacked a cattle market near Gao on Tuesday, killing four traders "
        "and wounding six others, the regional governor said.\n\n\"The attackers fled towards "
        "the river before the army arrived,\" the governor told reporters on Wednesday.")
RECORD = {"id": "gao-market", "title": HEADLINE, "text": BODY, "published": "2025-04-02",
          "source": "Test Wire", "url": "https://example.org/gao-market"}
FRENCH = ("Des hommes armés ont attaqué un marché près de Gao mardi, tuant quatre commerçants, "
          "a déclaré le gouverneur de la région. Les assaillants ont fui vers le fleuve avant "
          "l'arrivée de l'armée, selon plusieurs témoins interrogés sur place mercredi.")
PAGE = f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>{HEADLINE}</title><meta property="article:published_time" content="2025-04-02">
<meta property="og:site_name" content="Test Page"></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>{HEADLINE}</h1>{"".join(f"<p>{p}</p>" for p in BODY.split(chr(10) * 2))}</article>
<footer>Copyright Test Page</footer></body></html>"""


def run(*args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(main, ["extract", *args], input=stdin)


def graphs(result: Result) -> list[dict[str, Any]]:
    document = json.loads(result.stdout)
    return document if isinstance(document, list) else [document]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """One article in each format, and a text file's sidecar."""
    (tmp_path / "a.txt").write_text(f"{HEADLINE}\n\n{BODY}\n", "utf-8")
    (tmp_path / "a.txt.meta.json").write_text(
        json.dumps({"published": "2025-04-02", "source": "Sidecar Wire"}), "utf-8")
    (tmp_path / "b.json").write_text(json.dumps({**RECORD, "id": "b"}), "utf-8")
    (tmp_path / "c.jsonl").write_text(
        "".join(json.dumps({**RECORD, "id": f"c{i}"}) + "\n" for i in (1, 2)), "utf-8")
    (tmp_path / "d.html").write_text(PAGE, "utf-8")
    return tmp_path


def test_one_text_file_is_one_json_document_with_its_sidecar(folder: Path) -> None:
    result = run(str(folder / "a.txt"))
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert isinstance(document, dict)  # one article: the graph itself, not a list
    article = document["article"]
    assert (article["title"], article["published"], article["source"]) == (
        HEADLINE, "2025-04-02", "Sidecar Wire")
    # "on Tuesday" resolves against the sidecar's date (a Wednesday).
    assert [(e["type"], e["date"]) for e in document["events"]] == [("attack", "2025-04-01")]
    assert {(f["kind"], f["min"]) for f in document["figures"]} == {("killed", 4), ("wounded", 6)}
    assert [q["text"] for q in document["quotes"]] == [
        "The attackers fled towards the river before the army arrived"]
    assert result.stderr == ""


def test_a_folder_reads_every_format_in_path_order(folder: Path) -> None:
    result = run(str(folder))
    assert result.exit_code == 0, result.output
    found = graphs(result)
    origins = [g["article"]["origin"] for g in found]
    assert origins == [str(folder / "a.txt"), str(folder / "b.json"), f"{folder / 'c.jsonl'}:1",
                       f"{folder / 'c.jsonl'}:2", str(folder / "d.html")]
    assert all(g["article"]["title"] == HEADLINE for g in found)
    assert all(g["figures"] for g in found), "every format yields the same facts"


def test_jsonl_output_is_one_graph_a_line_and_glob_filters(folder: Path) -> None:
    result = run(str(folder), "--glob", "*.jsonl", "--format", "jsonl")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert [json.loads(line)["article"]["id"] for line in lines] == ["c1", "c2"]


def test_table_output_summarises_each_article(folder: Path) -> None:
    result = run(str(folder / "b.json"), "--format", "table")
    assert result.exit_code == 0, result.output
    for heading in (HEADLINE, "Entities", "Events", "Figures", "Quotes", "Relations"):
        assert heading in result.stdout
    assert "Gao" in result.stdout


def test_stdin_is_sniffed_or_named_and_options_override(folder: Path) -> None:
    sniffed = run("-", stdin=(folder / "c.jsonl").read_text("utf-8"))
    assert sniffed.exit_code == 0, sniffed.output
    assert [g["article"]["origin"] for g in graphs(sniffed)] == ["<stdin>:1", "<stdin>:2"]
    # A text that starts like JSON would be sniffed as JSON; named, it is text.
    text = f"{{{HEADLINE}}}\n\n{BODY}\n"
    named = run("-", "--stdin-format", "txt", "--published", "2025-05-01", "--source", "Desk",
                stdin=text)
    assert named.exit_code == 0, named.output
    article = graphs(named)[0]["article"]
    assert (article["published"], article["source"]) == ("2025-05-01", "Desk")
    assert run("-", stdin=text).exit_code == 1  # sniffed as JSON, and not valid JSON


def test_bad_input_is_one_line_each_and_the_rest_is_printed(folder: Path) -> None:
    feed = folder / "feed.jsonl"
    feed.write_text(json.dumps({**RECORD, "id": "f1"}) + "\n{not json\n"
                    + json.dumps({**RECORD, "id": "f3", "text": ""}) + "\n"
                    + json.dumps({**RECORD, "id": "f4"}) + "\n", "utf-8")
    (folder / "notes.pdf").write_bytes(b"%PDF-1.4")
    missing = folder / "missing.txt"
    result = run(str(feed), str(missing), str(folder / "notes.pdf"), str(folder / "b.json"))
    assert result.exit_code == 1
    assert [g["article"]["id"] for g in graphs(result)] == ["f1", "f4", "b"]
    errors = result.stderr.splitlines()
    assert len(errors) == 4, errors
    assert errors[0].startswith(f"Error: {feed}:2: ")
    assert errors[1].startswith(f"Error: {feed}:3: ")
    assert errors[2] == f"Error: {missing}: no such file or directory"
    assert errors[3].startswith(f"Error: {folder / 'notes.pdf'}: no reader for extension .pdf")


def test_nothing_readable_prints_no_empty_graph(tmp_path: Path) -> None:
    # Only the error line: no `[]` on stdout beside it.
    missing = tmp_path / "nonexistent.txt"
    result = run(str(missing))
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr == f"Error: {missing}: no such file or directory\n"


def test_an_article_in_another_language_is_skipped_not_failed(tmp_path: Path) -> None:
    path = tmp_path / "fr.json"
    path.write_text(json.dumps({**RECORD, "id": "fr", "title": "Attaque près de Gao",
                                "text": FRENCH}), "utf-8")
    result = run(str(path))
    assert result.exit_code == 0, result.output
    graph = graphs(result)[0]
    assert graph["skipped"] == "article is in French; kg extracts English only"
    assert not graph["entities"] and not graph["events"]
    assert result.stderr == f"Skipped {path}: article is in French; kg extracts English only\n"


@pytest.mark.parametrize("args", [[], ["x.txt", "--format", "xml"],
                                  ["-", "--stdin-format", "pdf"], ["x.txt", "--jobs", "-1"]],
                         ids=["no-path", "bad-format", "bad-stdin-format", "bad-jobs"])
def test_usage_errors_exit_2_before_reading(args: list[str]) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert "Usage: " in result.output and "Error: " in result.output
