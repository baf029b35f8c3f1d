"""Places: the gazetteer, the countries an article is about, and localities too small
for the gazetteer ("the village of Tongomayel", "near Kulachi").
"""

from __future__ import annotations

from collections import Counter

from spacy.tokens import Doc, Span

from kg.extract.context import ArticleContext, EntityDraft
from kg.extract.gazetteer import Place
from kg.extract.locality_mentions import LocalityMentions, place_draft
from kg.extract.mention_base import strip_article
from kg.extract.mention_words import (
    CALENDAR,
    CAPITALISED_FUNCTION,
    SETTLEMENT,
    WORDS,
)
from kg.ids import entity_id
from kg.models import Mention
from kg.schema import EntityType, GeoPrecision, OrganisationKind, PlaceKind

# The place rules' word lists, from mentions.yaml (each is explained there).
_LOCATIVE = WORDS.locative_prepositions
_LOCALITY_CUE_PAIRS = WORDS.cue_pairs()
_LOCALITY_PREFIXES = WORDS.locality_prefixes
_PREFIX_WITHOUT_OF = WORDS.prefixes_without_of
_PLURAL_PREFIXES = WORDS.plural_prefixes
_DIRECTIONS = WORDS.directions
_PLACE_CUES = WORDS.place_cues
_MONTH_ABBREVIATIONS = WORDS.month_abbreviations
# Outside the article's countries, a town without a place cue must be this large.
_FOREIGN_TOWN_WEIGHT = 100_000
_REGION_WORDS = WORDS.region_words
_ADMIN_HEADS = WORDS.admin_heads
_NAME_JOINERS = WORDS.name_joiners
_NAME_CUES = _LOCATIVE | {"of", "at"}


class PlaceMentions(LocalityMentions):
    """Place mentions, known and unknown, and the places inside other names."""

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
        ner_names = set(names)
        names += [ctx.span_text(start, end) for start, end in self._capitalised_names(ctx)
                  if start not in ent_starts and not ctx.doc[start].is_sent_start]
        for name in names:
            if (name.isupper() and len(name) <= 5) or self.knowledge.actor_index.lookup(name):
                continue  # "IRA" is no Ivorian town
            found = self.gazetteer.lookup(name)
            if name not in ner_names and found and found[0].kind == "country" and found[0].country:
                counts[found[0].country] += 1  # a country the NER missed: less sure than one it found
                continue
            hits = [p for p in found if p.kind != "country"]
            if not hits or len({p.country for p in hits}) != 1 or not hits[0].country:
                continue
            # Alone, a small town is no evidence of a country: its name may be anything.
            if hits[0].country in named or (
                    hits[0].kind is PlaceKind.ADMIN_REGION or hits[0].weight >= _FOREIGN_TOWN_WEIGHT):
                counts[hits[0].country] += 1
        ctx.countries = [c for c, _ in counts.most_common()]

    def _places(self, ctx: ArticleContext) -> list[tuple[int, int, str, EntityDraft]]:
        found = []
        doc = ctx.doc
        spans = self._capitalised_names(ctx)
        spans += [(ent.start, ent.end) for ent in ctx.ents if ent.label_ in ("GPE", "LOC", "FAC")]
        person_words = {t.text for ent in ctx.ents if ent.label_ == "PERSON" and len(ent) > 1
                        for t in ent if t.text[:1].isupper()}
        for start, end in spans:
            span = doc[start:end]
            name = strip_article(span.text)
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
                if doc[end].lower_ in _ADMIN_HEADS:
                    place = self._admin_region(name, local + ctx.countries) or place
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
            if (ctx.countries and place.country != ctx.countries[0] and end < len(doc)
                    and self.knowledge.target_heads.get(doc[end].lower_) is not None):
                continue  # "the lobby of the Bellevue hotel" in Kenya: a building's name, no US town
            if self._foreign_small_town(place, ctx):
                # "in Las Navas" in a report on the Philippines is no Spanish town that the
                # gazetteer happens to know: a locality of the article's country, not geocoded.
                draft = self._locality(ctx, first, end, PlaceKind.OTHER)
                if draft is not None:
                    found.append((first, end, "gazetteer", draft))
                continue
            found.append((first, head_end, "gazetteer", place_draft(place)))
        return found

    def _admin_region(self, name: str, countries: list[str]) -> Place | None:
        """The first-level region of that name in the article's countries (any, when it
        names none)."""
        region = self.gazetteer.resolve(name, countries, kind=PlaceKind.ADMIN_REGION)
        if region is None or (countries and region.country not in countries):
            return None
        return region

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
                    and joined.lower_ not in CAPITALISED_FUNCTION
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
        if len(span) == 1 and span[0].lower_.rstrip(".") in _MONTH_ABBREVIATIONS | CALENDAR:
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
        draft = self._country_locality(ctx, name, PlaceKind.OTHER)
        return (start, end, "ner", draft) if draft is not None else None

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
            settlement = lower == "of" and i > 0 and words[i - 1].lower() in SETTLEMENT
            suffixed = words[i][:1].isupper() and (i == 0 or not words[i - 1][:1].isupper()) and (
                _settlement_after(words, i)) and doc[i].pos_ == "PROPN"
            if lower not in _LOCATIVE and not settlement and not suffixed:
                continue
            token = doc[i]
            start = end = token.i if suffixed else token.i + 1
            while end < len(doc) and end - start < 4 and (
                    doc[end].pos_ == "PROPN" and doc[end].text[:1].isupper()
                    or (end > start and doc[end].lower_ in _NAME_JOINERS and end + 1 < len(doc)
                        and (doc[end + 1].text[:1].isupper() or doc[end + 1].text == "-"))):
                end += 1
            if end == start or doc[end - 1].lower_ in _NAME_JOINERS:
                continue
            span = doc[start:end]
            if any(t.lower_ in CALENDAR or t.ent_type_ in ("ORG", "NORP", "DATE", "TIME", "CARDINAL")
                   for t in span):
                continue
            if not settlement and end < len(doc) and doc[end].pos_ == "NOUN" and doc[end].lower_ not in (
                    SETTLEMENT | {"region", "province", "state", "county", "valley"}):
                continue  # "in Pakistani custody", "near Kurdish lines": a modifier, not a place
            name = span.text
            if (self.knowledge.actor_index.lookup(name) or self.gazetteer.demonym(name)
                    or self.gazetteer.lookup(name) or len(name) < 3):
                continue
            village = (settlement and doc[token.i - 1].lower_ in ("village", "hamlet", "settlement")) or (
                end < len(doc) and doc[end].lower_ in ("village", "hamlet"))
            kind = PlaceKind.VILLAGE if village else PlaceKind.OTHER
            draft = self._country_locality(ctx, name, kind)
            if draft is not None:
                found.append((start, end, "locative", draft))
        return found

    @staticmethod
    def _hyphenated_end(ctx: ArticleContext, start: int) -> int | None:
        """The end of a hyphenated word that starts at `start` and spans several tokens
        ("Croix-des-Bouquets" is five), or None."""
        words, end = ctx.token_texts, start
        while (end + 2 < len(words) and words[end + 1] == "-"
               and ctx.glued(end) and ctx.glued(end + 1)):
            end += 2
        return end + 1 if end > start else None

    def _capitalised_names(self, ctx: ArticleContext) -> list[tuple[int, int]]:
        """Runs of capitalised words the gazetteer knows, longest first.

        Cheaper than a phrase matcher over the gazetteer's 140,000 names, which would
        take seconds to build in every worker process.
        """
        found = []
        words, lowers = ctx.token_texts, ctx.token_lowers
        # A word that may stand in a name: capitalised, or a joiner ("of", "al").
        fits = [w[:1].isupper() or lower in _NAME_JOINERS for w, lower in zip(words, lowers, strict=True)]
        # The article's countries change between the two calls, the gazetteer's answers do not.
        looked_up = ctx.memo.setdefault("capitalised_name_places", {})
        i = 0
        while i < len(words):
            if not words[i][:1].isupper():
                i += 1
                continue
            # "Croix-des-Bouquets" is one written word, whatever its parts.
            compound = self._hyphenated_end(ctx, i)
            for end in ([compound] if compound else []) + [i + n for n in (4, 3, 2, 1)]:
                if end != compound and (end > len(words) or not all(fits[i:end])
                                        or lowers[end - 1] in _NAME_JOINERS):
                    continue
                name = ctx.span_text(i, end)
                places = looked_up.get(name)
                if places is None:
                    places = looked_up[name] = self.gazetteer.lookup(name)
                # A name that is also a common word ("Derry") counts after a place cue ("in
                # Derry") in the article's own countries.
                cued = i > 0 and lowers[i - 1] in _NAME_CUES
                if any(name not in place.unmatched or (cued and place.country in ctx.countries)
                       or (cued and not ctx.countries and lowers[i - 1] in _LOCATIVE)
                       for place in places):
                    found.append((i, end))
                    i = end - 1
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


def _settlement_after(words: list[str], i: int) -> bool:
    """Whether capitalised words from `i` on are followed by "village", "town" …"""
    end = i
    while end < len(words) and end - i < 4 and words[end][:1].isupper():
        end += 1
    return end > i and end < len(words) and words[end].lower() in SETTLEMENT
