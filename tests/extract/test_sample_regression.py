"""Regression on the bundled sample corpus (kg/data/seeds): entity counts per type stay near their pinned values.

The figures were measured on the sample when the lexicons were settled; a change of more than the
tolerance means a rule or lexicon change moved extraction a lot, which should be a decision, not an accident.
"""
from __future__ import annotations

from collections import Counter

import pytest

PINNED = {"Method": 2960, "Metric": 1288, "Task": 624, "Model": 497, "Benchmark": 193}
PINNED_PROPOSED = 285
TOLERANCE = 0.15


@pytest.mark.slow
def test_counts_per_type_are_stable(sample_papers, sample_extracted):
    assert len(sample_extracted) == len(sample_papers) == 447
    counts = Counter(e.type for item in sample_extracted for e in item.entities)
    for kind, pinned in PINNED.items():
        assert abs(counts[kind] - pinned) <= TOLERANCE * pinned, (kind, counts[kind], pinned)
    proposed = sum(e.proposed for item in sample_extracted for e in item.entities)
    assert abs(proposed - PINNED_PROPOSED) <= TOLERANCE * PINNED_PROPOSED


def test_every_sample_paper_gets_entities(sample_extracted):
    empty = [item.paper.title for item in sample_extracted if not item.entities]
    assert len(empty) <= len(sample_extracted) // 50, empty[:5]
