// Question: Which corrections have analysts made, what do they show on, and do they still apply?
// Parameters:
//   since: date  Only corrections made on or after this day
// Example:
//   :param since => date("2025-01-01")
// status: applied, orphaned (the article changed: `reason` says what is gone), pending (the
// article is not in the graph), recorded (not applied yet: `kg review apply`), undone, undo.
MATCH (c:Correction) WHERE date(c.at) >= $since
OPTIONAL MATCH (c)-[:CORRECTS]->(n)
RETURN c.id AS correction, c.at AS at, c.analyst AS analyst, c.action AS action, c.field AS field,
       c.value AS value, c.note AS note, c.status AS status, c.reason AS reason,
       labels(n)[0] AS shows_on, coalesce(n.label, n.name, n.text, n.id) AS node
ORDER BY at DESC
