"""Find the entities an article names and resolve its surface forms to one entity each.

Sources, strongest first: the lexicon of groups and organisations (names, aliases,
acronyms), acronyms the article defines itself ("The Baloch Liberation Army (BLA)"),
state forces and governments built from a country ("Pakistani forces" → Pakistani
security forces), the gazetteer, then spaCy's NER for people and unknown organisations.
Generic references ("the militants", "the group") are kept as generic mentions and
resolved to the article's main armed group once claims are known (see `resolve_generic`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

from rapidfuzz.distance import Levenshtein
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.vocab import Vocab

from kg.extract.context import ArticleContext, EntityDraft, TokenMention
from kg.extract.gazetteer import Place
from kg.extract.knowledge import ActorEntry, Knowledge
from kg.extract.lexicon import GroupEntry, OrganisationEntry
from kg.ids import entity_id
from kg.models import Mention
from kg.schema import EntityType, GeoPrecision, GroupKind, OrganisationKind, PlaceKind

# Priority of mention sources when spans overlap (higher wins, then longer).
_PRIORITY = {"body": 6, "lexicon": 5, "acronym": 5, "force": 4, "cued": 4, "person": 3, "gazetteer": 3,
             "ner": 1, "locative": 0}
# "near Kulachi", "the village of Tongomayel": places too small for the gazetteer.
_LOCATIVE = {"in", "near", "outside", "around", "from", "inside"}
_SETTLEMENT = {"village", "town", "hamlet", "settlement", "locality", "district", "commune",
               "municipality", "camp", "area", "neighbourhood", "neighborhood", "suburb"}
_CALENDAR = {"january", "february", "march", "april", "may", "june", "july", "august",
             "september", "october", "november", "december", "monday", "tuesday", "wednesday",
             "thursday", "friday", "saturday", "sunday"}

_ACRONYM_DEF = re.compile(
    r"(?P<long>(?:[A-Z][\w'’.-]*|of|for|the|and|al|el|de|du|des|la|le|in|on)"
    r"(?:\s+(?:[A-Z][\w'’.-]*|of|for|the|and|al|el|de|du|des|la|le|in|on))*)"
    r"\s*\((?P<short>[A-Z][A-Za-z0-9&-]{1,11})\)"
)
_ARTICLE_WORDS = {"the", "a", "an"}
# Lower-case particles inside a person's name: "Bruno de Paula Costa", "Nidal al-Sarafiti".
# A bare "al" stays out ("Fitna al Khwarij" is a name for a group): only "al-Sarafiti".
_PARTICLE = re.compile(r"^((de|da|do|dos|das|del|della|di|du|van|von|der|den|bin|ibn|binti|la|le)"
                       r"|(al|el|ul|ud|ad|as|ash|az)-[A-Z]\S*)$")
# Words that say the capitalised name before them is a locality, and the kind it is:
# "Gidan Kaka village", "Mudiya district", "Ganji Payam", "the Creggan area of Derry".
_LOCALITY_CUES: dict[str, PlaceKind] = {
    "village": PlaceKind.VILLAGE, "villages": PlaceKind.VILLAGE, "hamlet": PlaceKind.VILLAGE,
    "settlement": PlaceKind.VILLAGE, "town": PlaceKind.CITY, "township": PlaceKind.CITY,
    "district": PlaceKind.ADMIN_REGION, "locality": PlaceKind.ADMIN_REGION,
    "county": PlaceKind.ADMIN_REGION, "sub-county": PlaceKind.ADMIN_REGION,
    "subcounty": PlaceKind.ADMIN_REGION, "payam": PlaceKind.ADMIN_REGION,
    "boma": PlaceKind.ADMIN_REGION, "commune": PlaceKind.ADMIN_REGION,
    "municipality": PlaceKind.ADMIN_REGION, "lga": PlaceKind.ADMIN_REGION,
    "tehsil": PlaceKind.ADMIN_REGION, "subdistrict": PlaceKind.ADMIN_REGION,
    "camp": PlaceKind.OTHER, "area": PlaceKind.OTHER, "neighbourhood": PlaceKind.OTHER,
    "neighborhood": PlaceKind.OTHER, "suburb": PlaceKind.OTHER, "quarter": PlaceKind.OTHER,
}
# Two-word cues: "Mucojo administrative post", "Birnin Magaji local government area".
_LOCALITY_CUE_PAIRS: dict[tuple[str, str], PlaceKind] = {
    ("administrative", "post"): PlaceKind.ADMIN_REGION,
    ("administrative", "area"): PlaceKind.ADMIN_REGION,
    ("local", "government"): PlaceKind.ADMIN_REGION,
    ("refugee", "camp"): PlaceKind.OTHER,
    ("displacement", "camp"): PlaceKind.OTHER,
}
# "the village of Nacotuco", "barangay San Miguel": the cue comes first.
_LOCALITY_PREFIXES: dict[str, PlaceKind] = {
    "village": PlaceKind.VILLAGE, "hamlet": PlaceKind.VILLAGE, "town": PlaceKind.CITY,
    "district": PlaceKind.ADMIN_REGION, "city": PlaceKind.CITY,
    "locality": PlaceKind.ADMIN_REGION, "municipality": PlaceKind.ADMIN_REGION,
}
_PREFIX_WITHOUT_OF = {"barangay": PlaceKind.VILLAGE}
# "the provinces of A, B and C": each listed name is a place of that kind.
_PLURAL_PREFIXES = {"provinces": PlaceKind.ADMIN_REGION, "districts": PlaceKind.ADMIN_REGION,
                    "regions": PlaceKind.ADMIN_REGION, "states": PlaceKind.ADMIN_REGION,
                    "villages": PlaceKind.VILLAGE, "towns": PlaceKind.CITY}
# "Central Darfur", "East Jebel Marra": a part of a known place, a place of its own.
_DIRECTIONS = {"north", "south", "east", "west", "central", "northern", "southern", "eastern",
               "western", "upper", "lower", "greater", "middle", "inner", "outer", "north-east",
               "north-west", "south-east", "south-west", "northeast", "northwest", "southeast",
               "southwest"}
# Words right before a place that make it one: a short or ambiguous name needs such a cue.
_PLACE_CUES = {"in", "near", "outside", "around", "from", "inside", "at", "of", "towards",
               "across", "into", "through", "village", "town", "city"}
# Capitalised function words (titles, headlines) that do not make a name longer.
_CAPITALISED_FUNCTION = {"in", "at", "near", "from", "and", "of", "the", "a", "an", "to", "on",
                         "for", "by", "with", "as", "after", "before", "outside", "into"}
_MONTH_ABBREVIATIONS = {"jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
                        "nov", "dec"}
# The last word of a numbered unit: "20th Infantry Battalion", "13 Rashtriya Rifles".
_UNIT_WORDS = {"battalion", "battalions", "division", "brigade", "regiment", "rifles", "corps",
               "squadron", "infantry", "artillery", "cavalry", "fleet", "wing"}
# Nouns an outlet's name stands before: "the G1 news site", "the Al-Malahem media platform".
_MEDIA_NOUNS = {"newspaper", "newssheet", "daily", "weekly", "website", "outlet", "broadcaster",
                "site", "platform", "portal", "channel", "agency", "magazine", "tabloid"}
# A bare force's last word → the words of a named force of the same branch.
_BRANCH_WORDS = {"police": ("police",), "army": ("army", "military")}
# Weapons the NER takes for organisations.
_WEAPON_ACRONYMS = {"rpg", "ied", "vbied", "svbied", "uav", "manpad", "manpads", "ak-47", "akm", "rpk",
                    "pkm", "atgm", "mlr", "mlrs", "sam"}
# Words after a group's name that make it the government: "the Taliban government".
_GOVERNMENT_WORDS = {"government", "administration", "regime", "rulers", "cabinet"}
# Lower-case words of a place's own force: "Papua police", "the Nangarhar security command".
_PLACE_FORCE_WORDS = {"police", "security", "command", "gendarmerie"}
# Outside the article's countries, a town without a place cue must be this large.
_FOREIGN_TOWN_WEIGHT = 100_000
# Lower-case words that may stand inside a place name: "Sistan and Baluchestan", "Dar es Salaam".
_REGION_WORDS = {"region", "province", "state", "district", "city", "county"}
_NAME_JOINERS = {"of", "and", "de", "del", "el", "al", "es", "-", "la", "le", "du", "ul"}


def _initials_match(long_form: str, short: str) -> bool:
    """Whether the acronym's letters appear, in order, among the long form's initials, or
    as the starts of its capitalised words ("SPARU": Special Partisan Unit, SP-AR-U)."""
    words = [w for w in re.split(r"[\s-]+", long_form) if w]
    initials = "".join(w[0].upper() for w in words if w[0].isupper())
    letters = [c for c in short.upper() if c.isalpha()]
    it = iter(initials)
    if len(letters) >= 2 and all(c in it for c in letters) and initials[:1] == letters[0]:
        return True
    capitalised = [w.upper() for w in words if w[0].isupper()]
    return len(letters) >= 3 and _prefixes_spell(capitalised, "".join(letters))


def _prefixes_spell(words: list[str], letters: str) -> bool:
    """Whether `letters` is a prefix of each word in turn, every word used, one or more
    letters each ("SPARU" over SPECIAL PARTISAN UNIT)."""
    if not words:
        return not letters
    word = words[0]
    return any(letters[:k] == word[:k] and _prefixes_spell(words[1:], letters[k:])
               for k in range(1, min(len(word), len(letters)) + 1))


class MentionFinder:
    """Built once per process: phrase matchers over the lexicons and the gazetteer."""

    def __init__(self, vocab: Vocab, make_doc: Callable[[str], Doc], knowledge: Knowledge) -> None:
        self.knowledge = knowledge
        self.gazetteer = knowledge.gazetteer
        self._title_words = {t.lower() for t in knowledge.titles if " " not in t}
        self._force_first_words = {phrase.split(" ")[0] for phrase in knowledge.force_nouns}
        # Lower-cased title → (its place in the list, the title): a name's title is found by
        # looking its word prefixes up, not by trying each of some 400 titles in turn.
        self._titles: dict[str, tuple[int, str]] = {}
        for index, title in enumerate(knowledge.titles):
            self._titles.setdefault(title.lower(), (index, title))
        self._parents = {a.parent for a in (*knowledge.actor_index.groups.groups,
                                             *knowledge.actor_index.organisations.organisations)
                         if a.parent}
        self.actor_matcher = PhraseMatcher(vocab, attr="LOWER")
        # Case guards (acronyms in capitals, one-word names not in lower case) are applied
        # when a match is resolved, by the lexicon's ActorIndex.
        forms = list(knowledge.actor_index.forms())
        # "New People’s Army" is tokenised apart from "New People's Army": match both.
        forms += [f.replace("'", "’") for f in forms if "'" in f]
        self.actor_matcher.add("A", [make_doc(form) for form in forms])

    # -- finding -------------------------------------------------------------------

    def find(self, ctx: ArticleContext) -> None:
        doc = ctx.doc
        candidates: list[tuple[int, int, str, EntityDraft]] = []
        self._context_countries(ctx)
        candidates += self._lexicon(ctx)
        candidates += self._acronyms(ctx)
        candidates += self._places(ctx)
        candidates += self._forces(ctx)
        candidates += self._people(ctx)
        candidates += self._ner_organisations(ctx)
        candidates += self._prepositional_places(ctx)
        candidates += self._cued_organisations(ctx)
        cued = self._cued_places(ctx)
        candidates += [(start, end, "cued", draft) for start, end, draft, _ in cued]
        # A body's name wins over a lexicon name inside it ("UN" in "UN Office for …"), not
        # over one that reaches beyond it ("United Nations Mission in South Sudan").
        named = [(start, end) for start, end, source, _ in candidates if source in ("lexicon", "acronym")]
        candidates = [c for c in candidates if c[2] != "body" or not any(
            s < c[1] and e > c[0] and (s < c[0] or e > c[1]) for s, e in named)]
        taken: set[int] = set()
        bare_spans = {(start, end) for start, end, source, _ in candidates if source == "force"}
        for start, end, _source, draft in sorted(
            candidates, key=lambda c: (-_PRIORITY[c[2]], -(c[1] - c[0]), c[0])
        ):
            if any(i in taken for i in range(start, end)):
                continue
            existing = ctx.entities.get(draft.id)
            if existing is None:
                ctx.entities[draft.id] = draft
            else:
                existing.aliases |= draft.aliases
            text = doc[start:end].text
            if text != ctx.entities[draft.id].name and not text.lower().startswith("the "):
                ctx.entities[draft.id].aliases.add(_strip_article(text))
            ctx.add_mention(TokenMention(start, end, draft.id))
            taken.update(range(start, end))
        ctx.mentions.sort(key=lambda m: m.start)
        self._locality_parents(ctx, cued)
        self._places_inside_names(ctx)
        self._governing_groups(ctx)
        self._bare_forces_to_named(ctx, bare_spans)
        self._short_names_to_long(ctx)
        self._generic_groups(ctx, taken)
        self._people_backrefs(ctx)

    def _context_countries(self, ctx: ArticleContext) -> None:
        """Countries the article is about, most mentioned first: disambiguates places."""
        counts: Counter[str] = Counter()
        for ent in ctx.ents:
            if ent.label_ in ("GPE", "NORP", "LOC"):
                place = self.gazetteer.demonym(ent.text) if ent.label_ == "NORP" else None
                if place is None:
                    hits = [p for p in self.gazetteer.lookup(ent.text) if p.kind == "country"]
                    place = hits[0] if hits else None
                if place is not None and place.country:
                    counts[place.country] += 2
        # Regions and towns whose every namesake lies in one country tip the balance ("both
        # from Pakistan" in a report on Srinagar and Kashmir), and name the country when the
        # article names none ("Northern Ireland").
        named = set(counts)
        names = [ent.text for ent in ctx.ents if ent.label_ in ("GPE", "LOC")]
        # Town names the NER missed ("Gunmen attacked Kismayo"), through the gazetteer.
        ent_starts = {i for ent in ctx.ents if ent.label_ in ("GPE", "LOC")
                      or ent.label_ == "PERSON" and len(ent) > 1 for i in range(ent.start, ent.end)}
        names += [ctx.span_text(start, end) for start, end in self._capitalised_names(ctx)
                  if start not in ent_starts and not ctx.doc[start].is_sent_start]
        for name in names:
            if (name.isupper() and len(name) <= 5) or self.knowledge.actor_index.lookup(name):
                continue  # "IRA" is no Ivorian town
            hits = [p for p in self.gazetteer.lookup(name) if p.kind != "country"]
            if not hits or len({p.country for p in hits}) != 1 or not hits[0].country:
                continue
            # Alone, a small town is no evidence of a country: its name may be anything.
            if hits[0].country in named or (
                    hits[0].kind is PlaceKind.ADMIN_REGION or hits[0].weight >= _FOREIGN_TOWN_WEIGHT):
                counts[hits[0].country] += 1
        ctx.countries = [c for c, _ in counts.most_common()]

    def _lexicon(self, ctx: ArticleContext) -> list[tuple[int, int, str, EntityDraft]]:
        found = []
        doc = ctx.doc
        matches = [doc[start:end] for _, start, end in self.actor_matcher(doc)]
        # One reading per surface form and article: "AFP" is the news agency throughout,
        # judged on every sentence it appears in, not sentence by sentence.
        contexts: dict[str, list[str]] = {}
        for span in matches:
            contexts.setdefault(span.text, []).append(ctx.sentence_texts[ctx.sentence_index(span.start)])
        drafts = {text: self._known_actor(text, ctx, " ".join(dict.fromkeys(sentences)))
                  for text, sentences in contexts.items()}
        for span in matches:
            draft = drafts[span.text]
            if draft is not None:
                found.append((span.start, span.end, "lexicon", draft))
        return found

    def _known_actor(self, surface: str, ctx: ArticleContext, sentence: str = "") -> EntityDraft | None:
        """The lexicon entry a surface form names here, if the context settles it."""
        index = self.knowledge.actor_index
        entry = index.resolve(surface, sentence=sentence, text=ctx.text, countries=ctx.countries)
        if entry is None:
            # A tie on context words: the one reading whose home country the article names.
            local = [c.entry for c in index.lookup(surface)
                     if getattr(c.entry, "country", None) in ctx.countries
                     or set(getattr(c.entry, "countries", ())) & set(ctx.countries)]
            entry = local[0] if len(local) == 1 else None
        if entry is not None and entry.name not in self._parents and self._foreign_acronym(
                surface, entry, ctx):
            return None  # (a parent of affiliates, like the Islamic State, fights anywhere)
        actor = self.knowledge.actor(entry.name) if entry is not None else None
        return _actor_draft(actor) if actor is not None else None

    @staticmethod
    def _foreign_acronym(surface: str, entry: GroupEntry | OrganisationEntry,
                         ctx: ArticleContext) -> bool:
        """An acronym alone names another body where the group does not fight: "PMF" in a
        report on Nigeria is a police unit, not Iraq's militias. Only when the article's
        countries are known, none is the group's, and the text has none of its longer names."""
        countries = set(entry.context_countries)
        if not isinstance(entry, GroupEntry) or not countries or not ctx.countries:
            return False
        if surface not in entry.acronyms and not (surface.isupper() and len(surface) <= 5):
            return False
        if countries & set(ctx.countries):
            return False
        text = ctx.text.lower()
        return not any(form.lower() in text for form in (entry.name, *entry.aliases) if len(form) > 5)

    def _acronyms(self, ctx: ArticleContext) -> list[tuple[int, int, str, EntityDraft]]:
        """Acronyms defined in the text: both forms become one entity."""
        found = []
        doc = ctx.doc
        for match in _ACRONYM_DEF.finditer(ctx.text):
            long_form = match.group("long")
            words = long_form.split()
            while words and words[0].lower() in _ARTICLE_WORDS | {"of", "for", "and", "in", "on"}:
                words = words[1:]
            # Trim leading words until the initials line up ("Monday the Baloch Liberation Army").
            short = match.group("short")
            while len(words) > 1 and not _initials_match(" ".join(words), short):
                words = words[1:]
            while len(words) > 1 and words[0].lower() in _ARTICLE_WORDS | {"of", "for", "and", "in", "on"}:
                words = words[1:]  # "Members | of the Sparrow Partisan Unit (SPU)"
            long_form = " ".join(words)
            if not words or not _initials_match(long_form, short):
                continue
            long_start = match.start("long") + match.group("long").rfind(long_form)
            long_span = doc.char_span(long_start, long_start + len(long_form), alignment_mode="expand")
            short_span = doc.char_span(match.start("short"), match.end("short"), alignment_mode="expand")
            if long_span is None or short_span is None:
                continue
            if long_form.lower() in self._titles:
                continue  # "Inspector General of Police (IGP)" is a person's title
            place = self.gazetteer.resolve(long_form, ctx.countries)
            draft = (self._known_actor(long_form, ctx)
                     or (place_draft(place) if place is not None else None)
                     or self._unknown_organisation(long_form, ctx))
            if draft is None:
                continue
            draft.aliases.add(short)
            found.append((long_span.start, long_span.end, "acronym", draft))
            found.append((short_span.start, short_span.end, "acronym", draft))
            # Later bare uses of the acronym refer to the same entity.
            for token in doc:
                if token.text == short and token.i != short_span.start:
                    found.append((token.i, token.i + 1, "acronym", draft))
        return found

    def _unknown_organisation(self, name: str, ctx: ArticleContext) -> EntityDraft | None:
        words = [w.lower().strip(".,") for w in name.split()]
        if not words:
            return None
        names = self.knowledge.names
        if any(w in names.group_heads for w in words) and not any(w in names.state_words for w in words):
            return EntityDraft(id=entity_id(EntityType.GROUP, name), type=EntityType.GROUP,
                               name=name, kind=GroupKind.OTHER.value)
        kind = next((names.organisation_heads[w] for w in reversed(words)
                     if w in names.organisation_heads), OrganisationKind.OTHER)
        return EntityDraft(id=entity_id(EntityType.ORGANISATION, name), type=EntityType.ORGANISATION,
                           name=name, kind=kind.value)

    def _places(self, ctx: ArticleContext) -> list[tuple[int, int, str, EntityDraft]]:
        found = []
        doc = ctx.doc
        spans = self._capitalised_names(ctx)
        spans += [(ent.start, ent.end) for ent in ctx.ents if ent.label_ in ("GPE", "LOC", "FAC")]
        person_words = {t.text for ent in ctx.ents if ent.label_ == "PERSON" and len(ent) > 1
                        for t in ent if t.text[:1].isupper()}
        for start, end in spans:
            span = doc[start:end]
            name = _strip_article(span.text)
            if name.endswith("'s") or name.endswith("’s"):
                name = name[:-2]
            if name and name[0].islower():
                continue
            local = self._local_countries(span, ctx)
            place = self.gazetteer.resolve(name, local + ctx.countries)
            # "the Balochistan region" -> cover the head noun so it is not a second mention.
            head_end = end
            if head_end < len(doc) and doc[head_end].lower_ in _REGION_WORDS:
                head_end += 1
            first = start + (1 if doc[start].lower_ == "the" else 0)
            if place is not None and local and place.country != local[0]:
                # "the Balochistan region of neighbouring Iran" is not Pakistan's Balochistan:
                # a place of that name in the country named, unknown to the gazetteer.
                found.append((first, head_end, "gazetteer", self._foreign_namesake(
                    name, local[0], region=head_end > end)))
                continue
            if place is None:
                unknown = self._unknown_place(doc, start, end, name, ctx)
                if unknown is not None:
                    found.append(unknown)
                continue
            if (first > 0 and doc[first - 1].lower_ in _DIRECTIONS and doc[first - 1].text[:1].isupper()
                    and (not ctx.countries or place.country in ctx.countries)):
                # "Central Darfur" unknown to the gazetteer: a part of Darfur, not Darfur.
                found.append((first - 1, head_end, "gazetteer", self._part_of(
                    ctx.span_text(first - 1, end), place)))
                continue
            if self._false_hit(doc, first, end, place, ctx, person_words):
                continue
            if self._foreign_small_town(place, ctx):
                # "in Las Navas" in a report on the Philippines is no Spanish town that the
                # gazetteer happens to know: a locality of the article's country, not geocoded.
                draft = self._locality(ctx, first, end, PlaceKind.OTHER)
                if draft is not None:
                    found.append((first, end, "gazetteer", draft))
                continue
            found.append((first, head_end, "gazetteer", place_draft(place)))
        return found

    def _part_of(self, name: str, place: Place) -> EntityDraft:
        kind = PlaceKind.ADMIN_REGION if place.kind is not PlaceKind.CITY else PlaceKind.OTHER
        return EntityDraft(
            id=entity_id(EntityType.PLACE, name, country=place.country), type=EntityType.PLACE,
            name=name, kind=kind.value, country=place.country,
            parent=entity_id(EntityType.PLACE, "", gazetteer_id=place.id),
            precision=GeoPrecision.UNKNOWN.value,
        )

    def _false_hit(self, doc: Doc, start: int, end: int, place: Place, ctx: ArticleContext,
                   person_words: set[str]) -> bool:
        """Whether a gazetteer match is not a place here.

        Not one: a word inside a longer name ("Agence France Presse", "Darai Nur", "Mark
        Hamilton"), the first part of "US-led", an abbreviation that only folds to a town's
        name ("U.N."), a month abbreviation, a surname of a person the article names, or a
        small town abroad that nothing in the text marks as a place.
        """
        span = doc[start:end]
        text = span.text
        country_or_region = place.kind in (PlaceKind.COUNTRY, PlaceKind.ADMIN_REGION)
        before = doc[start - 1] if start > 0 else None
        cued = before is not None and before.lower_ in _PLACE_CUES
        if before is not None:
            joined = before
            if before.lower_ in ("de", "da", "do", "dos", "das", "del", "du", "la", "le", "al", "el",
                                 "bin", "ibn", "van", "von") and start > 1:
                joined = doc[start - 2]
            if (joined.text[:1].isupper() and joined.is_alpha
                    and joined.lower_ not in _CAPITALISED_FUNCTION
                    and joined.lower_ not in _DIRECTIONS
                    and not self.gazetteer.demonym(joined.text)
                    and not joined.text.isupper()):
                return True
        if end + 1 < len(doc) and doc[end].text == "-" and doc[end + 1].text[:1].islower():
            return True  # "US-led", "Tutsi-led"
        if place.kind is PlaceKind.COUNTRY and text.isupper() and self._modifies_a_force(doc, end):
            return True  # "US troops", "US and NATO troops": whose troops, not where
        if not country_or_region and not ctx.in_dateline(start) and (
                "." in text or (text.isupper() and len(text) <= 3)):
            return True  # "U.N." is no town called Un
        if len(span) == 1 and span[0].lower_.rstrip(".") in _MONTH_ABBREVIATIONS | _CALENDAR:
            return True
        if before is not None and before.lower_ == "alias":
            return True
        if not cued and not country_or_region and len(span) == 1 and text in person_words:
            return True
        return not cued and self._foreign_small_town(place, ctx)

    def _modifies_a_force(self, doc: Doc, end: int) -> bool:
        i = end
        if i + 1 < len(doc) and doc[i].lower_ == "and" and doc[i + 1].text.isupper():
            i += 2  # "US and NATO troops"
        return i < len(doc) and (doc[i].lower_ in self._force_first_words
                                 or doc[i].lemma_.lower() in self._force_first_words)

    @staticmethod
    def _foreign_small_town(place: Place, ctx: ArticleContext) -> bool:
        """A town outside the article's countries, too small to be named without a reason."""
        return (place.kind is PlaceKind.CITY and bool(ctx.countries)
                and place.country not in ctx.countries and place.weight < _FOREIGN_TOWN_WEIGHT)

    def _foreign_namesake(self, name: str, country: str, *, region: bool) -> EntityDraft:
        kind = PlaceKind.ADMIN_REGION if region else PlaceKind.OTHER
        return EntityDraft(
            id=entity_id(EntityType.PLACE, name, country=country), type=EntityType.PLACE,
            name=name, kind=kind.value, country=country,
            parent=entity_id(EntityType.PLACE, "", gazetteer_id=self.gazetteer.country(country).id),
            precision=GeoPrecision.UNKNOWN.value,
        )

    def _unknown_place(self, doc: Doc, start: int, end: int, name: str,
                       ctx: ArticleContext) -> tuple[int, int, str, EntityDraft] | None:
        """A town or village spaCy found that the gazetteer lacks: kept, without coordinates."""
        ent = next((e for e in ctx.ents if e.start == start and e.end == end), None)
        if ent is None or ent.label_ not in ("GPE", "LOC") or not ctx.countries:
            return None
        if "alias" in (doc[start - 1].lower_ if start else "", doc[end].lower_ if end < len(doc) else ""):
            return None  # "Faisal alias Mohsin" names a person
        if doc[end - 1].lower_ in self.knowledge.target_heads:
            return None  # "taken to Hospital": a building, not a town
        if ent.root.dep_ in ("compound", "amod", "nmod") and ent.root.head.pos_ == "NOUN":
            return None  # a modifier ("Baloch separatists") is a people's name, not a place
        if not all(t.text[:1].isupper() for t in doc[start:end] if t.is_alpha) or len(name) < 3:
            return None
        if self.knowledge.actor_index.lookup(name) or self.gazetteer.demonym(name):
            return None
        country = ctx.countries[0]
        draft = EntityDraft(
            id=entity_id(EntityType.PLACE, name, country=country), type=EntityType.PLACE,
            name=name, kind=PlaceKind.OTHER.value, country=country,
            parent=entity_id(EntityType.PLACE, "", gazetteer_id=self.gazetteer.country(country).id),
            precision=GeoPrecision.UNKNOWN.value,
        )
        return (start, end, "ner", draft)

    def _prepositional_places(self, ctx: ArticleContext) -> list[tuple[int, int, str, EntityDraft]]:
        """Capitalised names after "in", "near" or "the village of" that nothing else claims.

        Villages and districts are mostly absent from any gazetteer yet carry the events;
        they are kept without coordinates, in the article's country.
        """
        doc = ctx.doc
        if not ctx.countries:
            return []
        found = []
        words = ctx.token_texts
        for i in range(len(words) - 1):
            lower = words[i].lower()
            settlement = lower == "of" and i > 0 and words[i - 1].lower() in _SETTLEMENT
            suffixed = words[i][:1].isupper() and (i == 0 or not words[i - 1][:1].isupper()) and (
                _settlement_after(words, i)) and doc[i].pos_ == "PROPN"
            if lower not in _LOCATIVE and not settlement and not suffixed:
                continue
            token = doc[i]
            start = end = token.i if suffixed else token.i + 1
            while end < len(doc) and end - start < 4 and (
                    doc[end].pos_ == "PROPN" and doc[end].text[:1].isupper()
                    or (end > start and doc[end].lower_ in _NAME_JOINERS and end + 1 < len(doc)
                        and doc[end + 1].text[:1].isupper())):
                end += 1
            if end == start or doc[end - 1].lower_ in _NAME_JOINERS:
                continue
            span = doc[start:end]
            if any(t.lower_ in _CALENDAR or t.ent_type_ in ("ORG", "NORP", "DATE", "TIME", "CARDINAL")
                   for t in span):
                continue
            if not settlement and end < len(doc) and doc[end].pos_ == "NOUN" and doc[end].lower_ not in (
                    _SETTLEMENT | {"region", "province", "state", "county", "valley"}):
                continue  # "in Pakistani custody", "near Kurdish lines": a modifier, not a place
            name = span.text
            if (self.knowledge.actor_index.lookup(name) or self.gazetteer.demonym(name)
                    or self.gazetteer.lookup(name) or len(name) < 3):
                continue
            country = ctx.countries[0]
            village = (settlement and doc[token.i - 1].lower_ in ("village", "hamlet", "settlement")) or (
                end < len(doc) and doc[end].lower_ in ("village", "hamlet"))
            kind = PlaceKind.VILLAGE if village else PlaceKind.OTHER
            draft = EntityDraft(
                id=entity_id(EntityType.PLACE, name, country=country), type=EntityType.PLACE,
                name=name, kind=kind.value, country=country,
                parent=entity_id(EntityType.PLACE, "", gazetteer_id=self.gazetteer.country(country).id),
                precision=GeoPrecision.UNKNOWN.value,
            )
            found.append((start, end, "locative", draft))
        return found

    def _cued_places(self, ctx: ArticleContext) -> list[tuple[int, int, EntityDraft, int | None]]:
        """Localities a cue word marks: "Gidan Kaka village", "Mudiya district", "the village
        of Nacotuco", "barangay San Miguel", "the Creggan area of Derry".

        The name is the capitalised run next to the cue. A name the gazetteer places in the
        article's countries is that place; any other becomes a place of its own, without
        coordinates (precision unknown), in the article's main country. The span covers the
        cue, so "Gidan Halilu Village" is no person. Each result carries the token where an
        enclosing place named right after it starts ("X village in Y district"), if any.
        """
        doc = ctx.doc
        found: list[tuple[int, int, EntityDraft, int | None]] = []
        n = len(doc)
        i = 0
        while i < n:
            lower = doc[i].lower_
            pair = (lower, doc[i + 1].lower_) if i + 1 < n else None
            cue_kind = _LOCALITY_CUE_PAIRS.get(pair) if pair else None
            cue_len = 2 if cue_kind is not None else 1
            if cue_kind is None:
                cue_kind = _LOCALITY_CUES.get(lower)
            if cue_kind is not None and i > 0:
                start = self._name_before(doc, i)
                if start is not None:
                    cue_end = i + cue_len
                    if pair == ("local", "government") and cue_end < n and doc[cue_end].lower_ == "area":
                        cue_end += 1
                    draft = self._locality(ctx, start, i, cue_kind)
                    if draft is not None:
                        found.append((start, cue_end, draft, self._parent_start(doc, cue_end)))
                        i = cue_end
                        continue
            prefix_kind = None
            name_start = i + 1
            if lower in _LOCALITY_PREFIXES and i + 2 < n and doc[i + 1].lower_ == "of" and (
                    i > 0 and doc[i - 1].lower_ in ("the", "a")):
                prefix_kind, name_start = _LOCALITY_PREFIXES[lower], i + 2
            elif lower in _PREFIX_WITHOUT_OF and i + 1 < n and doc[i + 1].text[:1].isupper():
                prefix_kind = _PREFIX_WITHOUT_OF[lower]
            elif lower in _PLURAL_PREFIXES and i + 2 < n and doc[i + 1].lower_ == "of":
                # "the provinces of Samar, Negros Oriental, and Negros Occidental"
                found += self._listed_localities(ctx, i + 2, _PLURAL_PREFIXES[lower])
            if prefix_kind is not None:
                end = self._name_after(doc, name_start)
                if end is not None:
                    draft = self._locality(ctx, name_start, end, prefix_kind)
                    if draft is not None:
                        found.append((i - 1 if doc[i - 1].lower_ in ("the", "a") else i, end, draft,
                                      self._parent_start(doc, end)))
                        i = end
                        continue
            i += 1
        return found + self._later_mentions(ctx, found)

    @staticmethod
    def _later_mentions(ctx: ArticleContext, found: list[tuple[int, int, EntityDraft, int | None]]
                        ) -> list[tuple[int, int, EntityDraft, int | None]]:
        """"Tungan Bako village" … "around Tungan Bako": the locality's name alone elsewhere is
        that locality too, whatever the NER made of it."""
        words = ctx.token_texts
        spans = {(start, end) for start, end, _, _ in found}
        more: list[tuple[int, int, EntityDraft, int | None]] = []
        for _start, _end, draft, _ in found:
            if draft.gazetteer_id is not None:
                continue
            name = draft.name.split()
            for i in range(len(words) - len(name) + 1):
                if words[i:i + len(name)] == name and not any(s <= i < e for s, e in spans) and not (
                        i + len(name) < len(words) and words[i + len(name)][:1].isupper()) and not (
                        i > 0 and words[i - 1][:1].isupper() and not ctx.doc[i].is_sent_start):
                    more.append((i, i + len(name), draft, None))
        return more

    def _listed_localities(self, ctx: ArticleContext, begin: int,
                           kind: PlaceKind) -> list[tuple[int, int, EntityDraft, int | None]]:
        doc = ctx.doc
        found: list[tuple[int, int, EntityDraft, int | None]] = []
        i = begin
        while i < len(doc):
            end = self._name_after(doc, i)
            if end is None:
                break
            place = self.gazetteer.resolve(ctx.span_text(i, end), ctx.countries)
            draft = (place_draft(place) if place is not None and place.country in ctx.countries
                     else self._locality(ctx, i, end, kind))
            if draft is not None:
                found.append((i, end, draft, None))
            i = end
            while i < len(doc) and doc[i].lower_ in (",", "and"):
                i += 1
            if i == end:
                break
        return found

    @staticmethod
    def _name_fits(token: Token) -> bool:
        return (token.text[:1].isupper() and (token.is_alpha or "-" in token.text or "'" in token.text)
                and token.lower_ not in _CAPITALISED_FUNCTION and token.lower_ not in _CALENDAR)

    def _name_before(self, doc: Doc, cue: int) -> int | None:
        """Where the capitalised name ending right before token `cue` starts, or None."""
        start = cue
        while start > 0 and cue - start < 4:
            prev = doc[start - 1]
            if self._name_fits(prev):
                start -= 1
            elif prev.text == "-" and start - 2 >= 0 and self._name_fits(doc[start - 2]) and start < cue:
                start -= 2
            else:
                break
        return start if start < cue else None

    def _name_after(self, doc: Doc, begin: int) -> int | None:
        """Where the capitalised name starting at `begin` ends ("Bir al-Abd"), or None."""
        end = begin
        while end < len(doc) and end - begin < 5:
            token = doc[end]
            joiner = (end > begin and (token.lower_ in _NAME_JOINERS or token.text == "-")
                      and end + 1 < len(doc)
                      and (self._name_fits(doc[end + 1]) or doc[end + 1].text == "-"))
            if self._name_fits(token) or joiner:
                end += 1
            else:
                break
        while end > begin and not self._name_fits(doc[end - 1]):
            end -= 1
        return end if end > begin else None

    def _locality(self, ctx: ArticleContext, start: int, end: int,
                  kind: PlaceKind) -> EntityDraft | None:
        doc = ctx.doc
        name = ctx.span_text(start, end)
        if len(name) < 3 or any(t.ent_type_ in ("PERSON", "DATE", "TIME", "CARDINAL", "NORP")
                                and t.ent_type_ != "" and t.ent_type_ == "NORP" for t in doc[start:end]):
            return None
        if self.gazetteer.demonym(name) or self.knowledge.actor_index.lookup(name):
            return None
        if name.lower() in self._title_words or name.lower() in self._titles:
            return None
        if doc[end - 1].lower_ in self.knowledge.target_heads or (
                doc[end - 1].lower_ in self.knowledge.names.organisation_heads):
            return None  # "Hospital", "Market": a building or a body, not a locality
        place = self.gazetteer.resolve(name, ctx.countries)
        if place is not None and (not ctx.countries or place.country in ctx.countries):
            return place_draft(place)
        country = ctx.countries[0] if ctx.countries else None
        parent = (entity_id(EntityType.PLACE, "", gazetteer_id=self.gazetteer.country(country).id)
                  if country else None)
        return EntityDraft(
            id=entity_id(EntityType.PLACE, name, country=country), type=EntityType.PLACE,
            name=name, kind=kind.value, country=country, parent=parent,
            precision=GeoPrecision.UNKNOWN.value,
        )

    @staticmethod
    def _parent_start(doc: Doc, after: int) -> int | None:
        """The token starting a place named right after a locality: "… in Y", "… of Y", ", Y"."""
        i = after
        if i < len(doc) and doc[i].lower_ in ("in", "of", ","):
            i += 1
            if i < len(doc) and doc[i].lower_ == "the":
                i += 1
            if i < len(doc) and doc[i].text[:1].isupper():
                return i
        return None

    def _locality_parents(self, ctx: ArticleContext,
                          cued: list[tuple[int, int, EntityDraft, int | None]]) -> None:
        """"Gidan Halilu village in Billashe district": a locality not in the gazetteer lies in
        the place named right after it, when the text says so."""
        for start, _end, _draft, parent_at in cued:
            if parent_at is None:
                continue
            own = ctx.token_mention.get(start)
            parent = ctx.token_mention.get(parent_at)
            if own is None or parent is None or own.entity_id == parent.entity_id:
                continue
            entity = ctx.entities.get(own.entity_id)
            enclosing = ctx.entities.get(parent.entity_id)
            if (entity is None or enclosing is None or entity.type is not EntityType.PLACE
                    or enclosing.type is not EntityType.PLACE or entity.gazetteer_id is not None):
                continue
            if enclosing.parent == entity.id:
                continue
            entity.parent = enclosing.id
            entity.country = enclosing.country or entity.country

    def _capitalised_names(self, ctx: ArticleContext) -> list[tuple[int, int]]:
        """Runs of capitalised words the gazetteer knows, longest first.

        Cheaper than a phrase matcher over the gazetteer's 140,000 names, which would
        take seconds to build in every worker process.
        """
        found = []
        words = ctx.token_texts
        # A word that may stand in a name: capitalised, or a joiner ("of", "al").
        fits = [w[:1].isupper() or w.lower() in _NAME_JOINERS for w in words]
        i = 0
        while i < len(words):
            if not words[i][:1].isupper():
                i += 1
                continue
            for n in (4, 3, 2, 1):
                end = i + n
                if end > len(words) or not all(fits[i:end]) or words[end - 1].lower() in _NAME_JOINERS:
                    continue
                name = ctx.span_text(i, end)
                places = self.gazetteer.lookup(name)
                # A name that is also a common word ("Derry") counts after a place cue ("in
                # Derry") in the article's own countries.
                cued = i > 0 and words[i - 1].lower() in _LOCATIVE | {"of", "at"}
                if any(name not in place.unmatched or (cued and place.country in ctx.countries)
                       or (cued and not ctx.countries and words[i - 1].lower() in _LOCATIVE)
                       for place in places):
                    found.append((i, end))
                    i += n - 1
                    break
            i += 1
        return found

    def _local_countries(self, span: Span, ctx: ArticleContext) -> list[str]:
        """The country named right after a place ("the Balochistan region of neighbouring Iran")."""
        doc = ctx.doc
        window = doc[span.end:min(span.end + 6, len(doc))]
        local: list[str] = []
        if len(window) and window[0].lower_ in _REGION_WORDS:
            window = window[1:]
        if len(window) and window[0].lower_ in ("of", "in"):
            for token in window[1:]:
                if token.is_punct:
                    break
                if doc[token.i - 1].text[:1].isupper() and doc[token.i - 1].is_alpha:
                    break  # "in Northern Ireland" names no Ireland
                hits = [p for p in self.gazetteer.lookup(token.text) if p.kind == "country"]
                if hits and hits[0].country:
                    local.append(hits[0].country)
                    break
        return local

    def _forces(self, ctx: ArticleContext) -> list[tuple[int, int, str, EntityDraft]]:
        """State forces and governments: "Pakistani security forces", "the Pakistani government".

        A country word (demonym, or "Pakistan's") before a force noun names that country's
        force; a bare "the government" or "security forces" belongs to the article's main
        country, for the nouns the lexicon allows bare.
        """
        found = []
        doc = ctx.doc
        words = ctx.token_texts
        main_country = ctx.countries[0] if ctx.countries else None
        for i, word in enumerate(words):
            country: str | None = None
            nxt = i + 1
            if word[:1].isupper():
                demonym = self.gazetteer.demonym(word)
                if demonym is not None:
                    country = demonym.country
                elif nxt < len(words) and words[nxt] in ("'s", "’s"):
                    hits = [p for p in self.gazetteer.lookup(word) if p.kind == "country"]
                    country, nxt = (hits[0].country, nxt + 1) if hits else (None, nxt)
            if country is not None:
                draft, end = self._force_after(doc, nxt, country, bare=False)
            elif word.lower() == "the" and main_country is not None:
                draft, end = self._force_after(doc, nxt, main_country, bare=True)
            elif main_country is not None and self._bare_force_start(doc, i):
                # "police said", "security forces killed": no article, still the main
                # country's force.
                draft, end = self._force_after(doc, i, main_country, bare=True)
                if draft is not None and doc[end - 1].dep_ == "compound":
                    continue  # "police station", "army base": a place or a thing
            else:
                continue
            if draft is not None:
                found.append((i, end, "force", draft))
        return found

    def _bare_force_start(self, doc: Doc, i: int) -> bool:
        """Whether a force noun may start at token `i` with no article or country word."""
        token = doc[i]
        if token.text[:1].isupper() and not token.is_sent_start:
            return False
        if token.lower_ not in self._force_first_words:
            return False
        if i == 0:
            return True
        before = doc[i - 1]
        return not (before.lower_ in ("a", "an", "the", "'s", "’s") or before.text[:1].isupper()
                    and before.is_alpha and not before.is_sent_start)

    def _force_after(self, doc: Doc, i: int, country: str,
                     bare: bool) -> tuple[EntityDraft | None, int]:
        knowledge = self.knowledge
        country_place = self.gazetteer.country(country)
        if country_place is None:
            return None, i
        if i >= len(doc) or not {doc[i].lower_.split(" ")[0], doc[i].lemma_.lower().split(" ")[0]
                                 } & self._force_first_words:
            return None, i  # no force noun starts with this word: most "the"s end here
        demonym = knowledge.demonym_of.get(country, country_place.name)
        for length in (3, 2, 1):
            if i + length > len(doc):
                continue
            words = doc[i:i + length]
            for phrase in (" ".join(t.lower_ for t in words),
                           " ".join(t.lemma_.lower() for t in words)):
                noun = knowledge.force_nouns.get(phrase)
                if noun is None or (bare and not noun.bare):
                    continue
                if noun.branch == "government":
                    name = knowledge.state_forces.government_name(country, country_place.name)
                    kind = OrganisationKind.GOVERNMENT
                else:
                    name = knowledge.state_forces.force_name(noun.branch, country, demonym)
                    kind = OrganisationKind.STATE_FORCE
                return EntityDraft(id=entity_id(EntityType.ORGANISATION, name),
                                   type=EntityType.ORGANISATION, name=name, kind=kind.value,
                                   country=country), i + length
        return None, i

    def _people(self, ctx: ArticleContext) -> list[tuple[int, int, str, EntityDraft]]:
        found = []
        doc = ctx.doc
        for ent in ctx.ents:
            if ent.label_ != "PERSON":
                continue
            start, end = ent.start, ent.end
            # Titles inside the entity ("Governor Babagana Zulum") are roles, not names.
            role = None
            text = ent.text
            title = self._title_opening(text.lower())
            if title is not None:
                role, text = title, text[len(title) + 1:]
                start += len(title.split())
            if end > start and doc[end - 1].text in ("'s", "’s"):
                end -= 1
            # "Maria Fernanda | dos Santos": the model may stop at a particle.
            while (end + 1 < len(doc) and _PARTICLE.match(doc[end].text)
                   and doc[end + 1].text[:1].isupper() and doc[end + 1].is_alpha
                   and doc[end + 1].ent_type_ in ("", "PERSON")):
                end += 2
            span = doc[start:end]
            name = span.text.strip()
            words = name.split()
            if len(words) < 2 or not all(w[:1].isupper() or _PARTICLE.match(w) for w in words[1:-1]
                                         ) or not words[0][:1].isupper() or not (
                    words[-1][:1].isupper() or "-" in words[-1] and _PARTICLE.match(words[-1])):
                continue  # single names are resolved as back-references later
            if self._organisation_cue(words):
                # "Ministry of Health", "Sahel Platform": the person model mistakes a body
                # for a person; its words say what it is.
                unknown = self._unknown_organisation(name, ctx)
                if unknown is not None:
                    found.append((start, end, "person", unknown))
                continue
            if end < len(doc) and doc[end].lower_ in _SETTLEMENT:
                continue  # "Lay Kyi village" names a place
            if self._locality_elsewhere(name, ctx):
                continue  # "Wad Alnoura village" … "around Wad Alnoura": the same village
            if self.knowledge.actor_index.lookup(name) or self.gazetteer.lookup(name):
                continue
            title_start, found_role = self._title_before(doc, start)
            role = _prefer_function(role, found_role, self.knowledge.ranks)
            if ent.root.dep_ == "appos" and ent.root.head.text.lower() in self._title_words:
                # "Ménaka's governor, Colonel Daouda Maïga": the apposition names the function.
                role = _prefer_function(ent.root.head.text, role, self.knowledge.ranks)
            draft = EntityDraft(id=entity_id(EntityType.PERSON, name), type=EntityType.PERSON,
                                name=name, role=role)
            found.append((start, end, "person", draft))
            if title_start < start:
                ctx_note = doc[title_start:start]
                draft.aliases.add(f"{ctx_note.text} {name}")
        return found

    @staticmethod
    def _locality_elsewhere(name: str, ctx: ArticleContext) -> bool:
        """Whether the text names `name` with a locality word somewhere ("X village", "the
        village of X", "X district")."""
        cues = "|".join(re.escape(c) for c in _LOCALITY_CUES)
        escaped = re.escape(name)
        return re.search(rf"\b{escaped}\s+(?:{cues})\b|\b(?:village|town|district)\s+of\s+{escaped}\b",
                         ctx.text, flags=re.IGNORECASE) is not None

    def _title_opening(self, lowered: str) -> str | None:
        """The first listed title that `lowered` starts with, followed by a space."""
        found = [self._titles[lowered[:i]] for i, c in enumerate(lowered)
                 if c == " " and lowered[:i] in self._titles]
        return min(found)[1] if found else None

    def _title_ending(self, preceding: str) -> str | None:
        """The first listed title that `preceding` ends with, as whole words."""
        lowered = preceding.lower()
        found = [self._titles[lowered[i:]] for i in range(len(lowered)) if lowered[i:] in self._titles]
        found = [(i, t) for i, t in found
                 if len(preceding) == len(t) or not preceding[-len(t) - 1].isalnum()]
        return min(found)[1] if found else None

    def _title_before(self, doc: Doc, start: int) -> tuple[int, str | None]:
        """Titles right before a name: "Chief Minister Sarfraz Bugti" → "Chief Minister".

        A rank after a function ("Army spokesman Colonel X") yields the function: it says
        what the person speaks for.
        """
        found: list[str] = []
        position = start
        for _ in range(2):
            preceding = doc[max(0, position - 6):position].text
            title = self._title_ending(preceding)
            if title is None:
                break
            n = len(title.split())
            found.append(preceding[-len(title):])
            position -= n
        if not found:
            return start, None
        role = found[0]
        for other in found[1:]:
            role = _prefer_function(role, other, self.knowledge.ranks) or role
        return position, role

    def _title_acronyms(self, ctx: ArticleContext) -> set[str]:
        """Acronyms the text defines for a title: "Inspector General of Police (IGP)"."""
        found = set()
        for match in _ACRONYM_DEF.finditer(ctx.text):
            words = match.group("long").split()
            for k in range(len(words)):
                if " ".join(words[k:]).lower() in self._titles:
                    found.add(match.group("short"))
                    break
        return found

    def _ner_organisations(self, ctx: ArticleContext) -> list[tuple[int, int, str, EntityDraft]]:
        found = []
        title_acronyms = self._title_acronyms(ctx)
        for ent in ctx.ents:
            if ent.text in title_acronyms:
                continue
            if ent.label_ not in ("ORG", "FAC", "PRODUCT"):
                continue
            span = ent[1:] if ent[0].lower_ == "the" else ent
            if not len(span):
                continue
            name = span.text
            if name.endswith("'s") or name.endswith("’s"):
                span = span[:-1]
                name = span.text
            head = span[-1].text
            target_kind = self.knowledge.target_heads.get(head.lower())
            if target_kind is not None:
                draft = EntityDraft(id=entity_id(EntityType.TARGET, name), type=EntityType.TARGET,
                                    name=name, kind=target_kind.value)
                found.append((span.start, span.end, "ner", draft))
                continue
            if ent.label_ != "ORG" or self.gazetteer.lookup(name) or self.gazetteer.demonym(name):
                continue
            if not (len(span) > 1 or (name.isupper() and len(name) > 1)):
                continue
            if not all(t.text[:1].isupper() or t.lower_ in ("of", "for", "and", "the", "de", "in")
                       or t.text in ("'s", "’s") for t in span):
                continue
            if self._person_named_as_organisation(ctx.doc, span, name):
                draft = EntityDraft(id=entity_id(EntityType.PERSON, name), type=EntityType.PERSON,
                                    name=name, role=self._title_before(ctx.doc, span.start)[1])
                found.append((span.start, span.end, "ner", draft))
                continue
            if span[-1].lower_ in _LOCALITY_CUES or span[-1].lower_ in ("area", "lga"):
                continue  # "Birnin Magaji Local Government Area" is a place
            if name.isupper() and len(name) >= 6 and " " not in name:
                continue  # "CAPITALS": a shouted word, not an acronym
            if name.lower().rstrip("s") in _WEAPON_ACRONYMS:
                continue  # "RPG": a weapon
            if self._title_ending(name) is not None and not self._organisation_cue(name.split()[-1:]):
                continue  # "United Nations Secretary-General" is a person's title
            if (self.gazetteer.demonym(span[0].text) or span[0].text.endswith(("i", "ese", "ian"))
                    and len(span) == 2 and not self.gazetteer.lookup(span[0].text)) and (
                    not self._organisation_cue(name.split())):
                continue  # "Kashmiri Pandit": a people, not a body
            unknown = self._unknown_organisation(name, ctx)
            if unknown is not None:
                # A body's word ("Command", "Committee", "Office") makes the name stronger
                # than a place inside it: "Zamfara State Police Command" is the command
                # (and Zamfara State is still a place, see `_places_inside_names`).
                cued = unknown.type is EntityType.ORGANISATION and self._organisation_cue(
                    name.split())
                found.append((span.start, span.end, "cued" if cued else "ner", unknown))
        return found

    def _cued_organisations(self, ctx: ArticleContext) -> list[tuple[int, int, str, EntityDraft]]:
        """Bodies that their surroundings name, whatever the NER says.

        - numbered units: "the 20th Infantry Battalion", "13 Rashtriya Rifles" (state forces);
        - outlets cited as sources: "told KabulNow", "reported malaymail.", "quoted by X",
          "the G1 news site", the newssheet "X", "X" media platform;
        - platforms statements are made on: "said on Telegram", "a post on X";
        - a place's own force: "Papua police", "the Nangarhar security command".
        """
        doc = ctx.doc
        found: list[tuple[int, int, str, EntityDraft]] = []
        n = len(doc)
        for i, token in enumerate(doc):
            lower = token.lower_
            # numbered units
            if (token.like_num or re.fullmatch(r"\d+(st|nd|rd|th)", lower)) and i + 1 < n:
                end = i + 1
                while end < n and end - i <= 4 and doc[end].text[:1].isupper() and doc[end].is_alpha:
                    end += 1
                while end > i + 1 and doc[end - 1].lower_ not in _UNIT_WORDS:
                    end -= 1  # "the 8th Infantry Division | Philippine Army"
                if end > i + 1:
                    found.append((i, end, "cued", self._organisation(
                        ctx.span_text(i, end), OrganisationKind.STATE_FORCE)))
                continue
            # outlets: "told X", "reported X.", "quoted by X", "confirmed to X"
            source_verb = (lower in ("told", "reported") or (lower == "by" and i > 0 and doc[i - 1].lower_ == "quoted")
                           or (lower == "to" and i > 0 and doc[i - 1].lower_ == "confirmed"))
            if source_verb and i + 1 < n:
                outlet_end = self._outlet_end(doc, i + 1, lowercase=lower == "reported")
                if outlet_end is not None:
                    found.append((i + 1, outlet_end, "cued", self._organisation(
                        ctx.span_text(i + 1, outlet_end), OrganisationKind.MEDIA)))
                continue
            # "the G1 news site", "X media platform"
            if lower in _MEDIA_NOUNS and i > 0:
                start = i
                if doc[i - 1].lower_ in ("news", "media", "messaging") and i > 1:
                    start = i - 1  # "the G1 news site", "Al-Malahem media platform"
                while start > 0 and i - start < 5 and (doc[start - 1].text[:1].isupper()
                                                       or doc[start - 1].text[:1].isdigit()
                                                       or doc[start - 1].text in ('"', "“", "”")):
                    start -= 1
                name_tokens = [t for t in doc[start:i] if t.text not in ('"', "“", "”")
                               and t.lower_ not in ("news", "media", "messaging")]
                if name_tokens and self._outlet_like(name_tokens):
                    first, last = name_tokens[0].i, name_tokens[-1].i + 1
                    found.append((first, last, "cued", self._organisation(
                        ctx.span_text(first, last), OrganisationKind.MEDIA)))
                # the newssheet "Carta de Mocambique"
                if i + 1 < n and doc[i + 1].text in ('"', "“"):
                    close = next((k for k in range(i + 2, min(n, i + 9)) if doc[k].text in ('"', "”")), None)
                    if close is not None and close > i + 2 and doc[i + 2].text[:1].isupper():
                        found.append((i + 2, close, "cued", self._organisation(
                            ctx.span_text(i + 2, close), OrganisationKind.MEDIA)))
                continue
            # platforms: "said on Telegram", "a post on X"
            if lower == "on" and 0 < i < n - 1 and doc[i - 1].lemma_ in ("say", "post", "write", "announce",
                                                                      "statement", "message"):
                nxt = doc[i + 1]
                if nxt.lower_ == "the" and i + 2 < n:
                    nxt = doc[i + 2]
                if (nxt.text[:1].isupper() and nxt.is_alpha and nxt.lower_ not in _CALENDAR
                        and nxt.ent_type_ not in ("DATE", "TIME", "GPE", "NORP")
                        and not (nxt.i + 1 < n and doc[nxt.i + 1].text[:1].isupper())):
                    found.append((nxt.i, nxt.i + 1, "cued", self._organisation(
                        nxt.text, OrganisationKind.COMPANY)))
                continue
        found += self._place_forces(ctx)
        found += self._bodies(ctx)
        found += self._dateline_source(ctx)
        return found

    def _bodies(self, ctx: ArticleContext) -> list[tuple[int, int, str, EntityDraft]]:
        """Capitalised names around a body's word, whatever the NER made of them: "the
        pro-democracy Wad Madani Resistance Committee", "the Human Rights Commission of the
        Brazilian Bar Association", "UN Office for Human Rights in Colombia". Such a name
        wins over a shorter lexicon name inside it ("UN")."""
        doc = ctx.doc
        heads = self.knowledge.names.organisation_heads
        found: list[tuple[int, int, str, EntityDraft]] = []
        i = 0
        while i < len(doc):
            token = doc[i]
            if not (token.lower_ in heads and token.text[:1].isupper() and not token.is_sent_start
                    or token.lower_ in heads and token.text.istitle() and i > 0
                    and doc[i - 1].text[:1].isupper()):
                i += 1
                continue
            start = i
            while start > 0 and i - start < 5 and (
                    (doc[start - 1].text[:1].isupper() and (doc[start - 1].is_alpha or doc[start - 1].like_num
                                                            or "-" in doc[start - 1].text))
                    or doc[start - 1].text in ("'s", "’s")):
                start -= 1
            while start < i and (doc[start].lower_ in _CAPITALISED_FUNCTION or doc[start].text in ("'s", "’s")):
                start += 1
            end = i + 1
            if (end + 2 < len(doc) and doc[end].text[:1].isupper() and doc[end].is_alpha
                    and doc[end].lower_ not in _CAPITALISED_FUNCTION
                    and doc[end + 1].lower_ in ("of", "for") and doc[end + 2].text[:1].isupper()):
                end += 1  # "Police Service of …"
            if doc[end - 1].lower_ in _UNIT_WORDS:
                i = end  # "42nd Infantry Battalion": a unit, found as one
                continue
            while end + 1 < len(doc) and doc[end].lower_ in ("of", "for", "in") and end - i < 8:
                if doc[end].lower_ == "in" and not any(t.lower_ in ("of", "for") for t in doc[start:end]):
                    break  # "Office for Human Rights in Colombia", not "Police Command in Kano"
                k = end + 1
                if doc[k].lower_ == "the" and k + 1 < len(doc):
                    k += 1
                if not doc[k].text[:1].isupper():
                    break
                run_end = k
                while run_end < len(doc) and run_end - k < 5 and doc[run_end].text[:1].isupper() and (
                        doc[run_end].is_alpha) and doc[run_end].lower_ not in _CALENDAR:
                    run_end += 1
                if run_end == k:
                    break
                end = run_end
            if end - start < 2:
                i += 1
                continue
            name = ctx.span_text(start, end)
            if self.knowledge.actor_index.lookup(name) or self.gazetteer.lookup(name):
                i = end
                continue
            words = name.split()
            after = doc[end].lower_ if end < len(doc) else ""
            if any(w.lower() in _LOCALITY_CUES or w.lower() == "lga" for w in words) or (
                    after in _LOCALITY_CUES or after == "lga"):
                i = end  # "Birnin Magaji Local Government Area" is a place
                continue
            draft = self._unknown_organisation(name, ctx)
            if draft is not None and draft.type is EntityType.GROUP and doc[i].lower_ in heads and (
                    doc[i].lower_ not in self.knowledge.names.group_heads):
                # "Resistance Committee": the body's word says what it is
                draft = self._organisation(name, heads[doc[i].lower_])
            if draft is not None and draft.type is EntityType.ORGANISATION:
                found.append((start, end, "body", draft))
            i = end
        return found

    def _dateline_source(self, ctx: ArticleContext) -> list[tuple[int, int, str, EntityDraft]]:
        """The outlet in a dateline: "ABYAN (South24) -", "Kabul (Outlet):"."""
        match = re.match(r"\s*(?P<place>[A-Z][^\n()]{1,40}?)\s*\((?P<src>[A-Z][\w .&-]{1,30})\)\s*(?:[-–—:]|\n)",
                         ctx.text)
        if match is None or not (self.gazetteer.lookup(match.group("place").strip(" ,"))
                                 or match.group("place").isupper()):
            return []
        span = ctx.doc.char_span(match.start("src"), match.end("src"), alignment_mode="expand")
        if span is None or self.gazetteer.lookup(span.text) or self.knowledge.actor_index.lookup(span.text):
            return []
        return [(span.start, span.end, "cued", self._organisation(span.text, OrganisationKind.MEDIA))]

    def _outlet_end(self, doc: Doc, begin: int, *, lowercase: bool) -> int | None:
        """Where an outlet's name starting at `begin` ends, when it is one and nothing else
        claims it: capitalised words not known as a person, place or actor, ending the clause."""
        end = begin
        while end < len(doc) and end - begin < 4 and (doc[end].text[:1].isupper() or (
                doc[end].text[:1].isdigit() and end > begin)):
            end += 1
        if end == begin:
            token = doc[begin]
            # "reported malaymail.": a lower-case outlet that ends the sentence
            if lowercase and token.is_alpha and not token.is_stop and begin + 1 < len(doc) and (
                    doc[begin + 1].is_punct) and token.pos_ in ("PROPN", "NOUN", "X"):
                return begin + 1 if token.lower_ not in self._force_first_words else None
            return None
        if end < len(doc) and not (doc[end].is_punct or doc[end].ent_type_ in ("DATE", "TIME")
                                   or doc[end].lower_ in ("that", "today", "on", "in", "yesterday")):
            return None
        tokens = list(doc[begin:end])
        return end if self._outlet_like(tokens) else None

    def _outlet_like(self, tokens: list[Token]) -> bool:
        text = " ".join(t.text for t in tokens)
        if any(t.ent_type_ in ("PERSON", "NORP", "DATE", "TIME") for t in tokens) or (
                len(tokens) == 1 and tokens[0].ent_type_ == "GPE"):
            return False  # ("France Press" is an outlet, a lone "France" is not)
        if text.lower() in self._title_words or text.lower() in ("reporters", "journalists"):
            return False
        if self.gazetteer.lookup(text) or self.gazetteer.demonym(text):
            return False
        return not any(t.lower_ in _CAPITALISED_FUNCTION for t in tokens)

    def _place_forces(self, ctx: ArticleContext) -> list[tuple[int, int, str, EntityDraft]]:
        """"Papua police", "the Nangarhar security command": a region's or town's own force,
        named by the place before a lower-case force word. The place stays a place: the
        force's mention covers its own words only."""
        doc = ctx.doc
        found: list[tuple[int, int, str, EntityDraft]] = []
        for i in range(1, len(doc)):
            token = doc[i]
            if token.lower_ not in _PLACE_FORCE_WORDS or not token.text.islower():
                continue
            end = i + 1
            while end < len(doc) and end - i < 2 and doc[end].lower_ in _PLACE_FORCE_WORDS:
                end += 1
            if doc[end - 1].lower_ == "security":
                continue
            start = i
            while start > 0 and i - start < 3 and doc[start - 1].text[:1].isupper() and doc[start - 1].is_alpha:
                start -= 1
            while start < i and doc[start].lower_ in _CAPITALISED_FUNCTION:
                start += 1  # "The command said"
            if start == i or doc[start].is_sent_start and i - start == 1 and doc[start].pos_ != "PROPN":
                continue
            place_name = ctx.span_text(start, i)
            place = self.gazetteer.resolve(place_name, ctx.countries)
            if place is None:
                # a locality the text marks elsewhere: "Bandipora district" … "Bandipora police"
                if not re.search(rf"\b{re.escape(place_name)}\s+(?:{'|'.join(_LOCALITY_CUES)})\b",
                                 ctx.text, flags=re.IGNORECASE):
                    continue
            elif place.kind is PlaceKind.COUNTRY or (ctx.countries and place.country not in ctx.countries):
                continue
            if end < len(doc) and doc[end].dep_ == "compound" and doc[end].lower_ not in (
                    "spokesman", "spokesperson", "chief", "commander", "official", "officials"):
                continue
            name = f"{ctx.span_text(start, i)} {ctx.span_text(i, end)}"
            draft = self._organisation(name, OrganisationKind.STATE_FORCE)
            draft.country = place.country if place is not None else (
                ctx.countries[0] if ctx.countries else None)
            found.append((i, end, "cued", draft))
        return found

    @staticmethod
    def _organisation(name: str, kind: OrganisationKind) -> EntityDraft:
        return EntityDraft(id=entity_id(EntityType.ORGANISATION, name), type=EntityType.ORGANISATION,
                           name=name, kind=kind.value)

    def _bare_forces_to_named(self, ctx: ArticleContext, bare_spans: set[tuple[int, int]]) -> None:
        """"police" in a report that names the Police Service of Northern Ireland is that
        service, not a second, national police: a force met only in generic words ("police",
        "Indonesian police") goes to the one force of its branch and country the article names
        by a proper name ("Police", not a district's "Bandipora police")."""
        by_entity: dict[str, list[TokenMention]] = {}
        for mention in ctx.mentions:
            by_entity.setdefault(mention.entity_id, []).append(mention)
        for draft_id, mentions in by_entity.items():
            draft = ctx.entities.get(draft_id)
            if draft is None or draft.kind != OrganisationKind.STATE_FORCE.value:
                continue
            if not all((m.start, m.end) in bare_spans for m in mentions if not m.generic):
                continue
            words = _BRANCH_WORDS.get(draft.name.split()[-1].lower())
            if words is None:
                continue
            named = [d for d in ctx.entities.values() if d.id != draft_id
                     and d.type is EntityType.ORGANISATION and d.kind == OrganisationKind.STATE_FORCE.value
                     and any(w.title() in d.name.split() for w in words)
                     and d.country in (None, draft.country)
                     and not all((m.start, m.end) in bare_spans for m in by_entity.get(d.id, []))]
            if len(named) != 1:
                continue
            target = named[0]
            for mention in mentions:
                mention.entity_id = target.id
            target.mentions.extend(draft.mentions)
            del ctx.entities[draft_id]

    def _short_names_to_long(self, ctx: ArticleContext) -> None:
        """"the Mayor’s Office" after "the Guapi Mayor’s Office" is that office: an unknown
        body whose name ends another body's name in the article, or is one letter short of
        it ("France Press", "France Presse"), is that body."""
        bodies = [d for d in ctx.entities.values() if d.type is EntityType.ORGANISATION
                  and self.knowledge.actor(d.name) is None]
        for short in bodies:
            if short.id not in ctx.entities:
                continue
            words = short.name.split()
            longer = [d for d in bodies if d is not short and d.id in ctx.entities and (
                len(d.name.split()) > len(words) and d.name.split()[-len(words):] == words
                # one letter apart: "France Press" and "France Presse"
                or len(d.name) > len(short.name) >= 8
                and Levenshtein.distance(d.name.lower(), short.name.lower()) == 1)]
            if len(longer) != 1 or len(words) < 2:
                continue
            target = longer[0]
            for mention in ctx.mentions:
                if mention.entity_id == short.id:
                    mention.entity_id = target.id
            target.mentions.extend(short.mentions)
            target.aliases.add(short.name)
            del ctx.entities[short.id]

    def _governing_groups(self, ctx: ArticleContext) -> None:
        """A group the text calls a government ("the Taliban government", "the Taliban
        administration") is that government here: an organisation of kind government."""
        doc = ctx.doc
        for old_id, draft in list(ctx.entities.items()):
            if draft.type is not EntityType.GROUP:
                continue
            spans = [m for m in ctx.mentions if m.entity_id == old_id and not m.generic]
            if not any(m.end < len(doc) and doc[m.end].lower_ in _GOVERNMENT_WORDS for m in spans):
                continue
            new_id = entity_id(EntityType.ORGANISATION, draft.name)
            if new_id in ctx.entities:
                continue
            draft.id, draft.type, draft.kind = new_id, EntityType.ORGANISATION, OrganisationKind.GOVERNMENT.value
            draft.generic_terms = frozenset()
            del ctx.entities[old_id]
            ctx.entities[new_id] = draft
            for mention in ctx.mentions:
                if mention.entity_id == old_id:
                    mention.entity_id = new_id

    def _places_inside_names(self, ctx: ArticleContext) -> None:
        """Places named inside an organisation's name are places the text mentions too:
        "Police Service of Northern Ireland", "Office for Human Rights in Colombia", "Zamfara
        State Police Command". Only after "of" or "in", or at the start of a body's name;
        never inside an armed group's name ("Islamic State Khorasan Province")."""
        doc = ctx.doc
        for mention in list(ctx.mentions):
            if mention.generic:
                continue
            owner = ctx.entities.get(mention.entity_id)
            if owner is None or owner.type is not EntityType.ORGANISATION:
                continue
            words = [t.text for t in doc[mention.start:mention.end]]
            if len(words) < 2:
                continue
            starts = [mention.start + k + 1 for k, w in enumerate(words[:-1]) if w.lower() in ("of", "in")]
            if self._organisation_cue(words) and owner.kind != OrganisationKind.MEDIA.value:
                starts.append(mention.start)  # (an outlet's "France" is no place it reports from)
            for begin in starts:
                for length in (3, 2, 1):
                    end = begin + length
                    if end > mention.end or (begin == mention.start and end == mention.end):
                        continue
                    if not all(t.text[:1].isupper() for t in doc[begin:end]):
                        continue
                    if self._organisation_cue([t.text for t in doc[begin:end]]):
                        continue  # "Police" is a word of the name, not the Polish town
                    place = self.gazetteer.resolve(ctx.span_text(begin, end), ctx.countries)
                    if place is None or (place.kind is PlaceKind.CITY
                                         and place.country not in ctx.countries):
                        continue
                    draft = place_draft(place)
                    existing = ctx.entities.setdefault(draft.id, draft)
                    start_char, end_char = doc[begin].idx, doc[end - 1].idx + len(doc[end - 1])
                    existing.mentions.append(Mention(text=ctx.text[start_char:end_char],
                                                     start=start_char, end=end_char))
                    break

    def _organisation_cue(self, words: list[str]) -> bool:
        """Whether a name's words mark a body ("Office", "Ministry", "Platform", "Police")."""
        names = self.knowledge.names
        lowered = [w.lower().strip(".,") for w in words]
        return any(w in names.organisation_heads or w in names.group_heads or w in names.state_words
                   for w in lowered)

    def _person_named_as_organisation(self, doc: Doc, span: Span, name: str) -> bool:
        """An ORG of two or three name words with no word of a body, that a title precedes
        ("M23 spokesperson Willy Ngoma"), that "the leadership of" introduces, or that
        "said": a person the model typed as an organisation."""
        words = name.split()
        if not 2 <= len(words) <= 4 or name.isupper() or self._organisation_cue(words):
            return False
        if not all(t.is_alpha or "-" in t.text for t in span) or any(t.text.isupper() for t in span):
            return False
        if self.gazetteer.lookup(words[0]) and self.gazetteer.lookup(words[-1]):
            return False
        if self._title_before(doc, span.start)[1] is not None:
            return True
        before = doc[max(0, span.start - 3):span.start].text.lower()
        if before.endswith(("leadership of", "led by", "named", "identified as", "commander")):
            return True
        after = doc[span.end] if span.end < len(doc) else None
        return after is not None and after.lemma_ in ("say", "tell", "write", "add", "state")

    # -- generic references --------------------------------------------------------

    def _generic_groups(self, ctx: ArticleContext, taken: set[int]) -> None:
        """Mark "the militants", "Baloch separatists", "the group" as generic mentions."""
        terms = self.knowledge.generic_group_terms
        doc = ctx.doc
        for token in ctx.tokens_with_lemma(terms):
            if token.i in taken:
                continue
            if token.pos_ not in ("NOUN", "PROPN"):
                continue
            start = token.i
            for child in token.lefts:
                if child.dep_ in ("compound", "amod", "det") and child.i not in taken:
                    start = min(start, child.i)
            modifier_words = {t.text for t in doc[start:token.i] if t.text[:1].isupper()}
            target = self._group_for_modifiers(ctx, modifier_words)
            mention = TokenMention(start, token.i + 1, target or "", generic=True)
            ctx.mentions.append(mention)
            for i in range(start, token.i + 1):
                ctx.token_mention.setdefault(i, mention)
        ctx.mentions.sort(key=lambda m: m.start)

    def _group_for_modifiers(self, ctx: ArticleContext, words: set[str]) -> str | None:
        """"Baloch separatists" → the one group in the article whose name has "Baloch"."""
        if not words:
            return None
        hits = [d.id for d in ctx.entities.values()
                if d.type is EntityType.GROUP and words & set(d.name.split())]
        return hits[0] if len(hits) == 1 else None

    def _people_backrefs(self, ctx: ArticleContext) -> None:
        """A surname alone ("Bugti said") refers to the full name mentioned before."""
        people = [d for d in ctx.entities.values() if d.type is EntityType.PERSON]
        if not people:
            return
        for ent in ctx.ents:
            if ent.label_ != "PERSON" or len(ent) != 1 or ent.start in ctx.token_mention:
                continue
            hits = [p for p in people if p.name.split()[-1] == ent.text]
            if len(hits) == 1:
                ctx.add_mention(TokenMention(ent.start, ent.end, hits[0].id))
        ctx.mentions.sort(key=lambda m: m.start)


def _settlement_after(words: list[str], i: int) -> bool:
    """Whether capitalised words from `i` on are followed by "village", "town" …"""
    end = i
    while end < len(words) and end - i < 4 and words[end][:1].isupper():
        end += 1
    return end > i and end < len(words) and words[end].lower() in _SETTLEMENT


def place_draft(place: Place) -> EntityDraft:
    kind = {
        "country": PlaceKind.COUNTRY,
        "admin_region": PlaceKind.ADMIN_REGION,
        "city": PlaceKind.CITY,
    }.get(place.kind, PlaceKind.OTHER)
    precision = {
        PlaceKind.COUNTRY: GeoPrecision.COUNTRY,
        PlaceKind.ADMIN_REGION: GeoPrecision.ADMIN_REGION,
    }.get(kind, GeoPrecision.EXACT)
    return EntityDraft(
        id=entity_id(EntityType.PLACE, place.name, gazetteer_id=place.id),
        type=EntityType.PLACE, name=place.name, kind=kind.value, country=place.country,
        latitude=place.lat, longitude=place.lon, gazetteer_id=place.id,
        parent=(entity_id(EntityType.PLACE, "", gazetteer_id=place.parent)
                if place.parent else None),
        precision=precision.value,
    )


def resolve_generic(ctx: ArticleContext, claimant: str | None) -> None:
    """Point unresolved generic mentions at the article's main armed group.

    The main group is the one that claimed responsibility, else the only group the
    article names, else the most mentioned one. With no group at all generic mentions
    stay unresolved rather than inventing one.
    """
    groups = [d for d in ctx.entities.values() if d.type is EntityType.GROUP]
    main = claimant
    if main is None and groups:
        counts = Counter(m.entity_id for m in ctx.mentions if not m.generic)
        main = max(groups, key=lambda g: (counts[g.id], -_first(ctx, g.id))).id
    ctx.main_group = main
    for mention in ctx.mentions:
        if mention.generic and not mention.entity_id and main:
            mention.entity_id = main
    for mention in ctx.mentions:
        if mention.generic and mention.entity_id:
            span = ctx.doc[mention.start:mention.end]
            ctx.entities[mention.entity_id].mentions.append(
                Mention(text=span.text, start=span.start_char, end=span.end_char))


def _first(ctx: ArticleContext, entity_id_: str) -> int:
    return next((m.start for m in ctx.mentions if m.entity_id == entity_id_), 10**9)


def _prefer_function(first: str | None, second: str | None, ranks: set[str]) -> str | None:
    """Of two titles, the one that is not a military rank."""
    if first is None or second is None:
        return first or second
    if first.lower() in ranks and second.lower() not in ranks:
        return second
    return first


def _strip_article(text: str) -> str:
    return re.sub(r"^(the|a|an)\s+", "", text, flags=re.IGNORECASE).strip()


def _actor_draft(entry: ActorEntry) -> EntityDraft:
    return EntityDraft(
        id=entity_id(entry.type, entry.name), type=entry.type, name=entry.name, kind=entry.kind,
        country=entry.country, aliases=set(entry.aliases) | set(entry.acronyms),
        generic_terms=frozenset(entry.generic_terms),
    )
