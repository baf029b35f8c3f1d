"""Groups and organisations: the lexicon, acronyms an article defines, organisations
the NER finds or a cue names (bodies, outlets, a place's own force).
"""

from __future__ import annotations

import re

from rapidfuzz.distance import Levenshtein
from spacy.attrs import LIKE_NUM
from spacy.tokens import Doc, Span, Token

from kg.extract.context import ArticleContext, EntityDraft
from kg.extract.lexicon import GroupEntry, OrganisationEntry
from kg.extract.mention_base import MentionFinderBase
from kg.extract.mention_words import (
    ACRONYM_DEF,
    CALENDAR,
    CAPITALISED_FUNCTION,
    LOCALITY_CUES,
    WORDS,
)
from kg.extract.place_mentions import place_draft
from kg.ids import entity_id
from kg.schema import EntityType, OrganisationKind, PlaceKind

# The organisation rules' word lists, from mentions.yaml (each is explained there).
_ARTICLE_WORDS = WORDS.article_words
_UNIT_WORDS = WORDS.unit_words
_CUE_STARTS = WORDS.cue_starts
_MEDIA_NOUNS = WORDS.media_nouns
_WEAPON_ACRONYMS = WORDS.weapon_acronyms
_PLACE_FORCE_WORDS = WORDS.place_force_words


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


class OrganisationMentions(MentionFinderBase):
    """Mentions of named groups and organisations."""

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
        return _actor_draft(entry, self.knowledge.generic_terms_of(entry)) if entry is not None else None

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
        for match in ACRONYM_DEF.finditer(ctx.text):
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
            if span[-1].lower_ in LOCALITY_CUES or span[-1].lower_ in ("area", "lga"):
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
        numbers = doc.to_array(LIKE_NUM).tolist() if n else []
        for i, text in enumerate(ctx.token_texts):
            lower = text.lower()
            # Only a few words can start a cue: the rest need no spaCy token object.
            if not (numbers[i] or lower[:1].isdigit() or lower in _CUE_STARTS or lower in _MEDIA_NOUNS):
                continue
            token = doc[i]
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
                if (nxt.text[:1].isupper() and nxt.is_alpha and nxt.lower_ not in CALENDAR
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
            if ctx.token_lowers[i] not in heads:
                i += 1
                continue
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
            while start < i and (doc[start].lower_ in CAPITALISED_FUNCTION or doc[start].text in ("'s", "’s")):
                start += 1
            end = i + 1
            if (end + 2 < len(doc) and doc[end].text[:1].isupper() and doc[end].is_alpha
                    and doc[end].lower_ not in CAPITALISED_FUNCTION
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
                        doc[run_end].is_alpha) and doc[run_end].lower_ not in CALENDAR:
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
            if any(w.lower() in LOCALITY_CUES or w.lower() == "lga" for w in words) or (
                    after in LOCALITY_CUES or after == "lga"):
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
        return not any(t.lower_ in CAPITALISED_FUNCTION for t in tokens)

    def _place_forces(self, ctx: ArticleContext) -> list[tuple[int, int, str, EntityDraft]]:
        """"Papua police", "the Nangarhar security command": a region's or town's own force,
        named by the place before a lower-case force word. The place stays a place: the
        force's mention covers its own words only."""
        doc = ctx.doc
        found: list[tuple[int, int, str, EntityDraft]] = []
        for i in range(1, len(doc)):
            if ctx.token_lowers[i] not in _PLACE_FORCE_WORDS:
                continue
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
            while start < i and doc[start].lower_ in CAPITALISED_FUNCTION:
                start += 1  # "The command said"
            if start == i or doc[start].is_sent_start and i - start == 1 and doc[start].pos_ != "PROPN":
                continue
            place_name = ctx.span_text(start, i)
            place = self.gazetteer.resolve(place_name, ctx.countries)
            if place is None:
                # a locality the text marks elsewhere: "Bandipora district" … "Bandipora police"
                if not re.search(rf"\b{re.escape(place_name)}\s+(?:{'|'.join(LOCALITY_CUES)})\b",
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


def _actor_draft(entry: GroupEntry | OrganisationEntry, generic_terms: tuple[str, ...]) -> EntityDraft:
    return EntityDraft(
        id=entity_id(entry.entity_type, entry.name), type=entry.entity_type, name=entry.name,
        kind=entry.kind.value, country=entry.home_country,
        aliases=set(entry.aliases) | set(entry.acronyms), generic_terms=frozenset(generic_terms),
    )
