"""`.html` reader: main text without boilerplate, metadata, and refusals (how fast: make bench)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from kg.sources.htmlpage import MAX_ELEMENTS

from .helpers import only_article, only_failure, read_all

Write = Callable[[str, str | bytes], Path]

PARAGRAPHS = [
    "Gunmen attacked a military base in Malam Fatori in Borno state on Sunday, killing at least "
    "five soldiers, security sources told AFP.",
    "The jihadists arrived in pick-up trucks at dawn and overran the base after a two-hour "
    "gun battle, a militia leader said.",
    "The army said troops later regained control of the town, which lies near the border with "
    "Niger, and that the attackers suffered heavy losses.",
]

PAGE = """<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>Jihadists overrun army base in northeast Nigeria | Example News</title>
<meta property="og:site_name" content="Example News">
<meta name="author" content="Jane Doe">
<meta name="description" content="Jihadists attacked a base in Borno state, killing soldiers.">
<meta property="article:published_time" content="2025-03-24T09:15:00+01:00">
<link rel="canonical" href="https://news.example.org/africa/borno-base-attack">
<script>window.analytics = {track: function () {}};</script>
</head>
<body>
<div class="cookie-banner">We use cookies to improve your experience. Accept all cookies?</div>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
<li><a href="/africa">Africa</a></li><li><a href="/sport">Sport</a></li></ul></nav></header>
<main><article>
<h1>Jihadists overrun army base in northeast Nigeria</h1>
<p class="byline">By Jane Doe</p>
""" + "\n".join(f"<p>{p}</p>" for p in PARAGRAPHS) + """
</article>
<aside><h3>Most read</h3><ul><li><a href="/x">Celebrity wedding photos</a></li>
<li><a href="/y">Ten recipes for summer</a></li></ul></aside></main>
<footer><p>Copyright 2025 Example News Ltd. All rights reserved.</p>
<p>Subscribe to our newsletter for daily updates.</p></footer>
</body></html>
"""


def test_page_with_boilerplate(write: Write) -> None:
    article = only_article(read_all(write("page.html", PAGE)))
    assert article.title == "Jihadists overrun army base in northeast Nigeria"
    for paragraph in PARAGRAPHS:
        assert paragraph in article.text
    for boilerplate in ("cookies", "Home", "Celebrity", "Copyright", "newsletter", "analytics"):
        assert boilerplate not in article.text
    assert not article.text.startswith("Jihadists overrun")  # the <h1> is the title, not body
    assert article.url == "https://news.example.org/africa/borno-base-attack"
    assert article.source == "Example News"
    assert article.published == dt.date(2025, 3, 24)
    assert article.language == "en-GB"
    assert article.summary == "Jihadists attacked a base in Borno state, killing soldiers."
    assert article.metadata["author"] == "Jane Doe"
    assert article.id == only_article(read_all(write("copy.htm", PAGE))).id


def test_minimal_page_without_metadata(write: Write) -> None:
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    article = only_article(read_all(write("bare.htm", f"<html><body>{body}</body></html>")))
    assert article.text.startswith(PARAGRAPHS[0][:40])
    assert (article.url, article.published, article.language) == (None, None, None)


def test_declared_charset_page(write: Write) -> None:
    text = "Боевики атаковали военную базу на севере страны, сообщили источники в армии. " * 4
    page = f'<html lang="ru"><head><meta charset="windows-1251"><title>Атака</title></head>' \
           f"<body><article><p>{text}</p><p>{text}</p></article></body></html>"
    article = only_article(read_all(write("ru.html", page.encode("cp1251"))))
    assert "Боевики атаковали военную базу" in article.text
    assert article.language == "ru"


@pytest.mark.parametrize(
    "page",
    [
        pytest.param("<html><head><script>var a = 1;</script></head>"
                     "<body><script>alert('x')</script><noscript></noscript></body></html>",
                     id="only-scripts"),
        pytest.param("<html><body><nav><a href='/'>Home</a></nav></body></html>", id="only-nav"),
        pytest.param("<html><body></body></html>", id="empty-body"),
        pytest.param("<html><body><p>Share this story</p><p>Read more</p></body></html>", id="only-captions"),
    ],
)
def test_page_without_article_text(write: Write, page: str) -> None:
    assert only_failure(read_all(write("page.html", page))).reason.startswith("no article text found")


# How quickly these two come back is measured by `make bench` (kg.dev.bench.readers).
def test_too_many_elements_is_refused_before_extraction(write: Write) -> None:
    page = "<html><body>" + "<p>x</p>" * (MAX_ELEMENTS + 10) + "</body></html>"
    failure = only_failure(read_all(write("big.html", page)))
    # <html>, <body> and the paragraphs
    assert failure.reason == f"HTML has {MAX_ELEMENTS + 12} elements, over the limit of {MAX_ELEMENTS}"


def test_deep_nesting_does_not_crash(write: Write) -> None:
    page = "<html><body>" + "<div>" * 100_000 + "<p>Deep.</p>" + "</div>" * 100_000 + "</body></html>"
    items = read_all(write("deep.html", page))
    assert len(items) == 1  # an article or a failure, never a crash


def test_html_file_over_its_limit(write: Write) -> None:
    failure = only_failure(read_all(write("page.html", PAGE), max_bytes=100))
    assert failure.reason == f"HTML file is {len(PAGE.encode())} bytes, over the limit of 400"


def test_relative_canonical_link_is_not_a_url(write: Write) -> None:
    page = PAGE.replace("https://news.example.org/africa/borno-base-attack", "/africa/borno")
    article = only_article(read_all(write("page.html", page)))
    assert article.url is None  # a relative link would make a colliding id
    assert article.id == only_article(read_all(write("other.html", page + "<!-- x -->"))).id


def test_header_lines_above_the_first_paragraph_are_kept_apart(write: Write) -> None:
    page = PAGE.replace("<h1>", '<p class="kicker">Borno State</p>\n<h1>').replace(
        "</h1>", '</h1>\n<p class="stamp">· Updated</p>')
    article = only_article(read_all(write("page.html", page)))
    assert article.text.startswith(PARAGRAPHS[0])
    assert article.metadata["header"][0] == "Borno State"
    assert "· Updated" in article.metadata["header"]


def test_site_name_from_the_page_title_when_no_meta_names_it(write: Write) -> None:
    page = PAGE.replace('<meta property="og:site_name" content="Example News">', "").replace(
        "https://news.example.org/africa/borno-base-attack", "/africa/borno")
    article = only_article(read_all(write("page.html", page)))
    assert article.source == "Example News"
