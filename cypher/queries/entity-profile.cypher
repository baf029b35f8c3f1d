// Question: What does the graph know about one actor (named or not), place or target: its
// names, kind, country, the events it is involved in by role, and when it was first and last
// reported?
// Parameters:
//   name: actor  Name, alias or id (any case, accents optional)
// Example:
//   :param name => "Baloch Liberation Army"
// Demo (the example articles, `make demo`):
//   :param name => "JNIM"
MATCH (x) WHERE (x:Group OR x:Organisation OR x:Person OR x:Place OR x:Target OR x:Actor)
  AND (x.id = $name OR any(n IN [x.name] + coalesce(x.aliases, []) WHERE reduce(k = "", c IN split(normalize(toLower(n), NFD), "") | k + CASE WHEN c =~ "\\p{M}" THEN "" ELSE c END) = reduce(k = "", c IN split(normalize(toLower($name), NFD), "") | k + CASE WHEN c =~ "\\p{M}" THEN "" ELSE c END)))
OPTIONAL MATCH (a:Article)-[:MENTIONS]->(x)
WITH x, count(DISTINCT a) AS articles, min(a.published) AS first_reported, max(a.published) AS last_reported
OPTIONAL MATCH (x)-[r]-(e:Event)
WITH x, articles, first_reported, last_reported, type(r) AS role, count(DISTINCT e) AS events
WITH x, articles, first_reported, last_reported,
     [pair IN collect([role, events]) WHERE pair[0] IS NOT NULL | pair[0] + ": " + toString(pair[1])] AS events_by_role
RETURN labels(x)[0] AS label, x.name AS name, x.aliases AS aliases, x.kind AS kind,
       x.country AS country, articles, first_reported, last_reported, events_by_role, x.id AS id
ORDER BY label, id
