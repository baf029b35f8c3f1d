"""Reading a language folder's data files (and the shared ones beside the gazetteer): where
they sit, YAML with YAML 1.2 booleans, and pydantic validation that fails with one line
naming the file, the field and the reason."""

from __future__ import annotations

import re
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from kg.errors import ConfigError
from kg.extract.lang import DEFAULT_LANGUAGE, language_pack


def data_file(name: str) -> Traversable:
    """A data file: the language folder's (lexicons, triggers, word lists), else the shared
    one beside the gazetteer (`kg/extract/data/`)."""
    own = language_pack(DEFAULT_LANGUAGE).data_file(name)
    return own if own.is_file() else files("kg.extract").joinpath("data", name)


def versioned_files() -> list[str]:
    """Every YAML data file, the language folder's and the shared ones (demonyms, gazetteer
    overrides): they shape extraction as much as the lexicons do."""
    folders = [language_pack(DEFAULT_LANGUAGE).data_files(),
               list(files("kg.extract").joinpath("data").iterdir())]
    return sorted({p.name for folder in folders for p in folder if p.name.endswith((".yaml", ".yml"))})


def data_bytes(name: str) -> bytes:
    return data_file(name).read_bytes()


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """YAML 1.2 booleans only: a country code such as NO (Norway) or a word such as "no"
    stays a string instead of becoming False."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def parse_yaml(raw: bytes, origin: str) -> Any:
    try:
        return yaml.load(raw, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        raise ConfigError(f"{origin}: not valid YAML: {exc}") from exc


M = TypeVar("M", bound=BaseModel)


def validate(model: type[M], data: Any, origin: str) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ConfigError(f"{origin}: {where}: {first['msg']} ({exc.error_count()} error(s))") from exc


def load_builtin(model: type[M], name: str) -> M:
    return validate(model, parse_yaml(data_bytes(name), name), f"lexicon file {name}")
