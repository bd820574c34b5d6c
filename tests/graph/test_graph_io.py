"""Saving and loading: lossless round trip, deterministic bytes, clear errors for files that are not saved graphs."""
from __future__ import annotations

import gzip
import json

import pytest

from kg.graph import GraphFileError, KnowledgeGraph
from kg.graph_io import DEFAULT_GRAPH_PATH, VERSION

from .helpers import snapshot


def test_round_trip_is_lossless(graph, saved_graph, tmp_path):
    loaded = KnowledgeGraph.load(saved_graph)
    assert snapshot(loaded) == snapshot(graph)
    loaded.save(tmp_path / "again.gz")
    assert (tmp_path / "again.gz").read_bytes() == saved_graph.read_bytes()
    assert loaded.entity("low-rank adaptation").node == "entity:method/lora"


def test_file_has_a_versioned_header(saved_graph):
    with gzip.open(saved_graph, "rt", encoding="utf-8") as lines:
        header = json.loads(next(lines))
    assert header == {"format": "kg-graph", "version": VERSION, "papers": 6, "entities": 9, "statements": 3}
    assert DEFAULT_GRAPH_PATH.as_posix() == "exports/graph.kg.json.gz"


def test_uncompressed_copy_loads_too(graph, saved_graph, tmp_path):
    plain = tmp_path / "graph.jsonl"
    plain.write_bytes(gzip.decompress(saved_graph.read_bytes()))
    assert snapshot(KnowledgeGraph.load(plain)) == snapshot(graph)


def _gzip_lines(path, lines: list[str]) -> None:
    path.write_bytes(gzip.compress("".join(line + "\n" for line in lines).encode("utf-8")))


def test_bad_files_raise_graph_file_error_naming_the_file(saved_graph, tmp_path):
    good = gzip.decompress(saved_graph.read_bytes()).decode("utf-8").splitlines()
    cases = {
        "missing.gz": (None, "no such graph file"),
        "notes.txt": (b"just some text\n", "not a kg graph file"),
        "binary.bin": (bytes(range(256)) * 4, "not a kg graph file"),
        "empty.gz": (b"", "not a kg graph file"),
        "other.json.gz": (gzip.compress(b'{"format": "something-else", "version": 1}\n'), "not a kg graph file"),
        "future.gz": (gzip.compress(b'{"format": "kg-graph", "version": 99}\n'), "format version 99, this kg reads version 1"),
        "truncated.gz": (saved_graph.read_bytes()[:-40], "damaged or truncated"),
    }
    for name, (content, message) in cases.items():
        path = tmp_path / name
        if content is not None:
            path.write_bytes(content)
        with pytest.raises(GraphFileError, match=message) as caught:
            KnowledgeGraph.load(path)
        assert str(path) in str(caught.value)
    _gzip_lines(tmp_path / "badline.gz", good[:3] + ["{not json"] + good[3:])
    with pytest.raises(GraphFileError, match=r"badline.gz: line 4: not a valid graph record"):
        KnowledgeGraph.load(tmp_path / "badline.gz")
    _gzip_lines(tmp_path / "short.gz", good[:-3])
    with pytest.raises(GraphFileError, match="incomplete file"):
        KnowledgeGraph.load(tmp_path / "short.gz")
    dangling = [line for line in good if '"entity":"entity:model/mamba"' not in line]
    _gzip_lines(tmp_path / "dangling.gz", dangling)
    with pytest.raises(GraphFileError, match="not a valid graph record"):
        KnowledgeGraph.load(tmp_path / "dangling.gz")


def test_save_is_atomic_and_leaves_no_temporary_file(graph, tmp_path):
    path = tmp_path / "out" / "graph.kg.json.gz"
    graph.save(path)
    assert [p.name for p in path.parent.iterdir()] == ["graph.kg.json.gz"]
