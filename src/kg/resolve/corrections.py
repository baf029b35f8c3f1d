"""Corrections as data: who, when, why, what they target, the action and the new value.

A correction never names an internal node id. It is anchored the way a coder would find
the fact again in the article: events, figures and quotes by the article id and the character
offsets of their evidence (a figure also by its own words), relationships by their type and
end points, entities by their natural-key id (`kg.ids.entity_id`). So a correction still finds
its target after `kg ingest --force`, a new extractor version or `kg remove` and re-ingest;
when the article changed and the target is gone, the correction is reported as orphaned.

The JSONL form (`kg review export` / `import`) is one `Correction` per line, exactly the
model below, so teams can keep it under version control. An undo is itself a record.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Iterator
from enum import StrEnum
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError, model_validator

from kg.errors import KgError
from kg.models import Model
from kg.schema import DatePrecision, EntityType, EventType, FigureKind, GeoPrecision, RelType


class CorrectionError(KgError):
    """A correction that cannot be recorded: a malformed file line or a target that is not there."""


class Action(StrEnum):
    REJECT = "reject"  # an event, a figure, or a relationship (claim, perpetrator, OCCURRED_IN, SAID…)
    SET = "set"  # one field of an event or a figure
    MERGE_EVENTS = "merge_events"  # two reports (one article or two) are the same incident
    SPLIT_EVENT = "split_event"  # a report is an incident of its own: it joins no other
    MERGE_ENTITIES = "merge_entities"  # an entity is another one (an alias)
    RETYPE = "retype"  # an entity is of another type (an NGO typed Person)
    ADD = "add"  # a missing relationship, with its evidence span
    UNDO = "undo"  # takes an earlier correction back; `value` is its id


# The placeholders a relationship anchor may use for its article-local end point.
LOCAL_ENDS = ("event", "figure", "quote")
TargetKind = Literal["event", "figure", "quote", "relation", "entity"]


class Target(Model):
    """What a correction is about, by natural keys and evidence offsets.

    - event: `article` + `start`/`end`, a span inside one of the event's evidence sentences
      (the event with the most overlap; `event_type` tells apart events sharing a sentence);
    - figure: `article` + `start`/`end` inside its evidence sentence, and `text`, its words;
    - quote: `article` + `start`/`end` of the quotation;
    - relation: `type`, `source`, `target` (entity ids, or "event"/"figure"/"quote" for the
      article-local end point anchored by `article` + `start`/`end` [+ `text`]);
    - entity: `entity`, its id.
    """

    kind: TargetKind
    article: str | None = None
    start: int | None = Field(default=None, ge=0)
    end: int | None = Field(default=None, ge=0)
    text: str | None = None
    event_type: EventType | None = None  # tells apart two events with the same evidence sentence
    type: RelType | None = None
    source: str | None = None
    target: str | None = None
    entity: str | None = None

    @model_validator(mode="after")
    def _complete(self) -> Target:
        if self.kind == "entity":
            if not self.entity:
                raise ValueError("an entity target needs `entity` (its id)")
            return self
        if self.kind == "relation":
            if self.type is None or not self.source or not self.target:
                raise ValueError("a relation target needs `type`, `source` and `target`")
            if self.source not in LOCAL_ENDS and self.target not in LOCAL_ENDS:
                return self  # between two entities: anchored by their ids and the article
        if not self.article:
            raise ValueError(f"a {self.kind} target needs `article`")
        if self.start is None or self.end is None or self.end <= self.start:
            raise ValueError(f"a {self.kind} target needs `start` < `end` (evidence offsets)")
        return self

    @property
    def local_kind(self) -> str | None:
        """Which article-local item the offsets anchor: event, figure, quote or none."""
        if self.kind in LOCAL_ENDS:
            return self.kind
        if self.kind == "relation":
            return next((end for end in (self.source, self.target) if end in LOCAL_ENDS), None)
        return None

    def describe(self) -> str:
        if self.kind == "entity":
            return f"entity {self.entity}"
        where = f"article {self.article} [{self.start}:{self.end}]"
        if self.kind == "relation":
            return f"{self.source} -{self.type}-> {self.target} in {where}"
        return f"{self.kind} in {where}"


EVENT_FIELDS = ("type", "date", "date_precision", "place", "geo_precision", "background")
FIGURE_FIELDS = ("kind", "min", "max", "source", "event")


def _whole(value: Any) -> None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
        raise ValueError("takes a whole number or null")


def _entity_ref(value: Any) -> None:
    if value is None:
        return
    prefix = value.split(":", 1)[0] if isinstance(value, str) and ":" in value else ""
    if prefix.capitalize() not in {t.value for t in EntityType}:
        raise ValueError("takes an entity id such as place:geonames:1167528, or null")


def _flag(value: Any) -> None:
    if not isinstance(value, bool):
        raise ValueError("takes true or false")


def _date(value: Any) -> None:
    if value is not None and not isinstance(value, str):
        raise ValueError("takes YYYY-MM-DD or null")
    if value is not None:
        dt.date.fromisoformat(value)


def _optional(kind: type[StrEnum]) -> Any:
    return lambda value: value is None or kind(value)


# What each settable field accepts; a bad value is a ValueError that says so.
_FIELD_CHECKS: dict[str, Any] = {
    "type": EventType, "date": _date, "date_precision": _optional(DatePrecision),
    "place": _entity_ref, "geo_precision": GeoPrecision, "background": _flag,
    "kind": FigureKind, "min": _whole, "max": _whole, "source": _entity_ref,
    "event": lambda value: value is None or Span.model_validate(value),
}


def _check_value(name: str, value: Any) -> None:
    try:
        _FIELD_CHECKS[name](value)
    except ValueError as error:
        reason = str(error).splitlines()[0]
        raise ValueError(f"value {value!r} for {name}: {reason}") from None


class Span(Model):
    """An event anchor inside the same article (the value of a figure's `event`)."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)


class Correction(Model):
    """One analyst decision. `id`, when not given, is derived from the rest, so recording or
    importing the same decision twice changes nothing."""

    id: str = ""
    analyst: str = Field(min_length=1)
    at: dt.datetime
    note: str = ""
    action: Action
    target: Target | None = None
    field: str | None = None
    value: Any = None
    other: Target | None = None  # the second event of merge_events

    @model_validator(mode="after")
    def _consistent(self) -> Correction:
        if self.at.tzinfo is None:
            raise ValueError("`at` needs a time zone (e.g. 2025-03-12T10:00:00Z)")
        if self.action is Action.UNDO:
            if not isinstance(self.value, str) or not self.value:
                raise ValueError("undo takes the id of the correction it undoes as `value`")
        else:
            self._check_target()
        if not self.id:  # Browser-made records carry their own id (cypher/review/)
            self.id = self.make_id()
        elif not self.id.startswith("correction:"):
            raise ValueError(f"id {self.id!r} does not start with 'correction:'")
        return self

    def _check_target(self) -> None:
        target, action = self.target, self.action
        if target is None:
            raise ValueError(f"{action} needs a `target`")
        allowed: dict[Action, tuple[str, ...]] = {
            Action.REJECT: ("event", "figure", "relation"),
            Action.SET: ("event", "figure"),
            Action.MERGE_EVENTS: ("event",),
            Action.SPLIT_EVENT: ("event",),
            Action.MERGE_ENTITIES: ("entity",),
            Action.RETYPE: ("entity",),
            Action.ADD: ("relation",),
        }
        if target.kind not in allowed[action]:
            raise ValueError(f"{action} takes a target of kind {' or '.join(allowed[action])}, "
                             f"not {target.kind}")
        if action is Action.SET:
            fields = EVENT_FIELDS if target.kind == "event" else FIGURE_FIELDS
            if self.field is None or self.field not in fields:
                raise ValueError(f"set on a {target.kind} takes `field` one of {', '.join(fields)}")
            _check_value(self.field, self.value)
        elif action is Action.MERGE_EVENTS:
            if self.other is None or self.other.kind != "event":
                raise ValueError("merge_events needs `other`, a second event target")
        elif action is Action.MERGE_ENTITIES:
            if self.value is None:
                raise ValueError("merge_entities takes the canonical entity id as `value`")
            _check_value("source", self.value)
        elif action is Action.RETYPE:
            EntityType(self.value)
        elif action is Action.ADD:
            if target.type in (RelType.MENTIONS, RelType.REPORTS):
                raise ValueError(f"add cannot make a {target.type}: the loader derives it")
            if target.article is None or target.start is None or target.end is None:
                raise ValueError("add needs the article and the offsets of its evidence (`--article`, `--at`)")

    def make_id(self) -> str:
        content = self.model_dump(mode="json", exclude={"id"})
        digest = hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()
        return f"correction:{digest[:16]}"

    @property
    def article(self) -> str | None:
        """The article whose loading applies it; None for entity corrections (every article)."""
        return self.target.article if self.target is not None else None

    @property
    def articles(self) -> set[str]:
        """Every article it targets: two for a merge of reports from two articles."""
        return {t.article for t in (self.target, self.other) if t is not None and t.article}

    def line(self) -> str:
        return self.model_dump_json(exclude_none=True)


def from_node(props: dict[str, Any]) -> Correction:
    """A `:Correction` node as a record: its JSON `record`, or, for one made in Neo4j Browser by a
    query of cypher/review/, its `target_*` properties."""
    if props.get("record"):
        return Correction.model_validate_json(props["record"])
    target = {key.removeprefix("target_"): value for key, value in props.items()
              if key.startswith("target_") and value is not None}
    other = {key.removeprefix("other_"): value for key, value in props.items()
             if key.startswith("other_") and value is not None}
    if other:
        other.setdefault("article", target.get("article"))
    fields = {key: props.get(key) for key in ("id", "analyst", "note", "action", "field", "value")}
    at: Any = props.get("at")
    return Correction.model_validate({
        **{k: v for k, v in fields.items() if v is not None},
        "at": at.to_native() if hasattr(at, "to_native") else at,
        "target": target or None, "other": other or None})


def parse_lines(lines: Iterable[str], origin: str) -> list[Correction]:
    """Every correction of a JSONL text, or CorrectionError naming the first bad line and why.

    All or nothing: a file with one bad line gives nothing, so nothing of it is applied.
    """
    corrections = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            corrections.append(Correction.model_validate_json(line))
        except ValidationError as error:
            first = error.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            reason = first["msg"].removeprefix("Value error, ")
            raise CorrectionError(f"{origin}:{number}: {where + ': ' if where else ''}{reason}") from None
    return corrections


def read_file(path: Path) -> list[Correction]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise CorrectionError(f"{path}: cannot read: {error}") from None
    return parse_lines(text.splitlines(), str(path))


def write_lines(corrections: Iterable[Correction]) -> Iterator[str]:
    for correction in sorted(corrections, key=lambda c: (c.at, c.id)):
        yield correction.line() + "\n"
