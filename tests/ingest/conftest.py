"""Shared paths for the ingest tests: the bundled seed pages (package data) and the hand-made fixtures."""
from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import pytest

SEEDS = Path(str(files("kg") / "data" / "seeds"))
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ingest"


@pytest.fixture
def seeds() -> Path:
    return SEEDS


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES
