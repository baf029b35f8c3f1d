"""event_triggers.yaml: the words that signal each event type, and the ranks that pick one."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
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
    """How the rules treat one event type: its rank, and the groupings incidents are told by."""

    rank: int = Field(ge=0, le=100)
    # Types of one class may describe one incident from different angles (an ambush and the
    # hostage-taking it turns into); a mention never joins an event of another class. Without
    # one, a type is a class of its own.
    incident_class: str | None = Field(default=None, alias="class", min_length=1)
    # The state's answer to an incident (an operation, arrests): linked to it, never its lead.
    response: bool = False
    # A phase that stays an event of its own, linked PART_OF to the incident (looting).
    phase: bool = False
    # Joins an incident told in the same words; told apart, stays its own event PART_OF it.
    linked: bool = False
    # What an incident leaves behind: an event of its own only when no incident is told.
    consequence: bool = False
    # Becomes an air strike when an aircraft or a drone delivers it.
    from_the_air: bool = False
    # Told with a crowd's roles: the crowd acts, the forces that meet it respond.
    protest_roles: bool = False
    # A type's triggers may sit in its own entry (without `type`): they join `triggers`.
    triggers: tuple[Trigger, ...] = ()


@dataclass(frozen=True)
class EventTypeGroups:
    """The `types` section as the rules consult it: one lookup per question."""

    class_of: dict[EventType, str]
    incident_classes: frozenset[str]
    responses: frozenset[EventType]
    phases: frozenset[EventType]
    linked: frozenset[EventType]  # phases are linked too
    consequences: frozenset[EventType]
    from_the_air: frozenset[EventType]
    protest_roles: frozenset[EventType]
    weak_trigger_classes: frozenset[str]

    def event_class(self, event_type: EventType) -> str:
        return self.class_of.get(event_type, event_type.value)


# Sets the event rules read by name (events.py, event_roles.py, event_setting.py): a file
# without one is refused.
RULE_SETS = frozenset({
    "habitual_adverbs", "irrealis_words", "aspect_verbs", "mass_nouns", "habitual_objects",
    "definite_determiners", "support_verbs", "blame_verbs", "actor_pronouns", "collectives",
    "route_prepositions", "statement_verbs", "boundary_nouns",
})


class EventTriggers(LexiconModel):
    """event_triggers.yaml: triggers for every event type and the ranks that pick one."""

    version: int = 1
    sets: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    types: dict[EventType, EventTypeInfo]
    # Classes whose events are incidents in their own right (the lead of a story).
    incident_classes: tuple[str, ...] = ("violence",)
    # Classes a weak trigger alone ("the attack", "the operation") names an event of.
    weak_trigger_classes: tuple[str, ...] = ("violence", "operation")
    triggers: tuple[Trigger, ...]
    weak: tuple[Trigger, ...] = ()

    @model_validator(mode="before")
    @classmethod
    def _expand_sets(cls, data: Any) -> Any:
        """Move the triggers of a `types` entry into `triggers`, and replace "@name" in
        objects/context/not_context with the words of set `name`."""
        if not isinstance(data, dict):
            return data
        sets = data.get("sets") or {}
        for name, info in (data.get("types") or {}).items():
            if isinstance(info, dict) and info.get("triggers"):
                own = [{**t, "type": name} if isinstance(t, dict) else t for t in info.pop("triggers")]
                data["triggers"] = [*(data.get("triggers") or []), *own]

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
        named = {t.type for t in self.all_triggers()} | {
            t.if_armed_target for t in self.all_triggers() if t.if_armed_target is not None}
        if any(info.from_the_air for info in self.types.values()):
            named.add(EventType.AIR_STRIKE)  # what they become
        missing = named - set(self.types)
        if missing:
            raise ValueError(f"types with triggers but no entry under `types`: {sorted(t.value for t in missing)}")
        absent = RULE_SETS - set(self.sets)
        if absent:
            raise ValueError(f"sets missing (the event rules read them): {sorted(absent)}")
        return self

    @cached_property
    def groups(self) -> EventTypeGroups:
        types = self.types

        def having(flag: str) -> frozenset[EventType]:
            return frozenset(t for t, info in types.items() if getattr(info, flag))

        return EventTypeGroups(
            class_of={t: info.incident_class or t.value for t, info in types.items()},
            incident_classes=frozenset(self.incident_classes),
            responses=having("response"), phases=having("phase"),
            linked=having("phase") | having("linked"), consequences=having("consequence"),
            from_the_air=having("from_the_air"), protest_roles=having("protest_roles"),
            weak_trigger_classes=frozenset(self.weak_trigger_classes))

    def word_set(self, name: str) -> frozenset[str]:
        """The words of set `name`, for a rule that tests membership."""
        return frozenset(self.sets[name])

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
