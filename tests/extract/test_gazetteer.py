"""The offline gazetteer: the packaged data, lookups, hierarchy, disambiguation, demonyms."""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import time
from pathlib import Path

import pytest
import yaml

from kg.extract.gazetteer import (
    DATA_FILE,
    DEMONYMS_FILE,
    META_FILE,
    Gazetteer,
    GazetteerError,
    Place,
    load_demonyms,
    normalise,
    skeleton,
)
from kg.schema import PlaceKind

DATA_DIR = Path(__file__).resolve().parents[2] / "src" / "kg" / "extract" / "data"


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    """The packaged gazetteer, as the extractor gets it."""
    return Gazetteer.load()


def test_load_time_is_reported(capsys: pytest.CaptureFixture[str]) -> None:
    """Loads the data afresh and prints how long it took: reported, not asserted."""
    started = time.perf_counter()
    gazetteer = Gazetteer.load(DATA_DIR)
    elapsed = time.perf_counter() - started
    with capsys.disabled():
        print(f"\ngazetteer: {len(gazetteer)} places loaded in {elapsed:.2f} s")
    assert len(gazetteer) > 0


def region_code(gaz: Gazetteer, place: Place) -> str | None:
    region = gaz.get(place.admin1) if place.admin1 else None
    return region.code if region else None


# -- the data file -----------------------------------------------------------------


def test_meta_describes_the_data_file(gaz: Gazetteer) -> None:
    meta = json.loads((DATA_DIR / META_FILE).read_text(encoding="utf-8"))
    raw = (DATA_DIR / DATA_FILE).read_bytes()
    assert meta["sha256"] == hashlib.sha256(raw).hexdigest()
    assert meta["records"] == len(gaz)
    kinds: dict[str, int] = {}
    for place in gaz:
        kinds[place.kind.value] = kinds.get(place.kind.value, 0) + 1
    assert meta["counts"] == kinds
    assert kinds["country"] >= 245
    assert kinds["admin_region"] >= 3500
    assert kinds["city"] >= 30000
    assert len(raw) < 6_000_000, "the gazetteer should stay a few MB"
    for source in meta["sources"]:
        assert source["version"] and source["licence"], source


def test_records_are_sorted_and_well_formed(gaz: Gazetteer) -> None:
    kind_order = {PlaceKind.COUNTRY: 0, PlaceKind.ADMIN_REGION: 1, PlaceKind.CITY: 2}
    places = list(gaz)
    keys = [(kind_order[p.kind], p.country or "", p.id) for p in places]
    assert keys == sorted(keys)
    id_pattern = re.compile(r"^(geonames:\d+|iso3166-2:[A-Z]{2}-[A-Z0-9]+)$")
    countries = {p.code for p in places if p.kind is PlaceKind.COUNTRY}
    for place in places:
        assert id_pattern.match(place.id), place.id
        assert place.country in countries, place
        if place.kind is PlaceKind.COUNTRY:
            assert place.parent is None and place.code == place.country
        else:
            parent = gaz.get(place.parent or "")
            assert parent is not None and parent.country == place.country, place
        if place.admin1:
            region = gaz.get(place.admin1)
            assert region is not None and region.kind is PlaceKind.ADMIN_REGION
        assert place.name not in place.aliases


def test_coordinates(gaz: Gazetteer) -> None:
    places = list(gaz)
    for place in places:
        # Every town, and every inhabited country (not Antarctica or Bouvet Island).
        if place.kind is PlaceKind.CITY or place.population:
            assert place.lat is not None and place.lon is not None, place
        if place.lat is not None and place.lon is not None:
            assert -90 <= place.lat <= 90 and -180 <= place.lon <= 180
    regions = [p for p in places if p.kind is PlaceKind.ADMIN_REGION]
    located = [p for p in regions if p.lat is not None]
    assert len(located) / len(regions) > 0.98
    quetta = gaz.resolve("Quetta")
    assert quetta is not None and quetta.lat is not None and quetta.lon is not None
    assert abs(quetta.lat - 30.18) < 0.1 and abs(quetta.lon - 67.0) < 0.1
    # A country on the equator keeps its zero latitude.
    gabon = gaz.country("GA")
    assert gabon.lat is not None and abs(gabon.lat) < 2


def test_overrides_refer_to_records_that_exist(gaz: Gazetteer) -> None:
    overrides = yaml.safe_load((DATA_DIR / "gazetteer_overrides.yaml").read_text("utf-8"))
    for key, aliases in overrides["aliases"].items():
        place = gaz.get(key) if ":" in key else gaz.by_code(key)
        assert place is not None, key
        for alias in aliases:
            assert alias in place.names, (key, alias)
    for key, name in overrides["names"].items():
        place = gaz.get(key) if ":" in key else gaz.by_code(key)
        assert place is not None and place.name == name


# -- lookups and hierarchy ---------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "country", "region"),
    [
        # South Asia
        ("Quetta", "PK", "PK-BA"),
        ("Peshawar", "PK", "PK-KP"),
        ("Karachi", "PK", "PK-SD"),
        ("Kabul", "AF", "AF-KAB"),
        ("Kandahar", "AF", "AF-KAN"),
        ("Dhaka", "BD", None),
        # Sahel and West Africa
        ("Maiduguri", "NG", "NG-BO"),
        ("Gao", "ML", "ML-7"),
        ("Ménaka", "ML", "ML-9"),
        ("Kidal", "ML", "ML-8"),
        ("Djibo", "BF", "BF-12"),
        ("Niamey", "NE", "NE-8"),
        ("Agadez", "NE", "NE-1"),
        # Great Lakes
        ("Goma", "CD", "CD-NK"),
        ("Bukavu", "CD", "CD-SK"),
        ("Bunia", "CD", "CD-IT"),
        ("Bujumbura", "BI", None),
        ("Kigali", "RW", None),
        # Horn of Africa
        ("Mogadishu", "SO", "SO-BN"),
        ("Kismayo", "SO", "SO-JH"),
        ("Mekelle", "ET", "ET-TI"),
        ("El Fasher", "SD", "SD-DN"),
        # Middle East
        ("Aleppo", "SY", "SY-HL"),
        ("Deir ez-Zor", "SY", "SY-DY"),
        ("Mosul", "IQ", "IQ-NI"),
        ("Erbil", "IQ", "IQ-AR"),
        ("Sanaa", "YE", None),
        ("Hodeidah", "YE", "YE-HU"),
        ("Gaza", "PS", None),
        ("Zahedan", "IR", "IR-11"),
        # Southeast Asia
        ("Sittwe", "MM", "MM-16"),
        ("Marawi", "PH", None),
        # Latin America
        ("Culiacán", "MX", "MX-SIN"),
        ("Medellín", "CO", "CO-ANT"),
        ("Port-au-Prince", "HT", None),
        # Europe
        ("Kharkiv", "UA", "UA-63"),
        ("Bakhmut", "UA", "UA-14"),
        ("Kyiv", "UA", None),
        ("Pristina", "XK", None),
    ],
)
def test_towns_across_regions(gaz: Gazetteer, name: str, country: str, region: str | None) -> None:
    place = gaz.resolve(name)
    assert place is not None, name
    assert place.kind is PlaceKind.CITY
    assert place.country == country
    if region is not None:
        assert region_code(gaz, place) == region
    chain = gaz.parents(place)
    assert chain[-1] == gaz.country(country)
    assert all(p.kind is not PlaceKind.CITY for p in chain)


def test_parents_walk_up_to_the_country(gaz: Gazetteer) -> None:
    quetta = gaz.resolve("Quetta")
    assert quetta is not None
    assert [p.name for p in gaz.parents(quetta)] == ["Balochistan", "Pakistan"]
    erbil = gaz.resolve("Erbil")  # ISO nests Erbil governorate in the Kurdistan Region
    assert erbil is not None
    assert [p.code for p in gaz.parents(erbil)] == ["IQ-AR", "IQ-KR", "IQ"]
    assert gaz.parents(gaz.country("PK")) == []


def test_regions_and_countries(gaz: Gazetteer) -> None:
    balochistan = gaz.resolve("Balochistan")
    assert balochistan is not None and balochistan.code == "PK-BA"
    assert balochistan.kind is PlaceKind.ADMIN_REGION
    assert gaz.by_code("PK-BA") == balochistan
    for name, code in [
        ("Khyber Pakhtunkhwa", "PK-KP"),
        ("KPK", "PK-KP"),
        ("Borno", "NG-BO"),
        ("Borno State", "NG-BO"),
        ("North Kivu", "CD-NK"),
        ("Nord-Kivu", "CD-NK"),
        ("Tigray", "ET-TI"),
        ("Kharkiv Oblast", "UA-63"),
        ("Sistan and Baluchestan", "IR-11"),
        ("Cabo Delgado", "MZ-P"),
        ("Rakhine", "MM-16"),
        ("Sinaloa", "MX-SIN"),
    ]:
        place = gaz.resolve(name)
        assert place is not None and place.code == code, (name, place)
    for name, code in [("Pakistan", "PK"), ("DRC", "CD"), ("Burma", "MM"),
                       ("Ivory Coast", "CI"), ("Palestine", "PS"), ("Kosovo", "XK")]:  # fmt: skip
        place = gaz.resolve(name)
        assert place is not None and place.kind is PlaceKind.COUNTRY and place.code == code


def test_lookup_ignores_case_diacritics_and_punctuation(gaz: Gazetteer) -> None:
    menaka = gaz.lookup("Ménaka")[0]
    assert gaz.lookup("MENAKA")[0] == menaka
    assert gaz.lookup("menaka")[0] == menaka
    marib = gaz.resolve("Marib")
    assert marib is not None and marib == gaz.resolve("Ma'rib") == gaz.resolve("Ma’rib")
    assert gaz.resolve("Deir ez Zor") == gaz.resolve("Deir ez-Zor")
    assert gaz.resolve("Kiev") == gaz.resolve("Kyiv")
    assert gaz.lookup("Atlantis of the Sands") == []
    assert gaz.resolve("Atlantis of the Sands") is None


def test_normalise() -> None:
    assert normalise("  Ségou ") == "segou"
    assert normalise("Deir ez-Zor") == normalise("deir  ez zor") == "deir ez zor"
    assert normalise("U.S.") == "us"
    assert normalise("Łódź") == "lodz"
    assert normalise("Ma‘rib") == normalise("Ma'rib") == "marib"


def test_prior_orders_candidates(gaz: Gazetteer) -> None:
    # A country before a region or a town of the same name.
    assert gaz.lookup("Georgia")[0].code == "GE"
    assert gaz.lookup("Niger")[0].code == "NE"
    # Between regions, the larger: Pakistan's Punjab before India's.
    punjabs = gaz.lookup("Punjab", kind=PlaceKind.ADMIN_REGION)
    assert [p.code for p in punjabs[:2]] == ["PK-PB", "IN-PB"]
    # A town named like the region it is the seat of comes before the region.
    kano = gaz.lookup("Kano")
    assert kano[0].kind is PlaceKind.CITY and kano[0].country == "NG"
    assert kano[1].code == "NG-KN"
    assert gaz.lookup("Kano", kind="admin_region")[0].code == "NG-KN"
    # ... but a small town that merely lists the region's name as an alias does not.
    assert gaz.lookup("Sinaloa")[0].code == "MX-SIN"
    # Between towns, the larger: Mali's Gao before Burkina Faso's.
    gaos = gaz.lookup("Gao", kind=PlaceKind.CITY)
    assert [p.country for p in gaos[:2]] == ["ML", "BF"]


def test_resolve_prefers_the_article_countries(gaz: Gazetteer) -> None:
    gao = gaz.resolve("Gao", ["BF"])
    assert gao is not None and gao.country == "BF"
    assert gaz.resolve("Punjab", ["IN"]) == gaz.by_code("IN-PB")
    congo = gaz.resolve("Congo", ["CG"])
    assert congo is not None and congo.code == "CG"
    # "Balochistan" is Pakistan's province whatever the context: Iran's province is
    # found only by its own name.
    assert gaz.resolve("Balochistan", ["PK"]) == gaz.by_code("PK-BA")
    assert gaz.resolve("Balochistan", ["IR"]) == gaz.by_code("PK-BA")
    assert gaz.resolve("Sistan and Baluchestan", ["IR"]) == gaz.by_code("IR-11")
    # Inside a region already named, a town there wins.
    kivu = gaz.by_code("CD-NK")
    assert kivu is not None
    beni = gaz.resolve("Beni", ["CD"], within=[kivu.id])
    assert beni is not None and beni.admin1 == kivu.id


def test_capitals(gaz: Gazetteer) -> None:
    pakistan = gaz.country("PK")
    islamabad = gaz.capital(pakistan)
    assert islamabad is not None and islamabad.name == "Islamabad"
    assert pakistan.id in islamabad.capital_of
    balochistan = gaz.by_code("PK-BA")
    assert balochistan is not None
    quetta = gaz.capital(balochistan)
    assert quetta is not None and quetta.name == "Quetta"
    assert balochistan.id in quetta.capital_of
    borno = gaz.by_code("NG-BO")
    assert borno is not None
    maiduguri = gaz.capital(borno)
    assert maiduguri is not None and maiduguri.name == "Maiduguri"
    mali = gaz.capital(gaz.country("ML"))
    assert mali is not None and mali.name == "Bamako"


def test_country_raises_for_unknown_codes(gaz: Gazetteer) -> None:
    assert gaz.country("pk").code == "PK"
    with pytest.raises(GazetteerError):
        gaz.country("ZZ")
    assert gaz.by_code("ZZ-XX") is None
    assert gaz.get("geonames:0") is None


# -- names for the phrase matcher --------------------------------------------------


def test_names_for_the_matcher(gaz: Gazetteer) -> None:
    names = set(gaz.names())
    for wanted in ["Pakistan", "Balochistan", "Quetta", "Khyber Pakhtunkhwa", "Maiduguri",
                   "Goma", "Kharkiv", "Gao", "Menaka", "Ménaka", "Gaza", "London", "Chad"]:  # fmt: skip
        assert wanted in names, wanted
    # Common English words are never matched in running text, though lookup finds them.
    for word in ["Of", "Mobile", "Reading", "Split", "Nice", "Bath", "Police",
                 "Independence", "Progress", "Victoria", "Sahel", "Toyota"]:  # fmt: skip
        assert word not in names, word
        assert gaz.lookup(word), word
    assert all(name[:1].isupper() for name in names)
    assert len(names) > 50000


# -- demonyms ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "code"),
    [
        ("Pakistani", "PK"), ("Pakistanis", "PK"), ("Iranian", "IR"), ("Nigerian", "NG"),
        ("Nigerien", "NE"), ("Burkinabe", "BF"), ("Burkinabè", "BF"), ("Congolese", "CD"),
        ("Malian", "ML"), ("Somali", "SO"), ("Ethiopian", "ET"), ("Sudanese", "SD"),
        ("South Sudanese", "SS"), ("Yemeni", "YE"), ("Syrian", "SY"), ("Iraqi", "IQ"),
        ("Afghan", "AF"), ("Afghans", "AF"), ("Indian", "IN"), ("Burmese", "MM"),
        ("Myanmar", "MM"), ("Filipino", "PH"), ("Philippine", "PH"), ("Colombian", "CO"),
        ("Mexican", "MX"), ("Ukrainian", "UA"), ("Russian", "RU"), ("Israeli", "IL"),
        ("Palestinian", "PS"), ("Lebanese", "LB"), ("Chinese", "CN"), ("German", "DE"),
        ("Norwegian", "NO"), ("Frenchmen", "FR"), ("Poles", "PL"), ("Korean", "KR"),
    ],
)  # fmt: skip
def test_demonyms(gaz: Gazetteer, word: str, code: str) -> None:
    place = gaz.demonym(word)
    assert place is not None and place.code == code
    assert gaz.demonym(word.upper()) == place


def test_shared_demonyms_list_every_reading(gaz: Gazetteer) -> None:
    assert [p.code for p in gaz.demonym_countries("Congolese")] == ["CD", "CG"]
    assert [p.code for p in gaz.demonym_countries("Korean")] == ["KR", "KP"]
    assert gaz.demonym("Baloch") is None  # an ethnic name, not a country's
    assert gaz.demonym("Frenchmans") is None  # no plural of a plural


def test_every_populated_country_has_a_demonym(gaz: Gazetteer) -> None:
    covered = {p.code for word in gaz.demonyms() for p in gaz.demonym_countries(word)}
    missing = [
        p.code for p in gaz
        if p.kind is PlaceKind.COUNTRY and (p.population or 0) >= 20_000 and p.code not in covered
    ]  # fmt: skip
    assert missing == []


# -- the format and its errors -----------------------------------------------------


def test_from_places_round_trips_and_applies_the_rules() -> None:
    country_a = Place(
        "t:1", "Aland", PlaceKind.COUNTRY, "AA", code="AA", weight=1000, lat=0.0, lon=0.0
    )
    country_b = Place("t:2", "Beland", PlaceKind.COUNTRY, "BB", code="BB", weight=500)
    region = Place("t:3", "Hill Province", PlaceKind.ADMIN_REGION, "AA", parent="t:1",
                   code="AA-HI", aliases=("Hill",), weight=900)  # fmt: skip
    seat = Place("t:4", "Hill", PlaceKind.CITY, "AA", admin1="t:3", parent="t:3",
                 capital_of=("t:3",), weight=80)  # fmt: skip
    far = Place("t:5", "Hill", PlaceKind.CITY, "BB", parent="t:2", weight=50_000)
    alias_only = Place("t:6", "Lowtown", PlaceKind.CITY, "BB", parent="t:2",
                       aliases=("Kech",), weight=300)  # fmt: skip
    gaz = Gazetteer.from_places([seat, country_a, far, region, country_b, alias_only])
    assert gaz.by_code("AA-HI") == region  # found though given after a town
    assert gaz.get("t:4") == seat and gaz.get("t:1") == country_a
    assert gaz.country("AA").lat == 0.0
    # The region outranks towns, but its seat, bearing the name, moves before it.
    assert gaz.lookup("Hill") == [seat, region, far]
    assert gaz.resolve("Hill", ["AA"]) == seat
    assert gaz.resolve("Hill", ["AA"], kind=PlaceKind.ADMIN_REGION) == region
    assert gaz.capital(region) == seat
    assert gaz.parents(seat) == [region, country_a]
    assert [p.precision.value for p in (country_a, region, seat)] == [
        "country",
        "admin_region",
        "exact",
    ]
    # A small foreign town known only by an alias is no answer inside another country.
    assert gaz.resolve("Kech") == alias_only
    assert gaz.resolve("Kech", ["AA"]) is None
    assert set(gaz.names()) == {"Aland", "Beland", "Hill Province", "Hill", "Lowtown", "Kech"}


def test_missing_or_corrupt_data_raise_gazetteer_errors(tmp_path: Path) -> None:
    with pytest.raises(GazetteerError, match="build_gazetteer"):
        Gazetteer.load(tmp_path)
    (tmp_path / DATA_FILE).write_bytes(gzip.compress(b'{"format": "other"}\n'))
    with pytest.raises(GazetteerError):
        Gazetteer.load(tmp_path)
    (tmp_path / DATA_FILE).write_bytes(b"not gzip")
    with pytest.raises(GazetteerError):
        Gazetteer.load(tmp_path)


def test_demonym_file_errors(tmp_path: Path) -> None:
    path = tmp_path / DEMONYMS_FILE
    path.write_text("countries:\n  NO: [Norwegian]\n", encoding="utf-8")  # YAML: NO is false
    with pytest.raises(GazetteerError, match="alpha-2"):
        load_demonyms(path)
    path.write_text("- a list\n", encoding="utf-8")
    with pytest.raises(GazetteerError):
        load_demonyms(path)
    table = load_demonyms(DATA_DIR / DEMONYMS_FILE)
    assert table["Afghans"] == ["AF"]
    assert "South Sudaneses" not in table


def test_a_spelling_variant_finds_the_one_place_of_the_country(gaz: Gazetteer) -> None:
    """Transliterations differ in vowels, doubled letters and separators; the skeleton of
    consonants stays ("Timbouktou" is the gazetteer's Timbuktu in Mali)."""
    assert skeleton("Timbouktou") == skeleton("Tim-Bouktu") == skeleton("Timbuktu") == "tmbkt"
    found = gaz.spelling_variant("Timbouktou", ["ML"])
    assert found is not None and found == gaz.resolve("Timbuktu", ["ML"])
    assert gaz.spelling_variant("Timbouktou", ["NG"]) is None  # only in the countries given
    assert gaz.spelling_variant("Timbouktou", []) is None
    assert gaz.spelling_variant("Kada", ["IQ"]) is None  # too short a skeleton to trust
