"""RDF export: the Neo4j graph as Turtle, N-Triples, N-Quads, JSON-LD or RDF/XML (docs/rdf.md).

    from kg.export import export_rdf
    with kg.neo4j.connection.connect() as driver:
        export_rdf(driver, "graph.ttl", since=datetime.date(2025, 1, 1), validate=True)
"""

from kg.export.export import DEFAULT_PAGE_SIZE, ExportResult, export_rdf
from kg.export.ontology import CheckReport, check_ontology
from kg.export.terms import DEFAULT_BASE_IRI, ONTOLOGY_IRI
from kg.export.validate import ValidationFailed, ValidationReport, Violation
from kg.export.writers import FORMATS, Format, get_format

__all__ = [
    "DEFAULT_BASE_IRI",
    "DEFAULT_PAGE_SIZE",
    "FORMATS",
    "ONTOLOGY_IRI",
    "CheckReport",
    "ExportResult",
    "Format",
    "ValidationFailed",
    "ValidationReport",
    "Violation",
    "check_ontology",
    "export_rdf",
    "get_format",
]
