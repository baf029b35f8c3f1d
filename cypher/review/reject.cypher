// Question: Record a correction that rejects an event, a figure or a relationship (as `kg review reject` does).
// Parameters:
//   analyst: string  Who makes the correction
//   note: string     Why
//   kind: string     event, figure or relation
//   article: string  The article that states it
//   start: int       Offsets inside its evidence sentence (a quote's: inside the quotation)
//   end: int         (end of the span)
//   text: string     A figure's own words, e.g. "at least 11 soldiers" ("" for others)
//   type: string     A relation's type, e.g. CLAIMED_RESPONSIBILITY, TARGETED, SAID ("" for others)
//   source: string   A relation's source: an entity id, or event / figure / quote ("" for others)
//   target: string   A relation's target: an entity id, or event / figure / quote ("" for others)
// Example:
//   :param analyst => "ana"
//   :param note => "al-Shabaab claimed the bombing; it was not its target"
//   :param kind => "relation"
//   :param article => "b8f31a98cec5517b"
//   :param start => 0
//   :param end => 243
//   :param text => ""
//   :param type => "TARGETED"
//   :param source => "event"
//   :param target => "group:al-shabaab"
// `kg review apply` (or the next ingest of the article) applies it.
// Written with SET, not a map literal: Browser's editor closes a brace typed last.
CREATE (c:Correction)
SET c.id = "correction:" + replace(randomUUID(), "-", ""),
    c.analyst = $analyst,
    c.at = datetime(),
    c.note = $note,
    c.action = "reject",
    c.article = $article,
    c.status = "recorded",
    c.target_kind = $kind,
    c.target_article = $article,
    c.target_start = $start,
    c.target_end = $end,
    c.target_text = CASE WHEN $text = "" THEN null ELSE $text END,
    c.target_type = CASE WHEN $type = "" THEN null ELSE $type END,
    c.target_source = CASE WHEN $source = "" THEN null ELSE $source END,
    c.target_target = CASE WHEN $target = "" THEN null ELSE $target END
RETURN c.id AS correction, c.status AS status
