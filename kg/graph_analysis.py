"""Questions asked of a KnowledgeGraph: co-occurrence, paths, timelines, ego subgraphs, entity summaries.

Pure functions of a graph (they only read it). Every result is deterministic: ties are broken by
node id, never by insertion order, so a rebuilt graph and an incrementally grown one answer alike.
"""
from __future__ import annotations

import heapq
import math
import re
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Iterable

import networkx as nx

from kg.graph import ENTITY_RELATIONS, PAPER_PREFIX, PAPER_RELATIONS, EntityInfo
from kg.graph_errors import NoPathError

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph

NO_YEAR = "no year"
NO_DATE = "no date"
PERIODS = ("year", "month")
_DATE = re.compile(r"(\d{4})(?:-(\d{2}))?")


def pmi(together: int, a: int, b: int, total: int) -> float:
    """Pointwise mutual information in bits: ``log2(P(a,b) / (P(a) P(b))) = log2(together * total / (a * b))``.

    >>> pmi(2, 2, 2, 4)  # always together, each in half the papers
    1.0
    """
    return math.log2(together * total / (a * b))


def npmi(together: int, a: int, b: int, total: int) -> float:
    """PMI normalised to [-1, 1] by ``-log2(P(a,b))``; 1.0 when both are in every paper.

    >>> npmi(2, 2, 2, 4)
    1.0
    """
    if together == total:
        return 1.0
    return pmi(together, a, b, total) / -math.log2(together / total)


def jaccard(together: int, a: int, b: int, total: int) -> float:
    """Share of the papers of either that have both: ``together / (a + b - together)``.

    >>> jaccard(1, 2, 3, 10)
    0.25
    """
    return together / (a + b - together)


MEASURES: dict[str, Callable[[int, int, int, int], float]] = {"pmi": pmi, "npmi": npmi, "jaccard": jaccard}


@dataclass(frozen=True, slots=True)
class Related:
    """An entity co-occurring with another: its score, the number of shared papers, and those papers."""

    node: str
    name: str
    type: str
    score: float
    support: int
    papers: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class EntityDescription:
    """What ``kg show`` prints: the entity, the same name under other types, papers per relation,
    entity relations ``(relation, direction, node, name, papers)``, and the latest papers ``(node, date, title)``."""

    info: EntityInfo
    other_types: tuple[EntityInfo, ...]
    relations: dict[str, int]
    links: tuple[tuple[str, str, str, str, int], ...]
    recent: tuple[tuple[str, str | None, str], ...]


def related(graph: "KnowledgeGraph", entity: str, n: int = 10, *, min_support: int = 2, measure: str = "pmi") -> list[Related]:
    """Entities that appear in the same papers as ``entity``, best ``n`` first.

    ``support`` is the number of papers with both; pairs with fewer than ``min_support`` are dropped
    (PMI overrates rare pairs: one shared paper between two one-paper entities scores highest).
    Scores: ``pmi`` = log2(c N / (a b)); ``npmi`` = pmi / -log2(c / N); ``jaccard`` = c / (a + b - c),
    with c shared papers, a and b the papers of each, N all papers. Ties: more shared papers, then name.
    """
    if measure not in MEASURES:
        raise ValueError(f"unknown measure {measure!r}; expected one of {', '.join(MEASURES)}")
    score = MEASURES[measure]
    node = graph.resolve(entity)
    nxg = graph.to_networkx()
    papers = {p for p in nxg.pred[node] if p.startswith(PAPER_PREFIX)}
    together: Counter[str] = Counter(other for p in papers for other in nxg.succ[p] if other != node)
    total, nodes = graph.paper_count, nxg.nodes
    rows = [
        (score(count, len(papers), nodes[other]["papers"], total), count, other)
        for other, count in together.items()
        if count >= min_support
    ]
    best = heapq.nsmallest(n, rows, key=lambda row: (-row[0], -row[1], nodes[row[2]]["name"].casefold(), row[2]))
    return [
        Related(other, nodes[other]["name"], nodes[other]["type"], value, count, _shared(papers, nxg.pred[other]))
        for value, count, other in best
    ]


def _shared(papers: set[str], neighbours) -> tuple[str, ...]:
    """The papers in both, sorted, scanning the smaller side (a common entity has a huge neighbourhood)."""
    if len(papers) <= len(neighbours):
        return tuple(sorted(p for p in papers if p in neighbours))
    return tuple(sorted(p for p in neighbours if p in papers))


def _neighbours(nxg: nx.MultiDiGraph, node: str) -> Iterable[str]:
    """Neighbours through paper links only: a paper's entities, an entity's papers."""
    if node.startswith(PAPER_PREFIX):
        return nxg.succ[node]
    return (p for p in nxg.pred[node] if p.startswith(PAPER_PREFIX))


def shortest_path(graph: "KnowledgeGraph", source: str, target: str) -> list[str]:
    """A shortest path ``[entity, paper, entity, ..., entity]`` between two entities through papers.

    Breadth-first from ``source``; among equally short paths, the one taking the smallest node id at
    each step back from ``target``, so the answer does not depend on insertion order. Raises
    ``NoPathError`` when the two are not connected.
    """
    start, goal = graph.resolve(source), graph.resolve(target)
    nxg = graph.to_networkx()
    distance = {start: 0}
    frontier = [start]
    while frontier and goal not in distance:
        following = []
        for node in frontier:
            for neighbour in _neighbours(nxg, node):
                if neighbour not in distance:
                    distance[neighbour] = distance[node] + 1
                    following.append(neighbour)
        frontier = following
    if goal not in distance:
        raise NoPathError(source, target)
    path = [goal]
    while path[-1] != start:
        step = distance[path[-1]] - 1
        path.append(min(n for n in _neighbours(nxg, path[-1]) if distance.get(n) == step))
    return path[::-1]


def period_of(date: str | None, period: str = "year") -> str:
    """The timeline bucket of a paper date: ``2024`` or ``2024-06``; year-less dates are ``no year``, never guessed.

    >>> period_of("2024-06-10"), period_of("2024-06-10", "month"), period_of("--06-10"), period_of(None)
    ('2024', '2024-06', 'no year', 'no date')
    """
    if period not in PERIODS:
        raise ValueError(f"unknown period {period!r}; expected one of {', '.join(PERIODS)}")
    if date is None:
        return NO_DATE
    if date.startswith("--"):
        return NO_YEAR
    match = _DATE.match(date)
    if not match:
        return NO_DATE
    return match[1] if period == "year" or not match[2] else f"{match[1]}-{match[2]}"


def timeline(graph: "KnowledgeGraph", entity: str, period: str = "year") -> list[tuple[str, int]]:
    """Papers per period for an entity, periods in order, then the ``no year`` and ``no date`` buckets."""
    nxg = graph.to_networkx()
    counts = Counter(period_of(nxg.nodes[p]["date"], period) for p in graph.papers_of(entity))
    return sorted(counts.items(), key=lambda item: (item[0] in (NO_YEAR, NO_DATE), item[0] == NO_DATE, item[0]))


def ego(graph: "KnowledgeGraph", entity: str, depth: int = 1) -> nx.MultiDiGraph:
    """A new graph of the nodes within ``depth`` hops of an entity (edges followed either way) and the edges among them.

    Depth 1 is the entity, its papers and the entities it has relations with; depth 2 adds those
    papers' other entities. Nodes and edges are inserted in sorted order; attributes are copied.
    """
    nxg = graph.to_networkx()
    keep = {graph.resolve(entity)}
    frontier = set(keep)
    for _ in range(depth):
        frontier = {n for node in frontier for n in (*nxg.pred[node], *nxg.succ[node])} - keep
        keep |= frontier
    sub = nx.MultiDiGraph()
    sub.add_nodes_from((node, dict(nxg.nodes[node])) for node in sorted(keep))
    sub.add_edges_from(sorted(
        (u, v, key, dict(data)) for u in keep for v, keydict in nxg.succ[u].items() if v in keep for key, data in keydict.items()
    ))
    return sub


def describe(graph: "KnowledgeGraph", entity: str, *, n: int = 10) -> EntityDescription:
    """Summary of one entity: the look-up, papers per relation, entity relations, the ``n`` latest papers."""
    info = graph.entity(entity)
    others = tuple(found for found in graph.entities_named(info.name) if found.node != info.node)
    nxg = graph.to_networkx()
    relations = Counter(r for p, keys in nxg.pred[info.node].items() if p.startswith(PAPER_PREFIX) for r in keys)
    links = sorted(
        [(r, "out", v, nxg.nodes[v]["name"], data.get("papers", 0)) for v, keys in nxg.succ[info.node].items() for r, data in keys.items()]
        + [(r, "in", u, nxg.nodes[u]["name"], data.get("papers", 0))
           for u, keys in nxg.pred[info.node].items() if not u.startswith(PAPER_PREFIX) for r, data in keys.items()],
        key=lambda link: (ENTITY_RELATIONS.index(link[0]), link[1], -link[4], link[2]),
    )
    papers = graph.papers_of(info.node)
    latest = heapq.nlargest(n, papers, key=lambda p: (_year_known(nxg.nodes[p]["date"]), nxg.nodes[p]["date"] or "", p))
    return EntityDescription(
        info, others, {r: relations[r] for r in PAPER_RELATIONS if relations[r]}, tuple(links),
        tuple((p, nxg.nodes[p]["date"], nxg.nodes[p]["title"]) for p in latest),
    )


def _year_known(date: str | None) -> bool:
    return date is not None and not date.startswith("--")
