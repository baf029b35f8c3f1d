"""The built-in lexicons loaded once per process, a user's groups file merged in, and the
version that hashes every data file so an output can say which knowledge made it."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from kg.errors import ConfigError
from kg.extract.lang.datafiles import data_bytes, load_builtin, versioned_files
from kg.extract.lexicon.actors import (
    ActorIndex,
    GroupEntry,
    GroupLexicon,
    OrganisationEntry,
    OrganisationLexicon,
)
from kg.extract.lexicon.figures import FigureVocabulary
from kg.extract.lexicon.forces import Role, StateForces
from kg.extract.lexicon.mentions import MentionWords
from kg.extract.lexicon.speech import SpeechVocabulary
from kg.extract.lexicon.triggers import EventTriggers
from kg.extract.lexicon.user_groups import merge_groups, read_user_groups


@lru_cache(maxsize=1)
def _builtin_groups() -> GroupLexicon:
    return load_builtin(GroupLexicon, "groups.yaml")


@lru_cache(maxsize=1)
def load_organisation_lexicon() -> OrganisationLexicon:
    return load_builtin(OrganisationLexicon, "organisations.yaml")


def load_organisations() -> list[OrganisationEntry]:
    return list(load_organisation_lexicon().organisations)


@lru_cache(maxsize=1)
def load_state_forces() -> StateForces:
    return load_builtin(StateForces, "state_forces.yaml")


@lru_cache(maxsize=1)
def load_event_triggers() -> EventTriggers:
    return load_builtin(EventTriggers, "event_triggers.yaml")


@lru_cache(maxsize=1)
def load_figure_vocabulary() -> FigureVocabulary:
    return load_builtin(FigureVocabulary, "figures.yaml")


@lru_cache(maxsize=1)
def load_speech() -> SpeechVocabulary:
    return load_builtin(SpeechVocabulary, "speech.yaml")


@lru_cache(maxsize=1)
def load_mention_words() -> MentionWords:
    return load_builtin(MentionWords, "mentions.yaml")


def all_roles() -> list[Role]:
    """National titles (state_forces.yaml) and every other role (speech.yaml)."""
    return [*load_state_forces().titles, *load_speech().roles]


def _file_key(path: Path | None) -> tuple[str, int, int] | None:
    if path is None:
        return None
    try:
        stat = path.stat()
    except OSError as exc:
        raise ConfigError(f"cannot read groups file {path}: {exc.strerror or exc}") from exc
    return (str(path.resolve()), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=8)
def _group_lexicon(key: tuple[str, int, int] | None) -> GroupLexicon:
    builtin = _builtin_groups()
    if key is None:
        return builtin
    path = Path(key[0])
    return merge_groups(builtin, read_user_groups(path), path)


def load_group_lexicon(extra: Path | None = None) -> GroupLexicon:
    """The armed-group lexicon, extended by a user's YAML or CSV file when given.

    The cache is keyed on the file's path, modification time and size, so an edited file is
    read again.
    """
    return _group_lexicon(_file_key(Path(extra) if extra is not None else None))


def load_groups(extra: Path | None = None) -> list[GroupEntry]:
    """The armed groups, with a user's extension file (`KG_GROUPS_FILE`) merged in."""
    return list(load_group_lexicon(extra).groups)


def load_actor_index(extra_groups: Path | None = None) -> ActorIndex:
    """An index over every group and organisation form."""
    return _actor_index(_file_key(Path(extra_groups) if extra_groups is not None else None))


@lru_cache(maxsize=4)
def _actor_index(key: tuple[str, int, int] | None) -> ActorIndex:
    return ActorIndex(_group_lexicon(key), load_organisation_lexicon())


def _version(extra: bytes | None) -> str:
    digest = hashlib.sha256()
    for name in versioned_files():
        digest.update(name.encode())
        digest.update(b"\0")
        digest.update(data_bytes(name))
        digest.update(b"\0")
    if extra is not None:
        digest.update(b"user-groups\0")
        digest.update(extra)
    return "lex-" + digest.hexdigest()[:12]


def lexicon_version(groups_file: Path | None = None) -> str:
    """`LEXICON_VERSION`, or a version that also covers a user's groups file."""
    if groups_file is None:
        return LEXICON_VERSION
    try:
        return _version(Path(groups_file).read_bytes())
    except OSError as exc:
        raise ConfigError(f"cannot read groups file {groups_file}: {exc.strerror or exc}") from exc


# A hash of the YAML data files: the extractor records it on its output.
LEXICON_VERSION = _version(None)
