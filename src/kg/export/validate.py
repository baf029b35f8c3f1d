"""SHACL validation of an export with pyshacl, reported as a list of violations.

The export is parsed back with rdflib (its whole graph is in memory here, unlike during the
export itself) and checked against ontology/shapes.ttl. The shapes type every node directly,
so no inference is needed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.errors import ExportError
from kg.export.ontology import shapes_graph
from kg.export.terms import PREFIXES
from kg.export.writers import Format


@dataclass(frozen=True, order=True)
class Violation:
    focus: str
    path: str
    message: str
    value: str = ""
    shape: str = ""
    severity: str = "Violation"

    def __str__(self) -> str:
        value = f" (value {self.value})" if self.value else ""
        return f"{self.severity}: {self.focus} {self.path}: {self.message}{value}"


@dataclass
class ValidationReport:
    conforms: bool
    violations: list[Violation] = field(default_factory=list)
    triples: int = 0

    @property
    def count(self) -> int:
        return sum(v.severity == "Violation" for v in self.violations)

    def summary(self, limit: int = 50) -> str:
        lines = [str(v) for v in self.violations[:limit]]
        if len(self.violations) > limit:
            lines.append(f"… and {len(self.violations) - limit} more")
        lines.append(f"{self.count} SHACL violation(s) in {self.triples} triples")
        return "\n".join(lines)


class ValidationFailed(ExportError):
    """The export does not satisfy the shapes; `report` holds the violations."""

    def __init__(self, report: ValidationReport) -> None:
        super().__init__(f"the export does not conform to the shapes: {report.count} violation(s)")
        self.report = report


def load_export(path: Path, fmt: Format) -> Any:
    """The export's default graph as an rdflib Graph (named graphs, e.g. the ontology, left out)."""
    import rdflib

    try:
        if fmt.datasets:
            dataset = rdflib.Dataset()
            dataset.parse(path, format=fmt.rdflib_name)
            graph = rdflib.Graph()
            for triple in dataset.default_graph:
                graph.add(triple)
            return graph
        return rdflib.Graph().parse(path, format=fmt.rdflib_name)
    except Exception as exc:  # a parse failure here is a bug in a writer: say where
        raise ExportError(f"the export in {path} does not parse as {fmt.name}: {exc}") from exc


def validate_graph(data: Any) -> ValidationReport:
    """Run the shapes over an rdflib graph."""
    import pyshacl
    from rdflib.namespace import RDF, SH

    conforms, results, _text = pyshacl.validate(
        data, shacl_graph=shapes_graph(), inference="none", advanced=True,
        allow_warnings=True,
    )
    violations = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        def get(prop: Any, result: Any = result) -> str:
            value = results.value(result, prop)
            return _short(value) if value is not None else ""

        violations.append(Violation(
            focus=get(SH.focusNode), path=get(SH.resultPath), message=get(SH.resultMessage),
            value=get(SH.value), shape=get(SH.sourceShape),
            severity=get(SH.resultSeverity).rsplit("#", 1)[-1].replace("sh:", "") or "Violation",
        ))
    return ValidationReport(bool(conforms), sorted(violations), len(data))


def validate_file(path: Path, fmt: Format) -> ValidationReport:
    return validate_graph(load_export(path, fmt))


def _short(node: Any) -> str:
    import rdflib

    text = str(node)
    if isinstance(node, rdflib.BNode):
        return "[]"
    if isinstance(node, rdflib.Literal):
        return repr(text) if len(text) < 80 else repr(text[:77] + "…")
    for prefix, namespace in PREFIXES.items():
        if text.startswith(namespace):
            return f"{prefix}:{text[len(namespace):]}"
    if text.startswith("http://www.w3.org/ns/shacl#"):
        return "sh:" + text.rsplit("#", 1)[1]
    return f"<{text}>"
