"""The graph model: node ids and attributes, edges by relation, merging by name key and alias, evidence."""
from __future__ import annotations

import pytest

from kg.graph import KnowledgeGraph, entity_node, entity_node_id, paper_node
from kg.records import Entity, ExtractedPaper, Paper, Relation

from .conftest import P1_SENTENCE, P1_TITLE
from .helpers import check_invariants, snapshot


def test_nodes_and_supports(graph):
    nxg = graph.to_networkx()
    supports = {node: nxg.nodes[node]["papers"] for node in graph.entities()}
    assert supports == {
        "entity:method/lora": 2, "entity:model/gpt-3": 3, "entity:benchmark/glue": 3, "entity:metric/accuracy": 2,
        "entity:benchmark/squad": 2, "entity:model/transformer": 1, "entity:method/transformer": 1,
        "entity:model/bert": 1, "entity:model/mamba": 1,
    }
    assert sorted(graph.papers()) == ["paper:2305.00003", "paper:2401.00001", "paper:2402.00002", "paper:p4", "paper:p5", "paper:p6"]
    assert nxg.nodes["paper:2401.00001"] == {
        "kind": "paper", "title": P1_TITLE, "date": "2024-01-15", "authors": ["Edward Hu"], "author_count": 1,
        "upvotes": 12, "url": "https://arxiv.org/abs/2401.00001", "source": "",
    }
    check_invariants(graph)


def test_edges_are_typed_by_relation(graph):
    nxg = graph.to_networkx()
    assert set(nxg.succ["paper:2401.00001"]["entity:method/lora"]) == {"proposes"}
    assert set(nxg.succ["paper:2402.00002"]["entity:method/lora"]) == {"uses"}
    assert set(nxg.succ["paper:2401.00001"]["entity:benchmark/glue"]) == {"evaluatesOn"}
    assert set(nxg.succ["paper:2401.00001"]["entity:metric/accuracy"]) == {"reportsMetric"}
    relations = sorted((u, v, k, d["papers"]) for u, v, k, d in nxg.edges(keys=True, data=True) if not u.startswith("paper:"))
    assert relations == [
        ("entity:method/lora", "entity:model/gpt-3", "outperforms", 2),
        ("entity:model/gpt-3", "entity:model/transformer", "variantOf", 1),
    ]  # BERT variantOf Transformer is dropped: Transformer is not an entity of that paper


def test_alias_merges_across_papers_and_canonical_name(graph):
    info = graph.entity("Low-Rank Adaptation")
    assert (info.node, info.name, info.aliases, info.papers) == ("entity:method/lora", "LoRA", ("Low-Rank Adaptation",), 2)


def test_type_conflict_keeps_two_nodes(graph):
    found = graph.entities_named("transformer")
    assert [(e.node, e.type) for e in found] == [("entity:model/transformer", "Model"), ("entity:method/transformer", "Method")]
    assert graph.entity("Transformer", type="method").node == "entity:method/transformer"


def test_evidence_of_mentions_and_relations(graph):
    assert graph.evidence("paper:2401.00001", "entity:method/lora", "proposes") == [
        {"field": "title", "start": 0, "end": 4, "sentence": P1_TITLE, "text": "LoRA", "rule": "proposal", "confidence": 0.9},
        {"field": "abstract", "start": 0, "end": 4, "sentence": P1_SENTENCE, "text": "LoRA", "rule": "proposal", "confidence": 0.9},
    ]
    assert graph.evidence("paper:2305.00003", "entity:model/gpt-3", "uses") == []  # no mentions recorded
    found = graph.evidence("entity:method/lora", "entity:model/gpt-3", "outperforms")
    assert [(e["paper"], e["rule"]) for e in found] == [("2401.00001", "outperform-pattern"), ("2402.00002", "outperform-pattern")]
    assert found[1]["sentence"] == "Low-Rank Adaptation beats full GPT-3 tuning on SQuAD."
    with pytest.raises(KeyError):
        graph.evidence("paper:2401.00001", "entity:method/lora", "uses")


def test_adding_a_present_paper_is_ignored(graph, papers):
    before = snapshot(graph)
    changed = ExtractedPaper(papers[0].paper, (Entity("Something Else", "Model"),))
    assert graph.add(changed) is False
    assert snapshot(graph) == before


def test_unknown_entity_type_is_a_clear_error():
    with pytest.raises(ValueError, match=r"paper x: entity 'Foo' has unknown type 'Gadget'"):
        KnowledgeGraph.from_extracted([ExtractedPaper(Paper("x", "t", "a"), (Entity("Foo", "Gadget"),))])


def test_node_ids_are_stable_and_collision_free():
    assert paper_node("2401.12345") == "paper:2401.12345"
    assert entity_node("Model", "Mixtral 8x7B") == "entity:model/mixtral-8x7b"
    assert entity_node_id("Model", "Mixtral 8x7B") == "entity:model/mixtral-8x7b"
    # "C#" and "C" share the slug "c" but are different names: the one the slug does not identify gets a hash suffix
    assert entity_node_id("Method", "C") == "entity:method/c"
    assert entity_node_id("Method", "C#") == "entity:method/c~" + __import__("hashlib").sha1(b"c#").hexdigest()[:8]
    graph = KnowledgeGraph.from_extracted([ExtractedPaper(Paper("x", "t", "a"), (Entity("C", "Method"), Entity("C#", "Method")))])
    assert len(list(graph.entities())) == 2


def test_rename_when_another_spelling_becomes_the_majority():
    first = ExtractedPaper(Paper("a", "t", "x"), (Entity("squad", "Benchmark"),))
    more = [ExtractedPaper(Paper(i, "t", "x"), (Entity("SQuAD", "Benchmark"),)) for i in ("b", "c")]
    graph = KnowledgeGraph.from_extracted([first])
    assert graph.entity("squad").name == "squad"
    for item in more:
        graph.add(item)
    info = graph.entity("squad")
    assert (info.name, info.aliases, info.papers) == ("SQuAD", ("squad",), 3)


def test_alias_links_merge_but_a_shared_alias_does_not():
    items = [
        ExtractedPaper(Paper("a", "t", "x"), (Entity("Language Model", "Method", ("LM",)),)),
        ExtractedPaper(Paper("b", "t", "x"), (Entity("Latent Model", "Method", ("LM",)),)),
    ]
    graph = KnowledgeGraph.from_extracted(items)
    assert len(list(graph.entities())) == 2
    assert {e.name for e in graph.entities_named("LM")} == {"Language Model", "Latent Model"}
    # once a paper names an entity "LM", both aliases point at that name: all three are one entity (documented)
    graph.add(ExtractedPaper(Paper("c", "t", "x"), (Entity("LM", "Method"),)))
    assert len(list(graph.entities())) == 1


def test_relation_between_entities_that_later_merge_is_dropped():
    """A relation whose ends end up one entity would be a self-loop: it never appears, in any paper order."""
    a = ExtractedPaper(Paper("a", "t", "x"), (Entity("BERT", "Model"), Entity("BERT-base", "Model")),
                       (Relation("BERT-base", "Model", "variantOf", "BERT", "Model"),))
    b = ExtractedPaper(Paper("b", "t", "x"), (Entity("BERT", "Model", ("BERT-base",)),))
    for order in ([a, b], [b, a]):
        graph = KnowledgeGraph.from_extracted(order)
        assert [k for _, _, k in graph.to_networkx().edges(keys=True) if k == "variantOf"] == []
        check_invariants(graph)


def test_to_networkx_view_is_read_only_and_copy_is_independent(graph):
    import networkx as nx

    view = graph.to_networkx()
    with pytest.raises(nx.NetworkXError):
        view.add_node("x")
    copy = graph.to_networkx(copy=True)
    copy.remove_node("entity:model/gpt-3")
    assert "entity:model/gpt-3" in graph.to_networkx()


def test_stats(graph):
    stats = graph.stats()
    assert (stats["papers"], stats["entities"], stats["entities.Model"], stats["edges.uses"], stats["edges.outperforms"]) == (6, 9, 4, 7, 1)
