"""RDF exports of a KnowledgeGraph: N-Triples, Turtle and JSON-LD, streamed and byte-for-byte deterministic.

The graph is turned into one stream of *descriptions* (a subject with its predicate-object pairs), in a
fixed order: papers sorted by node id, each followed by the evidence of its links, then entities
sorted by node id, each followed by the evidence of its relations. Every format is written from that
stream without building an in-memory RDF graph: N-Triples and Turtle by pyoxigraph's streaming
serialisers, JSON-LD by a small writer that compacts each description with ``ontology/context.jsonld``.
Memory therefore stays at one description whatever the size of the graph (the KnowledgeGraph itself
is in memory anyway).

Provenance is modelled as reified statements (``rdf:Statement``) typed ``kg:MentionEvidence`` or
``kg:RelationEvidence`` (both ``prov:Entity``), linked to their paper with ``prov:wasDerivedFrom``;
the direct triple (``paper kg:uses entity``) is always asserted too, so plain queries stay simple.
"""
from __future__ import annotations

import json
import re
from collections import defaultdict
from datetime import date as Date
from pathlib import Path
from typing import IO, TYPE_CHECKING, Iterable, Iterator, Sequence
from urllib.parse import quote

import networkx as nx
from pyoxigraph import Literal, NamedNode, RdfFormat, Triple, serialize

from kg.atomic import atomic_write
from kg.namespace import KG, ONTOLOGY_DIR, PREFIXES, evidence_iri, node_iri, paper_iri

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph

CONTEXT_FILE = ONTOLOGY_DIR / "context.jsonld"
FILE_NAMES = {"nt": "graph.nt", "ttl": "graph.ttl", "jsonld": "graph.jsonld"}

Term = NamedNode | Literal
Description = tuple[NamedNode, list[tuple[NamedNode, Term]]]


def _ns(prefix: str, local: str) -> NamedNode:
    return NamedNode(PREFIXES[prefix] + local)


def _term(uri: str) -> NamedNode:
    return NamedNode(str(uri))


RDF_TYPE = _ns("rdf", "type")
RDF_STATEMENT = _ns("rdf", "Statement")
RDF_SUBJECT, RDF_PREDICATE, RDF_OBJECT = _ns("rdf", "subject"), _ns("rdf", "predicate"), _ns("rdf", "object")
DC_IDENTIFIER, DC_TITLE, DC_DATE = _ns("dcterms", "identifier"), _ns("dcterms", "title"), _ns("dcterms", "date")
SKOS_PREF, SKOS_ALT = _ns("skos", "prefLabel"), _ns("skos", "altLabel")
PROV_DERIVED = _ns("prov", "wasDerivedFrom")
SCHEMA_URL = _ns("schema", "url")
XSD_DATE, XSD_GMONTHDAY, XSD_DOUBLE = _ns("xsd", "date"), _ns("xsd", "gMonthDay"), _ns("xsd", "double")

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_MONTH_DAY = re.compile(r"--(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])")
# Characters kept as they are when a source URL is made into an IRI: RFC 3986 reserved and unreserved, and "%".
_URL_SAFE = ":/?#[]@!$&'()*+,;=-._~%"

# Evidence keys -> (property, literal maker); the order here is the output order.
_EVIDENCE_FIELDS = (
    ("sentence", _term(KG.sentence), Literal),
    ("field", _term(KG.field), Literal),
    ("start", _term(KG.startOffset), Literal),
    ("end", _term(KG.endOffset), Literal),
    ("rule", _term(KG.extractionRule), Literal),
    ("confidence", _term(KG.confidence), lambda value: Literal(repr(float(value)), datatype=XSD_DOUBLE)),
)


def write_rdf(graph: KnowledgeGraph, out_dir: str | Path, *, formats: Sequence[str] = ("ttl", "nt", "jsonld")) -> dict[str, Path]:
    """Write the graph as ``graph.ttl``, ``graph.nt`` and ``graph.jsonld`` (+ ``context.jsonld``) into ``out_dir``.

    Parameters
    ----------
    graph : kg.graph.KnowledgeGraph
        The graph to export.
    out_dir : path
        Folder to write into (created if missing). Each file is written atomically.
    formats : sequence of "ttl", "nt", "jsonld"
        Which formats to write.

    Returns
    -------
    dict
        Format name -> path written; ``"context"`` -> the JSON-LD context when JSON-LD is written.
    """
    unknown = sorted(set(formats) - set(FILE_NAMES))
    if unknown:
        raise ValueError(f"unknown RDF format(s) {', '.join(unknown)}; expected {', '.join(FILE_NAMES)}")
    out = Path(out_dir)
    written: dict[str, Path] = {}
    for name in FILE_NAMES:
        if name not in formats:
            continue
        path = out / FILE_NAMES[name]
        if name == "jsonld":
            with atomic_write(path) as handle:
                write_jsonld(descriptions(graph), handle, load_context())
            written["context"] = out / CONTEXT_FILE.name
            with atomic_write(written["context"], "wb", encoding=None) as handle:
                handle.write(CONTEXT_FILE.read_bytes())
        else:
            rdf_format = RdfFormat.N_TRIPLES if name == "nt" else RdfFormat.TURTLE
            with atomic_write(path, "wb", encoding=None) as handle:
                serialize(triples(graph), handle, rdf_format, prefixes=PREFIXES if name == "ttl" else None)
        written[name] = path
    return written


def triples(graph: KnowledgeGraph) -> Iterator[Triple]:
    """Every triple of the export, in output order."""
    for subject, pairs in descriptions(graph):
        for predicate, obj in pairs:
            yield Triple(subject, predicate, obj)


def descriptions(graph: KnowledgeGraph) -> Iterator[Description]:
    """The export as subjects with their predicate-object pairs: papers (+ link evidence), then entities (+ relation evidence)."""
    nxg: nx.MultiDiGraph = graph.to_networkx()
    nodes = nxg.nodes
    iris = {node: _term(node_iri(node)) for node in nodes}
    for node in sorted(n for n, kind in nodes(data="kind") if kind == "paper"):
        paper_id = _paper_id(node)
        links = sorted(((target, key) for _, target, key in nxg.out_edges(node, keys=True)))
        yield _paper_description(iris[node], paper_id, nodes[node], [(_term(KG[key]), iris[t]) for t, key in links])
        for target, key in links:
            for index, evidence in enumerate(graph.evidence(node, target, key)):
                subject = _term(evidence_iri(paper_id, key, [target], index))
                yield _evidence_description(subject, KG.MentionEvidence, (iris[node], key, iris[target]), iris[node], evidence)
    for node in sorted(n for n, kind in nodes(data="kind") if kind == "entity"):
        relations = sorted(((target, key) for _, target, key in nxg.out_edges(node, keys=True)))
        yield _entity_description(iris[node], nodes[node], [(_term(KG[key]), iris[t]) for t, key in relations])
        for target, key in relations:
            per_paper: dict[str, int] = defaultdict(int)
            for evidence in graph.evidence(node, target, key):
                paper_id = str(evidence["paper"])
                subject = _term(evidence_iri(paper_id, key, [node, target], per_paper[paper_id]))
                per_paper[paper_id] += 1
                source = _term(paper_iri(paper_id))
                yield _evidence_description(subject, KG.RelationEvidence, (iris[node], key, iris[target]), source, evidence)


def _paper_id(node: str) -> str:
    return node.split(":", 1)[1]


def _paper_description(subject: NamedNode, paper_id: str, attrs: dict, links: list) -> Description:
    pairs: list[tuple[NamedNode, Term]] = [
        (RDF_TYPE, _term(KG.Paper)),
        (DC_IDENTIFIER, Literal(paper_id)),
        (DC_TITLE, Literal(attrs.get("title") or "")),
    ]
    if attrs.get("date"):
        pairs.append((DC_DATE, date_literal(attrs["date"])))
    pairs += [(_term(KG.authorName), Literal(name)) for name in sorted(set(attrs.get("authors") or ()))]
    for key, prop in (("author_count", KG.authorCount), ("upvotes", KG.upvotes)):
        if attrs.get(key) is not None:
            pairs.append((_term(prop), Literal(int(attrs[key]))))
    url = url_iri(attrs.get("url"))
    if url is not None:
        pairs.append((SCHEMA_URL, url))
    return subject, pairs + links


def _entity_description(subject: NamedNode, attrs: dict, relations: list) -> Description:
    pairs: list[tuple[NamedNode, Term]] = [
        (RDF_TYPE, _term(KG[attrs["type"]])),
        (SKOS_PREF, Literal(attrs["name"])),
    ]
    pairs += [(SKOS_ALT, Literal(alias)) for alias in sorted(set(attrs.get("aliases") or ()) - {attrs["name"]})]
    pairs.append((_term(KG.support), Literal(int(attrs.get("papers") or 0))))
    return subject, pairs + relations


def _evidence_description(subject: NamedNode, kind, statement: tuple, source: NamedNode, evidence: dict) -> Description:
    about, relation, target = statement
    pairs: list[tuple[NamedNode, Term]] = [
        (RDF_TYPE, RDF_STATEMENT),
        (RDF_TYPE, _term(kind)),
        (RDF_SUBJECT, about),
        (RDF_PREDICATE, _term(KG[relation])),
        (RDF_OBJECT, target),
        (PROV_DERIVED, source),
    ]
    pairs += [(prop, make(evidence[key])) for key, prop, make in _EVIDENCE_FIELDS if evidence.get(key) is not None]
    return subject, pairs


def date_literal(value: str) -> Literal:
    """``2024-06-10`` -> ``xsd:date``; ``--06-10`` (year unknown) -> ``xsd:gMonthDay``; anything else a plain string."""
    if _DATE.fullmatch(value):
        try:
            Date.fromisoformat(value)
            return Literal(value, datatype=XSD_DATE)
        except ValueError:
            pass
    if _MONTH_DAY.fullmatch(value):
        return Literal(value, datatype=XSD_GMONTHDAY)
    return Literal(value)


def url_iri(url: str | None) -> NamedNode | None:
    """The paper's URL as an IRI, characters illegal in IRIs percent-encoded; None when absent or not absolute."""
    if not url:
        return None
    try:
        return NamedNode(quote(url.strip(), safe=_URL_SAFE))
    except ValueError:
        return None


# --- JSON-LD -------------------------------------------------------------------------------------


def load_context() -> dict:
    """The ``@context`` object of ``ontology/context.jsonld``."""
    return json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))["@context"]


class _Compactor:
    """Compacts IRIs and values with a JSON-LD context made of prefixes and (optionally type-coerced) terms."""

    def __init__(self, context: dict) -> None:
        self.prefixes = {k: v for k, v in context.items() if isinstance(v, str) and v.endswith(("#", "/"))}
        self.terms: dict[str, tuple[str, str | None]] = {}
        for term, definition in sorted(context.items()):
            if term.startswith("@") or term in self.prefixes:
                continue
            iri, coercion = (definition, None) if isinstance(definition, str) else (definition.get("@id"), definition.get("@type"))
            if iri and not iri.startswith("@"):
                self.terms.setdefault(self.expand(iri), (term, coercion and self.expand(coercion)))

    def expand(self, value: str) -> str:
        prefix, _, local = value.partition(":")
        return self.prefixes[prefix] + local if prefix in self.prefixes and not local.startswith("//") else value

    def iri(self, iri: str) -> str:
        for prefix, namespace in sorted(self.prefixes.items(), key=lambda item: -len(item[1])):
            if iri.startswith(namespace) and not iri[len(namespace):].startswith("//"):
                return f"{prefix}:{iri[len(namespace):]}"
        return iri

    def node(self, subject: NamedNode, pairs: list[tuple[NamedNode, Term]]) -> dict:
        """One JSON-LD node object: ``@id``, ``@type``, then properties by term (or compact IRI when no term fits)."""
        grouped: dict[str, list[Term]] = defaultdict(list)
        for predicate, obj in pairs:
            grouped[predicate.value].append(obj)
        node: dict = {"@id": self.iri(subject.value)}
        types = grouped.pop(PREFIXES["rdf"] + "type", [])
        if types:
            node["@type"] = _one_or_many([self.iri(t.value) for t in types])
        properties: dict[str, object] = {}
        for predicate, objects in grouped.items():
            term, coercion = self.terms.get(predicate, (None, None))
            if term is not None and all(self._fits(obj, coercion) for obj in objects):
                properties[term] = _one_or_many([self._coerced(obj, coercion) for obj in objects])
            else:
                properties[self.iri(predicate)] = _one_or_many([self._explicit(obj) for obj in objects])
        node.update(sorted(properties.items()))
        return node

    def _fits(self, obj: Term, coercion: str | None) -> bool:
        if coercion == "@id":
            return isinstance(obj, NamedNode)
        if isinstance(obj, NamedNode) or obj.language:
            return False
        return obj.datatype.value == (coercion or PREFIXES["xsd"] + "string")

    def _coerced(self, obj: Term, coercion: str | None) -> str:
        return self.iri(obj.value) if coercion == "@id" else obj.value

    def _explicit(self, obj: Term) -> object:
        if isinstance(obj, NamedNode):
            return {"@id": self.iri(obj.value)}
        if obj.language:
            return {"@value": obj.value, "@language": obj.language}
        if obj.datatype.value == PREFIXES["xsd"] + "string":
            return obj.value
        return {"@value": obj.value, "@type": self.iri(obj.datatype.value)}


def _one_or_many(values: list) -> object:
    return values[0] if len(values) == 1 else values


def write_jsonld(items: Iterable[Description], handle: IO[str], context: dict) -> None:
    """Stream descriptions as one JSON-LD document whose ``@context`` refers to ``context.jsonld`` beside it."""
    compactor = _Compactor(context)
    handle.write('{\n  "@context": "%s",\n  "@graph": [' % CONTEXT_FILE.name)
    separator = "\n    "
    for subject, pairs in items:
        handle.write(separator + json.dumps(compactor.node(subject, pairs), ensure_ascii=False))
        separator = ",\n    "
    handle.write("\n  ]\n}\n")
