// Question: How many events of each ACLED event type happened in a country, month by month?
// Parameters:
//   country: country  The country's name (as in the graph, accents optional) or its ISO 3166-1
//                     alpha-2 code, e.g. "Pakistan" or "PK"
//   from: date?       First day, inclusive (optional: all time when not given)
//   to: date?         Last day, inclusive (optional)
// Example:
//   :param country => "PK"
//   :param from => date("2024-01-01")
//   :param to => date("2025-12-31")
// Demo (the example articles, `make demo`):
//   :param country => "Mali"
WITH reduce(k = "", c IN split(normalize(toLower($country), NFD), "") | k + CASE WHEN c =~ "\\p{M}" THEN "" ELSE c END) AS wanted
OPTIONAL MATCH (named:Place {kind: "country"})
WHERE any(n IN [named.name] + coalesce(named.aliases, []) WHERE reduce(k = "", c IN split(normalize(toLower(n), NFD), "") | k + CASE WHEN c =~ "\\p{M}" THEN "" ELSE c END) = wanted)
WITH coalesce(named.country, toUpper($country)) AS code
MATCH (e:Event)-[:OCCURRED_IN]->(p:Place)
WHERE p.country = code AND ($from IS NULL OR e.date >= $from) AND ($to IS NULL OR e.date <= $to)
WITH DISTINCT code, e
// An undated event (a report that gives no day) counts under an empty month.
RETURN code AS country, CASE WHEN e.date IS NULL THEN null ELSE date.truncate("month", e.date) END AS month,
       e.acled_event_type AS acled_event_type, count(e) AS events,
       collect(DISTINCT e.acled_sub_event_type) AS sub_event_types
ORDER BY month, acled_event_type
