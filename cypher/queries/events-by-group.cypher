// Question: Which events did an armed group take part in during a period, and in what role?
// Parameters:
//   group: group  Name, alias or id of the group (any case, accents optional)
//   from: date?   First day, inclusive (optional: all time when not given)
//   to: date?     Last day, inclusive (optional)
// Example:
//   :param group => "BLA"
//   :param from => date("2025-03-01")
//   :param to => date("2025-03-31")
// Demo (the example articles, `make demo`):
//   :param group => "ISWAP"
WITH reduce(k = "", c IN split(normalize(toLower($group), NFD), "") | k + CASE WHEN c =~ "\\p{M}" THEN "" ELSE c END) AS wanted
MATCH (g:Group)
WHERE g.id = $group OR any(n IN [g.name] + coalesce(g.aliases, []) WHERE reduce(k = "", c IN split(normalize(toLower(n), NFD), "") | k + CASE WHEN c =~ "\\p{M}" THEN "" ELSE c END) = wanted)
MATCH (g)-[r:PERPETRATED|CLAIMED_RESPONSIBILITY|ATTRIBUTED_TO|TARGETED|RESPONDED_TO]-(e:Event)
WHERE ($from IS NULL OR e.date >= $from) AND ($to IS NULL OR e.date <= $to)
WITH g, e, type(r) AS role ORDER BY role
WITH g, e, collect(DISTINCT role) AS roles
OPTIONAL MATCH (e)-[:OCCURRED_IN]->(p:Place)
WITH g, e, roles, p.name AS place ORDER BY place
WITH g, e, roles, collect(DISTINCT place) AS places
RETURN g.name AS group, e.date AS date, e.type AS type, e.label AS event, roles, places,
       e.claimed_by IS NOT NULL AS only_claimed, e.id AS event_id
ORDER BY date, event_id
