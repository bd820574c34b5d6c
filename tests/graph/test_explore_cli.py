"""``kg show / top / related / path / timeline`` on a saved fixture graph, through click's CliRunner."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from kg.cli import main


@pytest.fixture()
def run(saved_graph):
    def invoke(*args: str):
        return CliRunner().invoke(main, [*args, "--graph", str(saved_graph)], terminal_width=200)

    return invoke


def test_show(run):
    result = run("show", "low rank adaptation")
    assert result.exit_code == 0, result.output
    assert "LoRA (Method)" in result.output and "entity:method/lora" in result.output
    assert "outperforms" in result.output and "GPT-3" in result.output
    assert "Adapters revisited" in result.output


def test_show_lists_other_types(run):
    result = run("show", "Transformer")
    assert result.exit_code == 0 and "also typed" in result.output and "entity:method/transformer" in result.output
    assert "Transformer (Method)" in run("show", "Transformer", "--type", "method").output


def test_top(run):
    result = run("top", "--type", "benchmark", "-n", "1")
    assert result.exit_code == 0, result.output
    assert "GLUE" in result.output and "SQuAD" not in result.output


def test_related(run):
    result = run("related", "GPT-3")
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if "│" in line]
    assert [line.split("│")[1].strip() for line in lines] == ["Accuracy", "LoRA", "GLUE"]
    assert "0.415" in result.output
    assert "no entity shares 5 or more papers" in run("related", "GPT-3", "--min-support", "5").output


def test_path(run):
    result = run("path", "BERT", "LoRA")
    assert result.exit_code == 0, result.output
    assert "2 paper(s) between BERT and LoRA" in result.output and "BERT on SQuAD" in result.output


def test_timeline(run):
    result = run("timeline", "GLUE")
    assert result.exit_code == 0, result.output
    assert "2023" in result.output and "no year" in result.output


@pytest.mark.parametrize("args, message", [
    (("show", "LoRAA"), "unknown entity 'LoRAA'; did you mean: LoRA?"),
    (("related", "GPT-4"), "did you mean: GPT-3?"),
    (("path", "BERT", "Mamba"), "no path through papers between 'BERT' and 'Mamba'"),
    (("timeline", "nothing-like-it"), "unknown entity 'nothing-like-it'"),
])
def test_bad_input_is_one_clear_line_and_exit_1(run, args, message):
    result = run(*args)
    assert result.exit_code == 1
    assert message in result.output and "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)


def test_bad_graph_file(tmp_path):
    bad = tmp_path / "not-a-graph.txt"
    bad.write_text("hello\n")
    for args in (["show", "x"], ["top", "--type", "Model"], ["related", "x"], ["path", "a", "b"], ["timeline", "x"]):
        result = CliRunner().invoke(main, [*args, "--graph", str(bad)])
        assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
        assert f"{bad}: not a kg graph file" in result.output
    result = CliRunner().invoke(main, ["show", "x", "--graph", str(tmp_path / "missing.gz")])
    assert result.exit_code == 1 and "no such graph file" in result.output


def test_every_command_has_help():
    for command in ("show", "top", "related", "path", "timeline"):
        result = CliRunner().invoke(main, [command, "--help"])
        assert result.exit_code == 0 and "--graph" in result.output
