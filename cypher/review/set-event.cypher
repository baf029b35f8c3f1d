// Question: Record a correction that sets one field of an event (as `kg review set event` does).
// Parameters:
//   analyst: string  Who makes the correction
//   note: string     Why
//   article: string  The article whose report of the event is corrected
//   start: int       Offsets inside one of the event's evidence sentences (`kg review show EVENT` prints them)
//   end: int         (end of the span)
//   event_type: string  The event's type as the article reports it, when two events share the sentence ("" if not)
//   field: string    type, date, date_precision, place, geo_precision or background
//   value: string    The new value: a type, YYYY-MM-DD, day/week/month/year, a place id, exact/near/…, or true/false
// Example:
//   :param analyst => "ana"
//   :param note => "the arrests were on Wednesday, the day before the bombing"
//   :param article => "b8f31a98cec5517b"
//   :param start => 1404
//   :param end => 1673
//   :param event_type => "arrest"
//   :param field => "date"
//   :param value => "2025-04-16"
// The record is the same `:Correction` the command line makes; `kg review apply` (or the next
// ingest of the article) applies it, and every later load applies it again.
// Written with SET, not a map literal: Browser's editor closes a brace typed last.
CREATE (c:Correction)
SET c.id = "correction:" + replace(randomUUID(), "-", ""),
    c.analyst = $analyst,
    c.at = datetime(),
    c.note = $note,
    c.action = "set",
    c.field = $field,
    c.value = $value,
    c.article = $article,
    c.status = "recorded",
    c.target_kind = "event",
    c.target_article = $article,
    c.target_start = $start,
    c.target_end = $end,
    c.target_event_type = CASE WHEN $event_type = "" THEN null ELSE $event_type END
RETURN c.id AS correction, c.status AS status
