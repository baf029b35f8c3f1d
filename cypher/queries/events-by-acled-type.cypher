// Question: How many events of each ACLED event type happened in a country, month by month?
// Parameters:
//   country: string  ISO 3166-1 alpha-2 code of the country, e.g. "PK"
//   from: date       First day, inclusive
//   to: date         Last day, inclusive
// Example:
//   :param country => "PK"
//   :param from => date("2024-01-01")
//   :param to => date("2025-12-31")
MATCH (e:Event)-[:OCCURRED_IN]->(p:Place)
WHERE p.country = toUpper($country) AND $from <= e.date <= $to
WITH DISTINCT e
RETURN toUpper($country) AS country, date.truncate("month", e.date) AS month,
       e.acled_event_type AS acled_event_type, count(e) AS events,
       collect(DISTINCT e.acled_sub_event_type) AS sub_event_types
ORDER BY month, acled_event_type
