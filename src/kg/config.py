"""Settings from the environment, overridable by CLI options.

Neo4j connection: `KG_NEO4J_URI`, `KG_NEO4J_USER`, `KG_NEO4J_PASSWORD`, falling back to
Neo4j's own `NEO4J_URI`, `NEO4J_USERNAME`, `NEO4J_PASSWORD`. With none set, `kg` talks to
the managed local server in `KG_NEO4J_HOME` and reads its password from the 0600 file
written at install.
"""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_cache_dir
from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

# Articles per load transaction. A batch costs some 40 round trips whatever its size, so larger
# batches load faster (on the bench corpus: 3,100 graph elements/s at 16, 4,500 at 64, 5,000
# at 100-128); a batch the server cannot hold is split (kg.neo4j.batches).
DEFAULT_BATCH_SIZE = 100


def default_neo4j_home() -> Path:
    return Path(user_cache_dir("kg")) / "neo4j"


class Neo4jSettings(BaseSettings):
    # The prefix keeps bare field names ($HOME, $USER) from being read as settings;
    # the aliases below name the variables that are.
    model_config = SettingsConfigDict(env_prefix="KG_NEO4J_", extra="ignore", populate_by_name=True)

    uri: str | None = Field(default=None, validation_alias=AliasChoices("KG_NEO4J_URI", "NEO4J_URI"))
    user: str = Field(default="neo4j", validation_alias=AliasChoices("KG_NEO4J_USER", "NEO4J_USERNAME"))
    password: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("KG_NEO4J_PASSWORD", "NEO4J_PASSWORD")
    )
    database: str = Field(default="neo4j", validation_alias=AliasChoices("KG_NEO4J_DATABASE", "NEO4J_DATABASE"))
    home: Path = Field(default_factory=default_neo4j_home, validation_alias=AliasChoices("KG_NEO4J_HOME"))


class ExtractSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="KG_", extra="ignore")

    # Bytes of text per article above which the article is refused, not truncated.
    max_article_bytes: int = 2 * 1024 * 1024
    # Seconds a file's stat, open or read may go without an answer (a dead network mount)
    # before the file is reported and skipped, `KG_READ_TIMEOUT_SECONDS`.
    read_timeout_seconds: float = Field(default=30.0, gt=0)
    # CPU seconds one article may take to extract before it is reported as failed,
    # `KG_MAX_ARTICLE_SECONDS`; 0 for no limit (see kg.extract.budget).
    max_article_seconds: float = Field(default=10.0, ge=0)
    batch_size: int = 32
    # User extensions to the armed-group lexicon (YAML or CSV), `KG_GROUPS_FILE`.
    groups_file: Path | None = None
    # User alias file to merge or split entities, `KG_ALIASES_FILE`.
    aliases_file: Path | None = None
