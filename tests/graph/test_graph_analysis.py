"""Co-occurrence scores, shortest paths, timelines, ego subgraphs: answers worked out by hand (see conftest)."""
from __future__ import annotations

import math

import pytest

from kg.graph import NoPathError


def test_related_pmi_by_hand(graph):
    # GPT-3 is in P1, P2, P3 (a = 3) of N = 6 papers.
    # Accuracy (P1, P3; b = 2, c = 2): log2(2*6 / (3*2)) = 1;  LoRA (P1, P2): 1;  GLUE (P1, P3, P4; b = 3): log2(12/9)
    rows = graph.related("GPT-3", min_support=2)
    assert [(r.name, r.support) for r in rows] == [("Accuracy", 2), ("LoRA", 2), ("GLUE", 2)]
    assert [r.score for r in rows[:2]] == [1.0, 1.0]
    assert rows[2].score == pytest.approx(math.log2(4 / 3))
    assert rows[1].papers == ("paper:2401.00001", "paper:2402.00002")


def test_related_min_support_one_adds_single_papers(graph):
    rows = graph.related("GPT-3", min_support=1)
    # Transformer/Model (P3 only): log2(1*6 / (3*1)) = 1; SQuAD (P2 of P2, P5): log2(6 / 6) = 0
    assert [(r.node, round(r.score, 4)) for r in rows] == [
        ("entity:metric/accuracy", 1.0), ("entity:method/lora", 1.0), ("entity:model/transformer", 1.0),
        ("entity:benchmark/glue", 0.415), ("entity:benchmark/squad", 0.0),
    ]
    assert len(graph.related("GPT-3", 2, min_support=1)) == 2


def test_related_jaccard_and_npmi_by_hand(graph):
    jaccard = {r.name: r.score for r in graph.related("GPT-3", measure="jaccard")}
    assert jaccard == {"Accuracy": pytest.approx(2 / 3), "LoRA": pytest.approx(2 / 3), "GLUE": pytest.approx(2 / 4)}
    npmi = {r.name: r.score for r in graph.related("GPT-3", measure="npmi")}
    assert npmi["LoRA"] == pytest.approx(1 / math.log2(3))  # pmi 1 / -log2(2/6)
    with pytest.raises(ValueError, match="unknown measure"):
        graph.related("GPT-3", measure="cosine")


def test_shortest_path_through_papers(graph):
    assert graph.shortest_path("BERT", "LoRA") == [
        "entity:model/bert", "paper:p5", "entity:benchmark/squad", "paper:2402.00002", "entity:method/lora",
    ]
    # two equally short paths (via P1 or P3): the smaller paper id is taken
    assert graph.shortest_path("GPT-3", "GLUE") == ["entity:model/gpt-3", "paper:2305.00003", "entity:benchmark/glue"]
    assert graph.shortest_path("GLUE", "GLUE") == ["entity:benchmark/glue"]


def test_no_path(graph):
    with pytest.raises(NoPathError, match="no path through papers between 'BERT' and 'Mamba'"):
        graph.shortest_path("BERT", "Mamba")


def test_timeline_keeps_yearless_dates_apart(graph):
    assert graph.timeline("GLUE") == [("2023", 1), ("2024", 1), ("no year", 1)]
    assert graph.timeline("GLUE", "month") == [("2023-05", 1), ("2024-01", 1), ("no year", 1)]
    assert graph.timeline("SQuAD") == [("2024", 1), ("no date", 1)]
    assert graph.timeline("GPT-3", "month") == [("2023-05", 1), ("2024-01", 1), ("2024-02", 1)]
    with pytest.raises(ValueError, match="unknown period"):
        graph.timeline("GLUE", "week")


def test_ego_subgraph(graph):
    one = graph.ego("SQuAD", 1)
    assert sorted(one) == ["entity:benchmark/squad", "paper:2402.00002", "paper:p5"]
    assert sorted(one.edges(keys=True)) == [
        ("paper:2402.00002", "entity:benchmark/squad", "evaluatesOn"), ("paper:p5", "entity:benchmark/squad", "evaluatesOn"),
    ]
    two = graph.ego("SQuAD", 2)
    assert sorted(two) == [
        "entity:benchmark/squad", "entity:method/lora", "entity:model/bert", "entity:model/gpt-3", "paper:2402.00002", "paper:p5",
    ]
    assert two.nodes["entity:method/lora"]["papers"] == 2
    assert ("entity:method/lora", "entity:model/gpt-3", "outperforms") in two.edges(keys=True)


def test_describe(graph):
    found = graph.describe("GPT-3", n=2)
    assert found.info.name == "GPT-3" and found.other_types == ()
    assert found.relations == {"uses": 3}
    assert found.links == (
        ("variantOf", "out", "entity:model/transformer", "Transformer", 1),
        ("outperforms", "in", "entity:method/lora", "LoRA", 2),
    )
    assert [node for node, _, _ in found.recent] == ["paper:2402.00002", "paper:2401.00001"]
    assert [e.type for e in graph.describe("Transformer").other_types] == ["Method"]
