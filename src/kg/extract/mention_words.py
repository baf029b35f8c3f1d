"""Word lists that several mention passes share."""

from __future__ import annotations

import re

from kg.schema import PlaceKind

# Nouns after a name that make it a settlement: "Garin Halilu village", "Kakuma camp".
SETTLEMENT = {"village", "town", "hamlet", "settlement", "locality", "district", "commune",
              "municipality", "camp", "area", "neighbourhood", "neighborhood", "suburb"}
# Months and weekdays: capitalised, yet never a place or a person.
CALENDAR = {"january", "february", "march", "april", "may", "june", "july", "august",
            "september", "october", "november", "december", "monday", "tuesday", "wednesday",
            "thursday", "friday", "saturday", "sunday"}
# An acronym the article defines: "The Baloch Liberation Army (BLA)".
ACRONYM_DEF = re.compile(
    r"(?P<long>(?:[A-Z][\w'’.-]*|of|for|the|and|al|el|de|du|des|la|le|in|on)"
    r"(?:\s+(?:[A-Z][\w'’.-]*|of|for|the|and|al|el|de|du|des|la|le|in|on))*)"
    r"\s*\((?P<short>[A-Z][A-Za-z0-9&-]{1,11})\)"
)
# Words that say the capitalised name before them is a locality, and the kind it is:
# "Gidan Kaka village", "Mudiya district", "Ganji Payam", "the Creggan area of Derry".
LOCALITY_CUES: dict[str, PlaceKind] = {
    "village": PlaceKind.VILLAGE, "villages": PlaceKind.VILLAGE, "hamlet": PlaceKind.VILLAGE,
    "settlement": PlaceKind.VILLAGE, "town": PlaceKind.CITY, "township": PlaceKind.CITY,
    "district": PlaceKind.ADMIN_REGION, "locality": PlaceKind.ADMIN_REGION,
    "county": PlaceKind.ADMIN_REGION, "sub-county": PlaceKind.ADMIN_REGION,
    "subcounty": PlaceKind.ADMIN_REGION, "payam": PlaceKind.ADMIN_REGION,
    "boma": PlaceKind.ADMIN_REGION, "commune": PlaceKind.ADMIN_REGION,
    "municipality": PlaceKind.ADMIN_REGION, "lga": PlaceKind.ADMIN_REGION,
    "tehsil": PlaceKind.ADMIN_REGION, "subdistrict": PlaceKind.ADMIN_REGION,
    "camp": PlaceKind.OTHER, "area": PlaceKind.OTHER, "neighbourhood": PlaceKind.OTHER,
    "neighborhood": PlaceKind.OTHER, "suburb": PlaceKind.OTHER, "quarter": PlaceKind.OTHER,
}
# Capitalised function words (titles, headlines) that do not make a name longer.
CAPITALISED_FUNCTION = {"in", "at", "near", "from", "and", "of", "the", "a", "an", "to", "on",
                        "for", "by", "with", "as", "after", "before", "outside", "into"}
