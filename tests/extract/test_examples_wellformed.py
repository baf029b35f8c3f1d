"""The example articles parse as their formats, and their expected facts hold together.

`examples/articles/` feeds the README demo, the extraction scores and the Neo4j tests;
`tests/data/expected/` says what a careful analyst would extract from each article (the
format is documented in tests/data/expected/README.md; its schema is `kg.dev.expected`, which
the scorer reads too). These tests check the data, not the extractor: every article reads
with the standard library alone, every expected file validates against that schema, every quote, figure and alias is verbatim in its
article, every reference resolves, relative dates agree with the publication date, and the
set as a whole still covers the cases the extractor is judged on.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, get_args

import pytest
import yaml

from kg.dev.expected import (
    Expected,
    ExpEvent,
    Region,
    Style,
    expected_paths,
    read_coreference,
    read_expected,
)
from kg.models import Article
from kg.schema import RELATIONS, DatePrecision, EntityType, EventType, FigureKind, Label, RelType

ROOT = Path(__file__).resolve().parents[2]
ARTICLES = ROOT / "examples" / "articles"
EXPECTED = ROOT / "tests" / "data" / "expected"

# --------------------------------------------------------------------------------------
# Reading the articles with the standard library only
# --------------------------------------------------------------------------------------


@dataclass
class RawArticle:
    """An example article as the standard library reads it; `key` names its expected file."""

    key: str
    path: Path
    format: str
    title: str
    body: str
    summary: str = ""
    published: dt.date | None = None
    record: str | None = None
    line: int | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def everything(self) -> str:
        return "\n".join((self.title, self.summary, self.body))


def parse_date(value: str) -> dt.date:
    """ISO dates and datetimes, RFC 2822 and compact YYYYMMDD: the forms the examples use.

    A datetime keeps its own calendar day (no conversion to UTC): that is the day the outlet
    published on, which is what relative dates count from.
    """
    value = value.strip()
    if re.fullmatch(r"\d{8}", value):
        return dt.datetime.strptime(value, "%Y%m%d").date()
    try:
        return dt.datetime.fromisoformat(value).date()
    except ValueError:
        return email.utils.parsedate_to_datetime(value).date()


def read_txt(path: Path, has_summary: bool) -> RawArticle:
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
    content = [i for i, line in enumerate(lines) if line]
    assert len(content) >= 3, f"{path.name}: needs a headline and a body"
    summary = lines[content[0]] if has_summary else ""
    title_at = content[1] if has_summary else content[0]
    body = "\n".join(line for line in lines[title_at + 1:] if line)
    return RawArticle(key=path.stem, path=path, format="txt", title=lines[title_at],
                      summary=summary, body=body)


def _from_record(obj: Any, path: Path, fmt: str, key: str) -> RawArticle:
    assert isinstance(obj, dict), f"{key}: a record must be a JSON object"
    for required in ("id", "title", "url", "language"):
        assert isinstance(obj.get(required), str) and obj[required].strip(), f"{key}: no {required}"
    text = obj.get("text", obj.get("body"))
    assert isinstance(text, str) and text.strip(), f"{key}: needs a 'text' or 'body'"
    date = obj.get("published", obj.get("date"))
    assert isinstance(date, str), f"{key}: needs a 'published' or 'date'"
    source = obj.get("source", obj.get("publisher"))
    assert isinstance(source, str), f"{key}: needs a 'source' or 'publisher'"
    return RawArticle(key=key, path=path, format=fmt, title=obj["title"], body=text,
                      summary=obj.get("summary") or "", published=parse_date(date),
                      record=obj["id"], meta=obj)


def read_json(path: Path) -> RawArticle:
    return _from_record(json.loads(path.read_text(encoding="utf-8")), path, "json", path.stem)


def read_jsonl(path: Path) -> list[RawArticle]:
    out = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        obj = json.loads(line)
        article = _from_record(obj, path, "jsonl", f"{path.stem}--{obj.get('id')}")
        article.line = number
        out.append(article)
    return out


_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
         "track", "wbr"}
# Containers inside <article> whose paragraphs are page furniture, not the story.
_FURNITURE_TAGS = {"aside", "figure", "footer", "header", "nav", "form"}
_FURNITURE_CLASSES = ("footer", "promo", "related", "share", "comment", "ad-slot", "donate")


class _PageParser(HTMLParser):
    """Collects what a news-page reader needs: metadata, the headline, story paragraphs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []  # (tag, is furniture)
        self.meta: dict[str, str] = {}
        self.times: list[str] = []
        self.h1: list[str] = []
        self.paragraphs: list[str] = []
        self.tags_outside_article: Counter[str] = Counter()
        self._text: list[str] | None = None
        self._h1: list[str] | None = None

    def _inside(self, tag: str) -> bool:
        return any(t == tag for t, _ in self.stack)

    def _furniture(self) -> bool:
        return any(f for _, f in self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {k: v or "" for k, v in attrs}
        if tag == "meta":
            name = attr.get("property") or attr.get("name")
            if name and "content" in attr:
                self.meta[name] = attr["content"]
        if tag == "time" and attr.get("datetime"):
            self.times.append(attr["datetime"])
        if not self._inside("article"):
            self.tags_outside_article[tag] += 1
        if tag in _VOID:
            return
        classes = attr.get("class", "")
        furniture = self._inside("article") and (
            tag in _FURNITURE_TAGS or any(c in classes for c in _FURNITURE_CLASSES))
        self.stack.append((tag, furniture))
        if tag == "p" and self._inside("article") and not self._furniture():
            self._text = []
        if tag == "h1":
            self._h1 = []

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        if tag == "p" and self._text is not None:
            self.paragraphs.append(" ".join("".join(self._text).split()))
            self._text = None
        if tag == "h1" and self._h1 is not None:
            self.h1.append(" ".join("".join(self._h1).split()))
            self._h1 = None
        # Pop to the matching open tag; tolerate unclosed children as browsers do.
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data: str) -> None:
        if self.stack and self.stack[-1][0] in ("script", "style"):
            return
        if self._text is not None:
            self._text.append(data)
        if self._h1 is not None:
            self._h1.append(data)


def read_html(path: Path) -> RawArticle:
    parser = _PageParser()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    assert len(parser.h1) == 1, f"{path.name}: expected exactly one <h1>"
    dates = [parse_date(v) for k, v in parser.meta.items()
             if k in ("article:published_time", "date", "pubdate")]
    dates += [parse_date(t) for t in parser.times[:1]]
    assert dates, f"{path.name}: no publication date in <meta> or <time>"
    assert len(set(dates)) == 1, f"{path.name}: publication dates disagree: {dates}"
    summary = parser.meta.get("description") or parser.meta.get("og:description") or ""
    return RawArticle(key=path.stem, path=path, format="html", title=parser.h1[0],
                      body="\n".join(parser.paragraphs), summary=summary, published=dates[0],
                      meta={"parser": parser})


def article_files() -> list[Path]:
    # `*.meta.json` files are sidecars (metadata for the .txt beside them), not articles.
    return sorted(p for p in ARTICLES.iterdir() if p.is_file() and not p.name.startswith(".")
                  and not p.name.endswith(".meta.json"))


def expected_files() -> list[Path]:
    return expected_paths(EXPECTED)


@cache
def load_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def read_any(path: Path, has_summary: bool) -> list[RawArticle]:
    match path.suffix:
        case ".txt":
            return [read_txt(path, has_summary)]
        case ".json":
            return [read_json(path)]
        case ".jsonl":
            return read_jsonl(path)
        case ".html":
            return [read_html(path)]
    raise AssertionError(f"{path.name}: unknown article format")


@cache
def parsed_articles() -> tuple[dict[str, RawArticle], dict[Path, str]]:
    """Every article that reads, by key, and why each file that does not read failed.

    A broken file fails its own test only, not every test that needs some article.
    """
    has_summary = {}
    for path in expected_files():
        try:
            data = load_yaml(path)
        except yaml.YAMLError:
            continue
        if isinstance(data, dict) and data.get("format") == "txt":
            has_summary[data.get("file")] = bool(data.get("has_summary"))
    out: dict[str, RawArticle] = {}
    errors: dict[Path, str] = {}
    for path in article_files():
        try:
            found = read_any(path, has_summary.get(path.name, False))
        except (AssertionError, ValueError, TypeError) as exc:
            errors[path] = f"{type(exc).__name__}: {exc}"
            continue
        for article in found:
            if article.key in out:
                errors[path] = f"duplicate article key {article.key}"
            out[article.key] = article
    return out, errors


def all_articles() -> dict[str, RawArticle]:
    return parsed_articles()[0]


# --------------------------------------------------------------------------------------
# The expected files, through the one schema the scorer also reads (kg.dev.expected)
# --------------------------------------------------------------------------------------


@cache
def load_expected(path: Path) -> Expected:
    return read_expected(path)


def valid_expected() -> list[Expected]:
    """The expected files that validate; the others fail `test_expected_file_validates`."""
    out = []
    for path in expected_files():
        try:
            out.append(load_expected(path))
        except (ValueError, yaml.YAMLError):
            continue
    return out


# --------------------------------------------------------------------------------------
# Articles
# --------------------------------------------------------------------------------------


def test_there_are_enough_articles_in_every_format() -> None:
    articles = all_articles()
    formats = Counter(a.format for a in articles.values())
    assert len(articles) >= 14
    assert formats["txt"] >= 7 and formats["json"] >= 2 and formats["html"] >= 2
    jsonl_files = [p for p in article_files() if p.suffix == ".jsonl"]
    assert len(jsonl_files) == 1
    assert 2 <= formats["jsonl"] <= 3


@pytest.mark.parametrize("path", article_files(), ids=lambda p: p.name)
def test_article_file_parses(path: Path) -> None:
    articles, errors = parsed_articles()
    assert path not in errors, errors.get(path)
    found = [a for a in articles.values() if a.path == path]
    assert found, f"{path.name} yielded no article"
    for article in found:
        assert article.title.strip() and not article.title.endswith(".")
        assert len(article.body.split()) >= 120, f"{article.key}: body too short to be an article"
        assert not re.search(r"<[a-z/]|&(#\d+|[a-z]+);", article.body), (
            f"{article.key}: markup or entities left in the body")
        if article.summary:
            assert article.summary != article.title


def test_articles_have_distinct_ids() -> None:
    # Ids come from the URL when there is one: two examples sharing a URL would collide in Neo4j.
    ids = [Article.make_id(a.meta.get("url"), a.title, a.body) for a in all_articles().values()]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("path", [p for p in article_files() if p.suffix == ".html"],
                         ids=lambda p: p.name)
def test_html_pages_carry_boilerplate(path: Path) -> None:
    # The pages must give trafilatura something to strip, or they test nothing.
    parser = all_articles()[path.stem].meta["parser"]
    outside = parser.tags_outside_article
    assert outside["nav"] >= 1 and outside["footer"] >= 1 and outside["script"] >= 1
    assert any(k.startswith(("og:", "article:")) for k in parser.meta)


@pytest.mark.parametrize("path", expected_files(), ids=lambda p: p.stem)
def test_expected_file_validates(path: Path) -> None:
    exp = load_expected(path)  # raises with pydantic's account of what is wrong
    assert path.stem == exp.key, f"{path.name} should be named {exp.key}.yaml"


def test_every_article_has_exactly_one_expected_file() -> None:
    article_keys = set(all_articles()) | {p.stem for p in parsed_articles()[1]}
    assert len(valid_expected()) == len(expected_files()), "some expected files do not validate"
    expected_keys = [e.key for e in valid_expected()]
    assert len(expected_keys) == len(set(expected_keys)), "two expected files for one article"
    assert set(expected_keys) == article_keys


# --------------------------------------------------------------------------------------
# Each expected file
# --------------------------------------------------------------------------------------

_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december"]
_DAY_MONTH = re.compile(r"\b(\d{1,2}) (" + "|".join(_MONTHS) + r")\b", re.IGNORECASE)
_OPEN_QUOTES = "\"“‘'"
_CLOSE_QUOTES = "\"”’'"


@pytest.mark.parametrize("path", expected_files(), ids=lambda p: p.stem)
class TestExpectedFile:
    def test_matches_its_article(self, path: Path) -> None:
        exp = load_expected(path)
        assert exp.key in all_articles(), f"{exp.file} is missing or did not parse"
        article = all_articles()[exp.key]
        assert article.path.name == exp.file
        assert article.format == exp.format
        assert article.title == exp.title
        if exp.format == "jsonl":
            assert article.line == exp.line
        if article.published is not None:  # .txt files carry no metadata: the date lives here
            assert article.published == exp.published
        if exp.format == "txt":
            assert exp.has_summary is not None
            if exp.has_summary:
                assert len(article.summary) > len(article.title)

    def test_names_are_unique_and_references_resolve(self, path: Path) -> None:
        exp = load_expected(path)
        names: list[str] = [i.name for i in (*exp.groups, *exp.organisations, *exp.places,
                                             *exp.people, *exp.targets)]
        dupes = [n for n, c in Counter(names).items() if c > 1]
        assert not dupes, f"names listed twice: {dupes}"
        labels = exp.labels()
        keys = [e.key for e in exp.events]
        assert len(keys) == len(set(keys)), "event keys must be unique"
        actors = {n for n, lab in labels.items() if lab in (Label.GROUP, Label.ORGANISATION,
                                                            Label.PERSON)}
        places = {n for n, lab in labels.items() if lab is Label.PLACE}
        orgs_groups_places = {n for n, lab in labels.items()
                              if lab in (Label.GROUP, Label.ORGANISATION, Label.PLACE)}
        people = {p.name for p in exp.people}
        outlets = {o.name for o in exp.organisations}
        entities = {n for n, lab in labels.items() if lab is not Label.EVENT}

        def check(value: str | None, allowed: set[str], what: str) -> None:
            assert value is None or value in allowed, f"{what}: '{value}' is not listed"

        for place in exp.places:
            check(place.parent, places, f"parent of {place.name}")
            assert place.parent != place.name
        for person in exp.people:
            for aff in (person.affiliation, *person.affiliation_accept):
                check(aff, orgs_groups_places, f"affiliation of {person.name}")
        for quote in exp.quotes:
            check(quote.speaker, people, "quote speaker")
            for outlet in (quote.reported_by, *quote.reported_by_accept):
                check(outlet, outlets, "quote reported_by")
            check(quote.event, set(keys), "quote event")
        for event in exp.events:
            for place_name in (event.place, *event.place_accept):
                check(place_name, places, f"place of {event.key}")
            for role in ("perpetrators", "perpetrators_accept", "participants", "responders",
                         "claimed_by", "attributed_to", "attributed_to_accept", "denied_by"):
                for name in getattr(event, role):
                    check(name, actors, f"{role} of {event.key}")
            for name in event.targets:
                check(name, entities, f"target of {event.key}")
            check(event.unverified_claim_of, actors, f"unverified_claim_of of {event.key}")
            check(event.part_of, set(keys) - {event.key}, f"part_of of {event.key}")
            assert not set(event.claimed_by) & set(event.denied_by)
        for fig in exp.figures:
            check(fig.event, set(keys), f"event of figure '{fig.text}'")
            for source in (fig.according_to, *fig.according_to_accept):
                check(source, actors, f"according_to of figure '{fig.text}'")
        for item in exp.must_not:
            if item.relation is not None:
                check(item.relation.source, set(labels), "must_not relation source")
                check(item.relation.target, set(labels), "must_not relation target")

    def test_relations_fit_the_closed_schema(self, path: Path) -> None:
        exp = load_expected(path)
        labels = exp.labels()
        for rel in exp.relations:
            sources, targets = RELATIONS[rel.type]
            assert rel.source in labels, f"relation source '{rel.source}' is not listed"
            assert labels[rel.source] in sources, f"{rel.type} cannot start at {rel.source}"
            for target in (rel.target, *rel.target_accept):
                assert target in labels, f"relation target '{target}' is not listed"
                assert labels[target] in targets, f"{rel.type} cannot end at {target}"
        # Event roles become relationships too: check them against the same table.
        for event in exp.events:
            for role, rel_type in (("claimed_by", RelType.CLAIMED_RESPONSIBILITY),
                                   ("responders", RelType.RESPONDED_TO)):
                for name in getattr(event, role):
                    assert labels[name] in RELATIONS[rel_type][0], f"{name} cannot {rel_type}"
            for name in event.attributed_to:
                assert labels[name] in RELATIONS[RelType.ATTRIBUTED_TO][1]

    def test_quotes_figures_and_aliases_are_verbatim(self, path: Path) -> None:
        exp = load_expected(path)
        assert exp.key in all_articles(), f"{exp.file} is missing or did not parse"
        article = all_articles()[exp.key]
        for quote in exp.quotes:
            at = article.body.find(quote.text)
            assert at > 0, f"quote not in the body: {quote.text!r}"
            end = at + len(quote.text)
            assert article.body[at - 1] in _OPEN_QUOTES, f"no opening mark before {quote.text!r}"
            assert end < len(article.body) and article.body[end] in _CLOSE_QUOTES, (
                f"no closing mark after {quote.text!r}")
        for fig in exp.figures:
            assert fig.text in article.body, f"figure not in the body: {fig.text!r}"
        for item in (*exp.groups, *exp.organisations, *exp.places, *exp.people, *exp.targets):
            for alias in item.aliases:
                assert alias in article.everything, f"alias of {item.name} not in text: {alias!r}"
        for event in exp.events:
            if event.date_text:
                assert event.date_text.lower() in article.body.lower(), (
                    f"date_text of {event.key} not in the body: {event.date_text!r}")

    def test_dates_agree_with_publication(self, path: Path) -> None:
        exp = load_expected(path)
        for event in exp.events:
            dates = [d for d in (event.date, event.date_end, *event.date_accept) if d]
            for d in dates:
                assert d <= exp.published, f"{event.key} is dated after publication"
            text = (event.date_text or "").lower()
            weekdays = [i for i, day in enumerate(_WEEKDAYS) if day in text]
            if weekdays and event.date:
                # A bare weekday means the most recent one: within the week before publication.
                assert any(d.weekday() in weekdays for d in dates), (
                    f"{event.key}: no date falls on {text!r}")
                assert 0 <= (exp.published - event.date).days <= 7, f"{event.key}: too far back"
            for day, month in _DAY_MONTH.findall(text):
                wanted = (int(day), _MONTHS.index(month.lower()) + 1)
                assert any((d.day, d.month) == wanted for d in dates), (
                    f"{event.key}: {day} {month} does not match its dates")
            if event.date is None:
                assert event.date_precision in (None, DatePrecision.WEEK, DatePrecision.MONTH)


# --------------------------------------------------------------------------------------
# Cross-article identity
# --------------------------------------------------------------------------------------


def test_coreference_file_resolves() -> None:
    coref = read_coreference(EXPECTED)
    articles = all_articles()
    expected = {e.key: e for e in valid_expected()}
    refs = [r for s in coref.same_incident for r in s.reports]
    refs += [r for s in coref.distinct_incidents for r in s.reports]
    for ref in refs:
        assert ref.article in expected, f"unknown article {ref.article}"
        assert ref.event in {e.key for e in expected[ref.article].events}, (
            f"{ref.article} has no event {ref.event}")
    for group in coref.same_incident:
        assert len({r.article for r in group.reports}) >= 2, "a shared incident needs two articles"
        events = [next(e for e in expected[r.article].events if e.key == r.event)
                  for r in group.reports]
        assert len({e.date for e in events}) == 1, f"{group.id}: reports disagree on the date"
    forms = [f for s in coref.same_entity for f in s.forms]
    forms += [f for s in coref.distinct_entities for f in s.forms]
    for form in forms:
        assert form.article in articles, f"unknown article {form.article}"
        assert form.form in articles[form.article].everything, (
            f"{form.form!r} is not in {form.article}")
    assert any(s.must and len({f.article for f in s.forms}) >= 2 and s.type is EntityType.GROUP
               and any(f.form.isupper() for f in s.forms)
               and any(not f.form.isupper() for f in s.forms)
               for s in coref.same_entity), "need one group seen as acronym and as full name"


# --------------------------------------------------------------------------------------
# What the set as a whole must cover
# --------------------------------------------------------------------------------------


def _count(predicate: Any) -> int:
    return sum(1 for exp in valid_expected() if predicate(exp))


def _conflicting_tolls(exp: Expected) -> bool:
    by_event: dict[str, set[tuple[int | None, str | None]]] = {}
    for fig in exp.figures:
        if fig.event and fig.kind is FigureKind.KILLED:
            source = fig.according_to or fig.according_to_description
            by_event.setdefault(fig.event, set()).add((fig.min, source))
    return any(len({m for m, _ in v}) >= 2 and len({s for _, s in v}) >= 2
               for v in by_event.values())


def _events(exp: Expected, *types: EventType) -> list[ExpEvent]:
    return [e for e in exp.events if e.type in types]


COVERAGE: dict[str, tuple[int, Any]] = {
    "conflicting casualty tolls": (3, _conflicting_tolls),
    "claim of responsibility": (2, lambda x: any(e.claimed_by for e in x.events)),
    "attribution without a claim": (2, lambda x: any(e.attributed_to and not e.claimed_by
                                                     for e in x.events)),
    "denial": (1, lambda x: any(e.denied_by for e in x.events)),
    "hostage taking or abduction": (1, lambda x: bool(_events(x, EventType.ABDUCTION,
                                                              EventType.HOSTAGE_TAKING))),
    "air or drone strike": (2, lambda x: bool(_events(x, EventType.AIR_STRIKE))),
    "dispersed protest": (1, lambda x: bool(_events(x, EventType.PROTEST_WITH_INTERVENTION))),
    "arrest": (1, lambda x: bool(_events(x, EventType.ARREST))),
    "IED": (1, lambda x: bool(_events(x, EventType.BOMBING))),
    "displacement figure": (2, lambda x: any(f.kind is FigureKind.DISPLACED for f in x.figures)),
    "range": (1, lambda x: any(f.qualifier == "between" for f in x.figures)),
    "up to": (1, lambda x: any(f.qualifier == "up to" for f in x.figures)),
    "at least": (3, lambda x: any(f.qualifier == "at least" for f in x.figures)),
    "dozens": (1, lambda x: any(f.qualifier == "dozens" for f in x.figures)),
    "several": (1, lambda x: any(f.qualifier == "several" for f in x.figures)),
    "a goal (SEEKS)": (1, lambda x: any(r.type is RelType.SEEKS and r.must for r in x.relations)),
    "a demand (DEMANDS)": (1, lambda x: any(r.type is RelType.DEMANDS for r in x.relations)),
    "a named person with a role": (5, lambda x: any(p.role and p.must for p in x.people)),
    "a back-reference quote": (2, lambda x: any("added" in (q.note or "") for q in x.quotes)),
    "a quote told to an outlet": (4, lambda x: any(q.reported_by for q in x.quotes)),
    "two or more separate incidents": (3, lambda x: len({
        (e.place, e.date) for e in x.events if e.must and e.part_of is None
        and e.type is not EventType.DISPLACEMENT}) >= 2),
    "an ambiguous place": (2, lambda x: any(i.entity and i.entity.type is EntityType.PLACE
                                            and i.entity.country for i in x.must_not)
                           or "ambiguous_place" in x.features),
    "a negative case": (1, lambda x: x.max_events is not None
                        and not any(e.must for e in x.events)),
    "non-ASCII place names": (4, lambda x: any(not p.name.isascii() for p in x.places)),
}


@pytest.mark.parametrize("case", sorted(COVERAGE))
def test_the_set_covers(case: str) -> None:
    needed, predicate = COVERAGE[case]
    assert _count(predicate) >= needed, f"fewer than {needed} articles with {case}"


def test_the_set_covers_styles_regions_and_relative_dates() -> None:
    exps = valid_expected()
    assert {e.style for e in exps} == set(get_args(Style))
    assert {e.region for e in exps} == set(get_args(Region))
    texts = " | ".join((ev.date_text or "").lower() for e in exps for ev in e.events)
    for phrase in ("on sunday", "last week", "overnight", "monday night", "on 3 march"):
        assert phrase in texts, f"no event dated by {phrase!r}"
