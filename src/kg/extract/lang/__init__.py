"""The languages kg extracts: one folder each (`lang/en/`), chosen by `Article.language`.

A language folder holds what is particular to the language: the spaCy model that parses it,
its morphology (how a base-form phrase of the data files inflects) and its data files
(lexicons, event triggers, word lists). `language_pack(code)` returns the folder's
`LanguagePack`; a code with no folder is refused with `UnsupportedLanguage`, and the
pipeline reports such an article as skipped with that reason instead of extracting nothing.

The rule stages themselves are written for English word order and for the English model's
parse labels: a second language needs its folder and a review of those rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from importlib.resources import files
from importlib.resources.abc import Traversable

from kg.errors import ExtractionError

# Language code → the package of its folder. A folder not listed here is not extracted.
LANGUAGE_FOLDERS: dict[str, str] = {"en": "kg.extract.lang.en"}


class UnsupportedLanguage(ExtractionError):
    """An article's language has no folder under `kg/extract/lang/`."""


@dataclass(frozen=True)
class ModelSpec:
    """The pinned spaCy model a language is parsed with."""

    package: str  # the importable package spaCy loads
    name: str  # `meta.json` name and version, checked at load
    version: str


@dataclass(frozen=True)
class LanguagePack:
    code: str  # ISO 639-1
    name: str
    model: ModelSpec
    package: str  # where the folder's data files live

    def data_file(self, name: str) -> Traversable:
        return files(self.package).joinpath("data", name)

    def data_files(self) -> list[Traversable]:
        return sorted(files(self.package).joinpath("data").iterdir(), key=lambda p: p.name)


def extractable() -> dict[str, str]:
    """Code → name of every language with a folder."""
    return {code: language_pack(code).name for code in LANGUAGE_FOLDERS}


def language_pack(code: str) -> LanguagePack:
    """The folder of language `code` ("en"), or `UnsupportedLanguage` naming what kg extracts."""
    package = LANGUAGE_FOLDERS.get(code)
    if package is None:
        known = ", ".join(sorted(LANGUAGE_FOLDERS))
        raise UnsupportedLanguage(
            f"no language folder for {code!r} (kg/extract/lang/{code}/); kg extracts: {known}")
    pack = import_module(package).PACK
    assert isinstance(pack, LanguagePack)
    return pack


# The language of the data files the lexicons are read from.
DEFAULT_LANGUAGE = "en"
