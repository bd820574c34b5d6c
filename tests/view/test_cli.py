"""``kg view`` through the real command line (click's runner on ``kg.cli.main``)."""
from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from kg.cli import main


@pytest.fixture
def saved_graph(toy_graph, tmp_path):
    path = tmp_path / "graph.kg.json.gz"
    toy_graph.save(path)
    return path


def page_nodes(path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    data = json.loads(re.search(r'id="kg-data">(.*?)</script>', text).group(1))
    return [n["id"] for n in data["nodes"]]


def test_view_writes_the_whole_filtered_graph(saved_graph, tmp_path):
    out = tmp_path / "page.html"
    result = CliRunner().invoke(main, ["view", "--graph", str(saved_graph), "--out", str(out),
                                       "--types", "Model,Benchmark", "--min-papers", "2"])
    assert result.exit_code == 0, result.output
    assert f"wrote {out}" in result.output
    assert page_nodes(out) == ["entity:benchmark/mmlu", "entity:model/gpt-4", "paper:2401.00001",
                               "paper:2401.00002", "paper:2401.00003", "paper:2401.00004", "paper:2401.00005"]


def test_view_entity_writes_an_ego_page_named_after_it(saved_graph, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["view", "gpt4", "--graph", str(saved_graph), "--depth", "1"])
    assert result.exit_code == 0, result.output
    page = tmp_path / "exports" / "view-gpt-4.html"
    assert "entity:model/gpt-4" in page_nodes(page)
    assert "entity:method/lora" not in page_nodes(page)  # two links away


@pytest.mark.parametrize(
    "args, message",
    [
        (["view", "no-such-entity"], "unknown entity 'no-such-entity'"),
        (["view", "--types", "Dataset"], "unknown entity type 'Dataset'"),
    ],
)
def test_bad_input_is_one_clear_line(saved_graph, tmp_path, args, message):
    result = CliRunner().invoke(main, [*args, "--graph", str(saved_graph), "--out", str(tmp_path / "x.html")])
    assert result.exit_code == 1
    assert message in result.output and "Traceback" not in result.output
    assert not (tmp_path / "x.html").exists()


def test_missing_graph_file_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(main, ["view", "--graph", str(tmp_path / "none.gz"), "--out", str(tmp_path / "x.html")])
    assert result.exit_code == 1
    assert "none.gz" in result.output and "Traceback" not in result.output
