// Question: How are two actors connected? The shortest chain of facts between them (through
// events, places, quotes and other actors; never through the articles that mention both).
// Parameters:
//   from: actor  Name, alias or id of the first actor or place (any case, accents optional)
//   to: actor    Name, alias or id of the second
// Example:
//   :param from => "Sarfraz Bugti"
//   :param to => "Baloch Liberation Army"
// Demo (the example articles, `make demo`):
//   :param from => "JNIM"
//   :param to => "Menaka"
MATCH (a) WHERE (a:Group OR a:Organisation OR a:Person OR a:Place OR a:Target OR a:Actor)
  AND (a.id = $from OR any(n IN [a.name] + coalesce(a.aliases, []) WHERE reduce(k = "", c IN split(normalize(toLower(n), NFD), "") | k + CASE WHEN c =~ "\\p{M}" THEN "" ELSE c END) = reduce(k = "", c IN split(normalize(toLower($from), NFD), "") | k + CASE WHEN c =~ "\\p{M}" THEN "" ELSE c END)))
MATCH (b) WHERE (b:Group OR b:Organisation OR b:Person OR b:Place OR b:Target OR b:Actor)
  AND (b.id = $to OR any(n IN [b.name] + coalesce(b.aliases, []) WHERE reduce(k = "", c IN split(normalize(toLower(n), NFD), "") | k + CASE WHEN c =~ "\\p{M}" THEN "" ELSE c END) = reduce(k = "", c IN split(normalize(toLower($to), NFD), "") | k + CASE WHEN c =~ "\\p{M}" THEN "" ELSE c END)))
  AND a <> b
MATCH path = shortestPath((a)-[*..8]-(b))
WHERE none(n IN nodes(path) WHERE n:Article)
RETURN a.name AS from, b.name AS to, length(path) AS hops,
       [n IN nodes(path) | coalesce(n.name, n.label, n.text, n.id)] AS nodes,
       [r IN relationships(path) | type(r)] AS relationships
ORDER BY hops, from, to
LIMIT 10
