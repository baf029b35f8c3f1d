// Question: Who said what about an event, and to which outlet?
// Parameters:
//   event: event  Event id, or words from its label (any case, accents optional)
// Example:
//   :param event => "security operation"
// Demo (the example articles, `make demo`):
//   :param event => "Tera"
MATCH (e:Event)
WHERE (e.id = $event OR reduce(k = "", c IN split(normalize(toLower(e.label), NFD), "") | k + CASE WHEN c =~ "\\p{M}" THEN "" ELSE c END) CONTAINS reduce(k = "", c IN split(normalize(toLower($event), NFD), "") | k + CASE WHEN c =~ "\\p{M}" THEN "" ELSE c END))
MATCH (q:Quote)-[:ABOUT]->(e)
OPTIONAL MATCH (speaker)-[:SAID]->(q)
OPTIONAL MATCH (q)-[:REPORTED_BY]->(outlet:Organisation)
OPTIONAL MATCH (q)-[:QUOTED_IN]->(a:Article)
RETURN e.label AS event, coalesce(speaker.name, q.speaker_description) AS speaker,
       speaker.role AS role, q.text AS quote, outlet.name AS told_to,
       a.source AS article_source, a.title AS article
ORDER BY article_source, q.start
