// Question: Which events did an armed group take part in during a period, and in what role?
// Parameters:
//   group: string  Name, alias or id of the group (any case)
//   from: date     First day, inclusive
//   to: date       Last day, inclusive
// Example:
//   :param group => "BLA"
//   :param from => date("2025-03-01")
//   :param to => date("2025-03-31")
MATCH (g:Group)
WHERE g.id = $group OR toLower(g.name) = toLower($group)
   OR any(alias IN coalesce(g.aliases, []) WHERE toLower(alias) = toLower($group))
MATCH (g)-[r:PERPETRATED|CLAIMED_RESPONSIBILITY|ATTRIBUTED_TO|TARGETED|RESPONDED_TO]-(e:Event)
WHERE $from <= e.date <= $to
WITH g, e, type(r) AS role ORDER BY role
WITH g, e, collect(DISTINCT role) AS roles
OPTIONAL MATCH (e)-[:OCCURRED_IN]->(p:Place)
WITH g, e, roles, p.name AS place ORDER BY place
WITH g, e, roles, collect(DISTINCT place) AS places
RETURN g.name AS group, e.date AS date, e.type AS type, e.label AS event, roles, places,
       e.claimed_by IS NOT NULL AS only_claimed, e.id AS event_id
ORDER BY date, event_id
