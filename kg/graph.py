"""The knowledge graph: papers linked to the entities they mention, as a NetworkX multigraph.

Node ids are derived from content (paper ids, entity types and canonical names), never from
insertion order or Python's ``hash``, so the same papers give the same graph on any machine.
"""
from __future__ import annotations

from typing import Iterable, Iterator

import networkx as nx

from kg.names import name_key, slug
from kg.records import Entity, ExtractedPaper, Paper

RELATION_BY_TYPE = {
    "Benchmark": "evaluatesOn",
    "Metric": "reportsMetric",
    "Task": "addresses",
    "Model": "uses",
    "Method": "uses",
}
PAPER_RELATIONS = ("proposes", "evaluatesOn", "reportsMetric", "addresses", "uses")
ENTITY_RELATIONS = ("variantOf", "comparedWith", "outperforms")


def paper_node(paper_id: str) -> str:
    return f"paper:{paper_id}"


def entity_node(entity_type: str, name: str) -> str:
    return f"entity:{entity_type.lower()}/{slug(name)}"


def paper_relation(entity: Entity) -> str:
    """The paper-to-entity relation: ``proposes`` for contributions, otherwise by entity type."""
    return "proposes" if entity.proposed else RELATION_BY_TYPE[entity.type]


class KnowledgeGraph:
    """Papers and entities with typed, evidenced links; wraps a ``networkx.MultiDiGraph``."""

    def __init__(self) -> None:
        self._graph = nx.MultiDiGraph()
        self._by_key: dict[tuple[str, str], str] = {}

    @classmethod
    def from_extracted(cls, extracted: Iterable[ExtractedPaper]) -> "KnowledgeGraph":
        graph = cls()
        for item in extracted:
            graph.add(item)
        return graph

    def add(self, item: ExtractedPaper) -> None:
        """Add one paper and its entities; entities merge with existing nodes of the same type and name key."""
        pnode = paper_node(item.paper.id)
        self._graph.add_node(pnode, **_paper_attributes(item.paper))
        for entity in item.entities:
            enode = self._entity(entity)
            relation = paper_relation(entity)
            evidence = [
                {
                    "field": m.field,
                    "start": m.start,
                    "end": m.end,
                    "sentence": m.sentence,
                    "rule": entity.rule,
                    "confidence": entity.confidence,
                }
                for m in entity.mentions
            ]
            self._graph.add_edge(pnode, enode, key=relation, evidence=evidence)
            self._graph.nodes[enode]["papers"] = sum(1 for _ in self._graph.predecessors(enode))
        for rel in item.relations:
            source = self._by_key.get((rel.subject_type, name_key(rel.subject)))
            target = self._by_key.get((rel.object_type, name_key(rel.object)))
            if source and target and source != target:
                self._graph.add_edge(
                    source, target, key=rel.predicate,
                    evidence=[{"sentence": rel.sentence, "rule": rel.rule, "paper": item.paper.id}],
                )

    def _entity(self, entity: Entity) -> str:
        key = (entity.type, name_key(entity.name))
        node = self._by_key.get(key)
        if node is None:
            node = entity_node(entity.type, entity.name)
            self._by_key[key] = node
            self._graph.add_node(node, kind="entity", type=entity.type, name=entity.name, aliases=[], papers=0)
        attrs = self._graph.nodes[node]
        aliases = set(attrs["aliases"]) | set(entity.aliases) | {entity.name}
        aliases.discard(attrs["name"])
        attrs["aliases"] = sorted(aliases)
        return node

    def papers(self) -> Iterator[str]:
        return (n for n, kind in self._graph.nodes(data="kind") if kind == "paper")

    def entities(self) -> Iterator[str]:
        return (n for n, kind in self._graph.nodes(data="kind") if kind == "entity")

    def evidence(self, source: str, target: str, relation: str) -> list[dict]:
        return list(self._graph.edges[source, target, relation].get("evidence", []))

    def to_networkx(self) -> nx.MultiDiGraph:
        return self._graph


def _paper_attributes(paper: Paper) -> dict:
    return {
        "kind": "paper",
        "title": paper.title,
        "date": paper.date,
        "authors": list(paper.authors),
        "author_count": paper.author_count,
        "upvotes": paper.upvotes,
        "url": paper.url,
        "source": paper.source,
    }
