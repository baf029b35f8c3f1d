"""Which language an article is written in, offline, and whether kg can extract it.

The rules, lexicons and spaCy model are English. An article in another language would
come out empty with no word why, so each article's language is detected first (with
py3langid, whose model ships inside the package: nothing is downloaded) and an article
in a language kg does not extract is reported as skipped, with one clear line.

`EXTRACTABLE` lists the languages with a folder under `kg/extract/lang/` (see
`kg.extract.lang`): a code there is extracted. Adding one means adding its folder (model,
morphology, data files) and reviewing the rules for it.

Short texts are hard to tell apart (a headline of names and a verb), so a text is only
called non-English when it is long enough and the detector is confident; otherwise the
language a reader gave (a sidecar, a page's `lang`) stands, or English is assumed.
"""

from __future__ import annotations

import re
import threading
from typing import Any

from kg.extract.lang import extractable

# Languages kg extracts, code → name: those with a language folder.
EXTRACTABLE: dict[str, str] = extractable()

# Names for the message about a skipped article; any other code is shown as it is.
LANGUAGE_NAMES: dict[str, str] = {
    "en": "English", "fr": "French", "es": "Spanish", "pt": "Portuguese", "de": "German",
    "it": "Italian", "nl": "Dutch", "ar": "Arabic", "ru": "Russian", "uk": "Ukrainian",
    "tr": "Turkish", "fa": "Persian", "ur": "Urdu", "hi": "Hindi", "bn": "Bengali",
    "zh": "Chinese", "ja": "Japanese", "ko": "Korean", "id": "Indonesian", "ms": "Malay",
    "sw": "Swahili", "so": "Somali", "ha": "Hausa", "am": "Amharic", "he": "Hebrew",
    "pl": "Polish", "ro": "Romanian", "sr": "Serbian", "hr": "Croatian", "my": "Burmese",
    "th": "Thai", "vi": "Vietnamese", "tl": "Tagalog", "ps": "Pashto", "ku": "Kurdish",
}

# Below this many words a text is too short to call non-English on the detector's word.
MIN_WORDS = 12
# How sure the detector must be (normalised probability) before an article is skipped.
MIN_CONFIDENCE = 0.95
# Enough text to tell a language; detection time stays flat for long articles.
_SAMPLE_CHARS = 4000
_WORD = re.compile(r"[^\W\d_]{2,}")
# English function words that are no words of the other languages news comes in. At least
# this share of them marks a text English at once: the detector costs more than spaCy's
# tokenizer on a short article, and nearly every article kg reads is English. English news
# runs at 0.12 and above, the nearest other language (Dutch: "was", "had") below 0.07.
_ENGLISH_WORDS = frozenset({
    "the", "and", "of", "to", "was", "were", "with", "that", "said", "from", "has", "have",
    "had", "by", "for", "after", "which", "who", "their", "they", "this", "been", "would"})
_ENGLISH_SHARE = 0.10

_identifier: Any = None
_lock = threading.Lock()


def _detector() -> Any:
    global _identifier
    if _identifier is None:
        with _lock:
            if _identifier is None:
                from py3langid.langid import MODEL_FILE, LanguageIdentifier

                _identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    return _identifier


def detect_language(text: str, given: str | None = None) -> str | None:
    """The ISO 639-1 code of the language `text` is in.

    `given` (what the source said, "en" or "fr-FR") is kept when the text is too short or the
    detector unsure; with neither, short or unclear texts are taken for English, the
    language kg is meant for. None only for a text with no words at all and no `given`.
    """
    given_code = given.strip().lower().split("-")[0].split("_")[0] if given and given.strip() else None
    sample = text[:_SAMPLE_CHARS]
    words = _WORD.findall(sample)
    if not words:
        return given_code
    if len(words) >= MIN_WORDS and _english_share(words) >= _ENGLISH_SHARE:
        return "en"
    code, confidence = _detector().classify(sample)
    if code == "en" or (len(words) >= MIN_WORDS and confidence >= MIN_CONFIDENCE):
        return str(code)
    return given_code or "en"


def _english_share(words: list[str]) -> float:
    return sum(word.lower() in _ENGLISH_WORDS for word in words) / len(words)


def language_name(code: str) -> str:
    return LANGUAGE_NAMES.get(code, code)


def unsupported_reason(code: str | None) -> str | None:
    """The one line that says why an article in language `code` is skipped, or None when kg
    extracts that language (or it is unknown)."""
    if code is None or code in EXTRACTABLE:
        return None
    extracted = " and ".join(EXTRACTABLE.values())
    return f"article is in {language_name(code)}; kg extracts {extracted} only"
