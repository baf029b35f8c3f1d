// Question: Which actors (groups, organisations, people) first appeared in the news on or
// after a date? "First seen" is the earliest publication date of an article mentioning them.
// Parameters:
//   since: date  The date
// Example:
//   :param since => date("2025-01-01")
MATCH (a:Article)-[:MENTIONS]->(x)
WHERE (x:Group OR x:Organisation OR x:Person) AND a.published IS NOT NULL
WITH x, min(a.published) AS first_seen, count(DISTINCT a) AS articles
WHERE first_seen >= $since
RETURN labels(x)[0] AS label, x.name AS name, x.kind AS kind, x.country AS country,
       first_seen, articles, x.id AS id
ORDER BY first_seen, label, name
