"""The domain lexicons: every data file validates and is consistent, users can extend the
group lexicon, and the event-taxonomy document agrees with the ACLED mapping."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest
import spacy
from spacy.matcher import Matcher

from kg.errors import ConfigError
from kg.extract import lexicon as lx
from kg.schema import ACLED_MAPPING, EventType, FigureKind, GroupKind, OrganisationKind, PlaceKind

ROOT = Path(__file__).resolve().parents[2]
TAXONOMY = ROOT / "docs" / "event-taxonomy.md"


@pytest.fixture(scope="module")
def groups() -> lx.GroupLexicon:
    return lx.load_group_lexicon()


@pytest.fixture(scope="module")
def organisations() -> lx.OrganisationLexicon:
    return lx.load_organisation_lexicon()


@pytest.fixture(scope="module")
def index() -> lx.ActorIndex:
    return lx.load_actor_index()


@pytest.fixture(scope="module")
def triggers() -> lx.EventTriggers:
    return lx.load_event_triggers()


@pytest.fixture(scope="module")
def figures() -> lx.FigureVocabulary:
    return lx.load_figure_vocabulary()


@pytest.fixture(scope="module")
def forces() -> lx.StateForces:
    return lx.load_state_forces()


@pytest.fixture(scope="module")
def speech() -> lx.SpeechVocabulary:
    return lx.load_speech()


# ---- every file validates ------------------------------------------------------------------


def test_every_data_file_loads_and_is_hashed_into_the_version() -> None:
    lx.load_inflections()
    assert len(lx.load_groups()) >= 150
    assert len(lx.load_organisations()) >= 150
    assert lx.load_state_forces().branches
    assert lx.load_event_triggers().triggers
    assert lx.load_figure_vocabulary().hedges
    assert lx.load_speech().reporting_verbs
    assert re.fullmatch(r"lex-[0-9a-f]{12}", lx.LEXICON_VERSION)
    assert set(lx.DATA_FILES) <= set(lx.versioned_files())
    extract = ROOT / "src" / "kg" / "extract"
    packaged = {p.name for folder in (extract / "data", extract / "lang" / "en" / "data")
                for p in folder.glob("*.yaml")}
    assert packaged == set(lx.versioned_files()), "a YAML data file is not covered by LEXICON_VERSION"


def test_loaders_are_cached() -> None:
    assert lx.load_event_triggers() is lx.load_event_triggers()
    assert lx.load_group_lexicon() is lx.load_group_lexicon()


def test_groups_cover_every_region_and_kind(groups: lx.GroupLexicon) -> None:
    countries = {c for g in groups.groups for c in g.countries}
    # Sahel, Lake Chad, Horn, Great Lakes, North Africa, Middle East, South Asia,
    # Southeast Asia, Latin America, Europe, Caucasus.
    for code in ("ML", "NG", "SO", "CD", "LY", "SY", "PK", "PH", "CO", "UA", "AZ"):
        assert code in countries, code
    assert {g.kind for g in groups.groups} == set(GroupKind)


def test_organisations_cover_every_kind(organisations: lx.OrganisationLexicon) -> None:
    assert {o.kind for o in organisations.organisations} == set(OrganisationKind)


# ---- names and forms -----------------------------------------------------------------------


def test_no_duplicate_canonical_names_across_files(groups: lx.GroupLexicon,
                                                   organisations: lx.OrganisationLexicon) -> None:
    names: dict[str, str] = {}
    for entry in [*groups.groups, *organisations.organisations]:
        key = lx.normalise_form(entry.name)
        assert key not in names, f"{entry.name!r} duplicates {names[key]!r}"
        names[key] = entry.name


def test_no_entry_repeats_a_form(groups: lx.GroupLexicon, organisations: lx.OrganisationLexicon) -> None:
    for entry in [*groups.groups, *organisations.organisations]:
        seen: set[str] = set()
        for form in entry.forms():
            key = lx.normalise_form(form)
            # A name that is itself an acronym (AFP) is listed as an acronym on purpose.
            if form in entry.acronyms and key == lx.normalise_form(entry.name):
                continue
            assert key not in seen, f"{entry.name!r} lists {form!r} twice"
            seen.add(key)


def test_each_form_maps_to_one_entry_or_is_flagged_ambiguous(
        groups: lx.GroupLexicon, organisations: lx.OrganisationLexicon) -> None:
    owners: dict[str, list[tuple[lx.ActorEntry, str]]] = defaultdict(list)
    for entry in [*groups.groups, *organisations.organisations]:
        for form in dict.fromkeys(entry.forms()):
            owners[lx.normalise_form(form)].append((entry, form))
    problems = []
    for key, pairs in owners.items():
        if len({e.name for e, _ in pairs}) > 1:
            problems += [(key, e.name) for e, form in pairs if not e.needs_context(form)]
    assert not problems, f"shared forms not flagged ambiguous: {problems}"


def test_parents_and_distinct_boko_haram_and_iswap(groups: lx.GroupLexicon) -> None:
    iswap = groups.by_name("Islamic State West Africa Province")
    boko = groups.by_name("Boko Haram")
    assert iswap is not None and boko is not None and iswap is not boko
    assert iswap.parent == "Islamic State"
    assert "ISWAP" in iswap.acronyms and "JAS" in boko.acronyms
    assert not {lx.normalise_form(f) for f in iswap.forms()} & {lx.normalise_form(f) for f in boko.forms()}
    for entry in groups.groups:
        if entry.parent:
            assert groups.by_name(entry.parent) is not None


def test_ambiguous_forms_must_belong_to_the_entry() -> None:
    with pytest.raises(ValueError, match="not a name, alias or acronym"):
        lx.GroupEntry(name="Example Front", acronyms=("EF",), kind=GroupKind.REBEL, ambiguous_forms=("XF",))


def test_countries_must_be_iso_codes() -> None:
    with pytest.raises(ValueError, match="ISO 3166-1"):
        lx.GroupEntry(name="Example Front", kind=GroupKind.REBEL, countries=("Pakistan",))


def test_normalise_form_folds_transliteration_variants() -> None:
    assert lx.normalise_form("Jama'at Nusrat al-Islam") == lx.normalise_form("Jamaat Nusrat al Islam")
    assert lx.normalise_form("U.N.") == "un"
    assert lx.normalise_form("Médecins Sans Frontières") == "medecins sans frontieres"
    assert lx.normalise_form("Mail & Guardian") == "mail and guardian"


# ---- the actor index -----------------------------------------------------------------------


def test_seed_actors_resolve(index: lx.ActorIndex) -> None:
    bla = index.resolve("BLA")
    assert bla is not None and bla.name == "Baloch Liberation Army" and bla.kind is GroupKind.SEPARATIST
    assert index.resolve("Baloch Liberation Army") is bla
    sentence = "one of the survivors told the AFP news agency."
    afp = index.resolve("AFP", sentence=sentence, text=sentence)
    assert afp is not None and afp.name == "AFP" and afp.kind is OrganisationKind.MEDIA
    dpa = index.resolve("DPA", sentence="a Pakistani official told Germany's DPA news agency")
    assert dpa is not None and dpa.name == "DPA" and getattr(dpa, "country", None) == "DE"
    bri = index.resolve("Belt and Road Initiative")
    assert bri is not None and bri.kind is OrganisationKind.PROGRAMME


def test_acronyms_need_capitals_and_short_names_need_a_capital(index: lx.ActorIndex) -> None:
    assert index.lookup("bla") == []
    assert index.lookup("is") == []
    assert [c.entry.name for c in index.lookup("IS")] == ["Islamic State"]
    assert index.lookup("dawn") == []
    assert index.lookup("the Associated Press")[0].entry.name == "Associated Press"
    assert [c.entry.name for c in index.lookup("the U.N.")] == ["United Nations"]
    assert index.lookup("the un") == []


def test_ambiguous_forms_need_context(index: lx.ActorIndex) -> None:
    assert index.resolve("ADF") is None
    adf = index.resolve("ADF", text="ADF rebels attacked a village near Beni.", countries={"CD"})
    assert adf is not None and adf.name == "Allied Democratic Forces"
    amba = index.resolve("ADF", sentence="ADF separatists in Cameroon's Anglophone regions")
    assert amba is not None and amba.name == "Ambazonia Defence Forces"
    philippine = index.resolve("AFP", sentence="AFP troops clashed with rebels in Mindanao",
                               countries={"PH"})
    assert philippine is not None and philippine.name == "Armed Forces of the Philippines"
    rsf = index.resolve("RSF", sentence="The paramilitary RSF shelled El Fasher.", countries={"SD"})
    assert rsf is not None and rsf.name == "Rapid Support Forces"
    press = index.resolve("RSF", sentence="RSF said three journalists were detained.")
    assert press is not None and press.name == "Reporters Without Borders"
    # The long form elsewhere in the article settles it.
    assert index.resolve("ADF", text="The Allied Democratic Forces (ADF) ...") is adf


def test_generic_terms_resolve_only_to_named_groups(groups: lx.GroupLexicon) -> None:
    bla = groups.by_name("Baloch Liberation Army")
    ttp = groups.by_name("Tehrik-i-Taliban Pakistan")
    blf = groups.by_name("Balochistan Liberation Front")
    assert bla and ttp and blf
    assert groups.resolve_generic("Baloch separatists", [bla]) is bla
    assert groups.resolve_generic("the militants", [bla]) is bla
    assert groups.resolve_generic("gunmen", [bla]) is bla
    assert groups.resolve_generic("a Baloch militant", [bla]) is None
    assert groups.resolve_generic("Baloch militant", [bla]) is bla
    assert groups.resolve_generic("The militant organization", [bla]) is bla
    assert groups.resolve_generic("Baloch separatists", [bla, ttp]) is bla
    assert groups.resolve_generic("militants", [bla, ttp]) is None
    assert groups.resolve_generic("Baloch separatists", [bla, blf]) is None
    assert groups.resolve_generic("Baloch separatists", []) is None


# ---- user extensions -----------------------------------------------------------------------


def test_user_yaml_file_adds_and_extends_groups(tmp_path: Path) -> None:
    path = tmp_path / "groups.yaml"
    path.write_text(
        "groups:\n"
        "  - name: Example Liberation Front\n"
        "    aliases: [Example Front]\n"
        "    acronyms: [ELF-X]\n"
        "    kind: separatist\n"
        "    countries: [PK]\n"
        "    parent: Baloch Liberation Army\n"
        "  - name: Baloch Liberation Army\n"
        "    aliases: [Azad Baloch Army]\n"
        "    kind: separatist\n",
        encoding="utf-8",
    )
    lexicon = lx.load_group_lexicon(path)
    added = lexicon.by_name("Example Liberation Front")
    assert added is not None and added.parent == "Baloch Liberation Army"
    bla = lexicon.by_name("Baloch Liberation Army")
    assert bla is not None
    assert "Azad Baloch Army" in bla.aliases and "Balochistan Liberation Army" in bla.aliases
    assert bla.acronyms == ("BLA",) and bla.countries == ("PK",)
    assert len(lexicon.groups) == len(lx.load_groups()) + 1
    index = lx.load_actor_index(path)
    found = index.resolve("ELF-X")
    assert found is not None and found.name == "Example Liberation Front"
    assert lx.lexicon_version(path) != lx.LEXICON_VERSION


def test_user_csv_file_merges(tmp_path: Path) -> None:
    path = tmp_path / "groups.csv"
    path.write_text(
        "name,aliases,acronyms,kind,countries,ambiguous\n"
        "Example Delta Militia,Delta Boys|The Delta Militia,EDM,militia,ng|cm,true\n"
        "Boko Haram,Yusufiyya,,jihadist,,\n",
        encoding="utf-8",
    )
    groups = {g.name: g for g in lx.load_groups(path)}
    militia = groups["Example Delta Militia"]
    assert militia.kind is GroupKind.MILITIA
    assert militia.aliases == ("Delta Boys", "The Delta Militia")
    assert militia.countries == ("NG", "CM")
    assert militia.needs_context("EDM")
    assert "Yusufiyya" in groups["Boko Haram"].aliases
    assert "ISWAP" not in groups["Boko Haram"].acronyms


def test_an_edited_user_file_is_read_again(tmp_path: Path) -> None:
    path = tmp_path / "groups.csv"
    path.write_text("name,kind\nFirst Example Group,rebel\n", encoding="utf-8")
    assert "First Example Group" in {g.name for g in lx.load_groups(path)}
    path.write_text("name,kind\nSecond Example Group,rebel\n", encoding="utf-8")
    names = {g.name for g in lx.load_groups(path)}
    assert "Second Example Group" in names and "First Example Group" not in names


@pytest.mark.parametrize(("filename", "content", "message"), [
    ("bad.csv", "name,aliases\nX Group,Y\n", "columns name and kind"),
    ("bad.csv", "name,kind,colour\nX Group,rebel,red\n", "unknown columns"),
    ("bad.csv", "name,kind\nX Group,pirates\n", "entry 1 \\(X Group\\): kind"),
    ("bad.yaml", "groups:\n  - name: X Group\n    kind: rebel\n    leader: Y\n", "leader"),
    ("bad.yaml", "groups:\n  - name: X Group\n    kind: rebel\n    parent: Nobody\n", "parent 'Nobody'"),
    ("bad.yaml", "groups: [unclosed\n", "not valid YAML"),
])
def test_bad_user_files_raise_config_errors(tmp_path: Path, filename: str, content: str, message: str) -> None:
    path = tmp_path / filename
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=message) as info:
        lx.load_groups(path)
    assert str(path) in str(info.value)


def test_missing_user_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read groups file"):
        lx.load_groups(tmp_path / "absent.yaml")


# ---- state forces and governments ----------------------------------------------------------


def test_state_force_names(forces: lx.StateForces) -> None:
    assert forces.branch_of("forces") is lx.ForceBranch.SECURITY_FORCES
    assert forces.branch_of("security forces") is lx.ForceBranch.SECURITY_FORCES
    assert forces.branch_of("commandos") is lx.ForceBranch.SECURITY_FORCES
    assert forces.branch_of("troops") is lx.ForceBranch.ARMY
    assert forces.branch_of("policemen") is lx.ForceBranch.POLICE
    assert forces.branch_of("government") is None
    assert forces.force_name("security_forces", "PK", "Pakistani") == "Pakistani security forces"
    assert forces.force_name("army", "PK", "Pakistani") == "Pakistan Army"
    assert forces.force_name("police", "ML", "Malian") == "Malian police"
    assert forces.government_name("PK", "Pakistan") == "Government of Pakistan"
    assert forces.government_name("PH", "Philippines") == "Government of the Philippines"
    assert forces.is_government_noun("authorities")
    assert "interior ministry" in forces.ministry_phrases()
    assert "ministry of home affairs" in forces.ministry_phrases()


def test_force_overrides_name_known_state_forces(forces: lx.StateForces,
                                                organisations: lx.OrganisationLexicon) -> None:
    for country, names in forces.overrides.items():
        for branch, name in names.items():
            if branch == "government":
                assert name.startswith("Government of the ")
                continue
            entry = organisations.by_name(name)
            assert entry is not None, f"override {country}.{branch} = {name!r} is not in organisations.yaml"
            assert entry.kind is OrganisationKind.STATE_FORCE and entry.country == country


def test_roles_are_not_listed_twice(speech: lx.SpeechVocabulary) -> None:
    owners: dict[str, str] = {}
    for role in lx.all_roles():
        for variant in role.variants:
            key = variant if variant.isupper() else variant.casefold()
            assert key not in owners, f"{variant!r} is in {owners.get(key)!r} and {role.title!r}"
            owners[key] = role.title
    chief_minister = next(r for r in speech.roles if r.title == "Chief Minister")
    assert chief_minister.affiliation is lx.Affiliation.PLACE


# ---- event triggers ------------------------------------------------------------------------


def test_every_event_type_has_a_trigger(triggers: lx.EventTriggers) -> None:
    strong = {t.type for t in triggers.triggers}
    assert strong == set(EventType)  # `other` too: coups and overthrows
    assert triggers.for_type(EventType.OTHER), "OTHER has weak triggers only"
    assert {t.pos for t in triggers.triggers} >= {"NOUN", "VERB"}


def test_the_most_specific_trigger_wins(triggers: lx.EventTriggers) -> None:
    def trigger(phrase: str, event_type: EventType) -> lx.Trigger:
        return next(t for t in triggers.all_triggers() if t.phrase == phrase and t.type is event_type)

    ambushed = trigger("ambush", EventType.ATTACK)
    hostage = trigger("take hostage", EventType.HOSTAGE_TAKING)
    attack = trigger("attack", EventType.ATTACK)
    assert triggers.is_weak(attack) and not triggers.is_weak(ambushed)
    assert triggers.most_specific([attack, ambushed, hostage]) is hostage
    assert triggers.most_specific([attack, ambushed]) is ambushed
    assert ambushed.if_armed_target is EventType.ARMED_CLASH
    weakest_strong = min(triggers.rank(t) for t in triggers.triggers)
    assert all(triggers.rank(t) < weakest_strong for t in triggers.weak)


def test_trigger_sets_are_expanded_and_unknown_sets_rejected(triggers: lx.EventTriggers) -> None:
    seize_train = next(t for t in triggers.triggers
                       if t.phrase == "seize" and t.type is EventType.HOSTAGE_TAKING)
    assert "train" in seize_train.objects and not any(o.startswith("@") for o in seize_train.objects)
    with pytest.raises(ValueError, match="unknown set '@nowhere'"):
        lx.EventTriggers.model_validate({
            "types": {t.value: {"rank": 1} for t in EventType},
            "triggers": [{"phrase": "x", "pos": "NOUN", "type": "attack", "objects": ["@nowhere"]}],
        })


def test_trigger_context(triggers: lx.EventTriggers) -> None:
    siege_hostage = next(t for t in triggers.triggers
                         if t.phrase == "siege" and t.type is EventType.HOSTAGE_TAKING)
    siege_battle = next(t for t in triggers.triggers
                        if t.phrase == "siege" and t.type is EventType.ARMED_CLASH)
    sentence = "The train siege ended with all hostages freed."
    assert siege_hostage.allowed_in(sentence) and not siege_battle.allowed_in(sentence)
    city = "The siege of the city lasted months."
    assert siege_battle.allowed_in(city) and not siege_hostage.allowed_in(city)


def test_word_forms() -> None:
    assert {"kidnapped", "kidnaps", "kidnapping"} <= lx.word_forms("kidnap", "VERB")
    assert {"took", "taken", "takes", "taking"} <= lx.word_forms("take", "VERB")
    assert {"gunmen"} <= lx.word_forms("gunman", "NOUN")
    assert {"people"} <= lx.word_forms("person", "NOUN")
    assert {"casualties"} <= lx.word_forms("casualty", "NOUN")
    assert lx.word_forms("mine", "NOUN") == {"mine", "mines"}
    assert lx.word_forms("of", "NOUN") == {"of"}


def test_trigger_patterns_match_inflected_text(triggers: lx.EventTriggers) -> None:
    """The patterns work with a blank pipeline: matching needs the tokeniser, not a model."""
    nlp = spacy.blank("en")
    matcher = Matcher(nlp.vocab)
    all_triggers = triggers.all_triggers()
    for number, trigger in enumerate(all_triggers):
        matcher.add(str(number), [trigger.pattern()])

    def types(text: str) -> set[EventType]:
        doc = nlp(text)
        return {all_triggers[int(nlp.vocab.strings[m])].type for m, _, _ in matcher(doc)}

    assert EventType.HOSTAGE_TAKING in types("The BLA militants took all passengers hostage.")
    assert EventType.HOSTAGE_TAKING in types("The hostage-taking ended overnight.")
    assert EventType.ATTACK in types("The train was ambushed by separatists.")
    assert EventType.SABOTAGE in types("Gunmen sabotaged a section of railway track.")
    assert EventType.EXECUTION in types("It had executed around 50 hostages.")
    assert EventType.SUICIDE_BOMBING in types("A bomber blew himself up at the gate.")
    assert EventType.AIR_STRIKE in types("Airstrikes hit the camp.")
    assert EventType.GOVERNMENT_REGAINS_TERRITORY in types("Troops retook the town.")
    assert EventType.PROTEST not in types("It happened in March.")
    assert EventType.PROTEST in types("Thousands marched through the capital.")


def test_every_phrase_in_every_file_makes_a_matcher_pattern(
        triggers: lx.EventTriggers, figures: lx.FigureVocabulary, speech: lx.SpeechVocabulary) -> None:
    matcher = Matcher(spacy.blank("en").vocab)
    patterns = [t.pattern(with_pos=True) for t in triggers.all_triggers()]
    patterns += [v.pattern() for v in speech.reporting_verbs]
    patterns += [p.pattern() for p in (*speech.reporting_phrases, *speech.anonymity_markers,
                                       *speech.responsibility.claim, *speech.responsibility.deny,
                                       *speech.responsibility.attribution)]
    patterns += [lx.phrase_pattern(h.phrase) for h in figures.hedges]
    patterns += [lx.phrase_pattern(v.phrase) for v in figures.vague_quantities]
    for vocabulary in figures.kinds.values():
        patterns += [lx.phrase_pattern(phrase, pos=pos) for phrase, pos in vocabulary.phrases()]
    for number, pattern in enumerate(patterns):
        matcher.add(str(number), [pattern])
    assert len(matcher) == len(patterns)
    ambush = lx.phrase_pattern("ambush", pos="VERB", with_pos=True)
    assert ambush == [{"LOWER": {"IN": sorted(lx.word_forms("ambush", "VERB"))}, "POS": {"IN": ["VERB"]}}]
    gap = lx.phrase_pattern("take hostage", pos="VERB", max_gap=4)
    assert gap[1] == {"OP": "{0,4}"} and "took" in gap[0]["LOWER"]["IN"]


# ---- figures -------------------------------------------------------------------------------


def test_every_figure_kind_has_vocabulary(figures: lx.FigureVocabulary) -> None:
    for kind in FigureKind:
        vocabulary = figures.kinds[kind]
        assert vocabulary.verbs or vocabulary.nouns or vocabulary.adjectives, kind


def test_figure_vocabulary(figures: lx.FigureVocabulary) -> None:
    about = figures.hedge("approximately")
    assert about is not None and about.approximate and about.bound == "exact"
    more = figures.hedge("more than")
    assert more is not None and more.bound == "min" and more.exclusive
    at_least = figures.hedge("at least")
    assert at_least is not None and at_least.bound == "min" and not at_least.approximate
    several = figures.vague("several")
    assert several is not None and several.implied_min == 3
    dozens = figures.vague("dozens of")
    assert dozens is not None and dozens.implied_min == 24
    assert figures.person_category("passengers") == "civilian"
    assert figures.person_category("soldiers") == "security"
    assert figures.person_category("gunmen") == "militant"
    assert figures.person_category("hostages") == "unknown"
    assert FigureKind.KILLED in figures.kinds_of("martyred")
    assert FigureKind.KILLED in figures.kinds_of("neutralized")
    assert FigureKind.RESCUED in figures.kinds_of("freed")
    assert FigureKind.ABOARD in figures.kinds_of("aboard")
    assert FigureKind.WOUNDED in figures.kinds_of("injured")


@pytest.mark.parametrize(("text", "value"), [
    ("190", 190), ("1,200", 1200), ("1.5 million", 1_500_000), ("two hundred", 200),
    ("twenty-five", 25), ("a dozen", 12), ("half a dozen", 6), ("two dozen", 24),
    ("three thousand five hundred", 3500), ("one hundred and fifty", 150), ("2 lakh", 200_000),
    ("several", None), ("approximately", None), ("", None),
])
def test_parse_number(figures: lx.FigureVocabulary, text: str, value: int | None) -> None:
    assert figures.parse_number(text) == value


# ---- speech --------------------------------------------------------------------------------


def test_speech_vocabulary(speech: lx.SpeechVocabulary) -> None:
    def verb(lemma: str) -> lx.ReportingVerb:
        found = speech.verb(lemma)
        assert found is not None, lemma
        return found

    assert verb("claim").is_claim and verb("allege").is_claim
    assert verb("deny").is_denial and not verb("deny").is_claim
    assert verb("acknowledge").is_confirmation and verb("confirm").is_confirmation
    assert verb("say").quote and not verb("say").is_claim
    assert "according to" in {p.phrase for p in speech.reporting_phrases}
    assert "claim responsibility" in {p.phrase for p in speech.responsibility.claim}
    assert "under the condition of anonymity" in {p.phrase for p in speech.anonymity_markers}
    nouns = {s.noun for s in speech.anonymous_sources}
    assert {"official", "survivor", "witness", "resident", "spokesman"} <= nouns
    with pytest.raises(ValueError, match="at most one"):
        lx.ReportingVerb(phrase="x", is_claim=True, is_denial=True)


# ---- the taxonomy document -----------------------------------------------------------------


def _taxonomy_rows() -> dict[str, list[str]]:
    rows: dict[str, list[str]] = {}
    for line in TAXONOMY.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 5 and cells[0].startswith("`"):
            name = cells[0].strip("`")
            assert name not in rows, f"{name} documented twice"
            rows[name] = cells
    return rows


def test_taxonomy_document_agrees_with_the_acled_mapping() -> None:
    rows = _taxonomy_rows()
    assert set(rows) == {t.value for t in EventType}
    for event_type, (acled_type, acled_sub) in ACLED_MAPPING.items():
        _, meaning, _, doc_type, doc_sub = rows[event_type.value]
        assert meaning, event_type
        assert (doc_type, doc_sub) == (acled_type, acled_sub), event_type


def test_taxonomy_examples_are_triggers_of_their_type(triggers: lx.EventTriggers) -> None:
    for name, cells in _taxonomy_rows().items():
        phrases = {t.phrase for t in triggers.for_type(EventType(name))}
        examples = [e.strip() for e in cells[2].split(",")]
        assert examples and all(examples), name
        for example in examples:
            assert example in phrases, f"{example!r} is not a trigger of {name}"


def test_mention_words_load_and_cue_pairs_are_two_words() -> None:
    words = lx.load_mention_words()
    assert words.locality_cues["payam"] is PlaceKind.ADMIN_REGION
    assert words.cue_pairs()[("refugee", "camp")] is PlaceKind.OTHER
    data = words.model_dump()
    data["locality_cue_pairs"] = {"local government area": "admin_region"}
    with pytest.raises(ValueError, match="'local government area' is not two words"):
        lx.MentionWords.model_validate(data)
