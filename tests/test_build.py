"""The main job end to end: the sample builds, outputs parse, and the same input gives the same bytes."""
from __future__ import annotations

import gzip
import json
import subprocess
import sys

import pytest
import rdflib

from kg.build import BuildError, build


@pytest.fixture(scope="module")
def two_sample_builds(tmp_path_factory):
    first = build(out_dir=tmp_path_factory.mktemp("first"))
    second = build(out_dir=tmp_path_factory.mktemp("second"))
    return first, second


def test_sample_build_writes_every_export(two_sample_builds):
    result, _ = two_sample_builds
    names = {path.name for path in result.outputs.values()}
    assert {"graph.ttl", "graph.nt", "graph.jsonld", "graph.html", "graph.kg.json.gz", "papers.jsonl"} <= names
    assert result.papers == 447
    assert set(result.entities_by_type) == {"Model", "Method", "Benchmark", "Metric", "Task"}
    assert not list(result.out_dir.glob("*.part")), "a temporary file was left behind"


def test_turtle_parses_back_with_rdflib(two_sample_builds):
    result, _ = two_sample_builds
    graph = rdflib.Graph().parse(result.out_dir / "graph.ttl", format="turtle")
    assert len(graph) > 10_000


def test_same_input_gives_byte_identical_outputs(two_sample_builds):
    first, second = two_sample_builds
    for name, path in first.outputs.items():
        other = second.outputs[name]
        if path.suffix == ".gz":
            assert gzip.decompress(path.read_bytes()) == gzip.decompress(other.read_bytes()), name
        else:
            assert path.read_bytes() == other.read_bytes(), name


def test_papers_jsonl_holds_one_extraction_record_per_paper(two_sample_builds):
    result, _ = two_sample_builds
    lines = (result.out_dir / "papers.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 447
    record = json.loads(lines[0])
    assert {"id", "title", "entities"} <= set(record)


def test_nothing_usable_is_an_error_and_writes_nothing(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"title": "no abstract here"}\nnot json at all\n', encoding="utf-8")
    out = tmp_path / "out"
    with pytest.raises(BuildError, match="no usable paper"):
        build([bad], out)
    assert not out.exists() or not any(out.iterdir())


def test_cli_build_reports_skipped_records_and_succeeds(tmp_path):
    data = tmp_path / "papers.jsonl"
    data.write_text(
        '{"id": "p1", "title": "Speculative Decoding for LLM Inference", '
        '"abstract": "We evaluate speculative decoding on MT-Bench and report latency."}\n'
        '{"id": "p2", "title": "broken"\n',
        encoding="utf-8",
    )
    run = subprocess.run([sys.executable, "-m", "kg", "build", str(data), "--out", str(tmp_path / "out"), "--no-html"],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert "papers.jsonl" in run.stderr and "line 2" in run.stderr
    assert (tmp_path / "out" / "graph.ttl").exists()


def test_cli_build_fails_clearly_when_nothing_is_usable(tmp_path):
    empty = tmp_path / "empty.jsonl"
    empty.write_bytes(b"")
    run = subprocess.run([sys.executable, "-m", "kg", "build", str(empty), "--out", str(tmp_path / "out")],
                         capture_output=True, text=True)
    assert run.returncode != 0
    assert "no usable paper" in run.stderr
    assert "Traceback" not in run.stderr
