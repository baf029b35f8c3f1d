"""A user's own armed groups (`KG_GROUPS_FILE`), YAML or CSV, merged into the built-in ones.

A CSV file has a header row with the columns `name` and `kind` (required) and `aliases`,
`acronyms`, `countries`, `parent`, `generic_terms`, `ambiguous` (optional); list columns
separate their items with `|`. A YAML file has the layout of `groups.yaml` (a `groups:`
list) or is a bare list of entries. An entry whose name matches a built-in one extends it:
lists are united, and the user's kind, parent and ambiguity win.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from kg.errors import ConfigError
from kg.extract.lang.datafiles import parse_yaml, validate
from kg.extract.lexicon.actors import GroupEntry, GroupLexicon
from kg.extract.lexicon.base import normalise_form

_CSV_LIST_COLUMNS = ("aliases", "acronyms", "countries", "generic_terms")
_CSV_COLUMNS = frozenset({"name", "kind", "parent", "ambiguous", *_CSV_LIST_COLUMNS})


def read_user_groups(path: Path) -> list[dict[str, Any]]:
    """The raw entries of a user's group file, YAML or CSV."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"cannot read groups file {path}: {exc.strerror or exc}") from exc
    if path.suffix.lower() == ".csv":
        return _read_csv_groups(raw, path)
    data = parse_yaml(raw, str(path))
    if isinstance(data, dict) and "groups" in data:
        unknown = set(data) - {"groups", "version"}
        if unknown:
            raise ConfigError(f"{path}: unknown top-level keys {sorted(unknown)}; expected `groups`")
        data = data["groups"]
    if not isinstance(data, list):
        raise ConfigError(f"{path}: expected a list of groups (or a `groups:` list)")
    return data


def _read_csv_groups(raw: bytes, path: Path) -> list[dict[str, Any]]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text") from exc
    reader = csv.DictReader(text.splitlines())
    columns = {c.strip() for c in reader.fieldnames or []}
    if not {"name", "kind"} <= columns:
        raise ConfigError(f"{path}: a groups CSV needs the columns name and kind; found {sorted(columns)}")
    unknown = columns - _CSV_COLUMNS
    if unknown:
        raise ConfigError(f"{path}: unknown columns {sorted(unknown)}; known: {sorted(_CSV_COLUMNS)}")
    entries: list[dict[str, Any]] = []
    for row in reader:
        clean = {k.strip(): (v or "").strip() for k, v in row.items() if k is not None}
        if not any(clean.values()):
            continue
        entry: dict[str, Any] = {"name": clean["name"], "kind": clean["kind"]}
        for column in _CSV_LIST_COLUMNS:
            if clean.get(column):
                entry[column] = [item.strip() for item in clean[column].split("|") if item.strip()]
        if clean.get("parent"):
            entry["parent"] = clean["parent"]
        if clean.get("ambiguous"):
            flag = clean["ambiguous"].lower()
            if flag not in {"true", "false", "yes", "no", "1", "0"}:
                raise ConfigError(f"{path}:{reader.line_num}: ambiguous must be true or false, not {flag!r}")
            entry["ambiguous"] = flag in {"true", "yes", "1"}
        if "countries" in entry:
            entry["countries"] = [c.upper() for c in entry["countries"]]
        entries.append(entry)
    return entries


def merge_groups(builtin: GroupLexicon, extra: list[dict[str, Any]], origin: Path) -> GroupLexicon:
    merged: dict[str, dict[str, Any]] = {
        normalise_form(g.name): g.model_dump(exclude_defaults=True) for g in builtin.groups
    }
    for number, raw in enumerate(extra, start=1):
        if not isinstance(raw, dict):
            raise ConfigError(f"{origin}: entry {number} is not a mapping")
        try:
            entry = GroupEntry.model_validate(raw)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise ConfigError(f"{origin}: entry {number} ({raw.get('name', '?')}): {where}: {first['msg']}") from exc
        key = normalise_form(entry.name)
        if key not in merged:
            merged[key] = entry.model_dump(exclude_defaults=True)
            continue
        base = merged[key]
        for field in ("aliases", "acronyms", "countries", "generic_terms", "ambiguous_forms", "context"):
            combined = [*base.get(field, ()), *getattr(entry, field)]
            if combined:
                base[field] = list(dict.fromkeys(combined))
        base["kind"] = entry.kind
        for field in ("parent", "ambiguous"):
            if field in entry.model_fields_set:
                base[field] = getattr(entry, field)
    data = {"version": builtin.version, "generic_terms_by_kind": builtin.generic_terms_by_kind,
            "groups": list(merged.values())}
    return validate(GroupLexicon, data, f"groups file {origin}")
