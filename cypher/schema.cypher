// kg: constraints and indexes. Applied by `kg schema apply` and by every `kg ingest`.
// Every statement is idempotent (IF NOT EXISTS). Labels mirror kg.schema.Label; a test keeps
// them in step. Statements are separated by semicolons at the end of a line.

// One uniqueness constraint on `id` per label: MERGE relies on them for identity, for speed and
// for the loader's lock.
CREATE CONSTRAINT article_id IF NOT EXISTS FOR (n:Article) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT event_id IF NOT EXISTS FOR (n:Event) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT group_id IF NOT EXISTS FOR (n:Group) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT organisation_id IF NOT EXISTS FOR (n:Organisation) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT place_id IF NOT EXISTS FOR (n:Place) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT person_id IF NOT EXISTS FOR (n:Person) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT target_id IF NOT EXISTS FOR (n:Target) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT actor_id IF NOT EXISTS FOR (n:Actor) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT quote_id IF NOT EXISTS FOR (n:Quote) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT figure_id IF NOT EXISTS FOR (n:Figure) REQUIRE n.id IS UNIQUE;
// Analysts' corrections (kg.schema.ReviewLabel; docs/review.md), found by the article they target.
CREATE CONSTRAINT correction_id IF NOT EXISTS FOR (n:Correction) REQUIRE n.id IS UNIQUE;
CREATE INDEX correction_article IF NOT EXISTS FOR (n:Correction) ON (n.article);
CREATE INDEX correction_other_article IF NOT EXISTS FOR (n:Correction) ON (n.other_article);
// Nodes a correction shows on (`reviewed: true`), found again when their marks are refreshed.
CREATE INDEX event_reviewed IF NOT EXISTS FOR (n:Event) ON (n.reviewed);
CREATE INDEX figure_reviewed IF NOT EXISTS FOR (n:Figure) ON (n.reviewed);
CREATE INDEX quote_reviewed IF NOT EXISTS FOR (n:Quote) ON (n.reviewed);
CREATE INDEX group_reviewed IF NOT EXISTS FOR (n:Group) ON (n.reviewed);
CREATE INDEX organisation_reviewed IF NOT EXISTS FOR (n:Organisation) ON (n.reviewed);
CREATE INDEX place_reviewed IF NOT EXISTS FOR (n:Place) ON (n.reviewed);
CREATE INDEX person_reviewed IF NOT EXISTS FOR (n:Person) ON (n.reviewed);
CREATE INDEX target_reviewed IF NOT EXISTS FOR (n:Target) ON (n.reviewed);
CREATE INDEX actor_reviewed IF NOT EXISTS FOR (n:Actor) ON (n.reviewed);

// Dates, for period filters and timelines.
CREATE INDEX event_date IF NOT EXISTS FOR (n:Event) ON (n.date);
CREATE INDEX event_type IF NOT EXISTS FOR (n:Event) ON (n.acled_event_type);
CREATE INDEX article_published IF NOT EXISTS FOR (n:Article) ON (n.published);
CREATE INDEX article_source IF NOT EXISTS FOR (n:Article) ON (n.source);

// Names, for exact look-ups.
CREATE INDEX group_name IF NOT EXISTS FOR (n:Group) ON (n.name);
CREATE INDEX organisation_name IF NOT EXISTS FOR (n:Organisation) ON (n.name);
CREATE INDEX place_name IF NOT EXISTS FOR (n:Place) ON (n.name);
CREATE INDEX person_name IF NOT EXISTS FOR (n:Person) ON (n.name);
CREATE INDEX target_name IF NOT EXISTS FOR (n:Target) ON (n.name);
CREATE INDEX actor_name IF NOT EXISTS FOR (n:Actor) ON (n.name);

// Article-local nodes, found by their article when it is replaced or removed.
CREATE INDEX quote_article IF NOT EXISTS FOR (n:Quote) ON (n.article);
CREATE INDEX figure_article IF NOT EXISTS FOR (n:Figure) ON (n.article);

// Full-text search over names and aliases (Neo4j Browser search, query `search`). Applying the
// schema rebuilds it when this definition changes (kg.neo4j.loader.apply_schema).
CREATE FULLTEXT INDEX entity_names IF NOT EXISTS
FOR (n:Group|Organisation|Person|Place|Target|Actor) ON EACH [n.name, n.aliases];

// Event coreference looks for reports by type and date window (kg.neo4j.loader, _CANDIDATES);
// year-long windows by precision and window, so a growing graph's past years are not scanned.
CREATE INDEX reports_type_window IF NOT EXISTS FOR ()-[r:REPORTS]-() ON (r.event_type, r.window_start);
CREATE INDEX reports_precision_window IF NOT EXISTS FOR ()-[r:REPORTS]-() ON (r.date_precision, r.window_start);
// A placed report looks only at the places where a match is possible (its own, those around
// it, those inside it, those near it), a report placed at a country in that country, and both
// at the dated reports without a place of their country (`unplaced_in`, "<country>:short" or
// "<country>:year") or of no country (`unplaced_span`), each set on those alone: the look-up reads
// a few places' reports, not all of the period's, so its cost stays flat as the graph grows.
// At places, each window span (`window_span`: "week", "month", "year") is read over its own
// range, so a day-precise report reads a week of each place's reports, not a month.
CREATE INDEX reports_place_span_window IF NOT EXISTS FOR ()-[r:REPORTS]-() ON (r.place, r.window_span, r.window_start);
CREATE INDEX reports_country_window IF NOT EXISTS FOR ()-[r:REPORTS]-() ON (r.place_country, r.window_start);
CREATE INDEX reports_country_precision_window IF NOT EXISTS FOR ()-[r:REPORTS]-() ON (r.place_country, r.date_precision, r.window_start);
CREATE INDEX reports_unplaced_window IF NOT EXISTS FOR ()-[r:REPORTS]-() ON (r.unplaced_span, r.window_start);
CREATE INDEX reports_unplaced_country_window IF NOT EXISTS FOR ()-[r:REPORTS]-() ON (r.unplaced_in, r.window_start);
// Reports without any date (no event date, no publication date) are found by place instead:
// an undated report looks up every report at its places, a dated one the undated ones there.
CREATE INDEX reports_place IF NOT EXISTS FOR ()-[r:REPORTS]-() ON (r.place);
CREATE INDEX reports_undated_place IF NOT EXISTS FOR ()-[r:REPORTS]-() ON (r.undated_place);
// Reports an analyst merged with reports of other articles (kg.review, "same:" pins).
CREATE INDEX reports_pinned IF NOT EXISTS FOR ()-[r:REPORTS]-() ON (r.pinned);
// A settle reads a stored match component whole by its name (kg.resolve.event_identity):
// its reports are not probed again, however many later articles have recalled the incident.
CREATE INDEX event_match_component IF NOT EXISTS FOR (n:Event) ON (n.match_component);
// Replaced by reports_precision_window.
DROP INDEX reports_precision IF EXISTS;

// Distances (query `events-near`).
CREATE POINT INDEX place_location IF NOT EXISTS FOR (n:Place) ON (n.location);
// Replaced by reports_place_span_window (applying the schema sets `window_span` on the reports
// of a graph loaded before it: kg.neo4j.schema).
DROP INDEX reports_place_window IF EXISTS;
DROP INDEX reports_place_precision_window IF EXISTS;
