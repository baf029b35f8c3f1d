from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SEED = REPO.parent / "shared" / "seeds" / "000_3aabd3aa6f6a8816.txt"


@pytest.fixture(scope="session")
def extractor():
    """One extractor per test session: loading the model and knowledge takes seconds."""
    from kg.extract.pipeline import Extractor

    return Extractor()
