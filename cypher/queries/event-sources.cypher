// Question: Which articles report an event, when were they published, and what sentence in
// each states it? Shows how an incident was covered and how the reports were merged: each
// report's best match among the event's other reports, its score and the reasons.
// Parameters:
//   event: event  Event id, or words from its label (any case, accents optional)
// Example:
//   :param event => "Jaffar Express"
// Demo (the example articles, `make demo`):
//   :param event => "Afgooye"
MATCH (e:Event)
WHERE (e.id = $event OR reduce(k = "", c IN split(normalize(toLower(e.label), NFD), "") | k + CASE WHEN c =~ "\\p{M}" THEN "" ELSE c END) CONTAINS reduce(k = "", c IN split(normalize(toLower($event), NFD), "") | k + CASE WHEN c =~ "\\p{M}" THEN "" ELSE c END))
MATCH (a:Article)-[r:REPORTS]->(e)
RETURN e.label AS event, a.source AS outlet, a.title AS article, a.published AS published,
       r.label AS reported_as, r.event_type AS reported_type, r.date AS reported_date,
       r.date_precision AS precision, r.match_score AS match_score,
       r.match_reasons AS match_reasons, r.evidence[0] AS sentence, a.id AS article_id
ORDER BY published, outlet
