"""event_triggers.yaml: the words that signal each event type, and the ranks that pick one."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from kg.extract.lexicon.base import LexiconModel, Pos
from kg.extract.lexicon.patterns import mentions_any, phrase_pattern
from kg.schema import EventType

Actor = Literal["state", "non_state", "any"]


class Trigger(LexiconModel):
    """A word or phrase that signals an event of `type` (see event_triggers.yaml)."""

    phrase: str
    pos: Pos
    type: EventType
    max_gap: int = Field(default=0, ge=0, le=6)
    objects: tuple[str, ...] = ()
    actor: Actor = "any"
    context: tuple[str, ...] = ()
    not_context: tuple[str, ...] = ()
    if_armed_target: EventType | None = None
    rank: int | None = Field(default=None, ge=0, le=100)
    lowercase_only: bool = False

    @field_validator("phrase")
    @classmethod
    def _lower(cls, value: str) -> str:
        if value != value.lower() or not value.strip():
            raise ValueError(f"phrase {value!r} must be lower-case base forms")
        return value

    @property
    def nominal(self) -> bool:
        return self.pos == "NOUN"

    def pattern(self, *, with_pos: bool = False) -> list[dict[str, Any]]:
        return phrase_pattern(self.phrase, pos=self.pos, max_gap=self.max_gap,
                              lowercase_only=self.lowercase_only, with_pos=with_pos)

    def allowed_in(self, sentence: str) -> bool:
        """Whether the sentence satisfies `context` and `not_context` (any inflection of the
        words counts). `objects` and `actor` need a parse and are left to the extractor."""
        if self.context and not mentions_any(sentence, self.context):
            return False
        return not (self.not_context and mentions_any(sentence, self.not_context))


class EventTypeInfo(LexiconModel):
    rank: int = Field(ge=0, le=100)


class EventTriggers(LexiconModel):
    """event_triggers.yaml: triggers for every event type and the ranks that pick one."""

    version: int = 1
    sets: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    types: dict[EventType, EventTypeInfo]
    triggers: tuple[Trigger, ...]
    weak: tuple[Trigger, ...] = ()

    @model_validator(mode="before")
    @classmethod
    def _expand_sets(cls, data: Any) -> Any:
        """Replace "@name" in objects/context/not_context with the words of set `name`."""
        if not isinstance(data, dict):
            return data
        sets = data.get("sets") or {}

        def expand(words: Any) -> Any:
            if not isinstance(words, list):
                return words
            out: list[Any] = []
            for word in words:
                if isinstance(word, str) and word.startswith("@"):
                    if word[1:] not in sets:
                        raise ValueError(f"unknown set {word!r}; define it under `sets`")
                    out.extend(sets[word[1:]])
                else:
                    out.append(word)
            return list(dict.fromkeys(out))

        for section in ("triggers", "weak"):
            for item in data.get(section) or []:
                if isinstance(item, dict):
                    for field in ("objects", "context", "not_context"):
                        if field in item:
                            item[field] = expand(item[field])
        return data

    @model_validator(mode="after")
    def _complete(self) -> EventTriggers:
        missing = set(EventType) - set(self.types)
        if missing:
            raise ValueError(f"types missing a rank: {sorted(missing)}")
        return self

    def rank(self, trigger: Trigger) -> int:
        """The trigger's own rank, else its type's."""
        return trigger.rank if trigger.rank is not None else self.types[trigger.type].rank

    def all_triggers(self) -> list[Trigger]:
        return [*self.triggers, *self.weak]

    def is_weak(self, trigger: Trigger) -> bool:
        return trigger in self.weak

    def for_type(self, event_type: EventType) -> list[Trigger]:
        return [t for t in self.all_triggers() if t.type is event_type]

    def most_specific(self, triggers: Iterable[Trigger]) -> Trigger | None:
        """Of several triggers describing one incident, the one whose type wins."""
        return max(triggers, key=self.rank, default=None)
