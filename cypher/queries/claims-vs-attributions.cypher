// Question: For each event, who claimed it, who denied it, to whom did others attribute it, who
// is reported as perpetrator, and is the event itself only some actor's claim?
// Parameters:
//   from: date?  First day, inclusive (optional: all time when not given)
//   to: date?    Last day, inclusive (optional)
// Example:
//   :param from => date("2024-01-01")
//   :param to => date("2025-12-31")
MATCH (e:Event)
WHERE ($from IS NULL OR e.date >= $from) AND ($to IS NULL OR e.date <= $to)
OPTIONAL MATCH (claimant)-[:CLAIMED_RESPONSIBILITY]->(e)
WITH e, collect(DISTINCT claimant.name) AS claimed_by
OPTIONAL MATCH (denier)-[:DENIED_RESPONSIBILITY]->(e)
WITH e, claimed_by, collect(DISTINCT denier.name) AS denied_by
OPTIONAL MATCH (e)-[:ATTRIBUTED_TO]->(blamed)
WITH e, claimed_by, denied_by, collect(DISTINCT blamed.name) AS attributed_to
OPTIONAL MATCH (perpetrator)-[:PERPETRATED]->(e)
WITH e, claimed_by, denied_by, attributed_to, collect(DISTINCT perpetrator.name) AS perpetrators
WHERE size(claimed_by) > 0 OR size(denied_by) > 0 OR size(attributed_to) > 0
   OR e.claimed_by IS NOT NULL
OPTIONAL MATCH (claimer {id: e.claimed_by}) WHERE claimer:Group OR claimer:Organisation OR claimer:Person
RETURN e.date AS date, e.label AS event, claimed_by, denied_by, attributed_to, perpetrators,
       CASE
         WHEN size(claimed_by) > 0 AND size(attributed_to) > 0
              AND any(x IN claimed_by WHERE x IN attributed_to) THEN "claimed and attributed"
         WHEN size(claimed_by) > 0 AND size(attributed_to) > 0 THEN "claim disputed"
         WHEN size(claimed_by) > 0 THEN "claimed only"
         WHEN size(attributed_to) > 0 AND any(x IN denied_by WHERE x IN attributed_to)
              THEN "attributed and denied"
         WHEN size(attributed_to) > 0 THEN "attributed only"
         WHEN size(denied_by) > 0 THEN "denied only"
         ELSE "not claimed"
       END AS status,
       coalesce(claimer.name, e.claimed_by) AS event_is_claim_of, e.id AS event_id
ORDER BY date, event_id
