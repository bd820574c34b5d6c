"""The graph of the bundled sample corpus, through the real ingest and extraction pipeline."""
from __future__ import annotations

import pytest

from kg.graph import KnowledgeGraph

from .helpers import check_invariants, snapshot

pytest.importorskip("kg.extract", reason="the extraction pipeline (kg.extract) is not importable yet")
pytest.importorskip("kg.ingest", reason="the ingest stage (kg.ingest) is not importable yet")


def test_sample_graph_has_every_paper_and_sound_entities(sample_graph, sample_papers):
    assert sample_graph.paper_count == len(sample_papers)
    assert sample_graph.entity_count > 0
    check_invariants(sample_graph)
    for node in sample_graph.entities():
        data = sample_graph.to_networkx().nodes[node]
        for alias in data["aliases"]:  # every alias finds its entity (first, unless another entity shares the alias)
            assert node in [e.node for e in sample_graph.entities_named(alias, type=data["type"])], (node, alias)


def test_sample_incremental_in_reverse_equals_rebuild(sample_graph, sample_extracted, tmp_path):
    reverse = KnowledgeGraph()
    for item in reversed(sample_extracted):
        reverse.add(item)
    assert snapshot(reverse) == snapshot(sample_graph)
    sample_graph.save(tmp_path / "a.gz")
    reverse.save(tmp_path / "b.gz")
    assert (tmp_path / "a.gz").read_bytes() == (tmp_path / "b.gz").read_bytes()
    assert snapshot(KnowledgeGraph.load(tmp_path / "a.gz")) == snapshot(sample_graph)


def test_sample_look_ups_answer(sample_graph):
    top = sample_graph.top("Model", 5)
    assert top and top == sorted(top, key=lambda row: -row[1])
    best = top[0][0]
    assert sample_graph.papers_of(best) and len(sample_graph.papers_of(best)) == top[0][1]
    assert sum(count for _, count in sample_graph.timeline(best)) == top[0][1]
    for row in sample_graph.related(best, 5, min_support=1):
        assert row.support == len(row.papers) >= 1
    assert sample_graph.to_networkx().number_of_edges() > sample_graph.paper_count


def test_from_inputs_reads_extracts_and_links(tmp_path):
    source = tmp_path / "papers.jsonl"
    source.write_text(
        '{"id": "2401.00001", "title": "LoRA for GPT-4", "abstract": "We fine-tune GPT-4 with LoRA and evaluate on GSM8K.", "date": "2024-01-02"}\n'
        '{"id": "2401.00001", "title": "LoRA for GPT-4", "abstract": "We fine-tune GPT-4 with LoRA and evaluate on GSM8K.", "date": "2024-01-02"}\n'
        '{"id": "2402.00002", "title": "Math with GPT-4", "abstract": "GPT-4 solves GSM8K problems.", "date": "2024-02-03"}\n',
        encoding="utf-8",
    )
    graph = KnowledgeGraph.from_inputs([source])
    assert sorted(graph.papers()) == ["paper:2401.00001", "paper:2402.00002"]  # the duplicate record is merged
    assert graph.papers_of("GPT-4") == ["paper:2401.00001", "paper:2402.00002"]
