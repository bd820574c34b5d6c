"""The page writer without a browser: escaping, filtering, determinism, self-containment."""
from __future__ import annotations

import json
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg.export.html import (
    LARGE_GRAPH, json_for_script, layout_positions, page_data, parse_types, select_nodes, write_html,
)
from kg.graph import KnowledgeGraph

from .conftest import SCRIPT_NAME, XSS_TITLE, toy_records


@given(st.recursive(st.text(), lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner), max_leaves=8))
def test_json_for_script_round_trips_and_never_ends_the_script(value):
    text = json_for_script(value)
    assert json.loads(text) == value
    assert not re.search(r"[<>&\u2028\u2029]", text)


def test_json_for_script_escapes_the_dangerous_sequences():
    text = json_for_script(["</script>", "<!--", "a\u2028b\u2029c", "&amp;"])
    assert text == '["\\u003c/script\\u003e","\\u003c!--","a\\u2028b\\u2029c","\\u0026amp;"]'


def test_parse_types_is_case_insensitive_in_canonical_order():
    assert parse_types("method, MODEL") == ("Model", "Method")
    assert parse_types(["task"]) == ("Task",)
    assert parse_types(None) is None


def test_parse_types_names_the_unknown_type():
    with pytest.raises(ValueError, match=r"unknown entity type 'Dataset'.*Model, Method, Benchmark, Metric, Task"):
        parse_types("Model,Dataset")


def test_select_without_filters_keeps_every_node(toy_graph):
    nxg = toy_graph.to_networkx()
    assert select_nodes(nxg) == sorted(nxg.nodes)


def test_select_min_papers_drops_rare_entities_and_the_papers_left_without_entities(toy_graph):
    nxg = toy_graph.to_networkx()
    kept = select_nodes(nxg, min_papers=2)
    entities = [n for n in kept if n.startswith("entity:")]
    assert entities == [
        "entity:benchmark/mmlu", "entity:method/lora", "entity:metric/accuracy",
        "entity:model/gpt-4", "entity:task/question-answering",
    ]
    # every paper still links to a kept entity, and the paper with no entity at all stays
    assert [n for n in kept if n.startswith("paper:")] == [f"paper:2401.0000{i}" for i in range(1, 6)]


def test_select_types_keeps_papers_only_through_kept_entities(toy_graph):
    kept = select_nodes(toy_graph.to_networkx(), types="benchmark")
    assert kept == ["entity:benchmark/mmlu", "paper:2401.00001", "paper:2401.00002", "paper:2401.00005"]


def test_select_top_keeps_the_best_supported_entity_of_each_type(toy_graph):
    kept = select_nodes(toy_graph.to_networkx(), top=1, types="Model,Method,Task")
    entities = [n for n in kept if n.startswith("entity:")]
    # LoRA (2 papers) beats QLoRA (1); question answering (2) beats the hostile task (1)
    assert entities == ["entity:method/lora", "entity:model/gpt-4", "entity:task/question-answering"]


def test_page_data_has_every_node_and_edge_with_its_evidence(toy_graph):
    nxg = toy_graph.to_networkx()
    data = page_data(toy_graph, nxg.nodes, title="t")
    assert [n["id"] for n in data["nodes"]] == sorted(nxg.nodes)
    assert len(data["edges"]) == nxg.number_of_edges()
    edge = next(e for e in data["edges"] if e["id"] == "entity:method/qlora|variantOf|entity:method/lora")
    assert edge["relation"] == "variantOf"
    assert edge["info"] == {"sentence": "QLoRA is a variant of LoRA.", "more": 0}
    gpt4 = next(n for n in data["nodes"] if n["id"] == "entity:model/gpt-4")
    assert gpt4["info"] == {"kind": "entity", "type": "Model", "name": "GPT-4",
                            "aliases": ["GPT4", "gpt-4 model"], "papers": 4}
    assert gpt4["shape"] != next(n for n in data["nodes"] if n["id"] == "paper:2401.00001")["shape"]


def test_only_http_links_reach_the_page(toy_graph):
    data = page_data(toy_graph, toy_graph.to_networkx().nodes, title="t")
    urls = {n["id"]: n["info"].get("url") for n in data["nodes"] if n["info"]["kind"] == "paper"}
    assert urls["paper:2401.00001"] == "https://arxiv.org/abs/2401.00001"
    assert urls["paper:2401.00003"] is None  # was javascript:alert(1)


def test_page_is_self_contained(toy_graph, tmp_path):
    html = write_html(toy_graph, tmp_path / "g.html").read_text(encoding="utf-8")
    assert not re.search(r"(?i)<(script|link|img|iframe)[^>]*\b(src|href)\s*=", html)
    assert "sourceMappingURL" not in html
    assert "vis.Network" in html and "window.kgView" in html  # both scripts are inlined
    assert "Content-Security-Policy" in html


def test_input_strings_never_appear_as_markup(toy_graph, tmp_path):
    html = write_html(toy_graph, tmp_path / "g.html", title="<b>My</b> graph").read_text(encoding="utf-8")
    assert XSS_TITLE not in html and "<img" not in html
    assert SCRIPT_NAME not in html
    assert html.count("</script>") == html.count("<script")  # only our own three elements close
    assert "<title>&lt;b&gt;My&lt;/b&gt; graph</title>" in html
    assert "\u2028" not in html and "\u2029" not in html


def test_same_graph_gives_the_same_bytes(tmp_path):
    first = write_html(KnowledgeGraph.from_extracted(toy_records()), tmp_path / "a.html").read_bytes()
    second = write_html(KnowledgeGraph.from_extracted(reversed(toy_records())), tmp_path / "b.html").read_bytes()
    assert first == second


def test_write_is_atomic_and_creates_the_folder(toy_graph, tmp_path):
    target = tmp_path / "new" / "page.html"
    assert write_html(toy_graph, target) == target
    assert [p.name for p in target.parent.iterdir()] == ["page.html"]


def test_ego_view_keeps_the_neighbourhood_and_focuses_the_centre(toy_graph, tmp_path):
    page = write_html(toy_graph, tmp_path / "ego.html", focus="low-rank adaptation", depth=1)
    data = json.loads(re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', page.read_text()).group(1))
    assert data["focus"] == "entity:method/lora"
    assert sorted(n["id"] for n in data["nodes"]) == [
        "entity:method/lora", "entity:method/qlora", "paper:2401.00001", "paper:2401.00003",
    ]


def test_ego_view_of_an_unknown_entity_fails_clearly(toy_graph, tmp_path):
    with pytest.raises(LookupError, match="nothing-like-this"):
        write_html(toy_graph, tmp_path / "x.html", focus="nothing-like-this")
    assert not (tmp_path / "x.html").exists()


def test_large_graphs_get_a_seeded_precomputed_layout(large_graph):
    nxg = large_graph.to_networkx()
    data = page_data(large_graph, nxg.nodes, title="t")
    assert len(data["nodes"]) > LARGE_GRAPH and data["options"]["physics"] == {"enabled": False}
    positions = {n["id"]: (n["x"], n["y"]) for n in data["nodes"]}
    assert positions == layout_positions(sorted(nxg.nodes), [(u, v) for u, v, _ in sorted(nxg.edges(keys=True))])
    assert len(set(positions.values())) == len(positions)


def test_layout_puts_linked_nodes_closer_than_unlinked_ones(large_graph):
    nxg = large_graph.to_networkx()
    pos = layout_positions(sorted(nxg.nodes), list(nxg.edges()))
    def dist(u, v):
        return ((pos[u][0] - pos[v][0]) ** 2 + (pos[u][1] - pos[v][1]) ** 2) ** 0.5
    linked = [dist(u, v) for u, v in nxg.edges() if "transformer" not in v]
    nodes = sorted(nxg.nodes)
    unlinked = [dist(nodes[i], nodes[(i * 7919 + 13) % len(nodes)]) for i in range(len(nodes))]
    assert sum(linked) / len(linked) < 0.5 * sum(unlinked) / len(unlinked)  # a random layout gives about 1


def test_small_graphs_are_laid_out_by_the_page(toy_graph):
    data = page_data(toy_graph, toy_graph.to_networkx().nodes, title="t")
    assert data["options"]["physics"]["enabled"] is True
    assert not any("x" in n for n in data["nodes"])
