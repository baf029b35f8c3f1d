// Everything one row of the events table needs, for a page of events ($ids, from
// events-select.cypher): the event, its place with the places enclosing it (nearest first),
// the actors on each side with how many articles support each link, the killed figures of the
// event's own toll (scope "main": cumulative or earlier tolls are not its dead) with who gave
// them, and each article's report with its evidence sentences. kg.export.events turns this
// into ACLED's columns (docs/exports.md).
// Parameters:
//   ids: list        Event ids
//   sentences: bool  every evidence sentence of each report (for the report), else the first
UNWIND $ids AS id
MATCH (e:Event {id: id})
OPTIONAL MATCH (e)-[:OCCURRED_IN]->(place:Place)
RETURN e {.id, .type, .acled_event_type, .acled_sub_event_type, .label, .date_precision,
          .claimed_by, .background, .reviewed, .reviewed_by, date: toString(e.date)} AS event,
       place {.id, .name, .kind, .country, .latitude, .longitude, .precision} AS place,
       COLLECT {
         MATCH path = (place)-[:LOCATED_IN*1..6]->(up:Place)
         WITH up, length(path) AS depth ORDER BY depth
         RETURN up {.id, .name, .kind, .country, .latitude, .longitude, .precision}
       } AS enclosing,
       COLLECT {
         MATCH (e)-[r:PERPETRATED|CLAIMED_RESPONSIBILITY|ATTRIBUTED_TO|TARGETED]-(x)
         WHERE x.id IS NOT NULL
         RETURN {relation: type(r), label: head(labels(x)), id: x.id, name: x.name, kind: x.kind,
                 country: x.country, support: size(coalesce(r.articles, []))}
       } AS actors,
       COLLECT {
         MATCH (e)-[:HAS_FIGURE]->(f:Figure {kind: "killed"})
         WHERE coalesce(f.scope, "main") = "main"
         OPTIONAL MATCH (f)-[:ACCORDING_TO]->(s)
         OPTIONAL MATCH (outlet:Article {id: f.article})
         RETURN {id: f.id, min: f.min, max: f.max, text: f.text, article: f.article,
                 outlet: coalesce(outlet.source, f.article),
                 source: CASE WHEN s IS NULL OR s:Article THEN f.according_to_description
                              ELSE s.name END}
       } AS killed,
       COLLECT {
         MATCH (a:Article)-[r:REPORTS]->(e)
         RETURN {article: a.id, title: a.title, source: a.source, url: a.url,
                 published: toString(a.published), ingested_at: a.ingested_at.epochSeconds,
                 background: coalesce(r.background, false),
                 evidence: CASE WHEN $sentences THEN r.evidence ELSE r.evidence[0..1] END}
       } AS reports
