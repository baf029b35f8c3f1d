// Question: What is the timeline of a conflict in a region: every event there in a period, in
// order, with its actors, how precisely it is dated and how many articles report it?
// Parameters:
//   place: place  Name, alias or id of the region (events in places inside it count; any
//                 case, accents optional)
//   from: date?   First day, inclusive (optional: all time when not given)
//   to: date?     Last day, inclusive (optional)
// Example:
//   :param place => "Pakistan"
//   :param from => date("2024-01-01")
//   :param to => date("2025-12-31")
// Demo (the example articles, `make demo`):
//   :param place => "Nigeria"
WITH reduce(k = "", c IN split(normalize(toLower($place), NFD), "") | k + CASE WHEN c =~ "\\p{M}" THEN "" ELSE c END) AS wanted
MATCH (region:Place)
WHERE region.id = $place
   OR any(n IN [region.name] + coalesce(region.aliases, []) WHERE reduce(k = "", c IN split(normalize(toLower(n), NFD), "") | k + CASE WHEN c =~ "\\p{M}" THEN "" ELSE c END) = wanted)
MATCH (e:Event)-[:OCCURRED_IN]->(:Place)-[:LOCATED_IN*0..]->(region)
WHERE ($from IS NULL OR e.date >= $from) AND ($to IS NULL OR e.date <= $to)
WITH DISTINCT e
OPTIONAL MATCH (actor)-[r:PERPETRATED|CLAIMED_RESPONSIBILITY|ATTRIBUTED_TO]-(e)
WITH e, collect(DISTINCT actor.name) AS actors
RETURN e.date AS date, e.date_precision AS precision, e.acled_event_type AS acled_event_type,
       e.label AS event, actors, COUNT { (:Article)-[:REPORTS]->(e) } AS articles, e.id AS event_id
ORDER BY date, event_id
