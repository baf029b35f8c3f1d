"""`kg export events`: the events table as CSV, Excel, Parquet or GeoJSON (docs/exports.md).

    from kg.export.tables import export_events
    from kg.export.events import EventFilters
    result = export_events(driver, "events.xlsx", filters=EventFilters(countries=("PK",)))

Writers are registered by name in `TABLE_FORMATS` (the CLI's `--format` choices). Each takes
rows one at a time, so memory stays flat however many events are exported; the file is written
under a temporary name beside the target and renamed when complete, as the RDF export does.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import IO, Any, Protocol

import neo4j

from kg.errors import ExportError
from kg.export.events import (
    COLUMNS,
    DEFAULT_PAGE_SIZE,
    EventFilters,
    EventRow,
    column_types,
    read_events,
    row_values,
    select_events,
)
from kg.export.export import staged_file

ProgressFn = Callable[[int, int], None]  # (events written, events selected)


class TableWriter(Protocol):
    def write(self, row: EventRow) -> None: ...
    def close(self) -> None: ...


def _text_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


class CsvWriter:
    """RFC 4180 CSV in UTF-8, a header line, "" for unknown values, dates as YYYY-MM-DD."""

    binary = False

    def __init__(self, stream: IO[Any]) -> None:
        import csv

        self._writer = csv.writer(stream, lineterminator="\n")
        self._writer.writerow(COLUMNS)

    def write(self, row: EventRow) -> None:
        self._writer.writerow([_text_cell(getattr(row, c)) for c in COLUMNS])

    def close(self) -> None:
        pass


class XlsxWriter:
    """One sheet, `events`, written row by row (openpyxl's write-only mode); dates are dates.

    Text is always text: a note that starts with "=" stays a string, never a formula, and
    characters a spreadsheet cannot hold (control characters) are dropped.
    """

    binary = True

    def __init__(self, stream: IO[Any]) -> None:
        from openpyxl import Workbook

        self._stream = stream
        self._book = Workbook(write_only=True)
        self._sheet = self._book.create_sheet("events")
        self._sheet.append(list(COLUMNS))

    def _cell(self, value: Any) -> Any:
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        if not isinstance(value, str):
            return value
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        if not value.startswith("="):
            return value
        cell = WriteOnlyCell(self._sheet, value=value)
        cell.data_type = "s"
        return cell

    def write(self, row: EventRow) -> None:
        self._sheet.append([self._cell(getattr(row, c)) for c in COLUMNS])

    def close(self) -> None:
        self._book.save(self._stream)


def arrow_schema() -> Any:
    """The Parquet schema, from EventRow's column types (numbers and dates may be null)."""
    import pyarrow as pa

    arrow = {str: pa.string(), int: pa.int64(), float: pa.float64(), dt.date: pa.date32()}
    nullable = {f.name for f in fields(EventRow) if "None" in str(f.type)}
    return pa.schema([pa.field(name, arrow[kind], nullable=name in nullable)
                      for name, kind in column_types().items()])


class ParquetWriter:
    """Parquet (zstd), in row groups of `batch` rows; column types from EventRow."""

    binary = True
    batch = 5000

    def __init__(self, stream: IO[Any]) -> None:
        import pyarrow.parquet as pq

        self._schema = arrow_schema()
        self._writer = pq.ParquetWriter(stream, self._schema, compression="zstd")
        self._columns: dict[str, list[Any]] = {c: [] for c in COLUMNS}
        self._rows = 0

    def write(self, row: EventRow) -> None:
        # Gathered by column: Arrow builds a column from a list much faster than from dicts.
        for column, values in self._columns.items():
            values.append(getattr(row, column))
        self._rows += 1
        if self._rows >= self.batch:
            self._flush()

    def _flush(self) -> None:
        import pyarrow as pa

        self._writer.write_table(pa.table(self._columns, schema=self._schema))
        self._columns = {c: [] for c in COLUMNS}
        self._rows = 0

    def close(self) -> None:
        if self._rows:
            self._flush()
        self._writer.close()


class GeoJsonWriter:
    """An RFC 7946 FeatureCollection: one Feature per event that has coordinates, with a Point
    (longitude, latitude) and every column as a property. Events without coordinates are not
    given invented ones: they are left out and listed in the summary."""

    binary = False

    def __init__(self, stream: IO[Any]) -> None:
        self._stream = stream
        self._first = True
        stream.write('{"type": "FeatureCollection", "features": [')

    def write(self, row: EventRow) -> None:
        if row.latitude is None or row.longitude is None:
            return
        feature = {
            "type": "Feature", "id": row.event_id_cnty,
            "geometry": {"type": "Point", "coordinates": [row.longitude, row.latitude]},
            "properties": row_values(row, as_json=True),
        }
        self._stream.write(("\n" if self._first else ",\n")
                           + json.dumps(feature, ensure_ascii=False, allow_nan=False))
        self._first = False

    def close(self) -> None:
        self._stream.write("\n]}\n")


TABLE_FORMATS: dict[str, Callable[[IO[Any]], TableWriter]] = {
    "csv": CsvWriter, "xlsx": XlsxWriter, "parquet": ParquetWriter, "geojson": GeoJsonWriter,
}
_EXTENSIONS = {".csv": "csv", ".xlsx": "xlsx", ".parquet": "parquet", ".geojson": "geojson",
               ".json": "geojson"}


def table_format(fmt: str | None, output: str) -> str:
    """`fmt`, else the output's extension, else csv."""
    if fmt is not None:
        if fmt not in TABLE_FORMATS:
            raise ExportError(f"unknown format {fmt!r}; choose one of {', '.join(TABLE_FORMATS)}")
        return fmt
    return _EXTENSIONS.get(Path(output).suffix.lower(), "csv") if output != "-" else "csv"


@dataclass
class EventsExportResult:
    output: str
    format: str
    rows: int = 0
    without_coordinates: list[str] = field(default_factory=list)  # their event_id_cnty
    seconds: float = 0.0

    def summary(self) -> str:
        located = self.rows - len(self.without_coordinates)
        text = f"{self.rows} events to {self.output} ({self.format}), {located} with coordinates"
        return text + f" in {self.seconds:.1f} s"


def export_events(driver: neo4j.Driver, out: str | os.PathLike[str], *, fmt: str | None = None,
                  filters: EventFilters | None = None, database: str | None = None,
                  page_size: int = DEFAULT_PAGE_SIZE, progress: ProgressFn | None = None,
                  ) -> EventsExportResult:
    """Write the selected events as one table to `out` (a path, or "-" for standard output).

    An empty selection writes the header only (an empty FeatureCollection for GeoJSON).
    """
    started = time.monotonic()
    output = str(out)
    name = table_format(fmt, output)
    selection = select_events(driver, filters or EventFilters(), database=database)
    result = EventsExportResult(output=output, format=name)
    total = len(selection.ids)

    def write(stream: IO[Any]) -> None:
        writer = TABLE_FORMATS[name](stream)
        for event in read_events(driver, selection.ids, database=database, page_size=page_size):
            writer.write(event.row)
            result.rows += 1
            if event.row.latitude is None:
                result.without_coordinates.append(event.row.event_id_cnty)
            if progress is not None and (result.rows % 200 == 0 or result.rows == total):
                progress(result.rows, total)
        writer.close()

    write_atomically(output, write, binary=getattr(TABLE_FORMATS[name], "binary", False))
    result.seconds = time.monotonic() - started
    return result


def write_atomically(output: str, write: Callable[[IO[Any]], None], *, binary: bool) -> None:
    """Run `write` on a temporary file beside `output`, then rename it (or copy it to standard
    output for "-"): a failed export leaves no half-written file."""
    target = None if output == "-" else Path(output)
    with staged_file(target, output) as temp:
        try:
            if binary:
                with open(temp, "wb") as fh:
                    write(fh)
            else:
                with open(temp, "w", encoding="utf-8", newline="", buffering=1 << 20) as fh:
                    write(fh)
            if target is None:
                sys.stdout.flush()
                with open(temp, "rb") as fh:
                    shutil.copyfileobj(fh, sys.stdout.buffer, 1 << 20)
                sys.stdout.buffer.flush()
        except OSError as exc:
            raise ExportError(f"cannot write {output}: {exc.strerror or exc}") from exc
