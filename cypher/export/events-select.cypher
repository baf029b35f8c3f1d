// Which canonical events does `kg export events` (and `kg report`) hold? One row per Event
// node, that is per incident after cross-article coreference, ordered by id. Events the reports
// only recall as background are left out unless $with_background. Every filter is optional
// (null: no condition) and all given ones must hold; see docs/exports.md.
// Parameters (all may be null):
//   lock: string            the loader's lock node id, never an event
//   with_background: bool   also events every report recalls as context
//   since, until: date      dated within the period (undated events never match a period)
//   types: list             kg event types (kg.schema.EventType values)
//   groups: list            ids of groups linked to the event by any relationship
//   countries: list         ISO 3166-1 alpha-2 codes of the event's place
//   places: list            ids of places the event occurred in, or inside
MATCH (e:Event)
WHERE e.id <> $lock
  AND ($with_background OR NOT coalesce(e.background, false))
  AND ($since IS NULL OR e.date >= $since)
  AND ($until IS NULL OR e.date <= $until)
  AND ($types IS NULL OR e.type IN $types)
  AND ($groups IS NULL OR EXISTS { MATCH (g:Group)--(e) WHERE g.id IN $groups })
  AND ($countries IS NULL OR EXISTS {
        MATCH (e)-[:OCCURRED_IN]->(p:Place) WHERE p.country IN $countries })
  AND ($places IS NULL OR EXISTS {
        MATCH (e)-[:OCCURRED_IN]->(:Place)-[:LOCATED_IN*0..]->(p:Place) WHERE p.id IN $places })
RETURN e.id AS id
ORDER BY id
