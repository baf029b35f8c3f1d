// Question: How many people were killed in each event, as a low / high / best estimate in the
// manner of UCDP and ACLED? Low: the smallest reported number; high: the largest (an open
// "at least N" counts as N); best: the median of the reported numbers. Counts everyone
// reported killed (attackers included; see `who`). Events that are only a claim are flagged.
// Cumulative or earlier tolls (a figure's scope "other") are not an event's own dead, and
// events the reports only recall as background are left out.
// Parameters:
//   from: date?  First day, inclusive (optional: all time when not given)
//   to: date?    Last day, inclusive (optional)
// Example:
//   :param from => date("2024-01-01")
//   :param to => date("2025-12-31")
MATCH (e:Event)-[:HAS_FIGURE]->(f:Figure {kind: "killed"})
WHERE ($from IS NULL OR e.date >= $from) AND ($to IS NULL OR e.date <= $to) AND NOT coalesce(e.background, false)
  AND coalesce(f.scope, "main") = "main"
WITH e, f, coalesce(f.max, f.min) AS value
WITH e, collect(f.min) AS lows, collect(value) AS values, collect(DISTINCT f.who) AS who,
     count(f) AS reports, count(DISTINCT f.article) AS articles,
     percentileDisc(value, 0.5) AS best
RETURN e.date AS date, e.label AS event, e.acled_event_type AS acled_event_type,
       reduce(m = null, v IN lows | CASE WHEN m IS NULL OR v < m THEN v ELSE m END) AS low,
       reduce(m = null, v IN values | CASE WHEN m IS NULL OR v > m THEN v ELSE m END) AS high,
       best, who, reports, articles, e.claimed_by IS NOT NULL AS only_claimed, e.id AS event_id
ORDER BY date, event_id
