// Question: What numbers were reported for each event (killed, wounded, hostages…), by whom,
// as which ranges, and where do the reports conflict?
// A group of figures (same event, kind and whom they count) conflicts when two of its ranges
// cannot both be true: the largest lower bound exceeds the smallest upper bound. "At least N"
// has no upper bound, "up to N" no lower one; "several" has no number and never conflicts.
// Parameters:
//   from: date?  First day, inclusive (optional: all time when not given)
//   to: date?    Last day, inclusive (optional)
// Example:
//   :param from => date("2025-03-01")
//   :param to => date("2025-03-31")
MATCH (e:Event)-[:HAS_FIGURE]->(f:Figure)
WHERE ($from IS NULL OR e.date >= $from) AND ($to IS NULL OR e.date <= $to)
OPTIONAL MATCH (f)-[:ACCORDING_TO]->(s)
OPTIONAL MATCH (a:Article {id: f.article})
WITH e, f, coalesce(s.name, coalesce(f.according_to_description, "own reporting")
                             + " (" + coalesce(a.source, a.id) + ")") AS source
ORDER BY f.article, f.id
WITH e, f.kind AS kind, f.who AS who,
     collect({text: f.text, min: f.min, max: f.max, approximate: f.approximate,
              source: source, article: f.article}) AS reports,
     collect(f.min) AS lows, collect(f.max) AS highs
WITH e, kind, who, reports,
     reduce(m = null, v IN lows | CASE WHEN m IS NULL OR v > m THEN v ELSE m END) AS largest_low,
     reduce(m = null, v IN highs | CASE WHEN m IS NULL OR v < m THEN v ELSE m END) AS smallest_high
RETURN e.date AS date, e.label AS event, kind, who, size(reports) AS reports_count, reports,
       coalesce(largest_low > smallest_high, false) AS conflicting, e.id AS event_id
ORDER BY date, event_id, kind, who
