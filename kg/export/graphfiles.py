"""Graph files for graph tools: GraphML (Cytoscape, yEd), GEXF (Gephi) and node-link JSON (d3).

All three are written from one sorted copy of the graph, so the same graph gives the same bytes.
Every node gets a ``label`` (entity name or paper title) and every edge its ``relation`` (GEXF: also
its ``label``, and a stable id ``"<source> <relation> <target>"``), which graph tools show without configuration. GraphML and GEXF have no list or null
values: lists (``aliases``, ``authors``) become ``"; "``-joined strings and None attributes are left
out. Node-link JSON keeps the attributes as they are. Evidence is not exported here (see the RDF
export); both files open again with ``networkx.read_graphml`` / ``networkx.read_gexf``.
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Callable

import networkx as nx
from networkx.readwrite.gexf import GEXFWriter

from kg.atomic import atomic_write

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph

LIST_SEPARATOR = "; "


def flat_value(value: object) -> object:
    """A value GraphML and GEXF can hold: lists and tuples joined with ``"; "``, others unchanged.

    >>> flat_value(["GPT-4", "gpt4"]), flat_value(3)
    ('GPT-4; gpt4', 3)
    """
    if isinstance(value, (list, tuple)):
        return LIST_SEPARATOR.join(map(str, value))
    return value


def sorted_graph(graph: "KnowledgeGraph", convert: Callable[[object], object] | None = None) -> nx.MultiDiGraph:
    """A new MultiDiGraph with nodes and edges in sorted order, labels added, values passed through ``convert``.

    With ``convert``, None-valued attributes are dropped (formats without nulls).
    """
    source = graph.to_networkx()
    out = nx.MultiDiGraph()

    def attributes(data: dict) -> dict:
        if convert is None:
            return dict(data)
        return {name: convert(value) for name, value in data.items() if value is not None}

    for node in sorted(source):
        data = source.nodes[node]
        label = data["name"] if data["kind"] == "entity" else data["title"]
        out.add_node(node, **attributes({"label": label, **data}))
    for u, v, key in sorted(source.edges(keys=True)):
        out.add_edge(u, v, key=key, **attributes({"relation": key, **source.edges[u, v, key]}))
    return out


def write_graphml(graph: "KnowledgeGraph", path: str | os.PathLike) -> Path:
    """Write GraphML (lists joined, nulls left out), atomically; returns the path."""
    with atomic_write(path, "wb") as handle:
        nx.write_graphml(sorted_graph(graph, flat_value), handle, encoding="utf-8", prettyprint=True)
    return Path(path)


def write_gexf(graph: "KnowledgeGraph", path: str | os.PathLike) -> Path:
    """Write GEXF 1.2 (lists joined, nulls left out, edges labelled by relation), atomically; returns the path.

    networkx stamps ``lastmodifieddate`` with today's date; it is left out so that output is reproducible.
    """
    plain = sorted_graph(graph, flat_value)
    for u, v, key in plain.edges(keys=True):
        plain.edges[u, v, key].update(label=key, id=f"{u} {key} {v}")
    writer = GEXFWriter(encoding="utf-8", prettyprint=True, version="1.2draft")
    writer.add_graph(plain)
    meta = writer.xml.find("meta")
    if meta is not None:
        meta.attrib.pop("lastmodifieddate", None)
    with atomic_write(path, "wb") as handle:
        writer.write(handle)
    return Path(path)


def write_node_link(graph: "KnowledgeGraph", path: str | os.PathLike) -> Path:
    """Write node-link JSON (``{"nodes": [...], "edges": [...]}``, as d3 force layouts read it), atomically."""
    data = nx.node_link_data(sorted_graph(graph), edges="edges")
    with atomic_write(path) as handle:
        json.dump(data, handle, ensure_ascii=False, sort_keys=True, indent=1)
        handle.write("\n")
    return Path(path)
