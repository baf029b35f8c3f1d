// Question: Which articles and sentences stand behind the facts linking two things?
// One row per supporting sentence, with its character offsets in the article body.
// Parameters:
//   subject: actor  Name, alias or id of one end (an event's label words also work; any case,
//                   accents optional)
//   object: actor   Name, alias or id of the other end
// Example:
//   :param subject => "Baloch Liberation Army"
//   :param object => "Balochistan"
// Demo (the example articles, `make demo`):
//   :param subject => "ISWAP"
//   :param object => "Mallam Fatori"
MATCH (s) WHERE (s.id = $subject OR any(n IN [s.name] + coalesce(s.aliases, []) WHERE reduce(k = "", c IN split(normalize(toLower(n), NFD), "") | k + CASE WHEN c =~ "\\p{M}" THEN "" ELSE c END) = reduce(k = "", c IN split(normalize(toLower($subject), NFD), "") | k + CASE WHEN c =~ "\\p{M}" THEN "" ELSE c END)))
   OR (s:Event AND reduce(k = "", c IN split(normalize(toLower(s.label), NFD), "") | k + CASE WHEN c =~ "\\p{M}" THEN "" ELSE c END) CONTAINS reduce(k = "", c IN split(normalize(toLower($subject), NFD), "") | k + CASE WHEN c =~ "\\p{M}" THEN "" ELSE c END))
MATCH (s)-[r]-(o) WHERE NOT o:Article
  AND ((o.id = $object OR any(n IN [o.name] + coalesce(o.aliases, []) WHERE reduce(k = "", c IN split(normalize(toLower(n), NFD), "") | k + CASE WHEN c =~ "\\p{M}" THEN "" ELSE c END) = reduce(k = "", c IN split(normalize(toLower($object), NFD), "") | k + CASE WHEN c =~ "\\p{M}" THEN "" ELSE c END)))
       OR (o:Event AND reduce(k = "", c IN split(normalize(toLower(o.label), NFD), "") | k + CASE WHEN c =~ "\\p{M}" THEN "" ELSE c END) CONTAINS reduce(k = "", c IN split(normalize(toLower($object), NFD), "") | k + CASE WHEN c =~ "\\p{M}" THEN "" ELSE c END)))
UNWIND range(0, size(r.articles) - 1) AS i
MATCH (a:Article {id: r.articles[i]})
RETURN coalesce(startNode(r).name, startNode(r).label) AS source, type(r) AS relationship,
       coalesce(endNode(r).name, endNode(r).label) AS target,
       a.source AS outlet, a.title AS article, a.published AS published, r.evidence[i] AS sentence,
       r.evidence_start[i] AS start, r.evidence_end[i] AS end, r.confidences[i] AS confidence
ORDER BY relationship, published, start
