// Question: Whom do the articles cite most: the sources of figures, the speakers of quotes and
// the outlets quotes were given to? An article's own unattributed figures count for its outlet.
// Parameters:
//   limit: int  How many sources to list
// Example:
//   :param limit => 10
CALL () {
    MATCH (f:Figure)-[:ACCORDING_TO]->(cited)
    RETURN cited, "figure" AS as, f.article AS article
    UNION ALL
    MATCH (f:Figure) WHERE NOT EXISTS { (f)-[:ACCORDING_TO]->() }
    MATCH (cited:Article {id: f.article})
    RETURN cited, "figure" AS as, f.article AS article
    UNION ALL
    MATCH (q:Quote)-[:REPORTED_BY]->(cited)
    RETURN cited, "told a quote" AS as, q.article AS article
    UNION ALL
    MATCH (cited)-[:SAID]->(q:Quote)
    RETURN cited, "quoted" AS as, q.article AS article
}
WITH cited, as, article
WITH CASE WHEN cited:Article THEN coalesce(cited.source, cited.id) + " (own reporting)" ELSE cited.name END AS source,
     labels(cited)[0] AS label, as, article
WITH source, label, count(*) AS citations, collect(DISTINCT as) AS cited_as, count(DISTINCT article) AS articles
RETURN source, label, citations, cited_as, articles
ORDER BY citations DESC, source
LIMIT $limit
