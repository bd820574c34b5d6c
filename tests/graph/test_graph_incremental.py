"""Incremental adds equal a full rebuild, in any paper order, also across a save and load."""
from __future__ import annotations

import itertools
import random
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from kg.graph import KnowledgeGraph
from kg.records import Entity, ExtractedPaper, Mention, Paper, Relation

from .conftest import fixture_papers
from .helpers import check_invariants, snapshot


def saved_bytes(graph: KnowledgeGraph, path) -> bytes:
    graph.save(path)
    return path.read_bytes()


def test_every_order_of_the_fixture_gives_the_same_graph(papers, tmp_path):
    reference = KnowledgeGraph.from_extracted(papers)
    expected_bytes, expected = saved_bytes(reference, tmp_path / "a.gz"), snapshot(reference)
    orders = list(itertools.permutations(papers))
    for order in random.Random(3).sample(orders, 40):
        graph = KnowledgeGraph.from_extracted(order)
        assert snapshot(graph) == expected
        assert saved_bytes(graph, tmp_path / "b.gz") == expected_bytes


def test_add_after_load_equals_rebuild(papers, tmp_path):
    full = KnowledgeGraph.from_extracted(papers)
    part = KnowledgeGraph.from_extracted(papers[:3])
    part.save(tmp_path / "part.gz")
    grown = KnowledgeGraph.load(tmp_path / "part.gz")
    for item in papers[3:]:
        assert grown.add(item)
    assert snapshot(grown) == snapshot(full)
    assert saved_bytes(grown, tmp_path / "g.gz") == saved_bytes(full, tmp_path / "f.gz")


NAMES = ["BERT", "bert", "BERTs", "Bidirectional Encoder", "GPT-4", "GPT4", "LLaMA", "LM", "Language Model", "C", "C#", "RoBERTa"]
TYPES = ["Model", "Method"]


@st.composite
def paper_sets(draw) -> list[ExtractedPaper]:
    """Small papers over a tiny vocabulary full of spelling variants, cross-type names, aliases and relations."""
    items = []
    for index in range(draw(st.integers(1, 7))):
        entities = []
        for _ in range(draw(st.integers(0, 4))):
            name = draw(st.sampled_from(NAMES))
            aliases = tuple(draw(st.lists(st.sampled_from(NAMES), max_size=2)))
            mention = Mention(name, "abstract", 0, len(name), f"{name} in paper {index}.")
            entities.append(Entity(name, draw(st.sampled_from(TYPES)), aliases, draw(st.booleans()), (mention,), "r", 0.5))
        relations = []
        if len(entities) >= 2:
            for _ in range(draw(st.integers(0, 2))):
                a, b = draw(st.sampled_from(entities)), draw(st.sampled_from(entities))
                relations.append(Relation(a.name, a.type, draw(st.sampled_from(["variantOf", "outperforms"])), b.name, b.type, f"s{index}", "p"))
        items.append(ExtractedPaper(Paper(f"p{index}", "t", "a", f"2024-0{index + 1}-01"), tuple(entities), tuple(relations)))
    return items


@settings(max_examples=200, deadline=None)
@given(paper_sets(), st.randoms(use_true_random=False), st.integers(0, 7))
def test_merging_does_not_depend_on_paper_order(items, rng, cut):
    """Any order, with a save and load after the first ``cut`` papers, gives the graph of a rebuild."""
    expected = KnowledgeGraph.from_extracted(items)
    check_invariants(expected)
    shuffled = list(items)
    rng.shuffle(shuffled)
    with tempfile.TemporaryDirectory() as folder:
        KnowledgeGraph.from_extracted(shuffled[:cut]).save(Path(folder) / "part.gz")
        grown = KnowledgeGraph.load(Path(folder) / "part.gz")
    for item in shuffled[cut:]:
        grown.add(item)
    assert snapshot(grown) == snapshot(expected)


def test_incremental_over_fixture_papers_keeps_invariants():
    graph = KnowledgeGraph()
    for item in fixture_papers():
        graph.add(item)
        check_invariants(graph)
