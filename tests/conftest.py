"""Fixtures shared across test folders: the bundled sample, read and extracted once per session."""
from __future__ import annotations

import os

import pytest
from hypothesis import settings

# CI explores the same examples on every run (a red CI must be reproducible); local runs explore new ones.
settings.register_profile("ci", derandomize=True, deadline=None)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture(scope="session")
def sample_papers():
    """The bundled sample corpus (kg/data/seeds), read and merged: the papers every build starts from."""
    from kg.build import sample_inputs
    from kg.ingest import merge_duplicates, read_papers

    return merge_duplicates(read_papers(sample_inputs()))


@pytest.fixture(scope="session")
def sample_extracted(sample_papers):
    """The sample papers run through the default extraction pipeline."""
    from kg.extract import extract_papers

    return list(extract_papers(sample_papers))


@pytest.fixture(scope="session")
def sample_graph(sample_extracted):
    """The knowledge graph of the sample (do not mutate: shared by the whole session)."""
    from kg.graph import KnowledgeGraph

    return KnowledgeGraph.from_extracted(sample_extracted)
