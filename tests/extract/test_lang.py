"""Language folders: English is one (`kg/extract/lang/en/`); a code without one is refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.errors import ExtractionError
from kg.extract import lexicon, nlp
from kg.extract.lang import LANGUAGE_FOLDERS, UnsupportedLanguage, extractable, language_pack
from kg.extract.language import EXTRACTABLE, unsupported_reason

LANG = Path(__file__).resolve().parents[2] / "src" / "kg" / "extract" / "lang"


def test_english_has_its_model_morphology_and_data_files() -> None:
    english = language_pack("en")
    assert (english.code, english.name) == ("en", "English")
    assert english.model.package == nlp.MODEL_PACKAGE  # the model loaded is the folder's
    assert (LANG / "en" / "morphology.py").is_file()
    names = {p.name for p in english.data_files()}
    assert {"event_triggers.yaml", "groups.yaml", "inflections.yaml"} <= names
    assert names <= set(lexicon.versioned_files())  # every one of them versions the output


def test_the_extractable_languages_are_those_with_a_folder() -> None:
    folders = {p.name for p in LANG.iterdir() if (p / "__init__.py").is_file()}
    assert set(LANGUAGE_FOLDERS) == folders
    assert EXTRACTABLE == extractable() == {"en": "English"}


def test_a_language_without_a_folder_is_refused_with_a_clear_reason() -> None:
    with pytest.raises(UnsupportedLanguage, match=r"no language folder for 'fr' \(kg/extract/lang/fr/\)"):
        language_pack("fr")
    assert issubclass(UnsupportedLanguage, ExtractionError)
    assert unsupported_reason("fr") == "article is in French; kg extracts English only"
    assert unsupported_reason("en") is None
