"""The offline gazetteer: countries, first-level regions and towns, with coordinates.

The data file `data/gazetteer.jsonl.gz` is built by `scripts/build_gazetteer.py` from
GeoNames-derived packages (see `data/gazetteer.meta.json` for sources and licences);
`data/demonyms.yaml` maps adjectives such as "Pakistani" to countries. Both are loaded
once per process, on first use, by `Gazetteer.load()`.

Lookups are exact after normalisation (case, diacritics, apostrophes, hyphens), never
fuzzy: a place name either is in the gazetteer or it is not. Candidates come back in
order of a prior (country > region > town, then size), and `resolve` prefers places
in the countries an article already mentions.
"""

from __future__ import annotations

import gzip
import json
import re
import threading
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, fields
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from kg.errors import KgError
from kg.schema import GeoPrecision, PlaceKind

DATA_FILE = "gazetteer.jsonl.gz"
META_FILE = "gazetteer.meta.json"
DEMONYMS_FILE = "demonyms.yaml"

# Letters NFKD leaves alone, and punctuation variants that news text mixes freely.
_FOLD_TABLE = str.maketrans(
    {
        "ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ħ": "h", "Ħ": "H",
        "ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ı": "i", "ð": "d",
        "Ð": "D", "þ": "th", "Þ": "Th", "ŀ": "l",
        "ʻ": "'", "ʼ": "'", "ʾ": "'", "ʿ": "'", "’": "'", "‘": "'", "`": "'", "´": "'",
        "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-",
    }
)  # fmt: skip
_SEPARATORS = re.compile(r"[\s\-_/]+")

_KIND_RANK = {PlaceKind.COUNTRY: 0, PlaceKind.ADMIN_REGION: 1, PlaceKind.CITY: 2}
# An alias match counts for a tenth of a primary-name match: "Bombay" is still Mumbai
# rather than a small town whose own name is Bombay.
_ALIAS_DISCOUNT = 10
# Outside the article's countries, a town matched only by an alias must be this large.
_CONFIDENT_WEIGHT = 100_000


class GazetteerError(KgError):
    """The gazetteer data files are missing or malformed; rebuild them with the script."""


def ascii_fold(text: str) -> str:
    """Strip diacritics but keep case and punctuation: "Ségou" → "Segou"."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD_TABLE))
    return unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if not unicodedata.combining(c))
    )


@lru_cache(maxsize=65536)  # every capitalised word of every article is looked up
def normalise(name: str) -> str:
    """The lookup key of a place name: folded, lower-case, apostrophes and dots dropped.

    "Ma'rib" and "Marib", "Deir ez-Zor" and "Deir ez Zor", "U.S." and "US" share a key.
    """
    text = name.casefold() if name.isascii() else ascii_fold(name).casefold()
    text = text.replace("'", "").replace("`", "").replace(".", "")
    return _SEPARATORS.sub(" ", text).strip()


# A skeleton shorter than this matches too many unrelated names ("Kada" is "kd").
_SKELETON_MIN = 5
_NOT_LETTERS = re.compile(r"[^a-z]")
_VOWELS = re.compile(r"[aeiouy]")
_DOUBLED = re.compile(r"(.)\1+")


def skeleton(name: str) -> str:
    """The consonants of a name after its first letter, doubled letters once: the part of a
    transliterated name that stays put ("Timbouktou", "Timbuktu" → "tmbkt")."""
    letters = _NOT_LETTERS.sub("", normalise(name))
    if not letters:
        return ""
    return _DOUBLED.sub(r"\1", letters[0] + _VOWELS.sub("", letters[1:]))


@dataclass(frozen=True, slots=True)
class Place:
    """One gazetteer record. Ids are "geonames:<id>", or "iso3166-2:<code>" without one."""

    id: str
    name: str
    kind: PlaceKind
    country: str | None  # ISO 3166-1 alpha-2; a country's own code for a country
    admin1: str | None = None  # id of the first-level region a town lies in
    parent: str | None = None  # id of the enclosing record: region, else country
    lat: float | None = None
    lon: float | None = None
    population: int | None = None  # GeoNames population (countries and towns only)
    aliases: tuple[str, ...] = ()
    capital_of: tuple[str, ...] = ()  # ids of the country / region this town is the seat of
    code: str | None = None  # ISO 3166-1 alpha-2 or ISO 3166-2 code
    feature: str | None = None  # GeoNames feature code of a town (PPLC, PPLA, PPLA2, PPL…)
    weight: int = 0  # the size prior: population; for regions, the sum of their towns'
    unmatched: tuple[str, ...] = ()  # names too common in English to find in running text
    preferred: tuple[str, ...] = ()  # aliases that count as primary names (curated)

    @property
    def names(self) -> tuple[str, ...]:
        """The name then every alias."""
        return (self.name, *self.aliases)

    @property
    def precision(self) -> GeoPrecision:
        """How precisely an event placed here is located."""
        if self.kind is PlaceKind.COUNTRY:
            return GeoPrecision.COUNTRY
        if self.kind is PlaceKind.ADMIN_REGION:
            return GeoPrecision.ADMIN_REGION
        return GeoPrecision.EXACT

    @property
    def match_names(self) -> tuple[str, ...]:
        """Names worth matching in running text: all names but the common-word ones."""
        skip = set(self.unmatched)
        return tuple(n for n in self.names if n not in skip)

    def to_row(self) -> list[Any]:
        """The JSON array this record is stored as, fields in declaration order."""
        return [
            self.id, self.name, self.kind.value, self.country, self.admin1, self.parent,
            self.lat, self.lon, self.population, list(self.aliases), list(self.capital_of),
            self.code, self.feature, self.weight, list(self.unmatched), list(self.preferred),
        ]  # fmt: skip

    @classmethod
    def from_row(cls, row: list[Any]) -> Place:
        return cls(
            row[0], row[1], PlaceKind(row[2]), row[3], row[4], row[5], row[6], row[7],
            row[8], tuple(row[9]), tuple(row[10]), row[11], row[12], row[13],
            tuple(row[14]), tuple(row[15]),
        )  # fmt: skip


FIELDS = tuple(f.name for f in fields(Place))
FORMAT = "kg-gazetteer"
FORMAT_VERSION = 3


def encode(places: Sequence[Place]) -> Iterator[str]:
    """The lines of a gazetteer file: a header, one JSON array per place, the index, the
    names for a phrase matcher, and the rows by name skeleton (`spelling_variant`).

    The index maps each normalised name to the rows that bear it (a row number for a
    primary name, its bitwise complement for an alias) and each seat to its towns, so
    that loading parses no more than it must; the last two lines are parsed on first use.
    """
    names: dict[str, list[int]] = {}
    capitals: dict[str, list[int]] = {}
    for row, place in enumerate(places):
        primary = {normalise(n) for n in (place.name, *place.preferred)}
        seen: set[str] = set()
        for name in place.names:
            key = normalise(name)
            if key and key not in seen:
                seen.add(key)
                names.setdefault(key, []).append(row if key in primary else ~row)
        for seat_of in place.capital_of:
            capitals.setdefault(seat_of, []).append(row)
    header = {"format": FORMAT, "version": FORMAT_VERSION, "fields": FIELDS,
              "records": len(places)}  # fmt: skip
    yield _dumps(header)
    for place in places:
        yield _dumps(place.to_row())
    yield _dumps({"names": dict(sorted(names.items())), "capitals": dict(sorted(capitals.items()))})
    yield _dumps(list(_match_names(places)))
    skeletons: dict[str, set[int]] = {}
    for key, rows in names.items():
        skeletons.setdefault(skeleton(key), set()).update(r if r >= 0 else ~r for r in rows)
    yield _dumps({k: sorted(v) for k, v in sorted(skeletons.items()) if len(k) >= _SKELETON_MIN})


def _match_names(places: Iterable[Place]) -> Iterator[str]:
    seen: set[str] = set()
    for place in places:
        for name in place.match_names:
            if name not in seen and name[:1].isupper():
                seen.add(name)
                yield name


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _data_dir() -> Path:
    return Path(str(resources.files("kg.extract") / "data"))


def _town_first(town: tuple[Place, bool], region: Place) -> bool:
    """Whether a bare name shared by a town and a region of its country means the town.

    It does when the town bears the name as its own, is the region's seat, or is big
    for the region; not when a small town merely lists the region's name as an alias
    ("Sinaloa" is the state, not Sinaloa de Leyva).
    """
    place, primary = town
    return (
        primary or region.id in place.capital_of or place.weight * _ALIAS_DISCOUNT >= region.weight
    )


class Gazetteer:
    """Places by id, by name and by demonym. Get the packaged one with `Gazetteer.load()`.

    Records are parsed on first access: loading reads the index, not every place.
    """

    _default: Gazetteer | None = None
    _lock = threading.Lock()

    def __init__(self, lines: list[str], demonyms: dict[str, list[str]]) -> None:
        """From the lines of a gazetteer file (see `encode`); use `load` or `from_places`."""
        try:
            header = json.loads(lines[0])
            if (
                header.get("format") != FORMAT
                or header.get("version") != FORMAT_VERSION
                or tuple(header.get("fields", ())) != FIELDS
            ):
                raise ValueError("unknown format, version or fields")
            count = int(header["records"])
            index = json.loads(lines[count + 1])
            self._match_line = lines[count + 2]
            self._skeleton_line = lines[count + 3]
            self._rows = lines[1 : count + 1]
            # Ids never need escaping, so a row starts with '["<id>",'.
            self._ids = {row[2 : row.index('"', 2)]: i for i, row in enumerate(self._rows)}
        except (ValueError, KeyError, IndexError, TypeError) as exc:
            raise GazetteerError(
                f"not a gazetteer file of version {FORMAT_VERSION}: {exc}"
            ) from exc
        self._places: list[Place | None] = [None] * count
        self._names: dict[str, list[int]] = index["names"]
        self._capitals: dict[str, list[int]] = index["capitals"]
        self._codes: dict[str, int] = {}
        for i in range(count):  # countries and regions come first
            place = self._place(i)
            if place.kind is PlaceKind.CITY:
                break
            if place.code:
                self._codes[place.code.upper()] = i
        self._demonyms = {normalise(word): codes for word, codes in demonyms.items()}
        self._demonym_words = tuple(sorted(demonyms))
        self._ordered: dict[str, list[tuple[Place, bool]]] = {}
        self._skeletons: dict[str, list[int]] | None = None  # parsed on first use

    @classmethod
    def from_places(
        cls, places: Iterable[Place], demonyms: dict[str, list[str]] | None = None
    ) -> Gazetteer:
        """A gazetteer over these places, in memory (tests, the build script)."""
        ordered = sorted(places, key=lambda p: _KIND_RANK.get(p.kind, 3))
        return cls(list(encode(ordered)), demonyms or {})

    # -- loading ---------------------------------------------------------------------

    @classmethod
    def load(cls, data_dir: Path | None = None) -> Gazetteer:
        """The gazetteer from the packaged data files, read once per process.

        Pass `data_dir` to read another build (not cached).
        """
        if data_dir is not None:
            return cls._read(data_dir)
        if cls._default is None:
            with cls._lock:
                if cls._default is None:
                    cls._default = cls._read(_data_dir())
        return cls._default

    @classmethod
    def _read(cls, data_dir: Path) -> Gazetteer:
        path = data_dir / DATA_FILE
        try:
            text = gzip.decompress(path.read_bytes()).decode("utf-8")
        except FileNotFoundError as exc:
            raise GazetteerError(
                f"{path} is missing: run `python scripts/build_gazetteer.py` to build it"
            ) from exc
        except (OSError, EOFError, UnicodeDecodeError) as exc:
            raise GazetteerError(f"{path} is not a valid gazetteer file: {exc}") from exc
        # Not splitlines(): names may hold U+2028 or U+0085, which JSON leaves unescaped.
        return cls(text.split("\n"), load_demonyms(data_dir / DEMONYMS_FILE))

    def _place(self, row: int) -> Place:
        place = self._places[row]
        if place is None:
            place = self._places[row] = Place.from_row(json.loads(self._rows[row]))
        return place

    # -- access ----------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._rows)

    def __iter__(self) -> Iterator[Place]:
        return (self._place(i) for i in range(len(self._rows)))

    def get(self, place_id: str) -> Place | None:
        """The record with this id ("geonames:1167528"), or None."""
        row = self._ids.get(place_id)
        return None if row is None else self._place(row)

    def by_code(self, code: str) -> Place | None:
        """The country ("PK") or region ("PK-BA") with this ISO 3166 code, or None."""
        row = self._codes.get(code.upper())
        return None if row is None else self._place(row)

    def country(self, iso2: str) -> Place:
        """The country with this ISO 3166-1 alpha-2 code; raises GazetteerError if unknown."""
        place = self.by_code(iso2)
        if place is None or place.kind is not PlaceKind.COUNTRY:
            raise GazetteerError(f"no country with ISO code {iso2!r} in the gazetteer")
        return place

    def parents(self, place: Place) -> list[Place]:
        """The enclosing records, nearest first, up to and including the country."""
        chain: list[Place] = []
        current: Place | None = place
        while current is not None and current.parent and len(chain) < 5:
            current = self.get(current.parent)
            if current is not None:
                chain.append(current)
        return chain

    def capital(self, place: Place) -> Place | None:
        """The seat of a country or region (the largest if the data lists several)."""
        seats = [self._place(i) for i in self._capitals.get(place.id, ())]
        return max(seats, key=lambda p: (p.weight, p.id), default=None)

    # -- names -----------------------------------------------------------------------

    def lookup(self, name: str, kind: PlaceKind | str | None = None) -> list[Place]:
        """Every place called `name` (exact after normalisation), most likely first.

        The prior: countries, then regions, then towns, each by size, an alias match
        counting a tenth of a primary name. A town that shares its name with a region
        of its country comes before that region when it is the region's namesake or
        seat: a bare "Kano" or "Aleppo" is the city.
        """
        return [place for place, _ in self._candidates(name, kind)]

    def _candidates(
        self, name: str, kind: PlaceKind | str | None = None
    ) -> list[tuple[Place, bool]]:
        key = normalise(name)
        ordered = self._ordered.get(key)
        if ordered is None:
            matches = [
                (self._place(i), True) if i >= 0 else (self._place(~i), False)
                for i in self._names.get(key, ())
            ]
            ordered = self._ordered[key] = self._order(matches)
        if kind is None:
            return list(ordered)
        wanted = PlaceKind(kind)
        return [m for m in ordered if m[0].kind is wanted]

    @staticmethod
    def _order(matches: list[tuple[Place, bool]]) -> list[tuple[Place, bool]]:
        def prior(match: tuple[Place, bool]) -> tuple[int, int, str]:
            place, primary = match
            weight = place.weight if primary else place.weight // _ALIAS_DISCOUNT
            return (_KIND_RANK.get(place.kind, 3), -weight, place.id)

        ordered = sorted(matches, key=prior)
        for region, _ in [m for m in ordered if m[0].kind is PlaceKind.ADMIN_REGION]:
            town = next(
                (m for m in ordered
                 if m[0].kind is PlaceKind.CITY and m[0].country == region.country),
                None,
            )  # fmt: skip
            if town is None or not _town_first(town, region):
                continue
            at = next(i for i, m in enumerate(ordered) if m[0] is region)
            if ordered.index(town) > at:
                ordered.remove(town)
                ordered.insert(at, town)
        return ordered

    def resolve(
        self,
        name: str,
        context_countries: Sequence[str] = (),
        *,
        kind: PlaceKind | str | None = None,
        within: Sequence[str] = (),
    ) -> Place | None:
        """The one place `name` most likely means in an article, or None if unknown.

        Candidates inside a region already placed (`within`: region ids) win, then
        candidates in the article's countries (`context_countries`: ISO alpha-2), then
        the prior of `lookup`. When the article's countries are known and none has a
        candidate, only a confident one is returned (a country, a region, a primary
        name or a large town), not a small town abroad that happens to have the name
        as one of its aliases.
        """
        candidates = self._candidates(name, kind)
        if not candidates:
            return None
        regions = set(within)
        if regions:
            for place, _ in candidates:
                if place.admin1 in regions or place.parent in regions:
                    return place
        countries = {c.upper() for c in context_countries}
        for place, _ in candidates:
            if place.country in countries:
                return place
        if not countries:
            return candidates[0][0]
        for place, primary in candidates:
            if primary or place.kind is not PlaceKind.CITY or place.weight >= _CONFIDENT_WEIGHT:
                return place
        return None

    def spelling_variant(self, name: str, countries: Sequence[str]) -> Place | None:
        """The one place of these countries written like `name` save for vowels, doubled
        letters and separators ("Timbouktou" / "Timbuktu"): transliterations from
        Arabic, Persian, Pashto or Hausa differ in exactly these. A short skeleton, or two
        places that share it, give None: a guess is worse than an unknown locality."""
        key = skeleton(name)
        if len(key) < _SKELETON_MIN or not countries:
            return None
        if self._skeletons is None:
            self._skeletons = json.loads(self._skeleton_line)
        wanted = {c.upper() for c in countries}
        found = {place.id: place for place in (self._place(r) for r in self._skeletons.get(key, ()))
                 if place.country in wanted}
        return next(iter(found.values())) if len(found) == 1 else None

    def names(self) -> Iterator[str]:
        """Distinct names and aliases worth matching in running text (original case).

        Leaves out names that are common English words ("Mobile", "Split", "Nice") and
        lower-case-initial forms: the matcher runs on original case, so a place name
        must be capitalised to match.
        """
        names: list[str] = json.loads(self._match_line)
        return iter(names)

    # -- demonyms --------------------------------------------------------------------

    def demonym(self, word: str) -> Place | None:
        """The country an adjective or demonym refers to: "Pakistani" → Pakistan.

        A shared demonym ("Congolese") gives its usual reading; see `demonym_countries`.
        """
        countries = self.demonym_countries(word)
        return countries[0] if countries else None

    def demonym_countries(self, word: str) -> list[Place]:
        """Every country a demonym may refer to, the usual reading first."""
        codes = self._demonyms.get(normalise(word), [])
        return [p for p in (self.by_code(c) for c in codes) if p is not None]

    def demonyms(self) -> tuple[str, ...]:
        """Every demonym, for a phrase matcher (original case)."""
        return self._demonym_words


_PLURAL_ENDINGS = ("an", "i", "o", "er", "ite", "ot")


def load_demonyms(path: Path) -> dict[str, list[str]]:
    """Demonym → ISO codes, from `demonyms.yaml`, with regular plurals added.

    "Afghan" also gives "Afghans"; "-ese", "-ish", "-ch" and "-man" forms get none.
    A word listed under several countries takes the order given in `shared`.
    """
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise GazetteerError(f"cannot read demonyms from {path}: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("countries"), dict):
        raise GazetteerError(f"{path}: expected a mapping with a 'countries' section")
    table: dict[str, list[str]] = {}

    def add(word: str, code: str) -> None:
        codes = table.setdefault(word, [])
        if code not in codes:
            codes.append(code)

    for code, words in data["countries"].items():
        if not (isinstance(code, str) and len(code) == 2 and code.isupper()):
            raise GazetteerError(f"{path}: {code!r} is not an ISO 3166-1 alpha-2 code")
        for word in words or ():
            add(word, code)
            # "Sri Lankans", not "South Sudaneses" nor "Frenchmans"
            if word.endswith(_PLURAL_ENDINGS) and not word.endswith("man"):
                add(word + "s", code)
    for word, codes in (data.get("shared") or {}).items():
        ordered = [c for c in codes if c in table.get(word, [])]
        table[word] = ordered + [c for c in table.get(word, []) if c not in ordered]
        plural = word + "s"
        if plural in table:
            table[plural] = ordered + [c for c in table[plural] if c not in ordered]
    return table
