// Question: What happened in a place, including every place inside it, and who was involved?
// Parameters:
//   place: place  Name, alias or id of the place (any case, accents optional)
// Example:
//   :param place => "Balochistan"
// Demo (the example articles, `make demo`):
//   :param place => "Menaka"
WITH reduce(k = "", c IN split(normalize(toLower($place), NFD), "") | k + CASE WHEN c =~ "\\p{M}" THEN "" ELSE c END) AS wanted
MATCH (p:Place)
WHERE p.id = $place OR any(n IN [p.name] + coalesce(p.aliases, []) WHERE reduce(k = "", c IN split(normalize(toLower(n), NFD), "") | k + CASE WHEN c =~ "\\p{M}" THEN "" ELSE c END) = wanted)
MATCH (sub:Place)-[:LOCATED_IN*0..]->(p)
MATCH (e:Event)-[:OCCURRED_IN]->(sub)
WITH e, sub.name AS place ORDER BY place
WITH e, collect(DISTINCT place) AS places
OPTIONAL MATCH (actor)-[:PERPETRATED]->(e)
WITH e, places, actor.name AS actor ORDER BY actor
WITH e, places, collect(DISTINCT actor) AS perpetrators
OPTIONAL MATCH (e)-[:TARGETED]->(target)
WITH e, places, perpetrators, target.name AS target ORDER BY target
WITH e, places, perpetrators, collect(DISTINCT target) AS targets
RETURN e.date AS date, e.type AS type, e.label AS event, places, perpetrators, targets,
       COUNT { (:Article)-[:REPORTS]->(e) } AS articles, e.id AS event_id
ORDER BY date, event_id
