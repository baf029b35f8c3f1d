"""Nodes and relationships as the CSV files `neo4j-admin database import full` reads.

Each label or relationship type is written in groups of one *signature* (the set of
properties a row has and their types): `neo4j-admin` types a column once per header, and the
graph `kg ingest` builds stores each property with the type its value has (an integer stays
an integer next to another row's float; a missing value is no property at all). A group is a
header file and a data file per partition (no header line), named
`<nodes|rels>-<Label|TYPE>-<signature>-<part>.csv`; rows holding a line break go to a file of
their own (`…-ml.csv`), which the import reads with multi-line parsing, the others without.

`neo4j-admin` reads a file in chunks of `--read-buffer-size` characters. In a file with
multi-line fields it finds where a full chunk's last row ends by scanning back from the
chunk's end, and that scan fails ("Weird input data, found CR outside a text cell") on rows
that begin with a quoted cell, as ours do (the id). A file smaller than one chunk is read
whole, without the scan, so files of multi-line rows are rolled over before they reach
`READ_BUFFER_CHARS` (measured in bytes, never fewer than Java's UTF-16 units); a row longer
than that gets a file of its own, and the import a buffer that holds it (`read_buffer_size`).

Two lists a CSV cell cannot say (an empty cell is no property at all) are written as a
one-element list of a stand-in, `SPECIAL_LISTS`, and put back after the import
(`kg.backfill.run`): `[]` and `[""]` (an evidence list of a structural fact). List elements
are separated by `ARRAY_DELIMITER`; these are control characters no article text holds (the
readers refuse control characters, and a value that holds one is refused here).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, NamedTuple

from kg.neo4j.bulk_import import READ_BUFFER_CHARS
from kg.schema import Label, RelType

ARRAY_DELIMITER = "\x1f"  # neo4j-admin --array-delimiter=U+001F
# The stand-in of each list a cell cannot say, and the list it stands for.
SPECIAL_LISTS: dict[str, list[str]] = {"\x1e": [], "\x1d": [""]}
_STAND_IN = {tuple(value): stand_in for stand_in, value in SPECIAL_LISTS.items()}
_CONTROL = frozenset([ARRAY_DELIMITER, *SPECIAL_LISTS])
_SIGNED_BYTES = tuple(str(b - 256 if b > 127 else b) for b in range(256))  # byte[] is signed in Java


class Point(NamedTuple):
    """A WGS-84 point property (`Place.location`)."""

    latitude: float
    longitude: float


class CsvValueError(ValueError):
    """A value the CSV files cannot carry (a list of mixed types, a delimiter in a text)."""


def _scalar_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "long"
    if isinstance(value, float):
        return "double"
    if isinstance(value, str):
        return "string"
    if isinstance(value, dt.datetime):
        return "datetime"
    if isinstance(value, dt.date):
        return "date"
    raise CsvValueError(f"a value of type {type(value).__name__} has no CSV column type")


def column_type(value: Any) -> str:
    """The neo4j-admin column type of a (non-null) property value."""
    if isinstance(value, Point):
        return "point"
    if isinstance(value, bytes | bytearray):
        return "byte[]"
    if isinstance(value, list | tuple):
        if not value:
            return "string[]"  # a stand-in (SPECIAL_LISTS)
        types = {_scalar_type(v) for v in value}
        if types == {"long", "double"}:
            return "double[]"  # what Neo4j stores for a list of mixed numbers
        if len(types) != 1:
            raise CsvValueError(f"a list of mixed types ({', '.join(sorted(types))})")
        return f"{types.pop()}[]"
    return _scalar_type(value)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value)


def cell(value: Any) -> str:
    """One CSV cell (quoted when it holds text)."""
    if isinstance(value, Point):
        return f'"{{latitude:{value.latitude!r},longitude:{value.longitude!r}}}"'
    if isinstance(value, bytes | bytearray):
        return ARRAY_DELIMITER.join(map(_SIGNED_BYTES.__getitem__, value))
    if isinstance(value, list | tuple):
        stand_in = _STAND_IN.get(tuple(value))
        if stand_in is not None:
            return f'"{stand_in}"'
        items = [_text(v) for v in value]
        if any(c in item for item in items for c in _CONTROL):
            raise CsvValueError("a list element holds a control character (U+001D to U+001F)")
        return '"' + ARRAY_DELIMITER.join(items).replace('"', '""') + '"'
    if isinstance(value, str):
        return '"' + value.replace('"', '""') + '"'
    return _text(value)


def _multiline(value: Any) -> bool:
    if isinstance(value, str):
        return "\n" in value or "\r" in value
    if isinstance(value, list | tuple):
        return any(isinstance(v, str) and ("\n" in v or "\r" in v) for v in value)
    return False


@dataclass
class Group:
    """One header: the files of a label or type with one signature."""

    kind: str  # "nodes" or "rels"
    name: str  # the Label or RelType value
    header: str
    files: list[str] = field(default_factory=list)  # the data files, in partition order
    multiline: list[str] = field(default_factory=list)  # those of them with line breaks
    rows: int = 0
    longest: int = 0  # code points of its longest row, line break included

    @property
    def key(self) -> str:
        digest = hashlib.sha1(self.header.encode()).hexdigest()[:10]
        return f"{self.kind}-{self.name}-{digest}"


@dataclass
class Manifest:
    """What a set of CSV writers wrote: every group with its files, and where empty lists are."""

    groups: dict[str, Group] = field(default_factory=dict)
    # (kind, Label or RelType value, property, stand-in): where a SPECIAL_LISTS stand-in is
    special_lists: set[tuple[str, str, str, str]] = field(default_factory=set)

    def merge(self, other: Manifest) -> None:
        for key, group in other.groups.items():
            mine = self.groups.setdefault(key, Group(group.kind, group.name, group.header))
            mine.files.extend(group.files)
            mine.multiline.extend(group.multiline)
            mine.rows += group.rows
            mine.longest = max(mine.longest, group.longest)
        self.special_lists |= other.special_lists

    def write_headers(self, directory: Path) -> dict[str, Path]:
        """One header file per group; returns group key → header path."""
        paths = {}
        for key, group in sorted(self.groups.items()):
            path = directory / f"{key}-header.csv"
            path.write_text(group.header + "\n", encoding="utf-8")
            paths[key] = path
        return paths


class CsvWriter:
    """Writes one partition's (or one bucket's) rows; `close` returns its `Manifest`."""

    def __init__(self, directory: Path, part: str) -> None:
        self.directory = directory
        self.part = part
        self.manifest = Manifest()
        self._handles: dict[tuple[str, bool], IO[str]] = {}
        self._bytes: dict[tuple[str, bool], int] = {}  # what each multi-line file holds

    def node(self, label: Label, node_id: str, props: Mapping[str, Any]) -> None:
        self._row("nodes", label.value, "id:ID", [cell(node_id)], props)

    def relationship(self, rel: RelType, start: str, end: str, props: Mapping[str, Any]) -> None:
        self._row("rels", rel.value, ":START_ID,:END_ID", [cell(start), cell(end)], props)

    def _row(self, kind: str, name: str, fixed: str, cells: list[str],
             props: Mapping[str, Any]) -> None:
        present = sorted((k, v) for k, v in props.items() if v is not None)
        columns = [f"{k}:{column_type(v)}" for k, v in present]
        group = Group(kind, name, ",".join([fixed, *columns]))
        group = self.manifest.groups.setdefault(group.key, group)
        multiline = False
        for key, value in present:
            cells.append(cell(value))
            multiline = multiline or _multiline(value)
            stand_in = _STAND_IN.get(tuple(value)) if isinstance(value, list | tuple) else None
            if stand_in is not None:
                self.manifest.special_lists.add((kind, name, key, stand_in))
        line = ",".join(cells) + "\n"
        slot = (group.key, multiline)
        handle = self._handles.get(slot)
        if multiline:
            size = len(line.encode("utf-8"))
            written = self._bytes.get(slot, 0)
            if handle is not None and written + size >= READ_BUFFER_CHARS:  # one chunk a file
                handle.close()
                handle = None
            self._bytes[slot] = size if handle is None else written + size
        if handle is None:
            files = len(group.multiline) if multiline else 0
            suffix = ("-ml" + (f"{files:04d}" if files else "")) if multiline else ""
            path = self.directory / f"{group.key}-{self.part}{suffix}.csv"
            handle = path.open("w", encoding="utf-8", newline="")
            self._handles[slot] = handle
            group.files.append(str(path))
            if multiline:
                group.multiline.append(str(path))
        handle.write(line)
        group.rows += 1
        group.longest = max(group.longest, len(line))

    def close(self) -> Manifest:
        for handle in self._handles.values():
            handle.close()
        self._handles.clear()
        return self.manifest
