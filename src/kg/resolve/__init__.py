"""Identity across articles: the user's alias file, then event coreference.

Entities already share ids across articles (`kg.ids.entity_id` from canonical names); the
alias file lets a user merge or split them (`Aliases.apply`, one article at a time, before
loading). Events are article-local until `settle_events` (`event_identity`) groups the
reports of one incident into one canonical Event, scoring pairs with `coreference`. The rules
are documented in cypher/README.md. The resolve stage reads the reports and the place
hierarchy already in the graph through a `ReportStore` that the load stage provides
(`kg.neo4j.event_reports`); it never imports the load stage.
"""

from kg.resolve.aliases import Aliases, AliasFile, SplitRule, SplitWhen
from kg.resolve.coreference import (
    BACKGROUND_MARGIN,
    MATCH_THRESHOLD,
    NEAR_KM,
    SCORE_DATES_OVERLAP,
    SCORE_NEAR_PLACE,
    SCORE_NEXT_DAY,
    SCORE_OTHER_PERPETRATOR,
    SCORE_OTHER_TARGET,
    SCORE_OTHER_TOLL,
    SCORE_PLACE_IN_REGION,
    SCORE_PLACE_IN_TOWN,
    SCORE_PLACE_UNKNOWN,
    SCORE_SAME_DAY,
    SCORE_SAME_PERPETRATOR,
    SCORE_SAME_PLACE,
    SCORE_SAME_SIDE,
    SCORE_SAME_TARGET,
    SCORE_SAME_TOLL,
    SCORE_SAME_TYPE,
    TOLL_AGREE,
    TOLL_DISAGREE,
    TOLL_LARGE,
    TOLL_LARGE_RATIO,
    Match,
    canonical_event_id,
    cluster_reports,
    compatibility,
    compatible_types,
    distance_km,
    places_related,
    reports_match,
    representative,
    score_reports,
    settle_reports,
    threshold,
)
from kg.resolve.event_identity import (
    DatedProbe,
    Explanation,
    PlacedProbe,
    ReportStore,
    Settlement,
    StoredReport,
    settle_events,
)
from kg.resolve.reports import (
    SHORT_WINDOW_DAYS,
    SLACK,
    UNDATED_LOOKBACK,
    WINDOW_SPANS,
    YEAR_WINDOW_DAYS,
    EventReport,
    date_window,
    report_key,
    reports_of,
    windows_overlap,
)

__all__ = [
    "AliasFile", "Aliases", "BACKGROUND_MARGIN", "DatedProbe", "EventReport", "Explanation",
    "MATCH_THRESHOLD", "Match", "PlacedProbe", "ReportStore", "Settlement", "StoredReport",
    "NEAR_KM", "SCORE_DATES_OVERLAP", "SCORE_NEAR_PLACE", "SCORE_NEXT_DAY",
    "SCORE_OTHER_PERPETRATOR", "SCORE_OTHER_TARGET", "SCORE_OTHER_TOLL",
    "SCORE_PLACE_IN_REGION", "SCORE_PLACE_IN_TOWN", "SCORE_PLACE_UNKNOWN", "SCORE_SAME_DAY",
    "SCORE_SAME_PERPETRATOR", "SCORE_SAME_PLACE", "SCORE_SAME_SIDE", "SCORE_SAME_TARGET",
    "SCORE_SAME_TOLL", "SCORE_SAME_TYPE", "SHORT_WINDOW_DAYS", "SLACK", "SplitRule",
    "SplitWhen", "TOLL_AGREE", "TOLL_DISAGREE", "TOLL_LARGE", "TOLL_LARGE_RATIO",
    "UNDATED_LOOKBACK", "WINDOW_SPANS", "YEAR_WINDOW_DAYS", "canonical_event_id", "cluster_reports",
    "compatibility", "compatible_types", "date_window", "distance_km", "places_related",
    "report_key", "reports_match", "reports_of", "representative", "score_reports",
    "settle_events", "settle_reports", "threshold", "windows_overlap",
]
