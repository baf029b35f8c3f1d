"""Counting and pairing: precision/recall/F1 with the counts behind them, per-category
tallies with the items behind the errors, and the one-to-one matching of expected items to
predictions."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar


@dataclass(frozen=True)
class PRF:
    """Precision, recall and F1 with the counts behind them; None when undefined."""

    found: int  # expected items matched
    expected: int  # expected items
    spurious: int  # predictions counted against precision

    @property
    def precision(self) -> float | None:
        judged = self.found + self.spurious
        return self.found / judged if judged else None

    @property
    def recall(self) -> float | None:
        return self.found / self.expected if self.expected else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None:
            return None
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {"precision": self.precision, "recall": self.recall, "f1": self.f1,
                "found": self.found, "expected": self.expected, "spurious": self.spurious}


@dataclass
class Tally:
    """Counts for one category and system, with the items behind the errors."""

    must_found: int = 0
    must_expected: int = 0
    found: int = 0
    expected: int = 0
    spurious: int = 0
    missed: list[str] = field(default_factory=list)  # "article: item"
    false: list[str] = field(default_factory=list)

    @property
    def must(self) -> PRF:
        # Predictions matching "should" items neither help nor hurt the must scores.
        return PRF(self.must_found, self.must_expected, self.spurious)

    @property
    def all(self) -> PRF:
        return PRF(self.found, self.expected, self.spurious)

    def add(self, key: str, must: bool, hit: bool, label: str) -> None:
        self.expected += 1
        self.must_expected += must
        if hit:
            self.found += 1
            self.must_found += must
        else:
            self.missed.append(f"{key}: {'[must] ' if must else ''}{label}")

    def add_false(self, key: str, label: str) -> None:
        self.spurious += 1
        self.false.append(f"{key}: {label}")


L = TypeVar("L")
R = TypeVar("R")


def pair(left: Sequence[L], right: Sequence[R], ok: Callable[[L, R], bool],
         strength: Callable[[L, R], int] | None = None,
         order: Sequence[int] | None = None) -> dict[int, int]:
    """A maximum one-to-one matching (left index → right index) of compatible items.

    Left items are served in `order` (the must items first), so an augmenting path never
    unmatches one served earlier; each tries its strongest partners first.
    """
    adjacency = []
    for item in left:
        partners = [j for j, other in enumerate(right) if ok(item, other)]
        if strength is not None:
            scores = {j: strength(item, right[j]) for j in partners}
            partners.sort(key=lambda j: -scores[j])
        adjacency.append(partners)
    owner: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for j in adjacency[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    for i in order if order is not None else range(len(left)):
        augment(i, set())
    return {i: j for j, i in owner.items()}


def must_first(items: Sequence[Any]) -> list[int]:
    return sorted(range(len(items)), key=lambda i: not items[i].must)


