"""``kg serve``: the real server on a free loopback port, queried with SPARQLWrapper and plain HTTP."""
from __future__ import annotations

import json
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
import rdflib
from SPARQLWrapper import CSV, JSON, N3, POST, TURTLE, SPARQLWrapper
from click.testing import CliRunner

from kg.cli.serve import serve_command
from kg.export.rdf import write_rdf
from kg.serve import make_server, negotiate

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
BENCHMARKS = "SELECT ?label WHERE { ?b a kg:Benchmark ; skos:prefLabel ?label } ORDER BY ?label"
# Four-way cross product of ~300 triples: billions of solutions, far past any time limit.
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
# rdflib's own JSON-LD parser still builds a ConjunctiveGraph internally.
pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
HTML = "<!doctype html><title>graph</title><p>the graph page</p>"


def start(folder, **options):
    server = make_server(folder, port=0, quiet=True, **options)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    return server, f"http://{host}:{port}"


@pytest.fixture(scope="module")
def site(sample_graph, tmp_path_factory):
    folder = tmp_path_factory.mktemp("site")
    write_rdf(sample_graph, folder)
    (folder / "graph.html").write_text(HTML, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def endpoint(site):
    server, url = start(site, timeout=20, workers=2)
    yield url
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def tight(site):
    server, url = start(site, timeout=1.0, max_result_bytes=2000, workers=1)
    yield url
    server.shutdown()
    server.server_close()


def http(url, *, data=None, headers=None, method=None):
    """(status, content type, body) of one request; HTTP errors are returned, not raised."""
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers.get("Content-Type"), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type"), error.read()


def get(base, query, accept=None):
    headers = {"Accept": accept} if accept else {}
    return http(f"{base}/sparql?" + urllib.parse.urlencode({"query": query}), headers=headers)


def count(base) -> int:
    status, _, body = get(base, COUNT)
    assert status == 200
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


def test_sparqlwrapper_select_ask_and_construct(endpoint):
    client = SPARQLWrapper(f"{endpoint}/sparql")
    client.setQuery("PREFIX kg: <https://w3id.org/kg-ml/ontology#>\nPREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n" + BENCHMARKS)
    client.setReturnFormat(JSON)
    bindings = client.query().convert()["results"]["bindings"]
    assert [b["label"]["value"] for b in bindings] == ["GSM8K", "MMLU"]

    client.setMethod(POST)
    client.setQuery("ASK { ?p a <https://w3id.org/kg-ml/ontology#Paper> }")
    assert client.query().convert()["boolean"] is True

    client.setQuery("CONSTRUCT WHERE { ?b a <https://w3id.org/kg-ml/ontology#Benchmark> }")
    for fmt in (TURTLE, N3):
        client.setReturnFormat(fmt)
        graph = rdflib.Graph().parse(data=client.query().convert(), format="turtle")
        assert len(graph) == 2


def test_sparqlwrapper_csv(endpoint):
    client = SPARQLWrapper(f"{endpoint}/sparql")
    client.setQuery(BENCHMARKS)
    client.setReturnFormat(CSV)
    assert client.query().convert().decode().split() == ["label", "GSM8K", "MMLU"]


@pytest.mark.parametrize(
    ("accept", "media", "check"),
    [
        ("application/sparql-results+json", "application/sparql-results+json", lambda b: json.loads(b)["head"]["vars"] == ["label"]),
        ("application/sparql-results+xml", "application/sparql-results+xml", lambda b: b"<literal>MMLU</literal>" in b),
        ("text/csv", "text/csv", lambda b: b.split() == [b"label", b"GSM8K", b"MMLU"]),
        ("text/tab-separated-values", "text/tab-separated-values", lambda b: b.split() == [b"?label", b'"GSM8K"', b'"MMLU"']),
        ("text/html, text/csv;q=0.5, application/json;q=0.9", "application/sparql-results+json", lambda b: b.startswith(b"{")),
        (None, "application/sparql-results+json", lambda b: b.startswith(b"{")),
    ],
)
def test_select_formats_by_accept_header(endpoint, accept, media, check):
    status, content_type, body = get(endpoint, BENCHMARKS, accept)
    assert status == 200
    assert content_type.split(";")[0] == media
    assert check(body)


@pytest.mark.parametrize(
    ("accept", "media", "parse_as"),
    [("text/turtle", "text/turtle", "turtle"), ("application/n-triples", "application/n-triples", "nt"),
     ("application/ld+json", "application/ld+json", "json-ld"), (None, "text/turtle", "turtle")],
)
def test_construct_and_describe_as_rdf(endpoint, accept, media, parse_as):
    for query in ("CONSTRUCT WHERE { ?b a kg:Benchmark }", "DESCRIBE benchmark:mmlu"):
        status, content_type, body = get(endpoint, query, accept)
        assert status == 200 and content_type.split(";")[0] == media
        graph = rdflib.Graph().parse(data=body, format=parse_as)
        assert (rdflib.URIRef("https://w3id.org/kg-ml/resource/entity/benchmark/mmlu"), rdflib.RDF.type,
                rdflib.URIRef("https://w3id.org/kg-ml/ontology#Benchmark")) in graph


def test_post_form_and_direct_query(endpoint):
    form = urllib.parse.urlencode({"query": BENCHMARKS}).encode()
    status, _, body = http(f"{endpoint}/sparql", data=form, headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "text/csv"})
    assert (status, body.split()) == (200, [b"label", b"GSM8K", b"MMLU"])
    status, _, body = http(f"{endpoint}/sparql", data=BENCHMARKS.encode(), headers={"Content-Type": "application/sparql-query", "Accept": "text/csv"})
    assert (status, body.split()) == (200, [b"label", b"GSM8K", b"MMLU"])
    status, _, _ = http(f"{endpoint}/sparql", data=b"x", headers={"Content-Type": "text/plain"})
    assert status == 415


def test_updates_are_refused_and_data_unchanged(endpoint):
    before = count(endpoint)
    update = "PREFIX ex: <http://example.org/>\nINSERT DATA { ex:a ex:b ex:c }"
    attempts = [
        http(f"{endpoint}/sparql?" + urllib.parse.urlencode({"update": update})),
        http(f"{endpoint}/sparql", data=urllib.parse.urlencode({"update": update}).encode(),
             headers={"Content-Type": "application/x-www-form-urlencoded"}),
        http(f"{endpoint}/sparql", data=update.encode(), headers={"Content-Type": "application/sparql-update"}),
        get(endpoint, update),
        get(endpoint, "DELETE WHERE { ?s ?p ?o }"),
        get(endpoint, "CLEAR ALL"),
    ]
    for status, _, body in attempts:
        assert status == 403
        assert b"read-only" in body
    assert count(endpoint) == before > 250


def test_malformed_query_is_400_with_the_parser_message_and_server_goes_on(endpoint):
    status, content_type, body = get(endpoint, "SELECT ?x WHERE { ?x ")
    assert status == 400 and content_type.startswith("text/plain")
    assert body.startswith(b"malformed SPARQL query: error at 1:")
    assert http(f"{endpoint}/sparql")[0] == 400  # no query at all
    assert get(endpoint, BENCHMARKS, "image/png")[0] == 406
    assert count(endpoint) > 0


def test_time_limit_kills_the_query_and_the_server_keeps_serving(tight):
    started = time.monotonic()
    status, _, body = get(tight, SLOW)
    elapsed = time.monotonic() - started
    assert status == 503 and b"time limit" in body
    assert elapsed < 10
    status, _, body = get(tight, "ASK { ?s a kg:Paper }")
    assert status == 200 and json.loads(body)["boolean"] is True


def test_result_size_limit(tight):
    status, _, body = get(tight, "SELECT * WHERE { ?s ?p ?o }")
    assert status == 413 and b"LIMIT" in body
    status, _, _ = get(tight, "SELECT * WHERE { ?s ?p ?o } LIMIT 2")
    assert status == 200


def test_concurrent_clients_all_get_their_answers(endpoint):
    queries = [BENCHMARKS, COUNT, "ASK { ?s a kg:Paper }"] * 8

    def ask(query):
        return get(endpoint, query, "text/csv")

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(ask, queries))
    assert all(status == 200 for status, _, _ in results)
    assert len({body for status, _, body in results[0::3]}) == 1
    assert results[0][2].split() == [b"label", b"GSM8K", b"MMLU"]


def test_html_page_and_export_files(endpoint, site):
    status, content_type, body = http(f"{endpoint}/")
    assert (status, content_type.split(";")[0], body.decode()) == (200, "text/html", HTML)
    status, _, body = http(f"{endpoint}/graph.ttl")
    assert status == 200 and body == (site / "graph.ttl").read_bytes()
    assert http(f"{endpoint}/../etc/passwd")[0] == 404
    assert http(f"{endpoint}/nothing")[0] == 404


def test_negotiation_honours_quality_values():
    assert negotiate("text/csv;q=0.2, text/tab-separated-values", graph=False) == "tsv"
    assert negotiate("text/csv;q=0", graph=False) is None
    assert negotiate("*/*", graph=True) == "turtle"
    assert negotiate("application/json", graph=True) == "jsonld"


def test_cli_reports_a_missing_graph(tmp_path):
    result = CliRunner().invoke(serve_command, [str(tmp_path / "missing.nt"), "--port", "0"])
    assert result.exit_code == 1
    assert "graph file not found" in result.output


def test_kg_serve_command_runs_answers_and_stops_cleanly(site):
    process = subprocess.Popen(
        [sys.executable, "-m", "kg", "serve", str(site), "--port", "0", "--quiet", "--workers", "1"],
        stderr=subprocess.PIPE, text=True,
    )
    try:
        line = process.stderr.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)/sparql", line)
        assert match, line
        base = f"http://127.0.0.1:{match.group(1)}"
        status, _, body = get(base, BENCHMARKS, "text/csv")
        assert (status, body.split()) == (200, [b"label", b"GSM8K", b"MMLU"])
        assert http(f"{base}/")[2].decode() == HTML
    finally:
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=20) == 0
        process.stderr.close()


def test_federated_queries_are_refused_without_any_request(endpoint):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.settimeout(0.5)
    port = listener.getsockname()[1]
    try:
        status, _, body = get(endpoint, f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}")
        assert status == 403 and b"SERVICE" in body
        with pytest.raises(socket.timeout):
            listener.accept()
    finally:
        listener.close()
    # The word in a literal or a variable name is not a SERVICE call.
    assert get(endpoint, 'SELECT ?service WHERE { BIND("service" AS ?service) }')[0] == 200
