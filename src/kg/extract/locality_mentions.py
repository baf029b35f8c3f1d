"""Localities a cue word marks, too small for the gazetteer or unknown to it ("the village of
Tongomayel", "Mudiya district", "barangay San Miguel"), and the gazetteer place as a draft.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from kg.extract.context import ArticleContext, EntityDraft
from kg.extract.gazetteer import Gazetteer, Place
from kg.extract.mention_base import MentionFinderBase, strip_article
from kg.extract.mention_words import CALENDAR, CAPITALISED_FUNCTION, LOCALITY_CUES, WORDS
from kg.ids import entity_id
from kg.schema import EntityType, GeoPrecision, PlaceKind

_LOCALITY_CUE_PAIRS = WORDS.cue_pairs()
_LOCALITY_PREFIXES = WORDS.locality_prefixes
_PREFIX_WITHOUT_OF = WORDS.prefixes_without_of
_PLURAL_PREFIXES = WORDS.plural_prefixes
_NAME_JOINERS = WORDS.name_joiners
_WORLD_REGIONS = WORDS.world_regions
_LIST_JOINERS = _NAME_JOINERS - {"and"}  # inside a list, "and" separates names


class LocalityMentions(MentionFinderBase):
    """Cued localities, and the places named right after them that enclose them."""

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
        lowers = ctx.token_lowers
        i = 0
        while i < n:
            lower = lowers[i]
            pair = (lower, lowers[i + 1]) if i + 1 < n else None
            cue_kind = _LOCALITY_CUE_PAIRS.get(pair) if pair else None
            cue_len = 2 if cue_kind is not None else 1
            if cue_kind is None:
                cue_kind = LOCALITY_CUES.get(lower)
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
            if place is None and any(t.lower_ == "and" for t in doc[i:end]):
                # "the villages of A and B": two names, unless the gazetteer knows the whole
                # ("the provinces of Sistan and Baluchestan and Kerman")
                end = self._name_after(doc, i, joiners=_LIST_JOINERS) or end
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
                and token.lower_ not in CAPITALISED_FUNCTION and token.lower_ not in CALENDAR)

    def _name_before(self, doc: Doc, cue: int) -> int | None:
        """Where the capitalised name ending right before token `cue` starts, or None."""
        first = cue - 1  # "the Croix-des-Bouquets area": a hyphenated word is one name
        while (first >= 2 and doc[first - 1].text == "-" and not doc[first - 1].whitespace_
               and not doc[first - 2].whitespace_):
            first -= 2
        if first < cue - 1 and self._name_fits(doc[first]):
            return first
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

    def _name_after(self, doc: Doc, begin: int, joiners: frozenset[str] = _NAME_JOINERS) -> int | None:
        """Where the capitalised name starting at `begin` ends ("Bir al-Abd"), or None."""
        end = begin
        while end < len(doc) and end - begin < 5:
            token = doc[end]
            joiner = (end > begin and (token.lower_ in joiners or token.text == "-")
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
        if end - start == 1 and doc[start].pos_ in ("DET", "PRON"):
            return None  # "Another village", "Each district": no name
        if name.lower() in self._title_words or name.lower() in self._titles:
            return None
        if doc[end - 1].lower_ in self.knowledge.target_heads or (
                doc[end - 1].lower_ in self.knowledge.names.organisation_heads):
            return None  # "Hospital", "Market": a building or a body, not a locality
        place = self.gazetteer.resolve(name, ctx.countries)
        if place is not None and (not ctx.countries or place.country in ctx.countries):
            return place_draft(place)
        return self._country_locality(ctx, name, kind)

    def _country_locality(self, ctx: ArticleContext, name: str, kind: PlaceKind) -> EntityDraft | None:
        """A locality the gazetteer lacks under this name, in the article's main country:
        the gazetteer's place when the name is only spelt otherwise ("Timbouktou" for
        Timbuktu), else a place of its own without coordinates; None for a part of the
        world ("Europe", "West Africa"), which is no locality of any country."""
        if strip_article(name).lower() in _WORLD_REGIONS:
            return None
        variant = self.gazetteer.spelling_variant(name, ctx.countries[:1])
        if variant is not None:
            draft = place_draft(variant)
            draft.aliases.add(name)  # as this report writes it
            return draft
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


def place_in_sole_region(ctx: ArticleContext, gazetteer: Gazetteer) -> None:
    """A locality known only to lie in its country lies in the one first-level region of that
    country the article touches ("the villages of A and B … the Tillaberi region"): a report
    names the region of its incident. Every geocoded place it names outside the dateline
    counts (a town, a province) through the region it lies in; with two regions touched, or
    none named, nothing is assumed."""
    touched: dict[str, set[str]] = {}
    named: set[str] = set()
    for mention in ctx.mentions:
        draft = ctx.entities.get(mention.entity_id or "")
        if (mention.generic or draft is None or draft.type is not EntityType.PLACE
                or not draft.gazetteer_id or ctx.in_dateline(mention.start)):
            continue
        region = _first_level_region(draft.gazetteer_id, gazetteer)
        if region is not None and region.country:
            touched.setdefault(region.country, set()).add(region.id)
            if region.id == draft.gazetteer_id:
                named.add(region.id)
    for draft in ctx.entities.values():
        if draft.type is not EntityType.PLACE or draft.gazetteer_id is not None or not draft.country:
            continue
        regions = touched.get(draft.country, set())
        country = gazetteer.country(draft.country)
        if (len(regions) == 1 and regions <= named and draft.kind != PlaceKind.ADMIN_REGION.value
                and draft.parent == entity_id(EntityType.PLACE, "", gazetteer_id=country.id)):
            draft.parent = entity_id(EntityType.PLACE, "", gazetteer_id=next(iter(regions)))


def _first_level_region(place_id: str, gazetteer: Gazetteer) -> Place | None:
    """The record right under the country in the place's chain (itself, if a region)."""
    place = gazetteer.get(place_id)
    chain = [place, *gazetteer.parents(place)] if place is not None else []
    return next((inner for inner, outer in zip(chain, chain[1:], strict=False)
                 if outer.kind is PlaceKind.COUNTRY), None)
