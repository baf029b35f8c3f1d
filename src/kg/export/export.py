"""`export_rdf`: the graph in Neo4j as an RDF file for partners (docs/rdf.md).

Reads the graph page by page (kg.export.source), maps each page to triples
(kg.export.mapping) and hands it to a streaming writer (kg.export.writers). A file is
written to a temporary name in its own directory and renamed when complete (and, with
`validate`, only when it satisfies the shapes), so nobody ever sees a partial or invalid file.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from kg.errors import ExportError
from kg.export.corrections import correction_blocks
from kg.export.iris import Minter
from kg.export.mapping import Mapper, Tally
from kg.export.ontology import ontology_blocks, read_context
from kg.export.source import Filters, GraphReader
from kg.export.terms import DEFAULT_BASE_IRI, ONTOLOGY_IRI, PREFIXES
from kg.export.validate import ValidationFailed, ValidationReport, validate_file
from kg.export.writers import Format, format_for_path, get_format
from kg.schema import Label

if TYPE_CHECKING:
    import neo4j

DEFAULT_PAGE_SIZE = 500


@dataclass
class ExportResult:
    """What was written where, what was left out, and the validation outcome if asked for."""

    output: str
    format: str
    triples: int = 0
    nodes: dict[str, int] = field(default_factory=dict)
    relationships: dict[str, int] = field(default_factory=dict)
    evidence: int = 0
    ontology_triples: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    validation: ValidationReport | None = None

    def summary(self) -> str:
        nodes = sum(self.nodes.values())
        rels = sum(self.relationships.values())
        text = (f"{self.triples} triples ({nodes} nodes, {rels} relationships, {self.evidence} "
                f"evidence entries) as {self.format} to {self.output} in {self.seconds:.1f} s")
        if self.ontology_triples:
            text += f", ontology included ({self.ontology_triples} triples)"
        if self.validation is not None:
            text += "; conforms to the shapes"
        return text


def _as_tuple(value: str | Sequence[str] | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    values = (value,) if isinstance(value, str) else tuple(value)
    return values or None


def resolve_format(fmt: str | None, output: str | os.PathLike[str] | TextIO) -> Format:
    """`fmt` if given, else the output file's extension, else Turtle."""
    if fmt:
        return get_format(fmt)
    if isinstance(output, str | os.PathLike) and str(output) != "-":
        return format_for_path(str(output)) or get_format("ttl")
    return get_format("ttl")


def export_rdf(
    driver: neo4j.Driver,
    out: str | os.PathLike[str] | TextIO,
    *,
    fmt: str | None = None,
    base_iri: str = DEFAULT_BASE_IRI,
    since: dt.date | None = None,
    until: dt.date | None = None,
    group: str | Sequence[str] | None = None,
    place: str | Sequence[str] | None = None,
    article: str | Sequence[str] | None = None,
    validate: bool = False,
    with_ontology: bool = False,
    database: str | None = None,
    page_size: int = DEFAULT_PAGE_SIZE,
) -> ExportResult:
    """Export the graph (or the part the filters select) as RDF.

    `out` is a path, `"-"` for standard output, or an open text stream. `fmt` is a name in
    `kg.export.writers.FORMATS` (default: from the file extension, else `ttl`). Filters are
    described in kg.export.source. `validate` checks the export against ontology/shapes.ttl
    and raises `ValidationFailed` (an `ExportError`, with the report) without publishing the
    file when it does not conform. `with_ontology` adds the ontology: as the named graph
    <https://w3id.org/kg-conflict/ontology> in nq and jsonld, merged into the graph otherwise.
    """
    started = time.monotonic()
    spec = resolve_format(fmt, out)
    minter = Minter(base_iri)
    if since and until and since > until:
        raise ExportError(f"--since {since} is after --until {until}")
    filters = Filters(since=since, until=until, groups=_as_tuple(group), places=_as_tuple(place),
                      articles=_as_tuple(article))
    reader = GraphReader(driver, database=database, page_size=page_size)
    selection = None if filters.empty else reader.select(filters)

    target = None if not isinstance(out, str | os.PathLike) or str(out) == "-" else Path(out)
    label = str(target) if target is not None else "-"
    result = ExportResult(output=label, format=spec.name)
    tally = Tally()
    # A filtered export keeps only the provenance of the articles it holds (kg.export.source).
    cited = None if selection is None else (filters.articles or selection.get(Label.ARTICLE, []))
    mapper = Mapper(minter, tally, articles=cited)

    def write(stream: TextIO) -> None:
        context = read_context() if spec.name == "jsonld" else None
        writer = spec.writer(stream, PREFIXES, context=context)
        writer.start()
        pages = reader.pages(selection)
        if selection is not None:
            pages = reader.restrict(pages, selection)
        for page in pages:
            # Written node by node: an article's page can hold hundreds of triples per node.
            for node, relationships in page:
                writer.write(mapper.node(node, relationships))
        # Analysts' corrections of the exported nodes, as PROV-O activities (docs/review.md).
        writer.write(correction_blocks(driver, minter, database=database, selection=selection))
        data_triples = writer.triples
        if with_ontology:
            writer.write(ontology_blocks(ONTOLOGY_IRI if spec.datasets else None))
            result.ontology_triples = writer.triples - data_triples
        writer.finish()
        result.triples = writer.triples

    if target is None and not validate:
        _write_to_stream(out if not isinstance(out, str | os.PathLike) else None, write)
    else:
        with staged_file(target, label) as temp:
            try:
                with open(temp, "w", encoding="utf-8", newline="\n", buffering=1 << 20) as fh:
                    write(fh)
            except OSError as exc:
                raise ExportError(f"cannot write {label}: {exc.strerror or exc}") from exc
            if validate:
                report = validate_file(temp, spec)
                result.validation = report
                if report.count:
                    raise ValidationFailed(report)
            if target is None:
                with open(temp, encoding="utf-8", newline="") as fh:
                    _write_to_stream(out if not isinstance(out, str | os.PathLike) else None,
                                     lambda stream: shutil.copyfileobj(fh, stream, 1 << 20))

    result.nodes = dict(sorted(tally.nodes.items()))
    result.relationships = dict(sorted(tally.relationships.items()))
    result.evidence = tally.evidence
    result.skipped = dict(sorted((tally.skipped + reader.skipped).items()))
    result.seconds = time.monotonic() - started
    return result


@contextmanager
def staged_file(target: Path | None, label: str) -> Iterator[Path]:
    """A new temporary file beside `target` (in the temporary directory when None), renamed to
    `target` when the block completes and removed in any case: a failed export leaves no
    half-written file, and readers of `target` never see one."""
    directory = target.parent if target is not None else None
    if directory is not None and not directory.is_dir():
        raise ExportError(f"cannot write {label}: directory {directory} does not exist")
    try:
        temp = _temp_file(directory, target.name if target is not None else "export")
    except OSError as exc:
        raise ExportError(f"cannot write {label}: {exc.strerror or exc}") from exc
    try:
        yield temp
        if target is not None:
            try:
                os.chmod(temp, 0o666 & ~_umask())
                os.replace(temp, target)
            except OSError as exc:
                raise ExportError(f"cannot write {label}: {exc.strerror or exc}") from exc
    finally:
        temp.unlink(missing_ok=True)


def _temp_file(directory: Path | None, name: str) -> Path:
    """A new hidden file beside the target; its name fits wherever the target's does."""
    # At most 100 bytes of the target's name, so that prefix, random part and suffix stay
    # under NAME_MAX (255 bytes) even when the target's own name is as long as allowed.
    short = name.encode("utf-8", "surrogateescape")[:100].decode("utf-8", "ignore")
    fd, path = tempfile.mkstemp(dir=directory, prefix=f".{short}.", suffix=".part")
    os.close(fd)
    return Path(path)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _write_to_stream(stream: TextIO | None, write: Callable[[TextIO], object]) -> None:
    """Run `write(stream)` on `stream`, or on standard output as UTF-8 whatever the locale."""
    if stream is not None:
        write(stream)
        return
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        write(sys.stdout)
        sys.stdout.flush()
        return
    sys.stdout.flush()
    wrapper = io.TextIOWrapper(buffer, encoding="utf-8", newline="\n")
    try:
        write(wrapper)
        wrapper.flush()
    finally:
        wrapper.detach()
