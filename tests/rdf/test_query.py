"""The SPARQL engine, the named-query library (known answers on the hand-made graph) and ``kg query``."""
from __future__ import annotations

import csv
import io
import json

import pytest
import rdflib
from click.testing import CliRunner

from kg.cli.query import query_command
from kg.namespace import PREFIXES
from kg.query import (
    QUERY_DIR,
    QueryError,
    entity_resolver,
    format_table,
    load_store,
    named_queries,
    parse_named_query,
    result_rows,
    run_query,
    serialize_result,
)

from .conftest import TRICKY, WEIRD_MODEL


@pytest.fixture(scope="module")
def store(exports):
    return load_store(exports["nt"].parent)


def rows(store, name, **params):
    return result_rows(run_query(store, named_queries()[name].bind(params, entity_resolver(store))))[1]


def test_library_files_are_documented_and_named_after_their_file():
    library = named_queries()
    assert sorted(path.stem for path in QUERY_DIR.glob("*.rq")) == sorted(library)
    assert {"top-benchmarks", "metrics-on-benchmark", "models-on-benchmark", "methods-for-task", "co-occurring",
            "new-entities", "contributions", "evidence"} <= set(library)
    for query in library.values():
        assert query.description
        assert all(p.default and p.description for p in query.parameters)


def test_most_used_benchmarks(store):
    assert rows(store, "top-benchmarks") == [["MMLU", "3"], ["GSM8K", "1"]]


def test_metrics_on_a_benchmark_by_name_or_alias_in_any_case(store):
    assert rows(store, "metrics-on-benchmark", benchmark="mmlu") == [["accuracy", "2"], ["F1", "1"]]
    assert rows(store, "metrics-on-benchmark", benchmark="gsm8k") == [["accuracy", "1"]]


def test_models_evaluated_on_a_benchmark(store):
    assert sorted(rows(store, "models-on-benchmark", benchmark="MMLU")) == sorted(
        [["GPT-4", "2"], ["Llama 2", "1"], [WEIRD_MODEL, "1"]]
    )


def test_papers_proposing_a_method_for_a_task(store):
    expected = [["2401.00001", "SuperNet", TRICKY], ["2402.00002", "FastTune", "FastTune"]]
    assert rows(store, "methods-for-task") == expected
    assert rows(store, "methods-for-task", task="QA") == expected  # an alias
    assert rows(store, "methods-for-task", task="machine translation") == []  # proposes a Model, not a Method


def test_entities_co_occurring_with_an_entity(store):
    found = {(other, kind): int(n) for other, kind, n in rows(store, "co-occurring", entity="gpt-4")}
    assert found[("MMLU", "Benchmark")] == 2
    assert found[("Ωmega Net", "Method")] == 1
    assert ("GPT-4", "Model") not in found


def test_new_entities_per_year_and_month(store):
    assert sorted(rows(store, "new-entities", period="month")) == sorted([
        ["2024-01", "Benchmark", "1"], ["2024-01", "Method", "1"], ["2024-01", "Metric", "1"], ["2024-01", "Model", "1"],
        ["2024-01", "Task", "1"], ["2024-02", "Benchmark", "1"], ["2024-02", "Method", "1"], ["2024-02", "Model", "1"],
    ])
    by_year = {kind: int(n) for when, kind, n in rows(store, "new-entities")}
    assert by_year == {"Benchmark": 2, "Method": 2, "Metric": 1, "Model": 2, "Task": 1}


def test_papers_with_their_contributions(store):
    assert rows(store, "contributions") == [
        ["2401.00001", TRICKY, "SuperNet (Method)"],
        ["2402.00002", "FastTune", "FastTune (Method)"],
        ["cs.CL/0401001", "Old-style id", f"{WEIRD_MODEL} (Model)"],
    ]


def test_evidence_gives_sentences_offsets_rules_and_confidence(store):
    found = rows(store, "evidence", entity="GPT-4")
    assert ["2401.00001", "uses", "abstract", "29", "34",
            "We propose SuperNet, beating GPT-4 on MMLU accuracy for question answering.", "lexicon", "0.9"] in found
    assert any(row[1] == "outperforms" and row[6] == "outperform-pattern" for row in found)


@pytest.mark.parametrize("name", sorted(named_queries()))
def test_rdflib_gives_the_same_answers_as_pyoxigraph(store, exports, name):
    graph = rdflib.Graph().parse(exports["nt"], format="nt")
    # Values present in the hand-made graph (rdflib 7.6 fails on an empty VALUES block, which pyoxigraph accepts).
    params = {"benchmark": "MMLU", "entity": "GPT-4"}
    query = named_queries()[name]
    sparql = query.bind({p.name: params[p.name] for p in query.parameters if p.name in params}, entity_resolver(store))
    expected = sorted(tuple(row) for row in result_rows(run_query(store, sparql))[1])
    got = sorted(tuple("" if v is None else str(v) for v in row) for row in graph.query(sparql))
    assert got == expected


@pytest.mark.parametrize("value", ['x" } ; DROP ALL ; SELECT * { ?s ?p ?o', "MMLU\" || \"1\" = \"1", "a\\", "\n}", "<script>"])
def test_parameters_are_bound_as_literals_never_as_syntax(store, value):
    resolve = entity_resolver(store)
    assert rows(store, "metrics-on-benchmark", benchmark=value) == []
    # A text parameter: any value other than "month" groups by year, and never changes the query.
    assert rows(store, "new-entities", period=value) == rows(store, "new-entities", period="year")
    assert resolve(value, None) == []


def test_unknown_parameter_and_broken_header_are_reported():
    with pytest.raises(QueryError, match="no parameter colour"):
        named_queries()["top-benchmarks"].bind({"colour": "red"})
    with pytest.raises(QueryError, match="x.rq:2"):
        parse_named_query("# name: x\n# param: oops\n# description: d\nSELECT * {}", "x.rq")
    with pytest.raises(QueryError, match="kind one of text, entity, Model"):
        parse_named_query("# name: x\n# param: a (Dataset) = b : c\n# description: d\nSELECT * {}", "x.rq")
    with pytest.raises(QueryError, match="needs a graph"):
        named_queries()["co-occurring"].bind()
    with pytest.raises(QueryError, match="lacks description"):
        parse_named_query("# name: x\nSELECT * {}", "x.rq")


def test_errors_name_the_problem(store, tmp_path):
    with pytest.raises(QueryError, match="malformed SPARQL query: error at"):
        run_query(store, "SELECT ?x WHERE { ?x ")
    with pytest.raises(QueryError, match="Update is not supported"):
        run_query(store, "PREFIX ex: <http://e/>\nINSERT DATA { ex:a ex:b ex:c }")
    with pytest.raises(QueryError, match="not found"):
        run_query(tmp_path / "missing.nt", "ASK {}")
    with pytest.raises(QueryError, match="no graph in folder"):
        run_query(tmp_path, "ASK {}")
    bad = tmp_path / "bad.ttl"
    bad.write_text("<a> <b> .", encoding="utf-8")
    with pytest.raises(QueryError, match="bad.ttl: cannot load graph"):
        run_query(bad, "ASK {}")


def test_every_export_format_loads_the_same_triples(exports, tmp_path):
    """The JSON-LD export refers to ``context.jsonld`` beside it; the loader inlines it (pyoxigraph fetches none)."""
    triples = {str(quad.triple) for quad in load_store(exports["nt"])}
    assert {str(quad.triple) for quad in load_store(exports["ttl"])} == triples
    assert {str(quad.triple) for quad in load_store(exports["jsonld"])} == triples
    assert rows(load_store(exports["jsonld"]), "top-benchmarks") == [["MMLU", "3"], ["GSM8K", "1"]]
    alone = tmp_path / "graph.jsonld"
    alone.write_bytes(exports["jsonld"].read_bytes())  # without its context file: a clear error
    with pytest.raises(QueryError, match="graph.jsonld: cannot load graph"):
        load_store(alone)


def test_result_formats(store):
    sparql = "SELECT ?label WHERE { ?b a kg:Benchmark ; skos:prefLabel ?label } ORDER BY ?label"
    body = json.loads(serialize_result(run_query(store, sparql), "json"))
    assert [b["label"]["value"] for b in body["results"]["bindings"]] == ["GSM8K", "MMLU"]
    assert list(csv.reader(io.StringIO(serialize_result(run_query(store, sparql), "csv").decode()))) == [["label"], ["GSM8K"], ["MMLU"]]
    assert serialize_result(run_query(store, sparql), "tsv").decode().splitlines() == ["?label", '"GSM8K"', '"MMLU"']
    assert b"<sparql" in serialize_result(run_query(store, sparql), "xml")
    turtle = serialize_result(run_query(store, "CONSTRUCT WHERE { ?b a kg:Benchmark }"), "turtle").decode()
    assert "benchmark:mmlu a kg:Benchmark" in turtle
    with pytest.raises(QueryError, match="choose an output among turtle"):
        serialize_result(run_query(store, "CONSTRUCT WHERE { ?b a kg:Benchmark }"), "csv")


def test_table_shows_compact_iris_and_flattens_newlines(store):
    table = format_table(run_query(store, "SELECT ?p ?t WHERE { ?p dcterms:title ?t } ORDER BY ?p LIMIT 1", ))
    lines = table.splitlines()
    assert lines[0].split() == ["p", "t"]
    assert lines[2].startswith("paper:2401.00001  A \"quoted\" title with <script>")
    assert lines[-1] == "(1 row)"
    assert format_table(run_query(store, "ASK { ?s a kg:Paper }")).splitlines()[2] == "true"
    assert PREFIXES["paper"].endswith("/paper/")


# --- kg query --------------------------------------------------------------------------------------


def invoke(*args, input=None):
    return CliRunner().invoke(query_command, list(args), input=input)


def test_cli_named_query_with_params_and_table(exports):
    result = invoke(str(exports["nt"].parent), "metrics-on-benchmark", "--param", "benchmark=mmlu")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[2].split() == ["accuracy", "2"]


def test_cli_sparql_from_argument_file_and_stdin(exports, tmp_path):
    sparql = "SELECT ?label WHERE { ?b a kg:Benchmark ; skos:prefLabel ?label } ORDER BY ?label"
    file = tmp_path / "q.rq"
    file.write_text(sparql, encoding="utf-8")
    outputs = [
        invoke(str(exports["ttl"]), sparql, "-o", "csv"),
        invoke(str(exports["nt"]), f"@{file}", "-o", "csv"),
        invoke(str(exports["nt"]), "-", "-o", "csv", input=sparql),
    ]
    for result in outputs:
        assert result.exit_code == 0, result.output
        assert result.output.replace("\r\n", "\n") == "label\nGSM8K\nMMLU\n"
    json_out = invoke(str(exports["nt"]), sparql, "--output", "json")
    assert json.loads(json_out.output)["head"]["vars"] == ["label"]


def test_cli_list_and_show(exports):
    listing = invoke("--list")
    assert listing.exit_code == 0
    assert "metrics-on-benchmark" in listing.output and "--param benchmark=VALUE" in listing.output
    shown = invoke(str(exports["nt"]), "metrics-on-benchmark", "-p", "benchmark=gsm8k", "--show")
    assert "VALUES (?benchmark) { (<https://w3id.org/kg-ml/resource/entity/benchmark/gsm8k>) }" in shown.output
    period = invoke(str(exports["nt"]), "new-entities", "-p", "period=month", "--show")
    assert 'VALUES (?period) { ("month") }' in period.output


def test_cli_errors_exit_1_with_a_message(exports, tmp_path):
    malformed = invoke(str(exports["nt"]), "SELECT ?x WHERE {")
    assert malformed.exit_code == 1 and "malformed SPARQL query" in malformed.output
    missing = invoke(str(tmp_path / "nope.nt"), "top-benchmarks")
    assert missing.exit_code == 1 and "graph file not found" in missing.output
    assert "Traceback" not in missing.output
    stray = invoke(str(exports["nt"]), "SELECT * {}", "--param", "a=b")
    assert stray.exit_code == 1 and "named queries only" in stray.output
    unreadable = invoke(str(exports["nt"]), f"@{tmp_path / 'none.rq'}")
    assert unreadable.exit_code == 1 and "cannot read query file" in unreadable.output
    assert invoke().exit_code == 2
