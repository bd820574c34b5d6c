"""Saving and loading a KnowledgeGraph: gzip JSON Lines with a format/version header, lossless and deterministic.

Layout, one JSON object per line, every section sorted, so that equal graphs give byte-identical files::

    {"format": "kg-graph", "version": 1, "papers": N, "entities": M, "statements": S}
    {"entity": node, "type": ..., "name": ..., "aliases": [...], "papers": n, "keys": [name keys], "names": {name: count}}
    {"claim": [type, alias_key], "by": [name keys]}          # aliases no entity is named (yet)
    {"paper": node, "attributes": {...}, "evidence": record}  # record: see kg.graph_evidence
    {"statement": [s_type, s_key, predicate, o_type, o_key], "papers": [paper nodes]}

Edges are not written: paper links come from each paper's evidence record and entity relations
from the statements, mapped through the entities' name keys, so a file cannot hold an edge that
contradicts its evidence. The file is a stream: neither writing nor reading holds it whole.
This module reads and writes KnowledgeGraph internals; it is the graph's persistence layer.
"""
from __future__ import annotations

import gzip
import io
import json
import os
import zlib
from pathlib import Path
from typing import IO, Iterator

from kg import graph_evidence as ev
from kg.atomic import atomic_write
from kg.graph import ENTITY_RELATIONS, KnowledgeGraph, _Cluster
from kg.graph_errors import GraphFileError

FORMAT = "kg-graph"
VERSION = 1
GZIP_LEVEL = 3  # a third of the time of level 6, 10 % bigger files
DEFAULT_GRAPH_PATH = Path("exports") / "graph.kg.json.gz"


EVIDENCE_KEY = ',"evidence":'


def write_graph(graph: KnowledgeGraph, path: str | os.PathLike) -> None:
    """Write ``graph`` to ``path`` atomically (gzip, fixed header time: same graph, same bytes)."""
    with atomic_write(path, "wb") as handle, gzip.GzipFile(fileobj=handle, mode="wb", compresslevel=GZIP_LEVEL, mtime=0, filename="") as gz:
        text = io.TextIOWrapper(gz, encoding="utf-8", newline="\n")
        for record in _records(graph):
            text.write(record if isinstance(record, str) else _dumps(record))
            text.write("\n")
        text.flush()
        text.detach()


def _dumps(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _records(graph: KnowledgeGraph) -> Iterator[dict | str]:
    nodes = graph._graph.nodes
    yield {"format": FORMAT, "version": VERSION, **_counts(graph)}
    for node in sorted(graph._node_cluster):
        cluster, attrs = graph._node_cluster[node], nodes[node]
        yield {
            "entity": node, "type": attrs["type"], "name": attrs["name"], "aliases": attrs["aliases"], "papers": attrs["papers"],
            "keys": sorted(cluster.keys), "names": cluster.names,
        }
    for (type_, alias_key), claimants in sorted(graph._claims.items()):
        yield {"claim": [type_, alias_key], "by": sorted(claimants)}
    for node in sorted(graph._evidence):
        attributes = {name: value for name, value in nodes[node].items() if name != "kind"}
        # the evidence record is spliced in as stored (compact JSON), last in the line: no decode and re-encode
        yield _dumps({"attributes": attributes, "paper": node})[:-1] + EVIDENCE_KEY + ev.unpack_text(graph._evidence[node]) + "}"
    for statement, papers in sorted(graph._statements.items()):
        yield {"statement": list(statement), "papers": sorted(papers)}


def read_graph(path: str | os.PathLike) -> KnowledgeGraph:
    """Read a graph written by ``write_graph``; any problem is a ``GraphFileError`` naming the file (and line)."""
    try:
        with open(path, "rb") as raw:
            compressed = raw.read(2) == b"\x1f\x8b"
    except FileNotFoundError:
        raise GraphFileError(path, "no such graph file (write one with `kg build`)") from None
    except OSError as error:
        raise GraphFileError(path, f"cannot read the file: {error.strerror or error}") from None
    try:
        with (gzip.open(path, "rt", encoding="utf-8") if compressed else open(path, encoding="utf-8")) as lines:
            return _read(path, lines)
    except (OSError, EOFError, zlib.error) as error:
        raise GraphFileError(path, f"damaged or truncated file ({error})") from None
    except UnicodeDecodeError:
        raise GraphFileError(path, "not a kg graph file (not UTF-8 text)") from None


def _read(path: str | os.PathLike, lines: IO[str]) -> KnowledgeGraph:
    header = _header(path, next(lines, ""))
    graph = KnowledgeGraph()
    relation_papers: dict[tuple[str, str, str], set[str]] = {}
    number = 1
    try:
        for number, line in enumerate(lines, start=2):
            record = json.loads(line)
            if "entity" in record:
                _read_entity(graph, record)
            elif "claim" in record:
                graph._claims[tuple(record["claim"])] = set(record["by"])
            elif "paper" in record:
                _read_paper(graph, record)
            elif "statement" in record:
                _read_statement(graph, record, relation_papers)
            else:
                raise ValueError("unknown record kind")
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise GraphFileError(path, f"line {number}: not a valid graph record ({type(error).__name__}: {error})") from None
    for (source, target, relation), papers in sorted(relation_papers.items()):
        graph._graph.add_edge(source, target, key=relation, papers=len(papers))
    found = _counts(graph)
    expected = {name: header.get(name) for name in found}
    if found != expected:
        raise GraphFileError(path, f"incomplete file: the header announces {expected}, the file holds {found}")
    return graph


def _counts(graph: KnowledgeGraph) -> dict[str, int]:
    """What the header announces, checked on load: a file cut between lines is caught."""
    return {"papers": graph.paper_count, "entities": graph.entity_count, "statements": len(graph._statements)}


def _header(path: str | os.PathLike, line: str) -> dict:
    try:
        header = json.loads(line)
    except ValueError:
        header = None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise GraphFileError(path, f"not a kg graph file (no {FORMAT!r} header on the first line)")
    if header.get("version") != VERSION:
        raise GraphFileError(
            path, f"saved in graph format version {header.get('version')!r}, this kg reads version {VERSION}: rebuild it with `kg build`"
        )
    return header


def _read_entity(graph: KnowledgeGraph, record: dict) -> None:
    node, type_, keys = record["entity"], record["type"], record["keys"]
    cluster = _Cluster(type_, keys[0])
    cluster.keys, cluster.names, cluster.node = list(keys), dict(record["names"]), node
    graph._graph.add_node(
        node, kind="entity", type=type_, name=record["name"], aliases=list(record["aliases"]), papers=int(record["papers"])
    )
    graph._node_cluster[node] = cluster
    for key in keys:
        graph._cluster_of[type_, key] = cluster


def _read_paper(graph: KnowledgeGraph, record: dict) -> None:
    node, evidence = record["paper"], record["evidence"]
    targets = [(graph._cluster_of[type_, key].node, relation) for type_, key, relation in ev.record_links(evidence)]
    graph._graph.add_node(node, kind="paper", **record["attributes"])
    for target, relation in targets:  # add_edge: add_edges_from costs a view look-up more per multigraph edge
        graph._graph.add_edge(node, target, key=relation)
    graph._evidence[node] = ev.pack(evidence)


def _read_statement(graph: KnowledgeGraph, record: dict, relation_papers: dict[tuple[str, str, str], set[str]]) -> None:
    statement = tuple(record["statement"])
    s_type, s_key, predicate, o_type, o_key = statement
    if predicate not in ENTITY_RELATIONS:
        raise ValueError(f"unknown relation {predicate!r}")
    graph._statements[statement] = list(record["papers"])
    graph._statements_by_subject.setdefault((s_type, s_key), []).append(statement)
    source, target = graph._cluster_of[s_type, s_key].node, graph._cluster_of[o_type, o_key].node
    if source != target:
        relation_papers.setdefault((source, target, predicate), set()).update(record["papers"])
