"""Format detection from content, gzip by magic bytes, stdin."""
from __future__ import annotations

import gzip
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from kg.ingest import FORMATS, IngestError, IngestReport, read_papers
from kg.ingest.detect import sniff


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("hf_api.json", "hf-api"),
        ("arxiv_atom.xml", "arxiv-atom"),
        ("arxiv_snapshot.jsonl", "arxiv-snapshot"),
        ("papers.jsonl", "jsonl"),
        ("papers.csv", "csv"),
        ("page_truncated.txt", "hf-page"),
    ],
)
def test_sniff_fixtures(fixtures: Path, name: str, expected: str) -> None:
    assert sniff((fixtures / name).read_bytes()) == expected
    assert expected in FORMATS


def test_sniff_seeds_and_edge_cases(seeds: Path) -> None:
    assert {sniff(path.read_bytes()) for path in seeds.glob("*.txt")} == {"hf-page"}
    assert sniff(b"") == "empty" and sniff(b" \n\n") == "empty"
    assert sniff(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR") == "binary"
    assert sniff(b'{"title": "T", "abstract": "A"}\n') == "jsonl"
    assert sniff(b'{"title": broken\n{"title": "T", "abstract": "A"}\n') == "jsonl"
    assert sniff(b'{\n  "paper": {"title": "T"}\n}') == "hf-api"
    assert sniff('\ufeffTitle;Abstract\nT;A\n'.encode()) == "csv"
    assert sniff(b"Just a title line, nothing else") == "hf-page"


def test_extension_is_not_trusted(fixtures: Path, tmp_path: Path) -> None:
    disguised = tmp_path / "papers.txt"
    disguised.write_bytes((fixtures / "papers.jsonl").read_bytes())
    report = IngestReport()
    assert len(list(read_papers(disguised, report=report))) == 4
    assert report.records == {"jsonl": 4}


def test_gzip_by_magic_bytes(fixtures: Path, tmp_path: Path) -> None:
    packed = tmp_path / "feed.data"  # no .gz extension: the magic bytes decide
    packed.write_bytes(gzip.compress((fixtures / "arxiv_atom.xml").read_bytes()))
    report = IngestReport()
    assert [paper.id for paper in read_papers(packed, report=report)] == ["1706.03762", "hep-th/9711200", "1810.04805"]
    assert report.records == {"arxiv-atom": 3}


def test_stdin_in_process(fixtures: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = gzip.compress((fixtures / "papers.csv").read_bytes())
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    report = IngestReport()
    papers = list(read_papers("-", report=report))
    assert [paper.id for paper in papers] == ["1406.2661", "P-7", "hep-th/9901001"]
    assert {paper.source for paper in papers} == {"<stdin>"}
    assert report.files == ["<stdin>"]


def test_stdin_through_a_real_pipe(fixtures: Path) -> None:
    script = "import json; from kg.ingest import read_papers; print(json.dumps([p.id for p in read_papers('-')]))"
    result = subprocess.run(
        [sys.executable, "-c", script], input=(fixtures / "hf_api.json").read_bytes(), capture_output=True, check=True
    )
    assert json.loads(result.stdout) == ["2401.04088", "2402.17764", "2404.19756"]
    assert b"record 3: no abstract" in result.stderr  # the warning reaches the log


def test_missing_path_and_unknown_format_raise(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="input not found: .*nope.jsonl"):
        read_papers([tmp_path, tmp_path / "nope.jsonl"])
    with pytest.raises(IngestError, match="unknown format 'bibtex'"):
        read_papers(tmp_path, format="bibtex")
