// Question: Which groups, organisations, people, places, targets or unnamed actors match some
// words? Full-text search over names and aliases (Lucene syntax: `Baloch*`, `"Liberation Army"`,
// `BLA OR BLF`).
// Parameters:
//   q: string  The search words
// Example:
//   :param q => "BLA"
// Demo (the example articles, `make demo`):
//   :param q => "Shabaab"
CALL db.index.fulltext.queryNodes("entity_names", $q) YIELD node, score
RETURN labels(node)[0] AS label, node.name AS name, node.aliases AS aliases, node.kind AS kind,
       node.country AS country, round(score, 3) AS score, node.id AS id
ORDER BY score DESC, id
LIMIT 25
