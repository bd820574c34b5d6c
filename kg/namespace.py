"""The ontology's terms and the IRIs of the graph's resources: the only place IRIs are made.

``KG`` lists every term of ``ontology/kg.ttl`` as a ``DefinedNamespace`` (``_fail = True``), so a
typo such as ``KG.evaluateOn`` fails at once instead of minting a new, silent IRI. The resource
functions derive IRIs from content (paper ids, entity types and names), never from insertion
order, and percent-encode every segment, so any name gives a valid, stable IRI.
"""
from __future__ import annotations

from pathlib import Path
from typing import Sequence
from urllib.parse import quote

from rdflib.namespace import DefinedNamespace, Namespace
from rdflib.term import URIRef

from kg.names import slug
from kg.records import ENTITY_TYPES

ONTOLOGY_IRI = "https://w3id.org/kg-ml/ontology"
RESOURCE_IRI = "https://w3id.org/kg-ml/resource/"
ONTOLOGY_DIR = Path(__file__).resolve().parent / "ontology"

RES = Namespace(RESOURCE_IRI)
SCHEMA = Namespace("https://schema.org/")
FABIO = Namespace("http://purl.org/spar/fabio/")

# Prefixes of every serialisation (and default prefixes of queries): one per entity type keeps Turtle readable (model:gpt-4).
PREFIXES: dict[str, str] = {
    "kg": ONTOLOGY_IRI + "#",
    "res": RESOURCE_IRI,
    "paper": RESOURCE_IRI + "paper/",
    "model": RESOURCE_IRI + "entity/model/",
    "method": RESOURCE_IRI + "entity/method/",
    "benchmark": RESOURCE_IRI + "entity/benchmark/",
    "metric": RESOURCE_IRI + "entity/metric/",
    "task": RESOURCE_IRI + "entity/task/",
    "dcterms": "http://purl.org/dc/terms/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "schema": str(SCHEMA),
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


class KG(DefinedNamespace):
    """The kg-ml ontology (``ontology/kg.ttl``): papers, typed entities, their links and evidence."""

    _fail = True
    _NS = Namespace(ONTOLOGY_IRI + "#")

    # Classes
    Paper: URIRef  # A machine-learning paper (a schema:ScholarlyArticle) read from a title and abstract.
    Entity: URIRef  # Something a paper mentions: the superclass of the five entity types (a skos:Concept).
    Model: URIRef  # A trained model or model family (GPT-4, Llama 2).
    Method: URIRef  # A technique, architecture or algorithm (LoRA, chain-of-thought prompting).
    Benchmark: URIRef  # A dataset or benchmark that models are evaluated on (MMLU, ImageNet).
    Metric: URIRef  # An evaluation measure (accuracy, BLEU).
    Task: URIRef  # A problem that papers address (question answering).
    Evidence: URIRef  # Why a statement is in the graph: a reified statement with the text it came from.
    MentionEvidence: URIRef  # Evidence of a paper-entity link: one mention, with its field and offsets.
    RelationEvidence: URIRef  # Evidence of an entity-entity relation: the sentence of the paper that states it.

    # Paper -> entity links
    mentions: URIRef  # Super-property of the five paper-entity links.
    proposes: URIRef  # The paper contributes the entity (a new model, method, benchmark, metric or task).
    evaluatesOn: URIRef  # The paper evaluates on the benchmark.
    reportsMetric: URIRef  # The paper reports the metric.
    addresses: URIRef  # The paper addresses the task.
    uses: URIRef  # The paper uses (or compares with) the model or method without proposing it.

    # Entity -> entity relations
    variantOf: URIRef  # The subject is a variant (version, size, fine-tune) of the object.
    comparedWith: URIRef  # A paper compares the subject with the object.
    outperforms: URIRef  # A paper reports that the subject outperforms the object.

    # Paper and entity data
    authorName: URIRef  # The name of one author, as given by the source (no author resources yet).
    authorCount: URIRef  # How many authors the paper has, when the source says.
    upvotes: URIRef  # Upvotes on the listing the paper was read from (Hugging Face Papers).
    support: URIRef  # How many papers mention the entity.

    # Evidence data
    sentence: URIRef  # The sentence the statement was extracted from.
    field: URIRef  # The paper field the sentence is in: "title" or "abstract".
    startOffset: URIRef  # Character offset where the mention starts in its field (0-based, inclusive).
    endOffset: URIRef  # Character offset where the mention ends in its field (exclusive).
    extractionRule: URIRef  # Name of the extraction rule (lexicon, pattern, component) that produced the statement.
    confidence: URIRef  # Confidence of the extraction in [0, 1].


def _segment(text: str) -> str:
    """Percent-encode one path segment: unreserved characters stay, everything else (``/`` too) is escaped."""
    return quote(text, safe="-._~+@")


def paper_iri(paper_id: str) -> URIRef:
    """IRI of a paper: ``.../resource/paper/2401.12345`` (old-style ids keep their ``/`` escaped as ``%2F``)."""
    return RES[f"paper/{_segment(paper_id)}"]


def entity_iri(entity_type: str, name: str) -> URIRef:
    """IRI of an entity: ``.../resource/entity/model/gpt-4``, the path of ``kg.graph.entity_node``.

    Exports use ``node_iri`` instead, which keeps the suffix the graph adds to the rare ids whose slug
    would merge two different names.
    """
    if entity_type not in ENTITY_TYPES:
        raise ValueError(f"unknown entity type {entity_type!r}; expected one of {', '.join(ENTITY_TYPES)}")
    return RES[f"entity/{entity_type.lower()}/{_segment(slug(name))}"]


def node_iri(node: str) -> URIRef:
    """IRI of a graph node id: ``paper:<id>`` -> the paper's IRI, ``entity:<type>/<slug>`` -> ``.../entity/<type>/<slug>``.

    Derived from the node id rather than the name so that the graph's disambiguated ids (``c~1a2b3c4d``,
    given when two names share a slug) stay distinct in RDF too.
    """
    kind, _, rest = node.partition(":")
    if kind == "paper":
        return paper_iri(rest)
    if kind == "entity":
        return RES["entity/" + _entity_path(rest)]
    raise ValueError(f"not a paper or entity node id: {node!r}")


def _entity_path(rest: str) -> str:
    return "/".join(_segment(part) for part in rest.split("/", 1))


def evidence_iri(paper_id: str, relation: str, entity_nodes: Sequence[str], index: int) -> URIRef:
    """IRI of one piece of evidence, derived from what it supports and its position.

    ``entity_nodes`` holds the node id of the linked entity (paper links) or of the subject and object
    (entity relations); ``index`` numbers the evidence of that statement within that paper.
    """
    parts = [_segment(paper_id), _segment(relation)]
    parts += [_entity_path(node.partition(":")[2]) for node in entity_nodes]
    return RES["evidence/" + "/".join(parts) + f"/{index}"]
