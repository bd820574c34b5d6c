"""The knowledge graph: papers linked to the entities they mention, as a NetworkX multigraph.

Node ids are derived from content (paper ids, entity types and canonical names), never from
insertion order or Python's ``hash``, so the same papers give the same graph on any machine,
whatever order they arrive in.

Identity of entities (decided here, documented once):

* Entities merge across papers by ``(type, name_key(name))``: case, plural and punctuation variants
  of a name are one entity.
* They also merge by alias: when an entity's alias has the name key of another entity *of the same
  type* (``BERT`` listed as an alias of ``Bidirectional Encoder Representations from Transformers``,
  and another paper naming an entity ``BERT``), the two are one entity. Merging is the connected
  components of these "alias names that entity" links, so the result does not depend on paper order.
  Two entities that merely share an alias (``LM``) do not merge: only an alias that is some entity's
  *name* links them.
* The canonical name of a merged entity is the name most papers used (ties: the first by
  ``(casefold, name)``); its node id is ``entity:<type>/<slug(name)>``, with a ``~<8 hex>`` suffix only
  when the slug would not identify the name (``C#`` and ``C`` both slug to ``c``; non-Latin names).
  As papers arrive the canonical name can change; the node is then renamed, as a rebuild would name it.
* Types never merge: ``Transformer`` typed Model by one paper and Method by another gives two nodes.
  The type is part of the node id (and IRI); a majority vote would rename nodes as papers arrive and
  hide a disagreement that is itself information. Look-ups by name return the best-supported type
  first and ``entities_named`` lists all of them.
* A paper already in the graph is ignored when added again (``add`` returns False): the ingest stage
  merges duplicate records, so a second copy of an id carries no new paper.
* An entity relation (``variantOf``...) is kept only when both its ends are entities of the same paper.

Evidence lives in a side store (``kg.graph_evidence``); edges carry no bulky attributes.
"""
from __future__ import annotations

import bisect
import difflib
import functools
import hashlib
import heapq
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable, Iterator

import networkx as nx

from kg import graph_evidence as ev
from kg.graph_errors import GraphFileError, NoPathError, UnknownEntityError, UnknownPaperError
from kg.names import name_key, slug
from kg.records import ENTITY_TYPES, Entity, ExtractedPaper, Paper

if TYPE_CHECKING:
    from kg.graph_analysis import EntityDescription, Related

__all__ = [
    "ENTITY_RELATIONS", "PAPER_RELATIONS", "RELATION_BY_TYPE", "EntityInfo", "GraphFileError", "KnowledgeGraph",
    "NoPathError", "UnknownEntityError", "UnknownPaperError", "entity_node", "paper_node", "paper_relation",
]

RELATION_BY_TYPE = {
    "Benchmark": "evaluatesOn",
    "Metric": "reportsMetric",
    "Task": "addresses",
    "Model": "uses",
    "Method": "uses",
}
PAPER_RELATIONS = ("proposes", "evaluatesOn", "reportsMetric", "addresses", "uses")
ENTITY_RELATIONS = ("variantOf", "comparedWith", "outperforms")
PAPER_PREFIX = "paper:"
ENTITY_PREFIX = "entity:"

Key = tuple[str, str]  # (entity type, name key)

# Names repeat (Zipf): caching their keys halves the cost of adding a paper.
_name_key = functools.lru_cache(maxsize=1 << 18)(name_key)


def paper_node(paper_id: str) -> str:
    """Node id of a paper: ``paper_node("2401.12345") == "paper:2401.12345"``."""
    return f"{PAPER_PREFIX}{paper_id}"


def entity_node(entity_type: str, name: str) -> str:
    """Node id of an entity from its type and canonical name.

    >>> entity_node("Model", "GPT-4")
    'entity:model/gpt-4'
    """
    return f"{ENTITY_PREFIX}{entity_type.lower()}/{slug(name)}"


def entity_node_id(entity_type: str, name: str) -> str:
    """Collision-free node id: ``entity_node`` unless the slug loses what tells the name apart.

    >>> entity_node_id("Method", "Low-Rank Adaptation")
    'entity:method/low-rank-adaptation'
    >>> entity_node_id("Model", "C#") != entity_node_id("Model", "C")
    True
    """
    node = entity_node(entity_type, name)
    key = name_key(name)
    if name_key(slug(name)) == key:
        return node
    return f"{node}~{hashlib.sha1(key.encode('utf-8')).hexdigest()[:8]}"


def paper_relation(entity: Entity) -> str:
    """The paper-to-entity relation: ``proposes`` for contributions, otherwise by entity type."""
    return "proposes" if entity.proposed else RELATION_BY_TYPE[entity.type]


def canonical_name(names: dict[str, int]) -> str:
    """The name most papers used; ties go to the first by ``(casefold, name)``, so paper order never matters.

    >>> canonical_name({"BERT": 3, "Bidirectional Encoder Representations from Transformers": 1})
    'BERT'
    >>> canonical_name({"Bert": 2, "BERT": 2})
    'BERT'
    """
    if len(names) == 1:
        return next(iter(names))
    return min(names.items(), key=lambda item: (-item[1], item[0].casefold(), item[0]))[0]


@dataclass(frozen=True, slots=True)
class EntityInfo:
    """One entity as the look-ups return it: node id, canonical name, type, other names, paper support."""

    node: str
    name: str
    type: str
    aliases: tuple[str, ...]
    papers: int


class _Cluster:
    """The name keys (of one type) that are one entity, with how many papers used each surface name."""

    __slots__ = ("type", "keys", "names", "node", "absorbed")

    def __init__(self, type_: str, key: str) -> None:
        self.type = type_
        self.keys = [key]
        self.names: dict[str, int] = {}
        self.node: str | None = None
        self.absorbed: list[str] = []  # node ids of merged-in entities, renamed into this one at the next sync


class KnowledgeGraph:
    """Papers and entities with typed, evidenced links; wraps a ``networkx.MultiDiGraph``.

    >>> from kg.records import Entity, ExtractedPaper, Paper
    >>> item = ExtractedPaper(Paper("p1", "LoRA for GPT-4", "..."), (
    ...     Entity("LoRA", "Method", aliases=("Low-Rank Adaptation",), proposed=True),
    ...     Entity("GPT-4", "Model")))
    >>> graph = KnowledgeGraph.from_extracted([item])
    >>> graph.entity("low-rank adaptations").node
    'entity:method/lora'
    >>> graph.entities_of("p1")
    ['entity:method/lora', 'entity:model/gpt-4']
    """

    def __init__(self) -> None:
        self._graph = nx.MultiDiGraph()
        self._cluster_of: dict[Key, _Cluster] = {}
        self._node_cluster: dict[str, _Cluster] = {}
        self._claims: dict[Key, set[str]] = {}  # alias key not (yet) any entity's name key -> claimant name keys
        self._evidence: dict[str, bytes] = {}  # paper node -> packed evidence record
        self._statements: dict[ev.Statement, list[str]] = {}  # statement -> paper nodes stating it
        self._statements_by_subject: dict[Key, list[ev.Statement]] = {}

    # ------------------------------------------------------------------ building

    @classmethod
    def from_extracted(cls, extracted: Iterable[ExtractedPaper]) -> "KnowledgeGraph":
        """Build a graph from extracted papers (a paper id seen twice keeps its first record)."""
        graph = cls()
        for item in extracted:
            graph.add(item)
        return graph

    @classmethod
    def from_inputs(cls, inputs: Iterable[str | os.PathLike], *, format: str | None = None, jobs: int = 1) -> "KnowledgeGraph":
        """Build a graph from input files or folders: read, merge duplicate papers, extract, link."""
        from kg.extract import extract_papers
        from kg.ingest import merge_duplicates, read_papers

        papers = merge_duplicates(read_papers(list(inputs), format=format))
        return cls.from_extracted(extract_papers(papers, jobs=jobs))

    @classmethod
    def load(cls, path: str | os.PathLike) -> "KnowledgeGraph":
        """Load a graph saved by ``save``; raises ``GraphFileError`` naming the file when it is not one."""
        from kg.graph_io import read_graph

        return read_graph(path)

    def save(self, path: str | os.PathLike) -> None:
        """Save losslessly (gzip JSON Lines with a format/version header), atomically, byte-identical for equal graphs."""
        from kg.graph_io import write_graph

        write_graph(self, path)

    def add(self, item: ExtractedPaper) -> bool:
        """Add one paper with its entities and relations; returns False (and changes nothing) if the paper is already in.

        Entities merge into existing nodes; only entities this paper touches are updated, so adding
        papers one by one gives exactly the graph a rebuild from all of them gives.
        """
        pnode = paper_node(item.paper.id)
        if pnode in self._graph:
            return False
        for entity in item.entities:
            if entity.type not in RELATION_BY_TYPE:
                raise ValueError(f"paper {item.paper.id}: entity {entity.name!r} has unknown type {entity.type!r}")
        keys = [(entity.type, _name_key(entity.name)) for entity in item.entities]
        for entity, key in zip(item.entities, keys):
            self._register(key)
            for alias in entity.aliases:
                self._claim(key, _name_key(alias))
        surfaces: dict[int, tuple[_Cluster, set[str]]] = {}
        for entity, key in zip(item.entities, keys):
            cluster = self._cluster_of[key]
            cluster.names[entity.name] = cluster.names.get(entity.name, 0) + 1
            surfaces.setdefault(id(cluster), (cluster, set()))[1].update((entity.name, *entity.aliases))
        changed = [cluster for cluster, names in surfaces.values() if self._sync(cluster, names)]
        for cluster in changed:  # after every sync, so that both ends of each relation are current
            self._recount(cluster.node)
        self._graph.add_node(pnode, **_paper_attributes(item.paper))
        links = [(*key, paper_relation(entity)) for entity, key in zip(item.entities, keys)]
        for type_, key, relation in links:
            self._graph.add_edge(pnode, self._cluster_of[type_, key].node, key=relation)
        for node in self._graph.succ[pnode]:
            self._graph.nodes[node]["papers"] += 1
        statements = self._add_statements(pnode, item, set(keys))
        self._evidence[pnode] = ev.pack(ev.evidence_record(item, links, statements))
        return True

    def _register(self, key: Key) -> None:
        """Make ``key`` a known name key; pending aliases equal to it now merge with it."""
        if key in self._cluster_of:
            return
        self._cluster_of[key] = _Cluster(*key)
        for claimant in sorted(self._claims.pop(key, ())):
            self._union(key, (key[0], claimant))

    def _claim(self, key: Key, alias_key: str) -> None:
        """Record that the entity named ``key`` is also called ``alias_key``; merge if that is some entity's name."""
        target = (key[0], alias_key)
        if target == key or not alias_key:
            return
        if target in self._cluster_of:
            self._union(key, target)
        else:
            self._claims.setdefault(target, set()).add(key[1])

    def _union(self, a: Key, b: Key) -> None:
        """Make the entities of two name keys one (the smaller cluster joins the larger; its node is merged at sync)."""
        keep, gone = self._cluster_of[a], self._cluster_of[b]
        if keep is gone:
            return
        if len(keep.keys) < len(gone.keys):
            keep, gone = gone, keep
        for key in gone.keys:
            self._cluster_of[keep.type, key] = keep
        keep.keys.extend(gone.keys)
        for name, count in gone.names.items():
            keep.names[name] = keep.names.get(name, 0) + count
        keep.absorbed.extend(([gone.node] if gone.node else []) + gone.absorbed)

    def _sync(self, cluster: _Cluster, surfaces: set[str]) -> bool:
        """Bring the cluster's node up to date: canonical name, node id (renaming/merging nodes), aliases.

        Returns True when the node is new, renamed or merged: its counts must then be recomputed.
        """
        name = canonical_name(cluster.names)
        unchanged = cluster.node is not None and self._graph.nodes[cluster.node]["name"] == name
        node = cluster.node if unchanged else entity_node_id(cluster.type, name)
        old = ([cluster.node] if cluster.node else []) + cluster.absorbed
        cluster.absorbed = []
        if unchanged and not old[1:]:
            attrs = self._graph.nodes[node]
            for surface in surfaces:
                if surface != name and surface not in attrs["aliases"]:
                    bisect.insort(attrs["aliases"], surface)
            return False
        aliases = set(surfaces)
        for previous in old:
            attrs = self._graph.nodes[previous]
            aliases.update(attrs["aliases"], (attrs["name"],))
        aliases.discard(name)
        if node not in self._graph:
            self._graph.add_node(node, kind="entity", type=cluster.type, name=name, aliases=[], papers=0)
        self._graph.nodes[node].update(name=name, aliases=sorted(aliases))
        for previous in old:
            if previous != node:
                self._move_edges(previous, node)
                del self._node_cluster[previous]
        cluster.node = node
        self._node_cluster[node] = cluster
        return bool(old)

    def _move_edges(self, old: str, new: str) -> None:
        """Re-point every edge of ``old`` to ``new`` (dropping edges that would become self-loops) and remove ``old``."""
        graph = self._graph
        for source, keydict in list(graph.pred[old].items()):
            for relation, data in keydict.items():
                if source not in (old, new):
                    graph.add_edge(source, new, key=relation, **data)
        for target, keydict in list(graph.succ[old].items()):
            for relation, data in keydict.items():
                if target not in (old, new):
                    graph.add_edge(new, target, key=relation, **data)
        graph.remove_node(old)

    def _recount(self, node: str) -> None:
        """Recompute the paper support of a merged node and of its entity relations."""
        graph = self._graph
        graph.nodes[node]["papers"] = sum(1 for source in graph.pred[node] if source.startswith(PAPER_PREFIX))
        for source, target, relation in [*graph.in_edges(node, keys=True), *graph.out_edges(node, keys=True)]:
            if relation in ENTITY_RELATIONS:
                graph.edges[source, target, relation]["papers"] = len(self._statement_papers(source, target, relation))

    def _add_statements(self, pnode: str, item: ExtractedPaper, keys: set[Key]) -> list[tuple[ev.Statement, str, str]]:
        """Record the paper's entity relations whose ends are both its entities; link their (distinct) entities."""
        kept: list[tuple[ev.Statement, str, str]] = []
        edges: set[tuple[str, str, str]] = set()
        for rel in item.relations:
            subject, obj = (rel.subject_type, _name_key(rel.subject)), (rel.object_type, _name_key(rel.object))
            if rel.predicate not in ENTITY_RELATIONS or subject not in keys or obj not in keys:
                continue
            statement = (*subject, rel.predicate, *obj)
            kept.append((statement, rel.sentence, rel.rule))
            papers = self._statements.setdefault(statement, [])
            if not papers:
                self._statements_by_subject.setdefault(subject, []).append(statement)
            if not papers or papers[-1] != pnode:
                papers.append(pnode)
            source, target = self._cluster_of[subject].node, self._cluster_of[obj].node
            if source != target:
                edges.add((source, target, rel.predicate))
        for source, target, relation in sorted(edges):
            if self._graph.has_edge(source, target, relation):
                self._graph.edges[source, target, relation]["papers"] += 1
            else:
                self._graph.add_edge(source, target, key=relation, papers=1)
        return kept

    def _statement_papers(self, source: str, target: str, relation: str) -> list[str]:
        """Paper nodes stating ``relation`` between any name of ``source`` and any name of ``target``, sorted."""
        subject, obj = self._node_cluster[source], self._node_cluster[target]
        papers: set[str] = set()
        for key in subject.keys:
            for statement in self._statements_by_subject.get((subject.type, key), ()):
                if statement[2] == relation and self._cluster_of.get((statement[3], statement[4])) is obj:
                    papers.update(self._statements[statement])
        return sorted(papers)

    # ------------------------------------------------------------------ nodes and evidence

    def papers(self) -> Iterator[str]:
        """Paper node ids (in insertion order: sort them for deterministic output)."""
        return (node for node in self._graph if node.startswith(PAPER_PREFIX))

    def entities(self) -> Iterator[str]:
        """Entity node ids (in insertion order: sort them for deterministic output)."""
        return (node for node in self._graph if node.startswith(ENTITY_PREFIX))

    def evidence(self, source: str, target: str, relation: str) -> list[dict]:
        """The evidence of one edge, from the side store; raises KeyError if there is no such edge.

        Paper -> entity: ``{field, start, end, sentence, text, rule, confidence}`` per mention.
        Entity -> entity: ``{paper, sentence, rule}`` per statement, papers in id order.
        """
        if not self._graph.has_edge(source, target, relation):
            raise KeyError((source, target, relation))
        if source.startswith(PAPER_PREFIX):
            cluster = self._node_cluster[target]
            keys = {(cluster.type, key) for key in cluster.keys}
            return ev.mention_evidence(ev.unpack(self._evidence[source]), keys, relation)
        subject, obj = self._node_cluster[source], self._node_cluster[target]
        pairs = {((subject.type, s), (obj.type, o)) for s in subject.keys for o in obj.keys}
        return [
            found
            for pnode in self._statement_papers(source, target, relation)
            for found in ev.statement_evidence(ev.unpack(self._evidence[pnode]), pnode[len(PAPER_PREFIX):], pairs, relation)
        ]

    def to_networkx(self, *, copy: bool = False) -> nx.MultiDiGraph:
        """The plain graph: by default a read-only live view (no memory cost); ``copy=True`` for an independent graph.

        The view shares attribute dicts with this graph: read them, do not change them. A copy
        follows ``networkx.Graph.copy``: new structure and attribute dicts, shared list values.
        """
        return self._graph.copy() if copy else self._graph.copy(as_view=True)

    @property
    def paper_count(self) -> int:
        """Number of papers."""
        return len(self._evidence)

    @property
    def entity_count(self) -> int:
        """Number of entities (after merging)."""
        return len(self._node_cluster)

    def stats(self) -> dict[str, int]:
        """Counts: papers, entities, entities per type, edges per relation (sorted keys).

        >>> KnowledgeGraph().stats()["papers"]
        0
        """
        counts = {"papers": 0, "entities": 0, **{f"entities.{t}": 0 for t in ENTITY_TYPES}}
        counts.update({f"edges.{r}": 0 for r in PAPER_RELATIONS + ENTITY_RELATIONS})
        counts["papers"] = len(self._evidence)
        counts["entities"] = len(self._node_cluster)
        for cluster in self._node_cluster.values():
            counts[f"entities.{cluster.type}"] += 1
        for _, _, relation in self._graph.edges(keys=True):
            counts[f"edges.{relation}"] += 1
        return dict(sorted(counts.items()))

    # ------------------------------------------------------------------ look-ups

    def entity(self, name: str, *, type: str | None = None) -> EntityInfo:
        """The entity called ``name`` (node id, canonical name or any alias; case, plural and punctuation insensitive).

        When several entities match (the same name typed differently), the one whose canonical
        name matches wins over an alias match, then the best-supported. Raises ``UnknownEntityError``
        with the closest names when nothing matches.
        """
        found = self.entities_named(name, type=type)
        if not found:
            raise UnknownEntityError(name, self.suggest(name, type=type))
        return found[0]

    def entities_named(self, name: str, *, type: str | None = None) -> list[EntityInfo]:
        """Every entity ``name`` can mean, best first (canonical-name matches, then alias matches, by support)."""
        if name in self._node_cluster:
            return [self._info(name)] if type in (None, self._node_cluster[name].type) else []
        key = _name_key(name)
        ranked: dict[str, tuple] = {}
        for type_ in [_entity_type(type)] if type else ENTITY_TYPES:
            cluster = self._cluster_of.get((type_, key))
            candidates = [(0, cluster)] if cluster else []
            candidates += [(1, self._cluster_of[type_, claimant]) for claimant in self._claims.get((type_, key), ())]
            for rank, found in candidates:
                papers = self._graph.nodes[found.node]["papers"]
                order = (rank, -papers, ENTITY_TYPES.index(type_), found.node)
                ranked[found.node] = min(order, ranked.get(found.node, order))
        return [self._info(node) for node in sorted(ranked, key=ranked.__getitem__)]

    def suggest(self, name: str, *, type: str | None = None, n: int = 5) -> list[str]:
        """The canonical names closest to ``name`` (difflib over name keys), for "did you mean"."""
        by_key: dict[str, set[str]] = {}
        for (type_, key), cluster in [*self._cluster_of.items(), *self._claim_items()]:
            if type in (None, type_) and cluster.node:
                by_key.setdefault(key, set()).add(self._graph.nodes[cluster.node]["name"])
        names: list[str] = []
        for key in difflib.get_close_matches(name_key(name), sorted(by_key), n=n, cutoff=0.6):
            names += [found for found in sorted(by_key[key]) if found not in names]
        return names[:n]

    def _claim_items(self) -> Iterator[tuple[Key, _Cluster]]:
        for (type_, alias_key), claimants in self._claims.items():
            for claimant in claimants:
                yield (type_, alias_key), self._cluster_of[type_, claimant]

    def _info(self, node: str) -> EntityInfo:
        attrs = self._graph.nodes[node]
        return EntityInfo(node, attrs["name"], attrs["type"], tuple(attrs["aliases"]), attrs["papers"])

    def resolve(self, entity: "str | EntityInfo", *, type: str | None = None) -> str:
        """Node id of an entity given by node id, name, alias (see ``entity``) or an ``EntityInfo``."""
        if isinstance(entity, EntityInfo):
            return entity.node
        return self.entity(entity, type=type).node

    def paper(self, paper: str) -> dict:
        """The attributes of a paper given by id or node id (a copy); raises ``UnknownPaperError``."""
        return dict(self._graph.nodes[self._paper_node(paper)])

    def _paper_node(self, paper: str) -> str:
        node = paper if paper.startswith(PAPER_PREFIX) else paper_node(paper)
        if node not in self._evidence:
            raise UnknownPaperError(paper)
        return node

    def papers_of(self, entity: str, relation: str | None = None) -> list[str]:
        """Paper node ids linked to an entity (by any relation, or only ``relation``), sorted.

        >>> from kg.records import Entity, ExtractedPaper, Paper
        >>> graph = KnowledgeGraph.from_extracted([
        ...     ExtractedPaper(Paper("p1", "A", ""), (Entity("SQuAD", "Benchmark"),)),
        ...     ExtractedPaper(Paper("p2", "B", ""), (Entity("squad", "Benchmark", proposed=True),))])
        >>> graph.papers_of("SQuAD"), graph.papers_of("SQuAD", "proposes")
        (['paper:p1', 'paper:p2'], ['paper:p2'])
        """
        node = self.resolve(entity)
        pred = self._graph.pred[node]
        return sorted(p for p, keys in pred.items() if p.startswith(PAPER_PREFIX) and (relation is None or relation in keys))

    def entities_of(self, paper: str, relation: str | None = None) -> list[str]:
        """Entity node ids a paper (id or node id) links to, by any relation or only ``relation``, sorted."""
        succ = self._graph.succ[self._paper_node(paper)]
        return sorted(node for node, keys in succ.items() if relation is None or relation in keys)

    def entities_by_type(self, type: str) -> list[tuple[str, int]]:
        """All entities of a type as ``(node, papers)``, most papers first (ties by name, then node id)."""
        return self.top(type, n=None)

    def top(self, type: str, n: int | None = 10) -> list[tuple[str, int]]:
        """The ``n`` entities of a type with the most papers, as ``(node, papers)`` (all of them if ``n`` is None)."""
        type_ = _entity_type(type)
        nodes = self._graph.nodes
        rows = ((node, nodes[node]["papers"]) for node, c in self._node_cluster.items() if c.type == type_)

        def order(row: tuple[str, int]) -> tuple:
            return -row[1], nodes[row[0]]["name"].casefold(), row[0]

        return sorted(rows, key=order) if n is None else heapq.nsmallest(n, rows, key=order)

    # ------------------------------------------------------------------ analysis (kg.graph_analysis)

    def related(self, entity: str, n: int = 10, *, min_support: int = 2, measure: str = "pmi") -> list["Related"]:
        """Entities co-occurring with ``entity`` in papers, best first; see ``kg.graph_analysis.related``."""
        from kg.graph_analysis import related

        return related(self, entity, n, min_support=min_support, measure=measure)

    def ego(self, entity: str, depth: int = 1) -> nx.MultiDiGraph:
        """The subgraph within ``depth`` hops of an entity; see ``kg.graph_analysis.ego``."""
        from kg.graph_analysis import ego

        return ego(self, entity, depth)

    def shortest_path(self, source: str, target: str) -> list[str]:
        """Shortest path entity, paper, entity, ... between two entities; see ``kg.graph_analysis.shortest_path``."""
        from kg.graph_analysis import shortest_path

        return shortest_path(self, source, target)

    def timeline(self, entity: str, period: str = "year") -> list[tuple[str, int]]:
        """Papers per period for an entity; see ``kg.graph_analysis.timeline``."""
        from kg.graph_analysis import timeline

        return timeline(self, entity, period)

    def describe(self, entity: str, *, n: int = 10) -> "EntityDescription":
        """Everything ``kg show`` prints about an entity; see ``kg.graph_analysis.describe``."""
        from kg.graph_analysis import describe

        return describe(self, entity, n=n)


def _entity_type(name: str) -> str:
    """The entity type spelled ``name`` in any case; ValueError listing the types otherwise."""
    for type_ in ENTITY_TYPES:
        if type_.lower() == name.lower():
            return type_
    raise ValueError(f"unknown entity type {name!r}; expected one of {', '.join(ENTITY_TYPES)}")


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
