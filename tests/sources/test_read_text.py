"""Plain-text reader: headline and summary detection on several layouts, and the seed article."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from kg.models import Article
from kg.sources.text import headline_strength, split_layout

from .helpers import only_article, read_all

SEEDS = Path(__file__).resolve().parents[2] / ".." / "shared" / "seeds"
SEED = SEEDS / "000_3aabd3aa6f6a8816.txt"

Write = Callable[[str, str | bytes], Path]

BODY = (
    "M23 rebels seized the town of Sake on Tuesday, residents said, after days of fighting "
    "with the army near Goma.\nThe army said it would retake the town."
)
SUMMARY = (
    "Rebels took a strategic town in eastern Congo after heavy fighting, residents said, "
    "as thousands fled towards the provincial capital."
)


@pytest.mark.seed
def test_seed_article_title_summary_body_and_stable_id() -> None:
    if not SEEDS.is_dir():
        pytest.skip(f"seed folder {SEEDS} is absent (it sits beside the repository)")
    first = only_article(read_all(SEED))
    second = only_article(read_all(SEED))
    assert first.title == "Hostages Killed as Balochistan Train Siege Ends in Pakistan"
    assert first.summary is not None
    assert first.summary.startswith("Baloch separatists attacked")
    assert first.text.startswith("Several hostages on a train")
    assert "Baloch separatists attacked" not in first.text
    assert first.title not in first.text
    assert first.id == second.id
    assert first.id == Article.make_id(None, first.title, first.text)
    assert first.origin == str(SEED)


@pytest.mark.parametrize(
    ("text", "title", "summary", "body_start"),
    [
        pytest.param(f"Rebels Seize Town in Eastern Congo\n\n{BODY}",
                     "Rebels Seize Town in Eastern Congo", None, "M23 rebels", id="headline-blank-body"),
        pytest.param(f"Rebels Seize Town in Eastern Congo\n{BODY}",
                     "Rebels Seize Town in Eastern Congo", None, "M23 rebels", id="headline-then-body"),
        pytest.param(f"Rebels seize town in eastern Congo\n\n{BODY}",
                     "Rebels seize town in eastern Congo", None, "M23 rebels", id="sentence-case"),
        pytest.param(f"# Rebels seize town\n\n{BODY}", "Rebels seize town", None, "M23 rebels",
                     id="markdown-heading"),
        pytest.param(f"'We will fight on,' says rebel leader\n\n{BODY}",
                     "'We will fight on,' says rebel leader", None, "M23 rebels", id="quoted-headline"),
        pytest.param(f"{SUMMARY}\nRebels Seize Town in Eastern Congo\n\n\n{BODY}",
                     "Rebels Seize Town in Eastern Congo", SUMMARY, "M23 rebels", id="seed-shape"),
        pytest.param(f"{SUMMARY}\n\nRebels seize town in eastern Congo\n\n{BODY}",
                     "Rebels seize town in eastern Congo", SUMMARY, "M23 rebels", id="summary-blank-headline"),
        pytest.param(
            "Rebels took a strategic town in eastern Congo after heavy fighting,\n"
            "residents said, as thousands fled towards the provincial capital.\n"
            f"Rebels Seize Town in Eastern Congo\n\n{BODY}",
            "Rebels Seize Town in Eastern Congo", SUMMARY, "M23 rebels", id="wrapped-summary"),
        pytest.param(f"\n\n  \nRebels Seize Town in Eastern Congo\r\n\r\n{BODY}",
                     "Rebels Seize Town in Eastern Congo", None, "M23 rebels", id="leading-blanks-crlf"),
    ],
)
def test_headline_layouts(write: Write, text: str, title: str, summary: str | None,
                          body_start: str) -> None:
    article = only_article(read_all(write("a.txt", text)))
    assert article.title == title
    assert article.summary == summary
    assert article.text.startswith(body_start)
    assert article.text.endswith("retake the town.")
    assert "\r" not in article.text


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(BODY, id="body-only"),
        pytest.param("Militants attacked a convoy near the town of\nKhost on Monday, killing three "
                     "soldiers and wounding\nseveral others, officials said.\n\nThe Taliban denied it.",
                     id="hard-wrapped-capital-continuation"),
        pytest.param("Militants attacked a convoy near the town\nof Khost on Monday, killing three "
                     "soldiers.\n\nThe Taliban denied it.", id="hard-wrapped-lowercase-continuation"),
        pytest.param(f"{SUMMARY}\n\nBackground\n\nThe group first rose in 2012.", id="section-heading"),
        pytest.param("Rebels Seize Town in Eastern Congo", id="headline-without-body"),
    ],
)
def test_no_headline_keeps_everything_as_body(write: Write, text: str) -> None:
    article = only_article(read_all(write("a.txt", text)))
    assert article.title is None
    assert article.summary is None
    assert article.text == text.strip()


def test_headline_strength() -> None:
    assert headline_strength("Hostages Killed as Balochistan Train Siege Ends in Pakistan") == "strong"
    assert headline_strength("Hostages killed as train siege ends") == "weak"
    assert headline_strength("Several hostages were killed, officials said.") is None
    assert headline_strength("continues here without a capital") is None
    assert headline_strength("Background") is None  # one word: a section heading, not a headline
    assert headline_strength("x " * 40) is None


def test_body_offsets_are_into_body_only() -> None:
    layout = split_layout(f"{SUMMARY}\nRebels Seize Town in Eastern Congo\n\n{BODY}")
    assert layout.body.strip() == BODY
    assert layout.summary == SUMMARY


def test_markdown_extension_is_text(write: Write) -> None:
    article = only_article(read_all(write("note.md", f"# Rebels seize town\n\n{BODY}")))
    assert article.title == "Rebels seize town"
    assert article.text.startswith("M23 rebels")


def test_id_depends_on_content_not_file_name(write: Write) -> None:
    one = only_article(read_all(write("one.txt", f"Rebels Seize Town\n\n{BODY}")))
    two = only_article(read_all(write("two.text", f"Rebels  Seize Town\r\n\r\n{BODY}\n\n")))
    other = only_article(read_all(write("three.txt", f"Rebels Seize Town\n\n{BODY} More.")))
    assert one.id == two.id
    assert one.id != other.id
