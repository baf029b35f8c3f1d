"""state_forces.yaml: canonical names of a country's forces and government, and titles."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field, model_validator

from kg.extract.lexicon.base import LexiconModel, check_countries, normalise_form


class ForceBranch(StrEnum):
    SECURITY_FORCES = "security_forces"
    ARMY = "army"
    POLICE = "police"
    AIR_FORCE = "air_force"
    NAVY = "navy"


class Affiliation(StrEnum):
    """What a role binds its holder to (see speech.yaml and state_forces.yaml)."""

    GOVERNMENT = "government"
    SECURITY_FORCES = "security_forces"
    ARMY = "army"
    POLICE = "police"
    AIR_FORCE = "air_force"
    NAVY = "navy"
    PLACE = "place"
    ORGANISATION = "organisation"
    GROUP = "group"
    ANY = "any"
    NONE = "none"


class ForceNoun(LexiconModel):
    noun: str
    # May stand without a country word and then means the article's main country.
    bare: bool = False


class Branch(LexiconModel):
    canonical: str
    nouns: tuple[ForceNoun, ...]


class MinistryTopic(LexiconModel):
    topic: str
    aliases: tuple[str, ...] = ()


class GovernmentVocabulary(LexiconModel):
    canonical: str
    nouns: tuple[ForceNoun, ...]
    ministry_forms: tuple[str, ...]
    ministry_topics: tuple[MinistryTopic, ...]


class Role(LexiconModel):
    """A title or role a person holds. Variants written in capitals ("PM", "SSP") are
    matched only as written; the others in any case."""

    title: str
    variants: tuple[str, ...]
    affiliation: Affiliation
    level: str


_OVERRIDE_KEYS = frozenset({*ForceBranch, "government"})


class StateForces(LexiconModel):
    """state_forces.yaml: canonical names for a country's forces and government."""

    version: int = 1
    forms: tuple[str, ...]
    branches: dict[ForceBranch, Branch]
    government: GovernmentVocabulary
    overrides: dict[str, dict[str, str]] = Field(default_factory=dict)
    titles: tuple[Role, ...] = ()

    @model_validator(mode="after")
    def _complete(self) -> StateForces:
        missing = set(ForceBranch) - set(self.branches)
        if missing:
            raise ValueError(f"branches missing: {sorted(missing)}")
        check_countries(self.overrides)
        for code, names in self.overrides.items():
            unknown = set(names) - _OVERRIDE_KEYS
            if unknown:
                raise ValueError(f"override for {code} has unknown keys {sorted(unknown)}")
        return self

    def branch_of(self, noun: str) -> ForceBranch | None:
        """The branch a force noun belongs to ("troops" -> army), or None."""
        key = normalise_form(noun)
        for branch, spec in self.branches.items():
            if any(normalise_form(n.noun) == key for n in spec.nouns):
                return branch
        return None

    def is_government_noun(self, noun: str) -> bool:
        key = normalise_form(noun)
        return any(normalise_form(n.noun) == key for n in self.government.nouns)

    def force_name(self, branch: ForceBranch | str, country: str, demonym: str) -> str:
        """ "Pakistani security forces", or the proper name an override gives ("Pakistan Army")."""
        branch = ForceBranch(branch)
        override = self.overrides.get(country.upper(), {}).get(branch.value)
        return override or self.branches[branch].canonical.format(demonym=demonym)

    def government_name(self, country: str, country_name: str) -> str:
        """ "Government of Pakistan", or an override ("Government of the Philippines")."""
        override = self.overrides.get(country.upper(), {}).get("government")
        return override or self.government.canonical.format(country=country_name)

    def ministry_phrases(self) -> list[str]:
        """Every ministry phrase ("interior ministry", "ministry of home affairs")."""
        phrases: list[str] = []
        for topic in self.government.ministry_topics:
            for name in (topic.topic, *topic.aliases):
                phrases.extend(form.format(topic=name) for form in self.government.ministry_forms)
        return list(dict.fromkeys(phrases))
