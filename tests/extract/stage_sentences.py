"""Sentences the stage unit tests run on, written for these tests (not taken from any outlet).

`parsed_sentences` (conftest) parses them all in one `nlp.pipe` call per test run, so each
stage test costs its rules only, not a parse.
"""

from __future__ import annotations

SENTENCES: dict[str, str] = {
    "quotations": 'A district officer said: "The gunmen came at night and took everything we had." '
                  'Another man said "no comment".',
    "mentions": "Boko Haram fighters clashed with Nigerian troops near Maiduguri on Monday, the army said.",
    "generic": "Al-Shabaab said it carried out the bombing in Mogadishu. The militants also set fire to a "
               "police post.",
    "events": "Gunmen abducted twelve farmers in Zamfara state on Tuesday.",
    "threat": "The group has threatened to attack the town again.",
    "quotes": 'A police spokesman in Peshawar said: "We will find the people who planted the bomb in the '
              'market."',
    "figures": "At least seven soldiers were killed and nine others were wounded in the ambush near Gao on "
               "Sunday.",
    "relations": "The Pakistani Taliban claimed the suicide bombing at a police station in Bannu on Friday.",
    "places": "Police reported an explosion in Maiduguri on Friday.",
    "gas": "Government aircraft dropped chlorine gas on the village of Kafr Zita on Sunday, killing five "
           "people, residents said.",
    "unnamed speaker": "Houthi fighters shelled a market in Taiz. The coalition issued a statement, "
                       "saying it was targeting missile launchers.",
}
