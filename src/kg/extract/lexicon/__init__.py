"""Domain lexicons for extraction, loaded from the versioned YAML files of the language folder
(`kg/extract/lang/en/data/`).

The extractor's knowledge of the domain lives in data, not code: armed groups
(`groups.yaml`), named organisations (`organisations.yaml`), how generic wording names a
country's forces and government (`state_forces.yaml`), event triggers and the word lists of
the event rules (`event_triggers.yaml`), the vocabulary of figures (`figures.yaml`) and of
quotes and sources (`speech.yaml`), and the words the mention rules read around names
(`mentions.yaml`). Each file is validated at load by a pydantic model that
forbids unknown fields, and cached. `LEXICON_VERSION` hashes the files so an output can say
which lexicon made it.

One module per concern:
- `base`: the frozen model every entry is, and `normalise_form`;
- `actors`, `forces`, `triggers`, `figures`, `speech`, `mentions`: the schema of each file;
- `patterns`: base-form phrases to inflected forms and spaCy `Matcher` patterns (the
  morphology itself is the language's: `kg.extract.lang.en.morphology`);
- `user_groups`: a user's own groups file (`KG_GROUPS_FILE`), YAML or CSV;
- `loading`: each file loaded once (through `kg.extract.lang.datafiles`, which finds, parses
  and validates a language folder's files), a user's groups merged in, and versioning.

Phrases in every file are base forms separated by spaces ("take hostage"); `word_forms`
gives the inflections each word is matched with, and `phrase_pattern` turns a phrase into a
spaCy `Matcher` pattern, so the files stay free of inflected forms.
"""

from __future__ import annotations

from kg.extract.lang.datafiles import versioned_files
from kg.extract.lang.en.morphology import Inflections, load_inflections, word_forms
from kg.extract.lexicon.actors import (
    ActorEntry,
    ActorIndex,
    Candidate,
    GroupEntry,
    GroupLexicon,
    OrganisationEntry,
    OrganisationLexicon,
)
from kg.extract.lexicon.base import (
    DATA_FILES,
    MAX_NUMBER,
    LexiconModel,
    Pos,
    normalise_form,
)
from kg.extract.lexicon.figures import (
    Bound,
    FigureConstructions,
    FigureVocabulary,
    Hedge,
    KindVocabulary,
    PersonCategory,
    PersonNoun,
    VagueQuantity,
)
from kg.extract.lexicon.forces import (
    Affiliation,
    Branch,
    ForceBranch,
    ForceNoun,
    GovernmentVocabulary,
    MinistryTopic,
    Role,
    StateForces,
)
from kg.extract.lexicon.loading import (
    LEXICON_VERSION,
    all_roles,
    lexicon_version,
    load_actor_index,
    load_event_triggers,
    load_figure_vocabulary,
    load_group_lexicon,
    load_groups,
    load_mention_words,
    load_organisation_lexicon,
    load_organisations,
    load_speech,
    load_state_forces,
)
from kg.extract.lexicon.mentions import MentionWords
from kg.extract.lexicon.patterns import Phrase, mentions_any, phrase_forms, phrase_pattern
from kg.extract.lexicon.speech import (
    AnonymousSource,
    RelationWords,
    ReportingVerb,
    Responsibility,
    SourceCategory,
    SpeakerWords,
    SpeechVocabulary,
)
from kg.extract.lexicon.triggers import (
    Actor,
    EventTriggers,
    EventTypeGroups,
    EventTypeInfo,
    Trigger,
)

__all__ = [
    "DATA_FILES", "LEXICON_VERSION", "MAX_NUMBER", "Actor", "ActorEntry", "ActorIndex", "Affiliation",
    "AnonymousSource", "Bound", "Branch", "Candidate", "EventTriggers", "EventTypeGroups", "EventTypeInfo",
    "FigureConstructions", "FigureVocabulary", "ForceBranch", "ForceNoun", "GovernmentVocabulary",
    "GroupEntry", "GroupLexicon", "Hedge", "Inflections", "KindVocabulary", "LexiconModel",
    "MentionWords", "MinistryTopic", "OrganisationEntry", "OrganisationLexicon", "PersonCategory", "PersonNoun",
    "Phrase", "Pos", "RelationWords", "ReportingVerb", "Responsibility", "Role", "SourceCategory", "SpeakerWords", "SpeechVocabulary",
    "StateForces", "Trigger", "VagueQuantity", "all_roles", "lexicon_version", "load_actor_index",
    "load_event_triggers", "load_figure_vocabulary", "load_group_lexicon", "load_groups",
    "load_inflections", "load_mention_words", "load_organisation_lexicon", "load_organisations", "load_speech",
    "load_state_forces", "mentions_any", "normalise_form", "phrase_forms", "phrase_pattern",
    "versioned_files", "word_forms",
]
