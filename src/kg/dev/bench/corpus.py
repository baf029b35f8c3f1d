"""A deterministic synthetic corpus of English conflict reports, for benchmarks.

Who and where come from the project's own knowledge: armed groups (groups.yaml), outlets
(organisations.yaml media entries), state forces (state_forces.yaml nouns and the demonyms),
towns with their regions and countries (the gazetteer). The wording comes from
`data/corpus.yaml`. Five kinds of report — wire story with a dateline, local news, NGO
bulletin, press release, monitor summary — mix quotes with invented speakers, hedged and
conflicting tolls, claims and attributions, relative and absolute dates. Article `i` of seed
`s` depends only on `(s, i)`, so the same seed gives the same bytes, and no two articles of
one corpus share a text.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import yaml

from kg.errors import KgError
from kg.extract import lexicon
from kg.extract.gazetteer import Gazetteer
from kg.schema import OrganisationKind, PlaceKind

STYLES = ("wire", "local", "ngo", "press_release", "monitor")
# Towns per country to draw from: the largest ones, so the gazetteer resolves them.
TOWNS_PER_COUNTRY = 60
EPOCH = dt.date(2024, 1, 1)
_MONTHS = ("Jan", "Feb", "March", "April", "May", "June", "July", "Aug", "Sept", "Oct", "Nov", "Dec")
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_FORCE_BRANCHES = ("security_forces", "army", "police")


@dataclass(frozen=True)
class Group:
    name: str
    short: str  # an acronym or alias used after the first mention
    generic: str  # how a report describes it without naming it
    countries: tuple[str, ...]


@dataclass(frozen=True)
class Town:
    name: str
    region: str


@dataclass(frozen=True)
class Country:
    code: str
    name: str
    demonym: str
    capital: str
    towns: tuple[Town, ...]
    groups: tuple[Group, ...]


@dataclass(frozen=True)
class Vocabulary:
    countries: tuple[Country, ...]
    outlets: tuple[str, ...]
    force_nouns: dict[str, tuple[str, ...]]  # branch -> nouns that may follow a demonym
    phrasing: dict[str, Any]


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    """The knowledge files, gathered once into what the generator draws from."""
    phrasing = yaml.safe_load((files("kg.dev.bench") / "data" / "corpus.yaml").read_text("utf-8"))
    demonyms = yaml.safe_load((files("kg.extract") / "data" / "demonyms.yaml").read_text("utf-8"))
    first_demonym = {code: words[0] for code, words in demonyms["countries"].items() if words}
    gazetteer = Gazetteer.load()
    by_country: dict[str, list[Group]] = {}
    for entry in lexicon.load_groups():
        # "Suspected jihadists": how a report describes the group without naming it.
        generic = phrasing["generic_by_kind"].get(entry.kind.value, "gunmen")
        group = Group(entry.name, entry.acronyms[0] if entry.acronyms else entry.name,
                      generic, entry.countries)
        for code in entry.countries:
            by_country.setdefault(code, []).append(group)
    towns: dict[str, list[tuple[int, Town]]] = {}
    for place in gazetteer:
        if place.kind is not PlaceKind.CITY or place.country not in by_country or not place.admin1:
            continue
        if place.name in place.unmatched:
            continue
        region = gazetteer.get(place.admin1)
        if region is None:
            continue
        towns.setdefault(place.country, []).append((place.weight, Town(place.name, region.name)))
    countries = []
    for code in sorted(by_country):
        if code not in first_demonym or len(towns.get(code, ())) < 5:
            continue
        country = gazetteer.country(code)
        capital = gazetteer.capital(country)
        ranked = sorted(towns[code], key=lambda wt: (-wt[0], wt[1].name))[:TOWNS_PER_COUNTRY]
        countries.append(Country(code, country.name, first_demonym[code],
                                 capital.name if capital else ranked[0][1].name,
                                 tuple(t for _, t in ranked), tuple(by_country[code])))
    outlets = tuple(o.name for o in lexicon.load_organisations() if o.kind is OrganisationKind.MEDIA)
    forces = lexicon.load_state_forces()
    nouns = {b: tuple(n.noun for n in forces.branches[lexicon.ForceBranch(b)].nouns if n.bare)
             for b in _FORCE_BRANCHES}
    if not countries or not outlets:
        raise KgError("the knowledge files give no country with groups and towns to write about")
    return Vocabulary(tuple(countries), outlets, nouns, phrasing)


class _Writer:
    """Writes one article from its own random stream."""

    def __init__(self, vocab: Vocabulary, rng: random.Random) -> None:
        self.v, self.rng, self.p = vocab, rng, vocab.phrasing

    def pick(self, items: Any) -> Any:
        return self.rng.choice(list(items))

    def person(self) -> tuple[str, str]:
        names = self.p["names"]
        last = self.pick(names["last"]) + self.pick(names["last_end"])
        full = f"{self.pick(names['first'])}{self.pick(names['first_end'])} {last}"
        title = self.pick(names["titles"])
        return (f"{title} {full}" if title else full), last

    def toll(self) -> tuple[int, str]:
        n = self.rng.choice((2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 15, 17, 20, 23, 25, 30, 40, 52))
        victims = self.pick(self.p["victims"])
        if self.rng.random() < 0.08:
            return n, f"{self.pick(self.p['vague'])} {victims}"
        return n, f"{self.pick(self.p['hedges']).format(n=n)} {victims}"

    def when(self, published: dt.date) -> tuple[str, dt.date]:
        back = self.rng.randrange(0, 6)
        day = published - dt.timedelta(days=back)
        choice = self.rng.random()
        if back == 0:
            text = "on " + _WEEKDAYS[day.weekday()] if choice < 0.5 else "earlier today"
        elif back == 1 and choice < 0.3:
            text = "yesterday"
        elif choice < 0.6:
            text = "on " + _WEEKDAYS[day.weekday()]
        elif choice < 0.85:
            text = f"on {day.day} {_MONTHS[day.month - 1]}"
        else:
            text = f"late on {_WEEKDAYS[day.weekday()]}"
        return text, day

    def force(self, country: Country) -> str:
        branch = self.pick(_FORCE_BRANCHES)
        noun = self.pick(self.v.force_nouns[branch])
        if self.rng.random() < 0.2:
            return f"{country.name}'s {noun}"
        return f"{country.demonym} {noun}"

    def fields(self, country: Country, published: dt.date, outlet: str) -> dict[str, str]:
        group = self.pick(country.groups)
        town = self.pick(country.towns)
        n, toll = self.toll()
        n2 = n + self.rng.randrange(3, 30)
        when, day = self.when(published)
        speaker, speaker_short = self.person()
        victims = toll.split()[-1]
        return {
            "group": group.name, "group_short": group.short, "generic": group.generic,
            "force": self.force(country), "town": town.name, "region": town.region,
            "country": country.name, "demonym": country.demonym, "when": when,
            "weekday": _WEEKDAYS[day.weekday()], "target": self.pick(self.p["targets"]),
            "toll": toll, "toll2": f"{n2} {victims}", "wounded": str(self.rng.randrange(2, 40)),
            "outlet": outlet, "speaker": speaker, "speaker_short": speaker_short,
            "displaced": f"{self.rng.randrange(2, 60) * 250:,}",
            "source": self.pick(self.p["toll_sources"]).format(outlet=outlet),
        }

    def fill(self, template: str, f: dict[str, str]) -> str:
        text = template.format_map(f)
        return text[0].upper() + text[1:]

    def incident(self, kind: str, f: dict[str, str], depth: int) -> list[str]:
        """The lead, then up to `depth` follow-ups, in a shuffled but sensible order."""
        spec = self.p["events"][kind]
        out = [self.fill(self.pick(spec["leads"]), f)]
        extras = [self.fill(self.pick(spec["details"]), f)]
        f = {**f, "role": self.fill(self.pick(self.p["roles"]), f)}
        f["role"] = f["role"][0].lower() + f["role"][1:]
        extras.append(self.fill(self.pick(self.p["quotes"]), f))
        if kind != "protest":
            extras.append(self.fill(self.pick(self.p["claims"]), f))
            extras.append(self.fill(self.pick(self.p["conflicting"]), f))
        extras.append(self.fill(self.pick(self.p["wounded"]), f))
        self.rng.shuffle(extras)
        return out + extras[:depth]

    def headline(self, kind: str, f: dict[str, str]) -> str:
        word = self.p["kind_words"][kind]
        toll = f["toll"].split()
        return self.fill(self.pick(self.p["headlines"]), {
            **f, "kind_word": word, "kind_word_cap": word.capitalize(),
            "toll_short": " ".join(toll[:-1])})

    def article(self, index: int, seed: int) -> dict[str, Any]:
        style = self.pick(STYLES)
        country = self.pick(self.v.countries)
        published = EPOCH + dt.timedelta(days=self.rng.randrange(0, 700))
        outlet = self.pick(self.v.outlets)
        kinds = list(self.p["events"])
        kind = self.pick(kinds)
        f = self.fields(country, published, outlet)
        background = [self.fill(self.pick(self.p["background"]), f)]
        if style == "wire":
            dateline = f"{country.capital.upper()}, {_MONTHS[published.month - 1]} {published.day} ({outlet}) - "
            body = self.incident(kind, f, self.rng.randrange(3, 7))
            more = self.fill(self.pick(self.p["background"]), f)
            paragraphs = [dateline + body[0], *body[1:], *dict.fromkeys([*background, more])]
            source = outlet
        elif style == "local":
            body = self.incident(kind, f, self.rng.randrange(2, 6))
            paragraphs = [*body, self.fill(self.pick(self.p["humanitarian"]), f), *background]
            source = f"{f['region']} Today"
        elif style == "ngo":
            paragraphs = [f"Situation update: {f['region']}, {country.name}",
                          self.fill(self.pick(self.p["humanitarian"]), f),
                          *self.incident(kind, f, 2),
                          self.fill(self.pick(self.p["humanitarian"]), f)]
            source = "Humanitarian Situation Bulletin"
        elif style == "press_release":
            f["force"] = f"{country.demonym} security forces"
            paragraphs = [f"Press release - {published.day} {_MONTHS[published.month - 1]} {published.year}",
                          *self.incident(kind, f, 3), *background]
            source = f"Government of {country.name}"
        else:  # monitor: several incidents in one country over a week
            paragraphs = [f"Weekly conflict monitor: {country.name}"]
            for _ in range(self.rng.randrange(2, 5)):
                g = self.fields(country, published, outlet)
                paragraphs.extend(self.incident(self.pick(kinds), g, 1))
            paragraphs.extend(background)
            source = "Conflict Monitor"
        title = self.headline(kind, f)
        return {
            "id": f"synthetic-{seed}-{index:07d}",
            "url": f"https://bench.example.org/{seed}/{index}",
            "title": title,
            "text": title + "\n\n" + "\n".join(paragraphs),
            "published": published.isoformat(),
            "source": source,
        }


def generate(articles: int, seed: int = 1) -> Iterator[dict[str, Any]]:
    """`articles` JSON-ready records; article `i` depends only on `(seed, i)` and no text repeats."""
    vocab = vocabulary()
    seen: set[bytes] = set()
    for index in range(articles):
        for attempt in range(100):
            rng = random.Random(f"{seed}/{index}/{attempt}")
            record = _Writer(vocab, rng).article(index, seed)
            digest = hashlib.blake2b(record["text"].encode(), digest_size=12).digest()
            if digest not in seen:
                seen.add(digest)
                break
        else:
            raise KgError(f"could not write a new article #{index} in 100 tries")
        yield record


def write_corpus(articles: int, seed: int, out: Path) -> Path:
    """Write the corpus as JSON Lines to `out` (a `.jsonl` file, or a directory that gets
    `corpus-<articles>-<seed>.jsonl`); returns the file written."""
    if out.suffix != ".jsonl":
        out.mkdir(parents=True, exist_ok=True)
        out = out / f"corpus-{articles}-{seed}.jsonl"
    else:
        out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="\n") as stream:
        for record in generate(articles, seed):
            stream.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
    return out
