"""Comparisons and invariants shared by the graph tests."""
from __future__ import annotations

from kg.graph import ENTITY_RELATIONS, KnowledgeGraph


def snapshot(graph: KnowledgeGraph) -> tuple:
    """Everything a user can see of a graph: sorted nodes with data, edges with data, and every edge's evidence."""
    nxg = graph.to_networkx()
    nodes = sorted((node, repr(sorted(data.items()))) for node, data in nxg.nodes(data=True))
    edges = sorted((u, v, k, repr(sorted(d.items()))) for u, v, k, d in nxg.edges(keys=True, data=True))
    evidence = [(u, v, k, repr(graph.evidence(u, v, k))) for u, v, k, _ in edges]
    return nodes, edges, evidence


def check_invariants(graph: KnowledgeGraph) -> None:
    """Supports equal distinct papers; relation edges count their papers; aliases sorted without the name."""
    nxg = graph.to_networkx()
    for node in graph.entities():
        data = nxg.nodes[node]
        assert data["papers"] == sum(1 for p in nxg.pred[node] if p.startswith("paper:")), node
        assert data["aliases"] == sorted(set(data["aliases"])) and data["name"] not in data["aliases"], node
        assert graph.entity(data["name"], type=data["type"]).node == node
    for u, v, key, data in nxg.edges(keys=True, data=True):
        if key in ENTITY_RELATIONS:
            assert u != v
            assert data["papers"] == len({e["paper"] for e in graph.evidence(u, v, key)}) > 0
        else:
            assert u.startswith("paper:") and data == {}
