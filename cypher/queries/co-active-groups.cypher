// Question: Which armed groups are active in the same places (through their events, or where
// they are said to be active, based or to seek control)?
// Parameters: none
// Example:
//   (no parameters)
CALL () {
    MATCH (g:Group)-[:PERPETRATED|CLAIMED_RESPONSIBILITY]->(:Event)-[:OCCURRED_IN]->(p:Place)
    RETURN g, p
    UNION
    MATCH (g:Group)-[:ACTIVE_IN|BASED_IN|SEEKS]->(p:Place)
    RETURN g, p
}
WITH p, collect(DISTINCT g) AS groups
UNWIND groups AS a
UNWIND groups AS b
WITH p, a, b WHERE a.id < b.id
RETURN a.name AS group, b.name AS other_group, collect(p.name) AS shared_places,
       count(p) AS places
ORDER BY places DESC, group, other_group
