"""Errors `kg` raises on purpose. The CLI shows each as one line: `Error: …`."""


class KgError(Exception):
    """Base class: a problem the user can act on, with a message that says how."""


class ConfigError(KgError):
    """Settings are missing or contradictory."""


class ServerError(KgError):
    """The managed Neo4j server could not be installed, started or stopped."""


class ConnectionError_(KgError):
    """Neo4j could not be reached or refused the credentials."""


class SchemaError(KgError):
    """The database lacks a constraint the loader relies on, or data breaks the closed schema."""


class LoadError(KgError):
    """Neo4j did not take a batch of articles, or one article of it, for a reason `kg` can name.

    For a batch: not its data but the server or the loader (nothing of it was committed). For
    one article (`kg ingest --fail-fast`): the values Neo4j refused."""


class ReadError(KgError):
    """An input file or record could not be read as an article."""

    def __init__(self, origin: str, reason: str) -> None:
        super().__init__(f"{origin}: {reason}")
        self.origin = origin
        self.reason = reason


class ExtractionError(KgError):
    """The extraction pipeline could not process an article."""


class ArticleExtractionError(ExtractionError):
    """One article could not be extracted (the others can); `origin` says where it was read."""

    def __init__(self, article_id: str, origin: str | None, reason: str) -> None:
        super().__init__(f"article {article_id}: {reason}")
        self.article_id, self.origin, self.reason = article_id, origin, reason

    def __reduce__(self) -> tuple[type, tuple[str, str | None, str]]:
        # Sent back from extraction worker processes.
        return type(self), (self.article_id, self.origin, self.reason)


class ExportError(KgError):
    """An RDF export could not be written or failed validation."""
