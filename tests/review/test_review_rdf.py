"""The RDF export gives corrected values and each applied correction as a PROV-O activity
associated with its analyst; the export still conforms to the shapes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import rdflib
from neo4j import Driver
from rdflib.namespace import PROV, RDF, RDFS

from kg.export.export import export_rdf
from kg.extract.pipeline import Extractor
from kg.ingest import ingest
from kg.review.service import record
from tests.review.test_review_graph import ONE_OF_EACH, PATHS

pytestmark = pytest.mark.neo4j
KG = rdflib.Namespace("https://w3id.org/kg-conflict/ontology#")


def test_corrections_are_prov_activities_in_a_valid_export(kg: Driver, tmp_path: Path) -> None:
    ingest(PATHS[2:], kg, extractor=Extractor())
    record(kg, [ONE_OF_EACH[3], ONE_OF_EACH[13]])  # the arrest's date, the bombing's place
    out = tmp_path / "graph.ttl"
    result = export_rdf(kg, out, validate=True)
    assert result.validation is not None and not [k for k in result.skipped if "original_" in k]
    g = rdflib.Graph().parse(out)
    activities = set(g.subjects(RDF.type, KG.Correction))
    assert len(activities) == 2 and all((a, RDF.type, PROV.Activity) in g for a in activities)
    dated = next(a for a in activities if (a, KG.correctedField, rdflib.Literal("date")) in g)
    event = g.value(dated, KG.corrects)
    assert g.value(event, KG.date) == rdflib.Literal("2025-04-16", datatype=rdflib.XSD.date)
    assert str(g.value(dated, KG.originalValue)) == '"2025-04-17"'
    analyst = g.value(dated, PROV.wasAssociatedWith)
    assert (analyst, RDF.type, PROV.Agent) in g and str(g.value(analyst, RDFS.label)) == "ana"
    assert str(g.value(dated, RDFS.comment)) == "test set"

    later = tmp_path / "later.ttl"  # the bombing of the 18th, not the arrests of the 16th
    export_rdf(kg, later, since=dt.date(2025, 4, 18), validate=True)
    kept = rdflib.Graph().parse(later)
    [activity] = kept.subjects(RDF.type, KG.Correction)
    assert (activity, KG.correctedField, rdflib.Literal("place")) in kept
