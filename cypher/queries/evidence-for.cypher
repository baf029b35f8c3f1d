// Question: Which articles and sentences stand behind the facts linking two things?
// One row per supporting sentence, with its character offsets in the article body.
// Parameters:
//   subject: string  Name, alias or id of one end (an event's label words also work)
//   object: string   Name, alias or id of the other end
// Example:
//   :param subject => "Baloch Liberation Army"
//   :param object => "Balochistan"
MATCH (s) WHERE s.id = $subject OR toLower(s.name) = toLower($subject)
   OR any(alias IN coalesce(s.aliases, []) WHERE toLower(alias) = toLower($subject))
   OR (s:Event AND toLower(s.label) CONTAINS toLower($subject))
MATCH (s)-[r]-(o) WHERE NOT o:Article
  AND (o.id = $object OR toLower(o.name) = toLower($object)
       OR any(alias IN coalesce(o.aliases, []) WHERE toLower(alias) = toLower($object))
       OR (o:Event AND toLower(o.label) CONTAINS toLower($object)))
UNWIND range(0, size(r.articles) - 1) AS i
MATCH (a:Article {id: r.articles[i]})
RETURN startNode(r).name AS source, type(r) AS relationship, endNode(r).name AS target,
       a.source AS outlet, a.title AS article, a.published AS published, r.evidence[i] AS sentence,
       r.evidence_start[i] AS start, r.evidence_end[i] AS end, r.confidences[i] AS confidence
ORDER BY relationship, published, start
