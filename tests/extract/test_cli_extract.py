"""``kg extract``: JSON Lines out, atomic --out, clear errors."""
from __future__ import annotations

import json

from click.testing import CliRunner

from kg.cli import main

RECORDS = [
    {"id": "2401.00001", "title": "FlexLLM: A System for Serving", "abstract": "We propose FlexLLM, a system that serves GPT-4 with low latency."},
    {"id": "abc", "title": "Quantized diffusion", "abstract": "Post-training quantization of diffusion models keeps FID low."},
]


def write_input(tmp_path):
    path = tmp_path / "papers.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in RECORDS), encoding="utf-8")
    return path


def test_prints_one_record_per_paper_keeping_ids(tmp_path):
    result = CliRunner().invoke(main, ["extract", str(write_input(tmp_path)), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert [r["id"] for r in lines] == ["2401.00001", "abc"]
    flex = {e["name"]: e for e in lines[0]["entities"]}["FlexLLM"]
    assert flex["proposed"] and flex["type"] == "Model"


def test_out_file_and_jobs(tmp_path):
    out = tmp_path / "out" / "pred.jsonl"
    result = CliRunner().invoke(main, ["extract", str(write_input(tmp_path)), "--out", str(out), "--jobs", "2",
                                       "--input-format", "jsonl"])
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["id"] for line in out.read_text().splitlines()] == ["2401.00001", "abc"]
    assert not list(out.parent.glob(".*part"))


def test_missing_input_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(main, ["extract", str(tmp_path / "nope.jsonl")])
    assert result.exit_code != 0 and "nope.jsonl" in result.output and "Traceback" not in result.output


def test_nothing_usable_fails(tmp_path):
    path = tmp_path / "empty.jsonl"
    path.write_text("not json\n")
    result = CliRunner().invoke(main, ["extract", str(path)])
    assert result.exit_code != 0 and "no usable paper" in result.output


def test_help_is_documented():
    result = CliRunner().invoke(main, ["extract", "--help"])
    assert result.exit_code == 0 and "--spacy-model" in result.output and "--input-format" in result.output


def test_unknown_spacy_model_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(main, ["extract", str(write_input(tmp_path)), "--spacy-model", "no_such_pipeline_xyz"])
    assert result.exit_code != 0 and "no_such_pipeline_xyz" in result.output and "Traceback" not in result.output
