"""RDF exports: round trips in all three formats, escaping, determinism, SHACL validity, ontology coverage."""
from __future__ import annotations

import json

import pytest
import rdflib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyoxigraph import RdfFormat, parse
from pyshacl import validate
from rdflib.compare import isomorphic, to_isomorphic
from rdflib.namespace import DCTERMS, RDF, SKOS

from kg.export.rdf import CONTEXT_FILE, triples, write_rdf
from kg.graph import KnowledgeGraph, entity_node
from kg.namespace import KG, ONTOLOGY_DIR, PREFIXES, entity_iri, evidence_iri, node_iri, paper_iri
from kg.records import Entity, ExtractedPaper, Mention, Paper

from .conftest import TRICKY, WEIRD_MODEL, sample_papers

# rdflib's own JSON-LD parser still builds a ConjunctiveGraph internally.
pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
RDFLIB_FORMATS = {"nt": "nt", "ttl": "turtle", "jsonld": "json-ld"}


def source_graph(kg_graph) -> rdflib.Graph:
    """The export's triples, built term by term in memory (not parsed from any file)."""
    graph = rdflib.Graph()
    for triple in triples(kg_graph):
        graph.add(tuple(_rdflib_term(term) for term in (triple.subject, triple.predicate, triple.object)))
    return graph


def _rdflib_term(term):
    if hasattr(term, "datatype"):
        plain = term.language or term.datatype.value == str(rdflib.XSD.string)
        return rdflib.Literal(term.value, lang=term.language, datatype=None if plain else rdflib.URIRef(term.datatype.value))
    return rdflib.URIRef(term.value)


def parsed(path, name) -> rdflib.Graph:
    graph = rdflib.Graph()
    graph.parse(path, format=RDFLIB_FORMATS[name])
    return graph


@pytest.mark.parametrize("name", ["nt", "ttl", "jsonld"])
def test_every_format_parses_back_isomorphic_to_the_source(sample_graph, exports, name):
    expected = source_graph(sample_graph)
    got = parsed(exports[name], name)
    assert len(got) == len(expected) > 250
    assert isomorphic(got, expected), sorted(set(to_isomorphic(got)) ^ set(to_isomorphic(expected)))[:5]


@pytest.mark.parametrize("name", ["nt", "ttl"])
def test_pyoxigraph_reads_the_exports_too(exports, sample_graph, name):
    fmt = RdfFormat.N_TRIPLES if name == "nt" else RdfFormat.TURTLE
    assert sum(1 for _ in parse(path=str(exports[name]), format=fmt)) == len(source_graph(sample_graph))


@pytest.mark.parametrize("name", ["nt", "ttl", "jsonld"])
def test_tricky_literals_survive_unchanged(exports, name):
    graph = parsed(exports[name], name)
    titles = {str(t) for t in graph.objects(rdflib.URIRef(paper_iri("2401.00001")), DCTERMS.title)}
    assert titles == {TRICKY}
    labels = {str(label) for label in graph.objects(None, SKOS.prefLabel)}
    assert {WEIRD_MODEL, "Ωmega Net"} <= labels


def test_jsonld_refers_to_the_context_copied_beside_it(exports):
    document = json.loads(exports["jsonld"].read_text(encoding="utf-8"))
    assert document["@context"] == "context.jsonld"
    assert exports["context"].read_bytes() == CONTEXT_FILE.read_bytes()
    assert exports["context"].parent == exports["jsonld"].parent


def test_context_prefixes_match_the_namespace_module():
    context = json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))["@context"]
    assert {k: v for k, v in context.items() if isinstance(v, str) and v.endswith(("#", "/"))} == PREFIXES


def test_same_input_gives_identical_bytes(sample_graph, exports, tmp_path):
    again = write_rdf(KnowledgeGraph.from_extracted(sample_papers()), tmp_path)
    for name in ("nt", "ttl", "jsonld", "context"):
        assert again[name].read_bytes() == exports[name].read_bytes(), name


def test_reversed_input_order_gives_the_same_n_triples(exports, tmp_path):
    # Node and edge order in the graph must not leak into the output (papers here have disjoint first mentions
    # of no shared entity name variants, so canonical names do not depend on order).
    again = write_rdf(KnowledgeGraph.from_extracted(reversed(sample_papers())), tmp_path, formats=("nt",))
    assert sorted(again["nt"].read_text().splitlines()) == sorted(exports["nt"].read_text().splitlines())


def test_only_requested_formats_are_written(sample_graph, tmp_path):
    written = write_rdf(sample_graph, tmp_path, formats=("nt",))
    assert set(written) == {"nt"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.nt"]
    with pytest.raises(ValueError, match="xml"):
        write_rdf(sample_graph, tmp_path, formats=("xml",))


def test_exports_conform_to_the_shapes(exports):
    data = parsed(exports["ttl"], "ttl")
    shapes = rdflib.Graph().parse(ONTOLOGY_DIR / "shapes.ttl")
    conforms, _, text = validate(data, shacl_graph=shapes)
    assert conforms, text


def test_shapes_reject_an_entity_without_label_and_an_evidence_without_offsets(exports):
    data = parsed(exports["ttl"], "ttl")
    gpt4 = rdflib.URIRef(entity_iri("Model", "GPT-4"))
    data.remove((gpt4, SKOS.prefLabel, None))
    evidence = next(data.subjects(RDF.type, rdflib.URIRef(KG.MentionEvidence)))
    data.remove((evidence, rdflib.URIRef(KG.startOffset), None))
    data.add((gpt4, RDF.type, rdflib.URIRef(KG.Method)))
    shapes = rdflib.Graph().parse(ONTOLOGY_DIR / "shapes.ttl")
    conforms, report, _ = validate(data, shacl_graph=shapes)
    assert not conforms
    messages = {str(m) for m in report.objects(None, rdflib.URIRef("http://www.w3.org/ns/shacl#resultMessage"))}
    assert any("start offset" in m for m in messages)
    assert any("exactly one type" in m for m in messages)


def test_every_link_has_its_evidence_and_every_entity_its_support(exports):
    graph = parsed(exports["nt"], "nt")
    links = {(s, p, o) for s, p, o in graph if p in {rdflib.URIRef(KG[r]) for r in ("proposes", "uses", "evaluatesOn", "reportsMetric", "addresses", "outperforms")}}
    reified = {(graph.value(e, RDF.subject), graph.value(e, RDF.predicate), graph.value(e, RDF.object)) for e in graph.subjects(RDF.type, RDF.Statement)}
    assert links == reified
    support = {str(graph.value(e, SKOS.prefLabel)): int(n) for e, n in graph.subject_objects(rdflib.URIRef(KG.support))}
    assert support["GPT-4"] == 3 and support["MMLU"] == 3 and support["GSM8K"] == 1


def test_dates_are_typed_and_a_missing_year_is_not_invented(exports):
    graph = parsed(exports["nt"], "nt")
    assert graph.value(rdflib.URIRef(paper_iri("2401.00001")), DCTERMS.date).datatype == rdflib.XSD.date
    old = graph.value(rdflib.URIRef(paper_iri("cs.CL/0401001")), DCTERMS.date)
    assert (str(old), old.datatype) == ("--03-05", rdflib.XSD.gMonthDay)
    assert graph.value(rdflib.URIRef(paper_iri("abc123def0")), DCTERMS.date) is None


def test_bad_url_is_escaped_into_a_valid_iri(exports):
    graph = parsed(exports["nt"], "nt")
    url = graph.value(rdflib.URIRef(paper_iri("cs.CL/0401001")), rdflib.URIRef("https://schema.org/url"))
    assert str(url) == "https://example.org/a%20b?x=%3C1%3E"


@pytest.mark.parametrize(
    "name",
    ['He said "hi"', "two  spaces", "a/b\\c", "Ωmega Net", "<script>alert(1)</script>", "模型", "", "?#%"],
)
def test_entity_iris_are_valid_stable_and_readable(name):
    iri = str(entity_iri("Model", name))
    assert iri.startswith(PREFIXES["model"])
    assert not set(iri) & set(' "<>\\{}|^`'), iri
    tail = iri[len(PREFIXES["model"]):]
    assert tail and "/" not in tail
    assert entity_iri("Model", name) == entity_iri("Model", name)
    rdflib.Graph().parse(data=f"<{iri}> <{iri}> <{iri}> .", format="nt")


def test_resource_iris():
    assert str(entity_iri("Model", "GPT-4")) == "https://w3id.org/kg-ml/resource/entity/model/gpt-4"
    assert str(paper_iri("2401.12345")) == "https://w3id.org/kg-ml/resource/paper/2401.12345"
    assert str(paper_iri("cs.CL/0401001")) == "https://w3id.org/kg-ml/resource/paper/cs.CL%2F0401001"
    assert str(evidence_iri("2401.12345", "uses", ["entity:model/gpt-4"], 2)).endswith("/evidence/2401.12345/uses/model/gpt-4/2")
    assert node_iri(entity_node("Model", "GPT-4")) == entity_iri("Model", "GPT-4")
    assert node_iri("paper:cs.CL/0401001") == paper_iri("cs.CL/0401001")
    assert str(node_iri("entity:method/c~1a2b3c4d")).endswith("/entity/method/c~1a2b3c4d")
    with pytest.raises(ValueError, match="not a paper or entity"):
        node_iri("author:x")
    with pytest.raises(ValueError, match="Dataset"):
        entity_iri("Dataset", "x")
    with pytest.raises(AttributeError):
        KG.evaluateOn  # noqa: B018 - a typo in a term must fail


def test_ontology_documents_every_term_and_only_those():
    ontology = rdflib.Graph().parse(ONTOLOGY_DIR / "kg.ttl")
    namespace = PREFIXES["kg"]
    declared = {s for s in ontology.subjects() if isinstance(s, rdflib.URIRef) and str(s).startswith(namespace)}
    assert {str(t) for t in declared} == {namespace + name for name in KG.__annotations__}
    for term in declared:
        assert ontology.value(term, rdflib.RDFS.label) is not None, term
        assert ontology.value(term, rdflib.RDFS.comment) is not None, term
    shapes = rdflib.Graph().parse(ONTOLOGY_DIR / "shapes.ttl")
    used = {o for o in shapes.objects() if isinstance(o, rdflib.URIRef) and str(o).startswith(namespace)}
    assert used <= declared


def test_empty_graph_exports_valid_empty_documents(tmp_path):
    written = write_rdf(KnowledgeGraph(), tmp_path)
    for name in ("nt", "ttl", "jsonld"):
        assert len(parsed(written[name], name)) == 0


def test_an_entity_without_mentions_still_gets_support_and_no_evidence(tmp_path):
    paper = Paper(id="2403.00003", title="T", abstract="A")
    graph = KnowledgeGraph.from_extracted([ExtractedPaper(paper, (Entity(name="BERT", type="Model"),))])
    nt = parsed(write_rdf(graph, tmp_path, formats=("nt",))["nt"], "nt")
    assert int(nt.value(rdflib.URIRef(entity_iri("Model", "BERT")), rdflib.URIRef(KG.support))) == 1
    assert not list(nt.subjects(RDF.type, RDF.Statement))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    title=st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40),
    name=st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=20).filter(str.strip),
)
def test_any_text_survives_every_format(tmp_path_factory, title, name):
    sentence = f"{name} here"
    mention = Mention(text=name, field="abstract", start=0, end=len(name), sentence=sentence)
    item = ExtractedPaper(Paper(id="2401.00009", title=title, abstract=sentence),
                          (Entity(name=name, type="Method", mentions=(mention,), rule="r", confidence=0.5),))
    written = write_rdf(KnowledgeGraph.from_extracted([item]), tmp_path_factory.mktemp("any"))
    for fmt in ("nt", "ttl", "jsonld"):
        graph = parsed(written[fmt], fmt)
        assert {str(t) for t in graph.objects(None, DCTERMS.title)} == {title}, fmt
        assert {str(label) for label in graph.objects(None, SKOS.prefLabel)} == {name}, fmt
        assert {str(s) for s in graph.objects(None, rdflib.URIRef(KG.sentence))} == {sentence}, fmt
