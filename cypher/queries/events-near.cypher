// Question: Which events happened within a distance of a point?
// Uses Place.location (WGS-84) and its point index; events whose place has no coordinates
// are not found.
// Parameters:
//   latitude: float   Latitude of the point, degrees
//   longitude: float  Longitude of the point, degrees
//   km: float         Radius in kilometres
// Example:
//   :param latitude => 30.18
//   :param longitude => 66.99
//   :param km => 50.0
// Demo (the example articles, `make demo`):
//   :param latitude => 15.92
//   :param longitude => 2.40
//   :param km => 100.0
WITH point({latitude: $latitude, longitude: $longitude}) AS centre
MATCH (p:Place)
WHERE point.distance(p.location, centre) <= $km * 1000
MATCH (e:Event)-[:OCCURRED_IN]->(p)
RETURN e.date AS date, e.label AS event, p.name AS place,
       round(point.distance(p.location, centre) / 1000.0, 1) AS distance_km, e.id AS event_id
ORDER BY distance_km, date, event_id
