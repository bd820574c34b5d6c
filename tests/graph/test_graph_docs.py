"""The docstring examples of the graph modules run and pass."""
from __future__ import annotations

import doctest
import importlib

import pytest


@pytest.mark.parametrize("module", ["kg.graph", "kg.graph_analysis", "kg.graph_evidence", "kg.export.graphfiles"])
def test_docstring_examples(module):
    failed, attempted = doctest.testmod(importlib.import_module(module))
    assert attempted > 0 and failed == 0
