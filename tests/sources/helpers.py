"""Small helpers shared by the reader tests."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from kg.models import Article
from kg.sources import ReadFailure, read_paths

Items = list[Article | ReadFailure]


def read_all(*paths: Path | str, **options: Any) -> Items:
    return list(read_paths([os.fspath(p) for p in paths], **options))


def only_article(items: Items) -> Article:
    assert len(items) == 1, items
    item = items[0]
    assert isinstance(item, Article), item
    return item


def only_failure(items: Items) -> ReadFailure:
    assert len(items) == 1, items
    item = items[0]
    assert isinstance(item, ReadFailure), item
    return item
