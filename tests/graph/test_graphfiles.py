"""GraphML, GEXF and node-link JSON exports open again with networkx, with the same nodes, edges and values."""
from __future__ import annotations

import json

import networkx as nx

from kg.export.graphfiles import write_gexf, write_graphml, write_node_link
from kg.graph import KnowledgeGraph
from kg.records import Entity, ExtractedPaper, Paper


def _parallel_edges_graph() -> KnowledgeGraph:
    """One paper proposing and using the same entity (two spellings): two edges between one pair of nodes."""
    item = ExtractedPaper(Paper("x", "X", "a", "2024-01-01", ("A", "B")), (Entity("XNet", "Model", ("X-Net",), True), Entity("xnet", "Model")))
    return KnowledgeGraph.from_extracted([item])


def test_graphml_reopens_with_networkx(graph, tmp_path):
    path = write_graphml(graph, tmp_path / "graph.graphml")
    back = nx.read_graphml(path, force_multigraph=True)
    source = graph.to_networkx()
    assert sorted(back) == sorted(source)
    assert sorted(back.edges(keys=True)) == sorted(source.edges(keys=True))
    assert back.nodes["entity:method/lora"]["aliases"] == "Low-Rank Adaptation"
    assert back.nodes["entity:method/lora"]["papers"] == 2
    assert back.nodes["paper:2401.00001"]["authors"] == "Edward Hu"
    assert "url" not in back.nodes["paper:p5"]  # None values are left out
    assert back.edges["entity:method/lora", "entity:model/gpt-3", "outperforms"] == {"relation": "outperforms", "papers": 2}


def test_gexf_reopens_with_networkx_with_parallel_edges(tmp_path):
    graph = _parallel_edges_graph()
    path = write_gexf(graph, tmp_path / "graph.gexf")
    back = nx.read_gexf(path)
    assert back.is_multigraph()
    assert sorted(d["label"] for _, _, d in back.edges(data=True)) == ["proposes", "uses"]
    assert back.nodes["entity:model/xnet"]["aliases"] == "X-Net; xnet"
    assert back.nodes["paper:x"]["authors"] == "A; B"
    assert "lastmodifieddate" not in path.read_text(encoding="utf-8")


def test_gexf_of_fixture_and_determinism(graph, papers, tmp_path):
    write_gexf(graph, tmp_path / "a.gexf")
    write_gexf(KnowledgeGraph.from_extracted(papers[::-1]), tmp_path / "b.gexf")
    assert (tmp_path / "a.gexf").read_bytes() == (tmp_path / "b.gexf").read_bytes()
    back = nx.read_gexf(tmp_path / "a.gexf")
    assert sorted(back) == sorted(graph.to_networkx())
    assert back.number_of_edges() == graph.to_networkx().number_of_edges()


def test_node_link_round_trip(graph, tmp_path):
    path = write_node_link(graph, tmp_path / "graph.json")
    back = nx.node_link_graph(json.loads(path.read_text(encoding="utf-8")), edges="edges")
    source = graph.to_networkx()
    assert sorted(back.edges(keys=True)) == sorted(source.edges(keys=True))
    assert back.nodes["entity:method/lora"]["aliases"] == ["Low-Rank Adaptation"]
    assert back.nodes["paper:p5"]["date"] is None
